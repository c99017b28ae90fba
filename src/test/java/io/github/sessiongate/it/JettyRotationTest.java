package io.github.sessiongate.it;

/** {@link RotationScenarios} on embedded Jetty 12 (ee10). */
class JettyRotationTest extends RotationScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
