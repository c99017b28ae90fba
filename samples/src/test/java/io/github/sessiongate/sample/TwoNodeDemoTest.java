package io.github.sessiongate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * The two-node demo ({@code SAMPLE_NODES=2 samples/run}) in this JVM: two instances of the sample
 * webapp, each with its own container and filter, on two ports, configured from the same
 * variables the script hands its two JVMs (node 1 runs the demo identity provider, node 2 uses
 * it; the shared keys; a real {@code redis-server}). A browser sends the same cookies to both
 * ports of 127.0.0.1, so the test does too: signed in on node 1, the user keeps working on node 2;
 * signed out on node 2, the old cookies are refused on node 1.
 *
 * <p>The control ({@link #withoutRedisTheNodesShareNothingButTheKeys}) runs the same two nodes
 * without Redis: node 1 then still takes the signed-out access token, so what ends the session
 * everywhere is the shared store, not something the two filters share inside this JVM.
 */
class TwoNodeDemoTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat"})
    @Timeout(180)
    void signedInOnOneNodeTheUserWorksOnTheOtherAndASignOutOnEitherEndsItOnBoth(String container) throws Exception {
        try (RedisServer redis = RedisServer.startOrSkip()) {
            Map<String, String> env = sharedEnvironment(redis.url());
            try (SampleMain.Demo node1 = SampleMain.start(0, 0, container, 300, with(env, "SAMPLE_NODE", "1"));
                    SampleMain.Demo node2 = SampleMain.start(0, idpPort(node1), container, 300,
                            with(env, "SAMPLE_NODE", "2"))) {
                assertEquals(node1.idpUrl(), node2.idpUrl(), "node 2 uses node 1's identity provider");

                Map<String, String> jar = signIn(node1, "alice", "alice-password");
                String me = send(node2, "GET", "/api/me", jar, null).body();
                assertEquals("{\"sub\":\"alice\",\"roles\":[\"user\"]}", me, "node 2 takes node 1's cookies");
                HttpResponse<String> note = send(node2, "POST", "/api/notes", jar, "from node 2");
                assertEquals(201, note.statusCode(), "a cookie-authenticated write on node 2 (CSRF checked there)");
                assertEquals(200, send(node1, "GET", "/api/me", jar, null).statusCode());
                try (Jedis j = redis.client()) {
                    assertTrue(j.keys(SharedStateParams.KEY_PREFIX + "*").size() > 0,
                            "the nodes keep their state in Redis under the demo's prefix");
                }

                Map<String, String> old = new HashMap<>(jar);
                HttpResponse<String> out = send(node2, "POST", "/auth/logout", jar, "");
                assertTrue(out.statusCode() == 303 || out.statusCode() == 204, "logout on node 2: " + out.statusCode());
                assertTrue(cleared(out).containsAll(old.keySet()), "logout clears every session cookie: " + out.headers().map());

                HttpResponse<String> api = send(node1, "GET", "/api/me", copy(old), null);
                assertEquals(401, api.statusCode(), "node 1 refuses the cookies signed out on node 2: " + api.body());
                HttpResponse<String> page = send(node1, "GET", "/dashboard", copy(old), null, "Accept", "text/html");
                assertEquals(302, page.statusCode());
                assertTrue(page.headers().firstValue("Location").orElse("").contains("/login?from=%2Fdashboard"),
                        page.headers().toString());
                assertEquals(401, send(node2, "GET", "/api/me", copy(old), null).statusCode());

                // And the other way round: in on node 2, out on node 1.
                Map<String, String> again = signIn(node2, "admin", "admin-password");
                assertEquals(200, send(node1, "GET", "/admin", again, null).statusCode(), "the admin role on node 1");
                Map<String, String> before = new HashMap<>(again);
                send(node1, "POST", "/auth/logout", again, "");
                assertEquals(401, send(node2, "GET", "/api/me", before, null).statusCode());
            }
        }
    }

    @Test
    @Timeout(120)
    void withoutRedisTheNodesShareNothingButTheKeys() throws Exception {
        Map<String, String> env = sharedEnvironment(null);
        try (SampleMain.Demo node1 = SampleMain.start(0, 0, "jetty", 300, with(env, "SAMPLE_NODE", "1"));
                SampleMain.Demo node2 = SampleMain.start(0, idpPort(node1), "jetty", 300, with(env, "SAMPLE_NODE", "2"))) {
            Map<String, String> jar = signIn(node1, "alice", "alice-password");
            Map<String, String> old = new HashMap<>(jar);
            assertEquals(200, send(node2, "GET", "/api/me", jar, null).statusCode(), "a JWT validates anywhere");
            send(node2, "POST", "/auth/logout", jar, "");
            assertEquals(401, send(node2, "GET", "/api/me", copy(old), null).statusCode(), "refused where it was signed out");
            assertEquals(200, send(node1, "GET", "/api/me", copy(old), null).statusCode(),
                    "per-node state: node 1 never heard of the logout, until the access token expires");
        }
    }

    @Test
    void theNodeVariablesAreCheckedAndNode2NeedsNodeOnesPort() {
        IllegalArgumentException badNode = assertThrows(IllegalArgumentException.class,
                () -> NodeSetup.from(Map.of("SAMPLE_NODE", "3")));
        assertTrue(badNode.getMessage().startsWith("SAMPLE_NODE must be 1"), badNode.getMessage());
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
                () -> NodeSetup.from(Map.of("SAMPLE_REDIS_URL", "redis://127.0.0.1:6379")));
        assertTrue(noKey.getMessage().contains("SAMPLE_STATE_STORE_KEY"), noKey.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NodeSetup.from(Map.of("SAMPLE_REDIS_URL", "http://x:1",
                "SAMPLE_STATE_STORE_KEY", "k")));
        NodeSetup node = NodeSetup.from(Map.of("SAMPLE_NODE", "2", "SAMPLE_REDIS_URL", "redis://:pw-s3cret@127.0.0.1:7000",
                "SAMPLE_STATE_STORE_KEY", "key-s3cret", "SAMPLE_CLIENT_TOKEN_SECRET", "base64:tok-s3cret"));
        assertFalse(node.runsIdentityProvider());
        assertFalse(node.toString().contains("s3cret"), node.toString());
        assertTrue(node.toString().contains("127.0.0.1:7000"), node.toString());
        IllegalArgumentException noIdp = assertThrows(IllegalArgumentException.class,
                () -> SampleMain.start(0, 0, "jetty", 300, Map.of("SAMPLE_NODE", "2")));
        assertTrue(noIdp.getMessage().contains("node 1's identity provider"), noIdp.getMessage());
    }

    /** What samples/run exports to both nodes: the Redis, and keys generated once. */
    private static Map<String, String> sharedEnvironment(String redisUrl) {
        Map<String, String> env = new HashMap<>();
        if (redisUrl != null) {
            env.put("SAMPLE_REDIS_URL", redisUrl);
            env.put("SAMPLE_STATE_STORE_KEY", Base64.getUrlEncoder().withoutPadding().encodeToString(random()));
        }
        env.put("SAMPLE_CLIENT_TOKEN_SECRET", "base64:" + Base64.getEncoder().encodeToString(random()));
        return env;
    }

    private static byte[] random() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** A copy of a jar: {@link #send} updates the jar it is given, as a browser would. */
    private static Map<String, String> copy(Map<String, String> jar) {
        return new LinkedHashMap<>(jar);
    }

    private static Map<String, String> with(Map<String, String> env, String name, String value) {
        Map<String, String> m = new HashMap<>(env);
        m.put(name, value);
        return m;
    }

    private static int idpPort(SampleMain.Demo node) {
        return URI.create(node.idpUrl()).getPort();
    }

    /** Signs in with the form, as the login page does; the session cookies it set. */
    private static Map<String, String> signIn(SampleMain.Demo node, String user, String password) throws Exception {
        Map<String, String> jar = new LinkedHashMap<>();
        HttpResponse<String> r = send(node, "POST", "/auth/login", jar, "username=" + user + "&password=" + password);
        assertEquals(303, r.statusCode(), "sign-in: " + r.body());
        assertFalse(jar.isEmpty(), "sign-in set cookies");
        // Plain HTTP on 127.0.0.1 with cookie-secure=auto: no Secure, no __Host- prefix, so a
        // browser keeps and sends them on http://127.0.0.1 (both ports).
        for (String header : r.headers().allValues("Set-Cookie")) {
            assertFalse(header.toLowerCase(java.util.Locale.ROOT).contains("; secure"), header.split("=", 2)[0]);
            assertFalse(header.startsWith("__Host-"), header.split("=", 2)[0]);
        }
        return jar;
    }

    /**
     * One request with the jar's cookies (the same jar for both ports, as a browser keeps them per
     * host), same-origin {@code Origin} on writes; the answer's cookies go back into the jar.
     */
    private static HttpResponse<String> send(SampleMain.Demo node, String method, String path, Map<String, String> jar,
            String form, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(20));
        if (!jar.isEmpty()) {
            b.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        if (form != null) {
            b.header("Origin", node.baseUrl()).header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString(form));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() < 500, path + " on " + node.baseUrl() + ": " + r.statusCode() + " " + r.body());
        for (String header : r.headers().allValues("Set-Cookie")) {
            String[] nameValue = header.split(";", 2)[0].split("=", 2);
            if (nameValue[1].isEmpty() || header.contains("Max-Age=0")) {
                jar.remove(nameValue[0].strip());
            } else {
                jar.put(nameValue[0].strip(), nameValue[1]);
            }
        }
        return r;
    }

    /**
     * Names of the cookies the answer clears: an empty value, expired (Jetty adds
     * {@code Max-Age=0}, Tomcat only an {@code Expires} in 1970).
     */
    private static List<String> cleared(HttpResponse<String> r) {
        return r.headers().allValues("Set-Cookie").stream().filter(h -> h.split(";", 2)[0].endsWith("="))
                .filter(h -> h.contains("Max-Age=0") || h.contains("1970"))
                .map(h -> h.split("=", 2)[0].strip()).toList();
    }
}
