package io.github.sessiongate.it;

/** {@link OidcProviderErrorPageScenarios} on embedded Tomcat 11. */
class TomcatOidcProviderErrorPageTest extends OidcProviderErrorPageScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
