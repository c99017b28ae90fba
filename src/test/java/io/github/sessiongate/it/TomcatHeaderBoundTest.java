package io.github.sessiongate.it;

/** {@link HeaderBoundScenarios} on embedded Tomcat 11. */
class TomcatHeaderBoundTest extends HeaderBoundScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
