package io.github.sessiongate.it;

/** {@link EdDsaTokenScenarios} on embedded Tomcat 11. */
class TomcatEdDsaTokenTest extends EdDsaTokenScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
