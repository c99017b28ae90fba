package io.github.sessiongate.it;

import static io.github.sessiongate.it.TwoNodeCluster.ACCESS;
import static io.github.sessiongate.it.TwoNodeCluster.REFRESH;
import static io.github.sessiongate.it.TwoNodeCluster.accessOnly;
import static io.github.sessiongate.it.TwoNodeCluster.cookies;
import static io.github.sessiongate.it.TwoNodeCluster.refreshOnly;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.it.RotationScenarios.Pair;
import io.github.sessiongate.it.TwoNodeCluster.Node;
import io.github.sessiongate.testing.Await;
import io.github.sessiongate.testing.FakeAuthBackend;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The multi-node promises of issue 10 on two real nodes ({@link TwoNodeCluster}: node A on Jetty,
 * node B on Tomcat, one real Redis, one {@link FakeAuthBackend} with reuse detection): one refresh
 * for a pair presented to both nodes at once, the grace memo seen from the other node, a logout on
 * one node refusing the session's tokens on the other within one request (the login's access token
 * after a rotation on the other node, the refresh token of an access-cookie-only logout, a rotation
 * in flight on the other node), and the degradation while Redis is down and the shared guarantees
 * once it is back, even when every pooled connection went stale across a restart.
 *
 * <p>Access tokens expire by moving the clock the backend and both filters share; nobody sleeps.
 * The degradation test runs last: it stops and restarts Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JettyTomcatClusterTest {
    /** Concurrent requests of the single-flight test, half on each node. */
    private static final int REQUESTS = 40;

    private TwoNodeCluster cluster;
    private Node a;
    private Node b;
    private FakeAuthBackend backend;

    @BeforeAll
    void start() throws Exception {
        cluster = TwoNodeCluster.start();
        a = cluster.a();
        b = cluster.b();
        backend = cluster.backend();
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    // ---------------------------------------------------------------- single flight across nodes

    @Test
    @Order(1)
    void fortyConcurrentRequestsWithOneExpiredPairOnBothNodesMakeOneRefreshCallAndAllSucceed() throws Exception {
        Pair old = cluster.login(a, "alice");
        cluster.expireAccessTokens();
        int refreshes = cluster.refreshCalls();

        List<Response> responses;
        // The backend holds the first refresh call until all 40 requests are inside the refresher on
        // their nodes: the pile-up is a fact the test waits for, not a timing it hopes for.
        try (FakeAuthBackend.Hold hold = backend.hold(FakeAuthBackend.REFRESH)) {
            responses = concurrently(old, () -> {
                Await.until("one refresh call in flight and " + REQUESTS / 2 + " requests refreshing on each node",
                        () -> cluster.refreshCalls() >= refreshes + 1 && refreshing().equals(List.of(REQUESTS / 2, REQUESTS / 2)),
                        () -> "backend refresh calls " + (cluster.refreshCalls() - refreshes) + ", refreshing on A and B "
                                + refreshing());
                hold.release();
            });
        }

        assertEquals(refreshes + 1, cluster.refreshCalls(), "exactly one refresh call for " + REQUESTS + " requests on two nodes");
        List<Integer> statuses = responses.stream().map(Response::status).toList();
        assertTrue(statuses.stream().allMatch(s -> s == 200), () -> "statuses " + statuses + ", e.g. "
                + ResponseText.describe(responses.stream().filter(r -> r.status() != 200).findFirst().orElseThrow()));
        // Sealed cookies differ per response (a fresh IV each); the tokens inside must be one pair.
        Set<String> accessTokens = responses.stream().map(r -> cluster.open(setCookie(r, ACCESS))).collect(Collectors.toSet());
        Set<String> refreshTokens = responses.stream().map(r -> cluster.open(setCookie(r, REFRESH))).collect(Collectors.toSet());
        assertEquals(1, accessTokens.size(), "every request was handed the same new access token");
        assertEquals(1, refreshTokens.size(), "every request was handed the same new refresh token");
        String access = accessTokens.iterator().next();
        String refresh = refreshTokens.iterator().next();
        assertAll(
                () -> assertNotEquals(cluster.open(old.access()), access, "the access token changed"),
                () -> assertNotEquals(cluster.open(old.refresh()), refresh, "the refresh token was rotated"),
                () -> assertTrue(backend.isActive(refresh), "the shared new refresh token is live: no reuse detection fired"),
                () -> assertTrue(responses.stream().allMatch(r -> Tokens.sha256(access).equals(api(r).get("tokenSha256"))),
                        "the application on both nodes was handed the new token"));
    }

    /**
     * {@value #REQUESTS} GETs with the pair, even ones on A and odd ones on B, released together by
     * a latch; {@code meanwhile} runs while they are in flight.
     */
    private List<Response> concurrently(Pair pair, ThrowingRunnable meanwhile) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
        try {
            CountDownLatch ready = new CountDownLatch(REQUESTS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> inFlight = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                Node node = i % 2 == 0 ? a : b;
                inFlight.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return cluster.get(node, "/api/orders", cookies(pair));
                }));
            }
            assertTrue(ready.await(20, TimeUnit.SECONDS), "every request thread is ready");
            go.countDown();
            meanwhile.run();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> f : inFlight) {
                responses.add(f.get(30, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * How many container threads are inside {@link io.github.sessiongate.rotation.Refresher#refresh}
     * now, on node A (Jetty's {@code qtp} threads) and node B (Tomcat's {@code http-nio} threads):
     * the one calling the backend, and the others waiting for it in process or for the other node.
     */
    private static List<Integer> refreshing() {
        int onA = 0;
        int onB = 0;
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            boolean inRefresh = false;
            for (StackTraceElement frame : t.getValue()) {
                if (frame.getClassName().equals("io.github.sessiongate.rotation.Refresher") && frame.getMethodName().equals("refresh")) {
                    inRefresh = true;
                    break;
                }
            }
            if (inRefresh) {
                String name = t.getKey().getName();
                if (name.startsWith("qtp")) {
                    onA++;
                } else if (name.startsWith("http-nio")) {
                    onB++;
                }
            }
        }
        return List.of(onA, onB);
    }

    // ---------------------------------------------------------------- the grace memo, seen from the other node

    @Test
    @Order(2)
    void theOldRefreshTokenOnNodeBWithinTheGraceWindowGetsTheRotationNodeAMade() throws Exception {
        Pair old = cluster.login(a, "alice");
        cluster.expireAccessTokens();
        int refreshes = cluster.refreshCalls();
        Response first = cluster.get(a, "/api/orders", cookies(old));
        assertEquals(200, first.status(), () -> ResponseText.describe(first));
        String access = cluster.open(setCookie(first, ACCESS));
        String refresh = cluster.open(setCookie(first, REFRESH));
        assertEquals(refreshes + 1, cluster.refreshCalls(), "node A rotated");

        // The browser's next request still carries the old cookies, and the balancer sends it to B.
        Response late = cluster.get(b, "/api/orders", cookies(old));

        assertEquals(200, late.status(), () -> ResponseText.describe(late));
        assertAll(
                () -> assertEquals(refreshes + 1, cluster.refreshCalls(), "no second refresh call"),
                () -> assertEquals(access, cluster.open(setCookie(late, ACCESS)), "the pair node A received"),
                () -> assertEquals(refresh, cluster.open(setCookie(late, REFRESH)), "the pair node A received"),
                () -> assertEquals(Tokens.sha256(access), api(late).get("tokenSha256")),
                () -> assertTrue(backend.isActive(refresh), "the backend saw no reuse: the family lives"));
    }

    // ---------------------------------------------------------------- revocation everywhere

    @Test
    @Order(3)
    void aLogoutOnNodeAEndsTheAccessAndRefreshTokenOnNodeBAtOnce() throws Exception {
        Pair session = cluster.login(a, "alice");
        Response before = cluster.get(b, "/api/orders", accessOnly(session));
        assertEquals(200, before.status(), () -> "node B serves (and caches) the session: " + ResponseText.describe(before));
        int refreshes = cluster.refreshCalls();

        Response logout = cluster.logout(a, cookies(session));
        assertEquals(204, logout.status(), () -> ResponseText.describe(logout));

        Response access = cluster.get(b, "/api/orders", accessOnly(session));
        Response refresh = cluster.get(b, "/api/orders", refreshOnly(session));
        Response explicit = cluster.refresh(b, refreshOnly(session));
        assertAll(
                () -> assertRefused(access, "the access token on node B"),
                () -> assertRefused(refresh, "the refresh token on node B"),
                () -> assertRefused(explicit, "an explicit refresh on node B"),
                () -> assertEquals(refreshes, cluster.refreshCalls(), "refused from the shared tombstone: the backend was not asked"));
    }

    @Test
    @Order(4)
    void aLogoutOnNodeAWithTheRotatedPairEndsTheLoginsAccessTokenOnNodeB() throws Exception {
        Pair login = cluster.login(a, "alice");
        Response rotated = cluster.refresh(b, cookies(login)); // node B rotates the chain
        assertEquals(200, rotated.status(), () -> ResponseText.describe(rotated));
        Pair current = new Pair(setCookie(rotated, ACCESS), setCookie(rotated, REFRESH));
        assertEquals(200, cluster.get(b, "/api/orders", accessOnly(login)).status(), "the login's access token still serves");

        Response logout = cluster.logout(a, cookies(current));
        assertEquals(204, logout.status(), () -> ResponseText.describe(logout));

        int refreshes = cluster.refreshCalls();
        assertAll(
                () -> assertRefused(cluster.get(b, "/api/orders", accessOnly(login)), "the login's access token on node B"),
                () -> assertRefused(cluster.get(b, "/api/orders", accessOnly(current)), "the current access token on node B"),
                () -> assertRefused(cluster.get(b, "/api/orders", refreshOnly(current)), "the current refresh token on node B"),
                () -> assertRefused(cluster.get(a, "/api/orders", refreshOnly(login)), "the login's refresh token on node A"),
                () -> assertEquals(refreshes, cluster.refreshCalls(), "every refusal from shared state"));
    }

    @Test
    @Order(5)
    void aLogoutOnNodeBWithOnlyTheAccessCookieEndsTheRefreshTokenOnNodeA() throws Exception {
        Pair session = cluster.login(a, "alice");
        int refreshes = cluster.refreshCalls();

        Response logout = cluster.logout(b, accessOnly(session)); // the refresh cookie did not come
        assertEquals(204, logout.status(), () -> ResponseText.describe(logout));

        assertAll(
                () -> assertRefused(cluster.get(a, "/api/orders", refreshOnly(session)), "the refresh token on node A"),
                () -> assertRefused(cluster.get(a, "/api/orders", accessOnly(session)), "the access token on node A"),
                () -> assertEquals(refreshes, cluster.refreshCalls(), "refused from the tombstone node B wrote"),
                () -> assertFalse(backend.isActive(cluster.open(session.refresh())), "revoked at the backend"));
    }

    @Test
    @Order(6)
    void aRefreshInFlightOnNodeBWhenNodeASignsTheSessionOutHandsOutNothingUsable() throws Exception {
        Pair login = cluster.login(a, "alice");
        int refreshes = cluster.refreshCalls();
        int revocations = backend.calls(FakeAuthBackend.REVOKE);
        CompletableFuture<HttpResponse<String>> refresh;
        CompletableFuture<HttpResponse<String>> logout;
        // The backend completes B's rotation only once A's logout has ended the chain in Redis, and
        // answers no revoke until both revocations were asked for: the order is fixed, not timed.
        try (FakeAuthBackend.Hold revokes = backend.hold(FakeAuthBackend.REVOKE)) {
            try (FakeAuthBackend.Hold rotation = backend.hold(FakeAuthBackend.REFRESH)) {
                refresh = cluster.http().sendAsync(cluster.postRequest(b, "/auth/refresh", cookies(login)),
                        HttpResponse.BodyHandlers.ofString());
                awaitCalls(FakeAuthBackend.REFRESH, refreshes + 1); // B's rotation is at the backend
                logout = cluster.http().sendAsync(cluster.postRequest(a, "/auth/logout", cookies(login)),
                        HttpResponse.BodyHandlers.ofString());
                awaitCalls(FakeAuthBackend.REVOKE, revocations + 1); // A wrote the tombstones, then revoked
            }
            awaitCalls(FakeAuthBackend.REVOKE, revocations + 2); // B revokes the late pair instead of handing it out
        }
        Response ended = JavaHttp.toResponse(logout.get(20, TimeUnit.SECONDS));
        Response late = JavaHttp.toResponse(refresh.get(20, TimeUnit.SECONDS));
        assertEquals(204, ended.status(), () -> ResponseText.describe(ended));
        assertAll(
                () -> assertRefused(late, "the refresh on node B that completed after the logout on node A"),
                () -> assertRefused(cluster.get(b, "/api/orders", accessOnly(login)), "the login's access token on node B"),
                () -> assertEquals(refreshes + 1, cluster.refreshCalls(), "no other refresh"));
    }

    private void awaitCalls(String path, int count) {
        Await.until("the backend received " + count + " calls on " + path, () -> backend.calls(path) >= count,
                () -> backend.calls(path) + " calls");
    }

    // ---------------------------------------------------------------- Redis down, then back

    @Test
    @Order(100)
    void withRedisStoppedEachNodeKeepsServingAndRefreshingAndOnceItIsBackALogoutHoldsOnBothNodes() throws Exception {
        Pair onA = cluster.login(a, "alice");
        Pair onB = cluster.login(b, "alice");
        cluster.redis().stop();
        try {
            // Each session's requests go to one node (the outage's advice: sticky sessions).
            assertServedWithoutClearing(cluster.get(a, "/api/orders", accessOnly(onA)), "node A, Redis down");
            assertServedWithoutClearing(cluster.get(b, "/api/orders", accessOnly(onB)), "node B, Redis down");

            cluster.expireAccessTokens();
            int refreshes = cluster.refreshCalls();
            Response rotatedA = cluster.get(a, "/api/orders", cookies(onA));
            Response rotatedB = cluster.get(b, "/api/orders", cookies(onB));
            assertServedWithoutClearing(rotatedA, "node A refreshes, Redis down");
            assertServedWithoutClearing(rotatedB, "node B refreshes, Redis down");
            assertEquals(refreshes + 2, cluster.refreshCalls(), "one refresh per session");
            String newA = cluster.open(setCookie(rotatedA, REFRESH));
            assertNotEquals(cluster.open(onA.refresh()), newA, "rotated");

            // The grace memo holds on the node in its own memory: the old pair again, no reuse.
            Response again = cluster.get(a, "/api/orders", cookies(onA));
            assertServedWithoutClearing(again, "node A, old pair within the grace window, Redis down");
            assertAll(
                    () -> assertEquals(newA, cluster.open(setCookie(again, REFRESH)), "the pair node A remembers"),
                    () -> assertEquals(refreshes + 2, cluster.refreshCalls(), "no second refresh"),
                    () -> assertTrue(backend.isActive(newA), "the family lives"));

            // A logout on the node still holds there (single-node guarantee).
            Pair current = new Pair(setCookie(rotatedA, ACCESS), setCookie(rotatedA, REFRESH));
            Response logout = cluster.logout(a, cookies(current));
            assertEquals(204, logout.status(), () -> "logout on node A, Redis down: " + ResponseText.describe(logout));
            assertRefused(cluster.get(a, "/api/orders", accessOnly(current)), "the access token on node A, Redis down");
        } finally {
            cluster.redis().start();
        }

        Pair session = cluster.login(a, "alice");
        assertEquals(200, cluster.get(b, "/api/orders", accessOnly(session)).status(), "node B serves the new session");
        int refreshes = cluster.refreshCalls();
        Response logout = cluster.logout(a, cookies(session));
        assertEquals(204, logout.status(), () -> ResponseText.describe(logout));
        assertAll(
                () -> assertRefused(cluster.get(b, "/api/orders", accessOnly(session)), "the access token on node B, Redis back"),
                () -> assertRefused(cluster.get(b, "/api/orders", refreshOnly(session)), "the refresh token on node B, Redis back"),
                () -> assertEquals(refreshes, cluster.refreshCalls(), "refused from the shared tombstone"));
    }

    @Test
    @Order(101)
    void aRedisRestartBetweenTwoRequestsLosesNoLogout() throws Exception {
        Pair session = cluster.login(a, "alice");
        // Requests at once on both nodes leave many pooled connections idle.
        Pair busy = cluster.login(b, "alice");
        assertTrue(concurrently(busy, () -> { }).stream().allMatch(r -> r.status() == 200), "the burst is served");
        assertEquals(200, cluster.get(b, "/api/orders", accessOnly(session)).status(), "node B serves the session");
        cluster.redis().stop(); // no request meets the outage: the nodes' pooled connections are stale
        cluster.redis().start();

        Response logout = cluster.logout(a, cookies(session));
        assertEquals(204, logout.status(), () -> ResponseText.describe(logout));
        assertAll(
                () -> assertRefused(cluster.get(b, "/api/orders", accessOnly(session)), "the access token on node B"),
                () -> assertRefused(cluster.get(b, "/api/orders", refreshOnly(session)), "the refresh token on node B"));
    }

    // ---------------------------------------------------------------- helpers

    /** 401 with no new token set: a cleared cookie is fine, a new value is not. */
    private static void assertRefused(Response response, String what) {
        assertAll(what,
                () -> assertEquals(401, response.status(), () -> what + ": " + ResponseText.describe(response)),
                () -> assertFalse(response.body().contains(TokenEchoServlet.MARKER), "never the application's answer"),
                () -> assertEquals(Optional.empty(), SetCookies.value(response, ACCESS).filter(v -> !v.isEmpty()),
                        "no access token handed out"),
                () -> assertEquals(Optional.empty(), SetCookies.value(response, REFRESH).filter(v -> !v.isEmpty()),
                        "no refresh token handed out"));
    }

    /** 200 from the application, and no Set-Cookie clearing a session cookie. */
    private static void assertServedWithoutClearing(Response response, String what) {
        assertAll(what,
                () -> assertEquals(200, response.status(), () -> what + ": " + ResponseText.describe(response)),
                () -> assertEquals(TokenEchoServlet.MARKER, Json.object(response.body()).get("servlet")),
                () -> assertTrue(response.headers("Set-Cookie").stream().noneMatch(h -> h.matches("[^=]+=(;.*)?")),
                        () -> "a session cookie cleared: " + ResponseText.describe(response)));
    }

    /** The value of the {@code Set-Cookie} for {@code name}; fails when there is none or it clears the cookie. */
    private static String setCookie(Response response, String name) {
        String value = SetCookies.value(response, name)
                .orElseThrow(() -> new AssertionError("no Set-Cookie for " + name + ": " + ResponseText.describe(response)));
        assertFalse(value.isEmpty(), () -> name + " cleared: " + ResponseText.describe(response));
        return value;
    }

    private static Map<String, Object> api(Response response) {
        return RotationScenarios.api(response);
    }
}
