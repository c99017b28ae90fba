package io.github.sessiongate.it;

/** {@link GateScenarios} on embedded Tomcat 11. */
class TomcatGateTest extends GateScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
