package io.github.sessiongate.it;

import static io.github.sessiongate.it.JavaHttp.toResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.it.RotationScenarios.Pair;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Two nodes of one application behind an imaginary load balancer, for the multi-node tests
 * ({@link JettyTomcatClusterTest}, and any later one such as a back-channel logout test): node
 * {@linkplain #a() A} on embedded Jetty 12, node {@linkplain #b() B} on embedded Tomcat 11, each
 * serving the webapp {@code src/test/webapps/cluster} at {@value #CONTEXT} with a filter of its own.
 * They share nothing but what a real deployment shares: one real {@code redis-server}
 * ({@link RedisServer}, through {@code RedisStateStore} with the same {@code state-store-key} and
 * key prefix), the cookie keys ({@code cookie-encryption-keys}), and one {@link FakeAuthBackend}
 * with reuse detection (a used refresh token presented again revokes its family).
 *
 * <p>One {@link MutableClock} ({@link ClockedSessionFilter#clock} of {@value #CONTEXT}) drives both
 * filters and the backend: a test expires an access token by {@linkplain #expireAccessTokens()
 * moving it}, never by sleeping. Redis keeps real time for its TTLs, which is why the clock only
 * moves forward, between requests, by less than any TTL the tests rely on.
 *
 * <p>Requests go out through {@code java.net.http} with no cookie jar: every request carries
 * exactly the cookies the test gives it. Cookie values are sealed (JWE); {@link #open} reads the
 * token in one, as both nodes do.
 */
final class TwoNodeCluster implements AutoCloseable {
    static final String CONTEXT = "/cluster";
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;
    static final String PROPS = "sessiongate.it.cluster.";
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** One node: its name for messages and its base URI, {@code http://127.0.0.1:port}. */
    record Node(String name, URI base) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final Teardown teardown = new Teardown();
    private final MutableClock clock = ClockedSessionFilter.clock(CONTEXT);
    private final HttpClient http = JavaHttp.newClient();
    private RedisServer redis;
    private FakeAuthBackend backend;
    private CookieSeal seal;
    private Node a;
    private Node b;

    private TwoNodeCluster() {
    }

    /**
     * Starts Redis, the backend and both nodes (skipped, or failed under {@code CI=true}, without
     * {@code redis-server}); close it in {@code @AfterAll}.
     */
    static TwoNodeCluster start() throws Exception {
        TwoNodeCluster cluster = new TwoNodeCluster();
        try {
            cluster.startAll();
        } catch (Exception | Error e) {
            try {
                cluster.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return cluster;
    }

    private void startAll() throws Exception {
        clock.followSystemTime();
        teardown.add(clock::followSystemTime); // the clock is the JVM's: leave it as found
        redis = teardown.add(RedisServer.startOrSkip());
        backend = teardown.add(FakeAuthBackend.builder().clock(clock).build().start());
        String cookieKeys = "node-key-1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
        seal = CookieSeal.create(CookieSeal.settingsFrom(InitParams.resolve(Map.of("cookie-encryption-keys", cookieKeys))),
                List.of()).orElseThrow();
        teardown.add(new ScenarioProperties(PROPS)).backend(backend)
                .prefixed("redis-url", redis.url())
                .prefixed("state-store-key", Base64.getUrlEncoder().withoutPadding().encodeToString(random(32)))
                .prefixed("cookie-keys", cookieKeys);
        a = new Node("node A (jetty)", teardown.add(new JettyContainer()).startServing(List.of(Container.Webapp.of(CONTEXT, "cluster"))));
        b = new Node("node B (tomcat)", teardown.add(new TomcatContainer()).startServing(List.of(Container.Webapp.of(CONTEXT, "cluster"))));
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    Node a() {
        return a;
    }

    Node b() {
        return b;
    }

    RedisServer redis() {
        return redis;
    }

    FakeAuthBackend backend() {
        return backend;
    }

    /** The one clock of both filters and the backend. */
    MutableClock clock() {
        return clock;
    }

    HttpClient http() {
        return http;
    }

    /** Calls the backend has seen on its refresh endpoint so far. */
    int refreshCalls() {
        return backend.calls(FakeAuthBackend.REFRESH);
    }

    /**
     * Moves the shared clock past the access tokens' lifetime and the validator's clock skew: every
     * access token issued so far is expired on both nodes and at the backend; refresh tokens live on.
     */
    void expireAccessTokens() {
        clock.advance(backend.accessTtl().plus(Duration.ofMinutes(1)));
    }

    /** The token in a sealed cookie value, as either node reads it. */
    String open(String sealed) {
        return seal.open(sealed).orElseThrow(() -> new AssertionError("a cookie value that does not open"));
    }

    // ---------------------------------------------------------------- requests

    /** Signs {@code user} in at {@code node}'s login endpoint (JSON); returns the sealed cookies it set. */
    Pair login(Node node, String user) throws IOException, InterruptedException {
        HttpRequest request = JavaHttp.request(node.base(), CONTEXT + "/auth/login", TIMEOUT,
                        "Content-Type: application/json", "Origin: " + node.base(), "Accept: application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + user + "-password\"}"))
                .build();
        Response response = send(request);
        assertEquals(200, response.status(), () -> "login at " + node + ": " + ResponseText.describe(response));
        return new Pair(SetCookies.value(response, ACCESS).orElseThrow(), SetCookies.value(response, REFRESH).orElseThrow());
    }

    /** GET {@code CONTEXT + target} at {@code node} with the header lines. */
    Response get(Node node, String target, String... headers) throws IOException, InterruptedException {
        return send(getRequest(node, target, headers));
    }

    /** The request {@link #get} sends. */
    HttpRequest getRequest(Node node, String target, String... headers) {
        return JavaHttp.request(node.base(), CONTEXT + target, TIMEOUT, headers).GET().build();
    }

    /** POST {@code /auth/logout} at {@code node} as a JSON client of its own origin, with the cookie header line. */
    Response logout(Node node, String cookieHeader) throws IOException, InterruptedException {
        return post(node, "/auth/logout", cookieHeader);
    }

    /** POST {@code /auth/refresh} at {@code node} (explicit refresh), with the cookie header line. */
    Response refresh(Node node, String cookieHeader) throws IOException, InterruptedException {
        return post(node, "/auth/refresh", cookieHeader);
    }

    private Response post(Node node, String target, String cookieHeader) throws IOException, InterruptedException {
        return send(postRequest(node, target, cookieHeader));
    }

    /** An empty POST to {@code CONTEXT + target} at {@code node} as a JSON client of its own origin, with the cookie header line. */
    HttpRequest postRequest(Node node, String target, String cookieHeader) {
        return JavaHttp.request(node.base(), CONTEXT + target, TIMEOUT, cookieHeader, "Origin: " + node.base(),
                "Accept: application/json").POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    Response send(HttpRequest request) throws IOException, InterruptedException {
        return toResponse(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** {@code Cookie:} line with both cookies of the pair. */
    static String cookies(Pair pair) {
        return "Cookie: " + ACCESS + "=" + pair.access() + "; " + REFRESH + "=" + pair.refresh();
    }

    /** {@code Cookie:} line with the access cookie alone. */
    static String accessOnly(Pair pair) {
        return "Cookie: " + ACCESS + "=" + pair.access();
    }

    /** {@code Cookie:} line with the refresh cookie alone. */
    static String refreshOnly(Pair pair) {
        return "Cookie: " + REFRESH + "=" + pair.refresh();
    }

    /** Stops both nodes, the backend and Redis, and clears the properties, in reverse order. */
    @Override
    public void close() throws Exception {
        teardown.close();
    }
}
