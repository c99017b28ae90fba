package io.github.sessiongate.it;

/** {@link BackChannelAttackScenarios} on embedded Jetty 12 (ee10). */
class JettyBackChannelAttackTest extends BackChannelAttackScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
