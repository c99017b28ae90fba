package io.github.sessiongate.it;

/** {@link LoginConcurrencyScenarios} on embedded Jetty 12 (ee10). */
class JettyLoginConcurrencyTest extends LoginConcurrencyScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
