package io.github.sessiongate.it;

/** {@link RevocationScenarios} on embedded Tomcat. */
class TomcatRevocationTest extends RevocationScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
