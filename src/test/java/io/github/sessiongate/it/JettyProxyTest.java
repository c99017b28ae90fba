package io.github.sessiongate.it;

/** {@link ProxyScenarios} on embedded Jetty 12 (ee10). */
class JettyProxyTest extends ProxyScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
