package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.internal.HttpTransport;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.LogCapture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.Test;

/**
 * Deploys a webapp whose filter uses every outbound client (remote validation, refresh, login,
 * revoke, guests from a backend, the application's {@code BackendClient}) on embedded Tomcat 11,
 * makes requests that use each of them, stops the context, and checks that no thread the filter
 * started outlives the undeploy and that Tomcat's leak detector found nothing to warn about.
 *
 * <p>No sleeping: each thread is joined with a bounded timeout. On Java 17 the JDK's
 * {@code HttpClient-N-SelectorManager} thread has no stop method and ends a few seconds after its
 * client becomes unreachable, so the join asks for a garbage collection between bounded waits; on
 * Java 21 and later {@code HttpClient.shutdownNow()} stops it during {@code destroy()}.
 */
class TomcatUndeployTest {
    private static final String PREFIX = "sessiongate.it.undeploy.";
    private static final Pattern SELECTOR = Pattern.compile("HttpClient-\\d+-SelectorManager");
    private static final long JOIN_DEADLINE_MILLIS = 20_000;

    @Test
    void undeployLeavesNoThreadOfTheFilterAndTomcatReportsNoLeak() throws Exception {
        List<String> properties = new ArrayList<>();
        Path baseDir = Files.createTempDirectory("sessiongate-it-undeploy");
        Tomcat tomcat = new Tomcat();
        try (FakeAuthBackend backend = FakeAuthBackend.started()) {
            // The guest endpoint: a canned answer; the filter only needs a token-shaped access_token.
            backend.override("/guest", 200, "{\"access_token\":\"guest-token-from-the-backend\",\"expires_in\":60}");
            set(properties, PREFIX + "validate-url", backend.url(FakeAuthBackend.ME));
            set(properties, PREFIX + "refresh-url", backend.url(FakeAuthBackend.REFRESH));
            set(properties, PREFIX + "login-url", backend.url(FakeAuthBackend.LOGIN));
            set(properties, PREFIX + "revoke-url", backend.url(FakeAuthBackend.REVOKE));
            set(properties, PREFIX + "guest-url", backend.url("/guest"));
            set(properties, PREFIX + "backend-origin", backend.baseUrl());
            set(properties, BackendCallServlet.TARGET_PROPERTY, backend.url(FakeAuthBackend.ME));

            Set<Thread> before = Thread.getAllStackTraces().keySet();
            tomcat.setBaseDir(baseDir.toString());
            tomcat.setPort(0);
            tomcat.setAddDefaultWebXmlToWebapp(false);
            Connector connector = tomcat.getConnector();
            connector.setProperty("address", "127.0.0.1");
            tomcat.getHost().setAutoDeploy(false);
            Path webapp = Path.of(System.getProperty("basedir", "."), "src", "test", "webapps", "undeploy");
            Context context = tomcat.addWebapp("/app", webapp.toAbsolutePath().toString());
            context.setParentClassLoader(TomcatUndeployTest.class.getClassLoader());
            if (context.getJarScanner() instanceof StandardJarScanner scanner) {
                scanner.setScanClassPath(false);
                scanner.setScanManifest(false);
            }
            tomcat.start();
            assertTrue(context.getState().isAvailable(), "the webapp did not start");
            URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());

            useEveryOutboundClient(base, backend);

            List<Thread> ours = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive() && isFilterThread(t.getName())).toList();
            assertTrue(ours.stream().anyMatch(t -> t.getName().startsWith(HttpTransport.THREAD_PREFIX)),
                    () -> "the backend calls ran on no thread of the filter's, so this test proves nothing: " + names(ours));
            assertEquals(1, ours.stream().filter(t -> SELECTOR.matcher(t.getName()).matches()).count(),
                    () -> "one HttpClient per filter, so one selector thread: " + names(ours));

            String log = LogCapture.during(context::stop);

            List<Thread> survivors = joinAll(ours);
            assertEquals(List.of(), names(survivors), "threads of the filter alive after the undeploy");
            assertFalse(log.contains("failed to stop it"), () -> "Tomcat reported a leaked thread:\n" + log);
            assertFalse(log.contains("started a thread"), () -> "Tomcat reported a leaked thread:\n" + log);
        } finally {
            tomcat.stop();
            tomcat.destroy();
            properties.forEach(System::clearProperty);
            try (Stream<Path> files = Files.walk(baseDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Login, validation, the application's backend call, refresh, logout with revoke, and a guest. */
    private static void useEveryOutboundClient(URI base, FakeAuthBackend backend) throws Exception {
        String origin = "Origin: " + base;
        byte[] login = "{\"username\":\"alice\",\"password\":\"alice-password\"}".getBytes(StandardCharsets.UTF_8);
        Response loggedIn = RawHttp.send(base, "POST", "/app/auth/login", login, "Content-Type: application/json", origin);
        assertEquals(200, loggedIn.status(), loggedIn::toString);

        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        String both = "Cookie: sg_access=" + tokens.accessToken() + "; sg_refresh=" + tokens.refreshToken();
        Response called = RawHttp.send(base, "GET", "/app/api/backend", both);
        assertEquals(200, called.status(), called::toString);
        assertTrue(called.body().contains("\"backendStatus\":200"), called::toString);

        FakeAuthBackend.Tokens second = backend.issue("alice");
        Response refreshed = RawHttp.send(base, "GET", "/app/api/x", "Cookie: sg_refresh=" + second.refreshToken());
        assertEquals(200, refreshed.status(), refreshed::toString);

        FakeAuthBackend.Tokens third = backend.issue("alice");
        Response loggedOut = RawHttp.send(base, "POST", "/app/auth/logout", new byte[0], origin,
                "Cookie: sg_access=" + third.accessToken() + "; sg_refresh=" + third.refreshToken());
        assertTrue(loggedOut.status() < 400, loggedOut::toString);

        Response guest = RawHttp.send(base, "GET", "/app/", "Accept: text/html", "Sec-Fetch-Mode: navigate",
                "Sec-Fetch-Site: none");
        assertEquals(200, guest.status(), guest::toString);

        for (String path : List.of(FakeAuthBackend.LOGIN, FakeAuthBackend.ME, FakeAuthBackend.REFRESH,
                FakeAuthBackend.REVOKE, "/guest")) {
            assertTrue(backend.calls(path) > 0, () -> "nothing reached " + path + ", so this test proves less than it says");
        }
    }

    private static boolean isFilterThread(String name) {
        return name.startsWith("sessiongate-") || SELECTOR.matcher(name).matches();
    }

    /**
     * Joins each thread within one overall deadline; the survivors. Between bounded joins it asks
     * for a garbage collection: on Java 17 an HttpClient's selector thread ends only once the
     * client is unreachable.
     */
    private static List<Thread> joinAll(List<Thread> threads) throws InterruptedException {
        long deadline = System.currentTimeMillis() + JOIN_DEADLINE_MILLIS;
        for (Thread t : threads) {
            while (t.isAlive() && System.currentTimeMillis() < deadline) {
                System.gc();
                t.join(250);
            }
        }
        return threads.stream().filter(Thread::isAlive).toList();
    }

    private static List<String> names(List<Thread> threads) {
        return threads.stream().map(Thread::getName).sorted().collect(Collectors.toList());
    }

    private static void set(List<String> properties, String name, String value) {
        System.setProperty(name, value);
        properties.add(name);
    }
}
