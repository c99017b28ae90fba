package io.github.sessiongate.it;

/** {@link ProxyAttackScenarios} on embedded Tomcat. */
class TomcatProxyAttackTest extends ProxyAttackScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
