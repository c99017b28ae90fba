package io.github.sessiongate.it;

/** {@link CookieTossingScenarios} on embedded Tomcat 11. */
class TomcatCookieTossingTest extends CookieTossingScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
