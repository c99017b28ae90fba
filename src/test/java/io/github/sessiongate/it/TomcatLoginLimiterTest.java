package io.github.sessiongate.it;

/** {@link LoginLimiterScenarios} on embedded Tomcat. */
class TomcatLoginLimiterTest extends LoginLimiterScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
