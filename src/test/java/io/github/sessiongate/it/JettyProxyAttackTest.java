package io.github.sessiongate.it;

/** {@link ProxyAttackScenarios} on embedded Jetty. */
class JettyProxyAttackTest extends ProxyAttackScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
