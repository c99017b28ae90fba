/**
 * Real-container tests: the same scenarios ({@link io.github.sessiongate.it.GateScenarios}) on
 * embedded Jetty 12 and Tomcat 11, the filter configured by real {@code web.xml} files under
 * {@code src/test/webapps}, driven over HTTP. No mocks: the custom validator's backend is a real
 * HTTP server in the test JVM.
 */
package io.github.sessiongate.it;
