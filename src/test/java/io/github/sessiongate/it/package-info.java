/**
 * Real-container tests: the same scenarios on embedded Jetty 12 and Tomcat 11, the filter
 * configured by real {@code web.xml} files under {@code src/test/webapps}, driven over HTTP.
 * {@link io.github.sessiongate.it.GateScenarios} covers the path rules, cookies, answers and
 * firewall; {@link io.github.sessiongate.it.RotationScenarios} covers token rotation in place,
 * single flight, the grace window and backend failures; {@link io.github.sessiongate.it.EndpointScenarios}
 * covers the filter's own endpoints (login, logout, session, refresh, client token), the CSRF defence,
 * open redirects through {@code from}, guests, server-enforced lifetimes, sealed cookies, bearer
 * headers and refresh-ahead. No mocks: every backend (the custom
 * validator's, {@code FakeAuthBackend}, mock-oauth2-server) is a real HTTP server in the test JVM.
 */
package io.github.sessiongate.it;
