package io.github.sessiongate.it;

/** {@link ProxyScenarios} on embedded Tomcat 11. */
class TomcatProxyTest extends ProxyScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
