package io.github.sessiongate.it;

/** {@link RotationScenarios} on embedded Tomcat 11. */
class TomcatRotationTest extends RotationScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
