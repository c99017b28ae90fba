package io.github.sessiongate.it;

/** {@link OidcLoginScenarios} on embedded Jetty 12 (ee10). */
class JettyOidcLoginTest extends OidcLoginScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
