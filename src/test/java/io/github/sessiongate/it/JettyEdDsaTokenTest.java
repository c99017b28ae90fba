package io.github.sessiongate.it;

/** {@link EdDsaTokenScenarios} on embedded Jetty 12 (ee10). */
class JettyEdDsaTokenTest extends EdDsaTokenScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
