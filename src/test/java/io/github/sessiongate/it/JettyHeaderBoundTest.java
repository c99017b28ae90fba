package io.github.sessiongate.it;

/** {@link HeaderBoundScenarios} on embedded Jetty 12 (ee10). */
class JettyHeaderBoundTest extends HeaderBoundScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
