package io.github.sessiongate.it;

/** {@link OidcLogoutScenarios} on embedded Tomcat 11. */
class TomcatOidcLogoutTest extends OidcLogoutScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
