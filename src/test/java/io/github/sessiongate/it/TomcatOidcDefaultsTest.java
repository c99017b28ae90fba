package io.github.sessiongate.it;

/** {@link OidcDefaultsScenarios} on embedded Tomcat 11. */
class TomcatOidcDefaultsTest extends OidcDefaultsScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
