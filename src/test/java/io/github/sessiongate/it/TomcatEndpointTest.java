package io.github.sessiongate.it;

/** {@link EndpointScenarios} on embedded Tomcat. */
class TomcatEndpointTest extends EndpointScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
