package io.github.sessiongate.it;

/** {@link ResponseBudgetScenarios} on embedded Jetty 12 (ee10). */
class JettyResponseBudgetTest extends ResponseBudgetScenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
