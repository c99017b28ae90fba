package io.github.sessiongate.it;

/** {@link OidcAttackScenarios} on embedded Jetty 12 (ee10). */
class JettyOidcAttackTest extends OidcAttackScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
