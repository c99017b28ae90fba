package io.github.sessiongate.it;

/** {@link BackChannelLogoutScenarios} on embedded Tomcat 11. */
class TomcatBackChannelLogoutTest extends BackChannelLogoutScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
