package io.github.sessiongate.it;

/** {@link CookieTossingScenarios} on embedded Jetty 12 (ee10). */
class JettyCookieTossingTest extends CookieTossingScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
