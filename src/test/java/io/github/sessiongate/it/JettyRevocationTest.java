package io.github.sessiongate.it;

/** {@link RevocationScenarios} on embedded Jetty 12 (ee10). */
class JettyRevocationTest extends RevocationScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
