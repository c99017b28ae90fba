package io.github.sessiongate.it;

/** {@link OidcProviderAnswersScenarios} on embedded Jetty 12 (ee10). */
class JettyOidcProviderAnswersTest extends OidcProviderAnswersScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
