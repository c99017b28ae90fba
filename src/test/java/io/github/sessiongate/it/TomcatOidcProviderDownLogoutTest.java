package io.github.sessiongate.it;

/** {@link OidcProviderDownLogoutScenarios} on embedded Tomcat 11. */
class TomcatOidcProviderDownLogoutTest extends OidcProviderDownLogoutScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
