package io.github.sessiongate.it;

/** {@link LogoutChainScenarios} on embedded Jetty 12 (ee10). */
class JettyLogoutChainTest extends LogoutChainScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
