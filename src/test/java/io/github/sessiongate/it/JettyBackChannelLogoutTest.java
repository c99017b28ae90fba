package io.github.sessiongate.it;

/** {@link BackChannelLogoutScenarios} on embedded Jetty 12 (ee10). */
class JettyBackChannelLogoutTest extends BackChannelLogoutScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
