package io.github.sessiongate.it;

/** {@link BackChannelAttackScenarios} on embedded Tomcat 11. */
class TomcatBackChannelAttackTest extends BackChannelAttackScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
