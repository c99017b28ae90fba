package io.github.sessiongate.it;

/** {@link LoneCookieJunkScenarios} on embedded Jetty 12 (ee10). */
class JettyLoneCookieJunkTest extends LoneCookieJunkScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
