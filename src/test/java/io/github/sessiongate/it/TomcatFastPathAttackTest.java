package io.github.sessiongate.it;

/** {@link FastPathAttackScenarios} on embedded Tomcat 11. */
class TomcatFastPathAttackTest extends FastPathAttackScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
