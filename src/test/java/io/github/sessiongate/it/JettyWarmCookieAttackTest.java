package io.github.sessiongate.it;

/** {@link WarmCookieAttackScenarios} on embedded Jetty. */
class JettyWarmCookieAttackTest extends WarmCookieAttackScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
