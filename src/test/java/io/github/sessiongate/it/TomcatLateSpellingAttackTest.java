package io.github.sessiongate.it;

/** {@link LateSpellingAttackScenarios} on embedded Tomcat 11. */
class TomcatLateSpellingAttackTest extends LateSpellingAttackScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
