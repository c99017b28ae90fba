package io.github.sessiongate.it;

/** {@link IdenticalTokenScenarios} on embedded Tomcat. */
class TomcatIdenticalTokenTest extends IdenticalTokenScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
