package io.github.sessiongate.it;

/** {@link OidcProviderAnswersScenarios} on embedded Tomcat 11. */
class TomcatOidcProviderAnswersTest extends OidcProviderAnswersScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
