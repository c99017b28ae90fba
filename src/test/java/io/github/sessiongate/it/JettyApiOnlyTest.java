package io.github.sessiongate.it;

/** {@link ApiOnlyScenarios} on embedded Jetty 12 (ee10). */
class JettyApiOnlyTest extends ApiOnlyScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
