package io.github.sessiongate.it;

/** {@link ApiOnlyScenarios} on embedded Tomcat 11. */
class TomcatApiOnlyTest extends ApiOnlyScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
