package io.github.sessiongate.it;

/** {@link ResponseBudgetScenarios} on embedded Tomcat 11. */
class TomcatResponseBudgetTest extends ResponseBudgetScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
