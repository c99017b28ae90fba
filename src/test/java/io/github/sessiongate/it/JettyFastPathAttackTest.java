package io.github.sessiongate.it;

/** {@link FastPathAttackScenarios} on embedded Jetty 12 (ee10). */
class JettyFastPathAttackTest extends FastPathAttackScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
