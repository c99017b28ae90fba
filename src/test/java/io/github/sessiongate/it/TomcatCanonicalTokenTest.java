package io.github.sessiongate.it;

/** {@link CanonicalTokenScenarios} on embedded Tomcat 11. */
class TomcatCanonicalTokenTest extends CanonicalTokenScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
