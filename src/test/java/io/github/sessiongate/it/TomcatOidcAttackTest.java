package io.github.sessiongate.it;

/** {@link OidcAttackScenarios} on embedded Tomcat 11. */
class TomcatOidcAttackTest extends OidcAttackScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
