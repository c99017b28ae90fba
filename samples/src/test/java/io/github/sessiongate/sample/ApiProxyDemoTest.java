package io.github.sessiongate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo's API proxy over HTTP, as the dashboard's script uses it: {@code /api/backend/*} of the
 * webapp forwarded by the filter to the demo's backend API ({@link DemoApi}) with the session's
 * access token. The backend's {@code echo} tells what arrived: a valid bearer token (checked by the
 * backend against the identity side's keys) and neither the browser's cookies nor its own
 * {@code Authorization}; its {@code Set-Cookie: backend=1} never comes back. Without a session the
 * proxy answers 401, a navigation too. On Jetty and Tomcat with the password sign-in, with the
 * OpenID Connect sign-in at the in-process mock-oauth2-server, and on two nodes (node 2 reaching
 * node 1's backend).
 */
class ApiProxyDemoTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String ECHO = "/api/backend/echo/a%20b?x=1&y=%2F";
    private static final String NOTES = "/api/backend/notes";

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat"})
    @Timeout(120)
    void echoAndNotesGoThroughTheProxyWithTheUsersTokenOnly(String container) throws Exception {
        try (SampleMain.Demo demo = SampleMain.start(0, 0, container, 300)) {
            Jar none = new Jar(demo.baseUrl());
            assertRefusedWithoutSession(none);

            Jar alice = new Jar(demo.baseUrl());
            alice.signIn("alice", "alice-password");
            for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
                assertEchoSeesOnlyTheProxysToken(alice, method, "alice");
            }
            HttpResponse<String> head = alice.send("HEAD", ECHO, null, null);
            assertEquals(200, head.statusCode(), "HEAD through the proxy");
            assertNoBackendCookie(head);

            HttpResponse<String> added = alice.send("POST", NOTES, "application/json", "{\"text\":\"via the proxy\"}");
            assertEquals(201, added.statusCode(), added.body());
            assertEquals("alice", json(added).get("owner"));
            HttpResponse<String> listed = alice.send("GET", NOTES, null, null, "Accept", "application/json");
            assertEquals(200, listed.statusCode(), listed.body());
            assertTrue(listed.body().contains("\"text\":\"via the proxy\""), listed.body());
            assertNoBackendCookie(listed);

            HttpResponse<String> crossSite = alice.send("POST", NOTES, "application/json", "{\"text\":\"x\"}",
                    "Origin", "https://evil.example");
            assertEquals(403, crossSite.statusCode(), "a cross-site write through the proxy: " + crossSite.body());

            // The backend on its own: the cookie the proxy strips, and no token without the proxy.
            HttpResponse<String> direct = HTTP.send(HttpRequest.newBuilder(URI.create(demo.apiUrl() + "echo"))
                    .header("Authorization", "Bearer not.a.token").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("invalid", json(direct).get("bearer"));
            assertTrue(direct.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith(DemoApi.ECHO_COOKIE)),
                    "the backend itself sets " + DemoApi.ECHO_COOKIE + ": " + direct.headers().map());
            HttpResponse<String> noToken = HTTP.send(HttpRequest.newBuilder(URI.create(demo.apiUrl() + "notes")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, noToken.statusCode(), "the backend's notes need a bearer token: " + noToken.body());
        }
    }

    @Test
    @Timeout(120)
    void withTheOpenIdSignInTheBackendTrustsTheProvidersKeys() throws Exception {
        try (SampleMain.Demo demo = SampleMain.start(0, 0, "jetty", 300, Map.of("SAMPLE_LOGIN", "oidc"))) {
            assertRefusedWithoutSession(new Jar(demo.baseUrl()));
            Jar alice = new Jar(demo.baseUrl());
            alice.signInAtTheMock("alice");
            for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
                assertEchoSeesOnlyTheProxysToken(alice, method, "alice");
            }
            HttpResponse<String> added = alice.send("POST", NOTES, "application/json", "{\"text\":\"oidc\"}");
            assertEquals(201, added.statusCode(), added.body());
        }
    }

    @Test
    @Timeout(120)
    void onTwoNodesBothReachNodeOnesBackend() throws Exception {
        try (SampleMain.Demo node1 = SampleMain.start(0, 0, "tomcat", 300, Map.of("SAMPLE_NODE", "1"));
                SampleMain.Demo node2 = SampleMain.start(0, URI.create(node1.idpUrl()).getPort(), "tomcat", 300,
                        Map.of("SAMPLE_NODE", "2"))) {
            assertEquals(node1.apiUrl(), node2.apiUrl(), "node 2 uses node 1's backend");
            Jar atNode1 = new Jar(node1.baseUrl());
            atNode1.signIn("alice", "alice-password");
            assertEquals(201, atNode1.send("POST", NOTES, "application/json", "{\"text\":\"from node 1\"}").statusCode());

            Jar atNode2 = new Jar(node2.baseUrl()); // a browser sends the same cookies to every port of the host
            atNode2.cookies.putAll(atNode1.cookies);
            assertEchoSeesOnlyTheProxysToken(atNode2, "GET", "alice");
            HttpResponse<String> listed = atNode2.send("GET", NOTES, null, null);
            assertTrue(listed.body().contains("from node 1"), "one backend behind both nodes: " + listed.body());
            assertRefusedWithoutSession(new Jar(node2.baseUrl()));
        }
    }

    /** 401 from the proxy without a session: an API call, a write and a navigation alike. */
    private static void assertRefusedWithoutSession(Jar jar) throws Exception {
        HttpResponse<String> api = jar.send("GET", ECHO, null, null);
        assertEquals(401, api.statusCode(), "echo without a session: " + api.body());
        HttpResponse<String> page = jar.send("GET", ECHO, null, null, "Accept", "text/html");
        assertEquals(401, page.statusCode(), "a navigation to the proxy without a session is not sent to the login page");
        assertTrue(page.headers().firstValue("Location").isEmpty(), page.headers().toString());
        assertEquals(401, jar.send("POST", NOTES, "application/json", "{\"text\":\"x\"}").statusCode());
        assertNoBackendCookie(api);
    }

    /**
     * {@code echo} through the proxy, sent with the browser's own {@code Authorization} and the
     * session cookies: the backend got one valid bearer token for {@code user}, no cookie, the path
     * below its base path and the raw query; its cookie did not come back.
     */
    private static void assertEchoSeesOnlyTheProxysToken(Jar jar, String method, String user) throws Exception {
        boolean body = !method.equals("GET") && !method.equals("DELETE");
        HttpResponse<String> r = jar.send(method, ECHO, body ? "application/json" : null, body ? "{\"n\":1}" : null,
                "Authorization", "Bearer forged-by-the-browser", "Accept", "application/json");
        assertEquals(200, r.statusCode(), method + " echo: " + r.body());
        Map<String, Object> echo = json(r);
        assertEquals(method, echo.get("method"));
        assertEquals("/api/echo/a%20b", echo.get("path"), "the backend's base path, then the path below the prefix");
        assertEquals("x=1&y=%2F", echo.get("query"));
        assertEquals("valid", echo.get("bearer"), "the proxy's token, the browser's replaced: " + r.body());
        assertEquals(user, echo.get("sub"));
        @SuppressWarnings("unchecked")
        List<String> headers = (List<String>) echo.get("headers");
        assertTrue(headers.contains("authorization"), r.body());
        assertFalse(headers.contains("cookie"), "the browser's cookies never reach the backend: " + r.body());
        assertNoBackendCookie(r);
    }

    private static void assertNoBackendCookie(HttpResponse<String> r) {
        assertTrue(r.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("backend=")),
                "the backend's Set-Cookie never reaches the browser: " + r.headers().map());
    }

    private static Map<String, Object> json(HttpResponse<String> r) throws Exception {
        return JsonUtil.parseJson(r.body());
    }

    /** A browser's cookies for the demo's host, and requests sent with them (same-origin writes). */
    private static final class Jar {
        private final String base;
        final Map<String, String> cookies = new LinkedHashMap<>();

        Jar(String base) {
            this.base = base;
        }

        /** The password form, posted to the filter's {@code /auth/login}. */
        void signIn(String user, String password) throws Exception {
            HttpResponse<String> r = send("POST", "/auth/login", "application/x-www-form-urlencoded",
                    "username=" + user + "&password=" + password);
            assertEquals(303, r.statusCode(), "sign-in: " + r.body());
        }

        /** The code flow at the mock-oauth2-server: its login page posted with only a name. */
        void signInAtTheMock(String user) throws Exception {
            HttpResponse<String> start = send("GET", "/auth/login?from=%2Fdashboard", null, null);
            String authorize = start.headers().firstValue("Location").orElseThrow();
            HttpResponse<String> login = send("POST", authorize, "application/x-www-form-urlencoded",
                    "username=" + user + "&claims=");
            String callback = login.headers().firstValue("Location")
                    .orElseThrow(() -> new AssertionError("the mock's login answered " + login.statusCode()));
            HttpResponse<String> back = send("GET", callback, null, null);
            assertTrue(back.statusCode() == 302 || back.statusCode() == 303, "the callback: " + back.statusCode());
            assertFalse(cookies.isEmpty());
        }

        /**
         * One request to {@code pathOrUrl} (a path of the webapp, or an absolute URL) with the
         * cookies and, on a write, this origin's {@code Origin} unless {@code headers} name one.
         */
        HttpResponse<String> send(String method, String pathOrUrl, String contentType, String body, String... headers)
                throws Exception {
            String url = pathOrUrl.startsWith("/") ? base + pathOrUrl : pathOrUrl;
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
            if (!cookies.isEmpty()) {
                b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
            boolean origin = false;
            for (int i = 0; i < headers.length; i += 2) {
                origin |= headers[i].equalsIgnoreCase("Origin");
            }
            if (!method.equals("GET") && !method.equals("HEAD") && !origin) {
                b.header("Origin", base);
            }
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (headers.length > 0) {
                b.headers(headers);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : r.headers().allValues("Set-Cookie")) {
                String[] nameValue = header.split(";", 2)[0].split("=", 2);
                if (nameValue.length < 2 || nameValue[1].isEmpty() || header.contains("Max-Age=0")) {
                    cookies.remove(nameValue[0].strip());
                } else {
                    cookies.put(nameValue[0].strip(), nameValue[1]);
                }
            }
            return r;
        }
    }
}
