package io.github.sessiongate.it;

/** {@link LateSpellingAttackScenarios} on embedded Jetty 12 (ee10). */
class JettyLateSpellingAttackTest extends LateSpellingAttackScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
