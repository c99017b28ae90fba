package io.github.sessiongate.it;

/** {@link OidcLoginScenarios} on embedded Tomcat 11. */
class TomcatOidcLoginTest extends OidcLoginScenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
