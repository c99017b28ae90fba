package io.github.sessiongate.it;

/** {@link LogoutChainScenarios} on embedded Tomcat. */
class TomcatLogoutChainTest extends LogoutChainScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
