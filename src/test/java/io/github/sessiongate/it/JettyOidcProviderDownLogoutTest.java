package io.github.sessiongate.it;

/** {@link OidcProviderDownLogoutScenarios} on embedded Jetty 12 (ee10). */
class JettyOidcProviderDownLogoutTest extends OidcProviderDownLogoutScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
