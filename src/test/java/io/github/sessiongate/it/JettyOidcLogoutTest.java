package io.github.sessiongate.it;

/** {@link OidcLogoutScenarios} on embedded Jetty 12 (ee10). */
class JettyOidcLogoutTest extends OidcLogoutScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
