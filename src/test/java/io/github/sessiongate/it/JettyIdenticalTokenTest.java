package io.github.sessiongate.it;

/** {@link IdenticalTokenScenarios} on embedded Jetty 12 (ee10). */
class JettyIdenticalTokenTest extends IdenticalTokenScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
