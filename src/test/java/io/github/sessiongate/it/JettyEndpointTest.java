package io.github.sessiongate.it;

/** {@link EndpointScenarios} on embedded Jetty 12 (ee10). */
class JettyEndpointTest extends EndpointScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
