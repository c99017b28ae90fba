package io.github.sessiongate.it;

/** {@link GateScenarios} on embedded Jetty 12 (ee10). */
class JettyGateTest extends GateScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
