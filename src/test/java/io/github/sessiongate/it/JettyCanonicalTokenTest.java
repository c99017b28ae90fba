package io.github.sessiongate.it;

/** {@link CanonicalTokenScenarios} on embedded Jetty 12 (ee10). */
class JettyCanonicalTokenTest extends CanonicalTokenScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
