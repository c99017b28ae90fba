package io.github.sessiongate.it;

import static io.github.sessiongate.it.TwoNodeOidcCluster.ACCESS;
import static io.github.sessiongate.it.TwoNodeOidcCluster.REFRESH;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.it.TwoNodeCluster.Node;
import io.github.sessiongate.it.TwoNodeOidcCluster.Session;
import io.github.sessiongate.testing.Await;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * OpenID Connect back-channel logout on two real nodes ({@link TwoNodeOidcCluster}: node A on
 * Jetty, node B on Tomcat, one real Redis, one provider whose key signs the ID, access and logout
 * tokens): a logout token posted to one node ends the session on the other within one request, the
 * refresh chain included, before the provider's token endpoint is asked; a {@code sub}-only token
 * ends the subject's earlier sessions everywhere and no later one; the {@code jti} ledger is shared;
 * and with Redis stopped the endpoint still answers as documented, never {@code 500}.
 *
 * <p>The outage test runs last: it stops and restarts Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JettyTomcatBackChannelClusterTest {
    private TwoNodeOidcCluster cluster;
    private ClusterOidcProvider provider;
    private Node a;
    private Node b;

    @BeforeAll
    void start() throws Exception {
        cluster = TwoNodeOidcCluster.start();
        provider = cluster.provider();
        a = cluster.a();
        b = cluster.b();
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aSidLogoutTokenPostedToNodeBEndsTheSessionAndItsRefreshChainOnNodeA() throws Exception {
        Session session = cluster.signIn(a, "alice", Duration.ZERO);
        assertServed(cluster.api(a, session.header()), "alice", "node A, signed in there");
        assertServed(cluster.api(b, session.header()), "alice", "node B, the same cookies");
        Session other = cluster.signIn(b, "alice", Duration.ZERO); // another provider session of alice
        int refreshes = provider.refreshCalls();

        Response logout = cluster.backChannel(b, cluster.logoutToken(session.grant(), c -> { }));
        assertBackChannelOk(logout, "the logout token at node B");

        assertRefused(cluster.api(a, session.header()), "the old cookies on node A");
        assertRefused(cluster.refresh(a, session.withoutAccess()), "a refresh with the old refresh token on node A");
        assertRefused(cluster.refresh(b, session.header()), "a refresh with the old cookies on node B");
        assertEquals(refreshes, provider.refreshCalls(), "refused before the provider's token endpoint was called");
        assertServed(cluster.api(a, other.header()), "alice", "alice's other provider session lives on node A");
    }

    @Test
    @Order(2)
    void aRefreshIsTheFirstRequestOnNodeAAfterTheLogoutAtNodeBAndIsRefusedWithoutCallingTheProvider() throws Exception {
        Session session = cluster.signIn(b, "alice", Duration.ZERO);
        assertServed(cluster.api(a, session.header()), "alice", "node A serves (and caches) the session");
        int refreshes = provider.refreshCalls();

        assertBackChannelOk(cluster.backChannel(b, cluster.logoutToken(session.grant(), c -> { })), "the logout token at node B");

        assertRefused(cluster.refresh(a, session.header()), "an explicit refresh with the old cookies on node A");
        assertRefused(cluster.api(a, session.withoutAccess()), "the old refresh cookie alone on node A");
        assertEquals(refreshes, provider.refreshCalls(), "refused before the provider's token endpoint was called");
    }

    @Test
    @Order(3)
    void aSubOnlyLogoutTokenAtNodeAEndsTheSubjectsEarlierSessionsOnNodeBAndNoLaterOne() throws Exception {
        Session first = cluster.signIn(a, "carol", Duration.ofSeconds(30));
        Session second = cluster.signIn(b, "carol", Duration.ofSeconds(20));
        Session dave = cluster.signIn(b, "dave", Duration.ofSeconds(30));
        assertServed(cluster.api(b, first.header()), "carol", "carol's first session on node B");
        assertServed(cluster.api(b, second.header()), "carol", "carol's second session on node B");
        int refreshes = provider.refreshCalls();

        Response logout = cluster.backChannel(a, cluster.logoutToken(first.grant(), c -> c.unsetClaim("sid")));
        assertBackChannelOk(logout, "the sub-only logout token at node A");

        assertAll(
                () -> assertRefused(cluster.api(b, first.header()), "carol's first session on node B"),
                () -> assertRefused(cluster.api(b, second.header()), "carol's second session on node B"),
                () -> assertRefused(cluster.api(a, second.withoutAccess()), "carol's second refresh token on node A"),
                () -> assertEquals(refreshes, provider.refreshCalls(), "no refresh reached the provider"),
                () -> assertServed(cluster.api(b, dave.header()), "dave", "another subject's session on node B"));

        Session after = cluster.signIn(a, "carol", Duration.ZERO); // authenticated after the token's iat
        assertServed(cluster.api(a, after.header()), "carol", "a new sign-in on node A");
        assertServed(cluster.api(b, after.header()), "carol", "the new sign-in on node B");
        Response rotated = cluster.refresh(b, after.header());
        assertEquals(200, rotated.status(), () -> "the new session refreshes on node B: " + rotated);
        assertEquals(refreshes + 1, provider.refreshCalls(), "that refresh went to the provider");
    }

    @Test
    @Order(4)
    void theSameLogoutTokenPostedAgainToTheOtherNodeIsAReplay() throws Exception {
        Session session = cluster.signIn(a, "erin", Duration.ZERO);
        String token = cluster.logoutToken(session.grant(), c -> { });
        assertBackChannelOk(cluster.backChannel(a, token), "the first post, at node A");

        assertInvalid(cluster.backChannel(b, token), "the same jti at node B");
        assertInvalid(cluster.backChannel(a, token), "the same jti at node A again");

        String subOnly = cluster.logoutToken(session.grant(), c -> c.unsetClaim("sid"));
        assertBackChannelOk(cluster.backChannel(b, subOnly), "a sub-only token at node B");
        assertInvalid(cluster.backChannel(a, subOnly), "its replay at node A");
    }


    /**
     * A refresh that presents no access token is judged by the pair it brings (README, "Revocation
     * everywhere": markers are checked through the presented token, else on the rotated pair), so
     * the first such request on node A does reach the provider once; the pair is never handed out,
     * it is revoked at the provider, and the chain ends: the next attempt is refused without a call.
     */
    @Test
    @Order(5)
    void aRefreshWithOnlyTheRefreshCookieFirstOnNodeAHandsOutNothingAndRevokesWhatTheProviderIssued() throws Exception {
        Session session = cluster.signIn(b, "alice", Duration.ZERO);
        assertServed(cluster.api(a, session.header()), "alice", "node A serves (and caches) the session");
        int refreshes = provider.refreshCalls();
        assertBackChannelOk(cluster.backChannel(b, cluster.logoutToken(session.grant(), c -> { })), "the logout token at node B");

        assertRefused(cluster.refresh(a, session.withoutAccess()), "a refresh with the refresh and facts cookies on node A");
        assertEquals(refreshes + 1, provider.refreshCalls(), "judged by the rotated pair");
        String late = provider.lastIssued(1).get(0);
        Await.until("the pair node A refused is revoked at the provider", () -> !provider.isActive(late), () -> "still active");

        assertRefused(cluster.refresh(b, session.withoutAccess()), "the same refresh token again, on node B");
        assertRefused(cluster.api(a, session.header()), "the old cookies on node A");
        assertEquals(refreshes + 1, provider.refreshCalls(), "the chain ended: no second call");
    }

    /**
     * With Redis stopped, the endpoint answers {@code 200} with effect on the node that took the
     * post (the {@code jti} and the marker in its own memory; README, "Degradation"): that node
     * refuses the session, the other node does not learn of it (single-node guarantees), and no
     * answer is a {@code 500}. Once Redis is back, a logout token at one node ends a session on the
     * other again.
     */
    @Test
    @Order(100)
    void withRedisStoppedALogoutTokenTakesEffectOnItsNodeAndOnceRedisIsBackOnBothAgain() throws Exception {
        Session session = cluster.signIn(a, "frank", Duration.ZERO);
        assertServed(cluster.api(b, session.header()), "frank", "node B serves the session");
        String token = cluster.logoutToken(session.grant(), c -> { });
        cluster.redis().stop();
        try {
            Response down = cluster.backChannel(a, token);
            assertBackChannelOk(down, "the logout token at node A, Redis down");
            assertRefused(cluster.api(a, session.header()), "the session on node A, which took the post, Redis down");
            Response elsewhere = cluster.api(b, session.header());
            assertEquals(200, elsewhere.status(), () -> "node B did not learn of it (single-node guarantee): " + elsewhere);
            assertInvalid(cluster.backChannel(a, token), "its replay at node A, Redis down (the node's own ledger)");
            Response junk = cluster.backChannel(b, "junk");
            assertInvalid(junk, "junk at node B, Redis down");
        } finally {
            cluster.redis().start();
        }

        Session next = cluster.signIn(a, "frank", Duration.ZERO);
        assertServed(cluster.api(b, next.header()), "frank", "node B serves the new session, Redis back");
        int refreshes = provider.refreshCalls();
        assertBackChannelOk(cluster.backChannel(b, cluster.logoutToken(next.grant(), c -> { })), "a logout token at node B, Redis back");
        assertAll(
                () -> assertRefused(cluster.api(a, next.header()), "the session on node A, Redis back"),
                () -> assertRefused(cluster.refresh(a, next.withoutAccess()), "its refresh token on node A, Redis back"),
                () -> assertEquals(refreshes, provider.refreshCalls(), "refused before the provider was asked"));
    }

    // ---------------------------------------------------------------- helpers

    private static void assertServed(Response r, String subject, String what) {
        assertEquals(200, r.status(), () -> what + ": " + ResponseText.describe(r));
        assertEquals(subject, Json.object(r.body()).get("sub"), () -> what + ": " + r.body());
    }

    /** 401 with no new token set: a cleared cookie is fine, a new value is not. */
    private static void assertRefused(Response r, String what) {
        assertAll(what,
                () -> assertEquals(401, r.status(), () -> what + ": " + ResponseText.describe(r)),
                () -> assertFalse(r.body().contains(TokenEchoServlet.MARKER), "never the application's answer"),
                () -> assertEquals(Optional.empty(), SetCookies.value(r, ACCESS).filter(v -> !v.isEmpty()), "no access token handed out"),
                () -> assertEquals(Optional.empty(), SetCookies.value(r, REFRESH).filter(v -> !v.isEmpty()), "no refresh token handed out"));
    }

    private static void assertBackChannelOk(Response r, String what) {
        assertAll(what,
                () -> assertEquals(200, r.status(), () -> what + ": " + r),
                () -> assertEquals("", r.body()),
                () -> assertEquals("no-store", r.header("Cache-Control").orElse("")),
                () -> assertTrue(r.headers("set-cookie").isEmpty(), "no cookie written"));
    }

    private static void assertInvalid(Response r, String what) {
        assertAll(what,
                () -> assertEquals(400, r.status(), () -> what + ": " + r),
                () -> assertEquals("invalid_request", Json.object(r.body()).get("error"), r::toString),
                () -> assertEquals("no-store", r.header("Cache-Control").orElse("")));
    }
}
