package io.github.sessiongate.it;

/** {@link WarmCookieAttackScenarios} on embedded Tomcat. */
class TomcatWarmCookieAttackTest extends WarmCookieAttackScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
