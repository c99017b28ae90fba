package io.github.sessiongate.it;

/** {@link OidcProviderErrorPageScenarios} on embedded Jetty 12 (ee10). */
class JettyOidcProviderErrorPageTest extends OidcProviderErrorPageScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
