package io.github.sessiongate.it;

/** {@link OidcDefaultsScenarios} on embedded Jetty 12 (ee10). */
class JettyOidcDefaultsTest extends OidcDefaultsScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
