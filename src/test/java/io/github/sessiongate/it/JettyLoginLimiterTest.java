package io.github.sessiongate.it;

/** {@link LoginLimiterScenarios} on embedded Jetty 12 (ee10). */
class JettyLoginLimiterTest extends LoginLimiterScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
