package io.github.sessiongate.it;

/** {@link LoginConcurrencyScenarios} on embedded Tomcat. */
class TomcatLoginConcurrencyTest extends LoginConcurrencyScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
