package io.github.sessiongate.it;

/** {@link LoneCookieJunkScenarios} on embedded Tomcat 11. */
class TomcatLoneCookieJunkTest extends LoneCookieJunkScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
