package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.InitParams;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.redis.RedisStateStore;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Session markers across two nodes sharing one real redis-server (each node its own store client,
 * as two JVMs would have): a sid marker written on node A refuses validation and refresh of that
 * session on node B; a sub marker refuses sessions authenticated before T but not a login after T;
 * a user's logout on A ends its tokens on B but writes no sid marker; the local JWT cache never reaches Redis; and with
 * Redis down a session revoked on this node is still refused here, with no 500.
 */
class SessionMarkersNodeTest {
    private final MutableClock clock = new MutableClock();
    private final MarkerNode.HsValidator validator = new MarkerNode.HsValidator(clock);
    private RedisServer server;
    private RedisStateStore storeA;
    private RedisStateStore storeB;
    private MarkerNode a;
    private MarkerNode b;

    @BeforeEach
    void start() {
        server = RedisServer.startOrSkip();
        storeA = store();
        storeB = store();
        a = new MarkerNode(validator, storeA, clock);
        b = new MarkerNode(validator, storeB, clock);
    }

    private RedisStateStore store() {
        RedisStateStore s = new RedisStateStore(Clock.systemUTC());
        s.init(InitParams.resolve(Map.of("redis.url", server.url(), "redis.command-timeout", "1s",
                "redis.connect-timeout", "1s")));
        return s;
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, storeA, storeB, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // next
            }
        }
    }

    @Test
    void aSidMarkerOnNodeARefusesValidationOfThatSessionOnNodeB() throws Exception {
        TokenPair alice = validator.login("alice", "sid-1");
        TokenPair other = validator.login("alice", "sid-2"); // the same user in another provider session
        assertEquals(200, b.get(alice.accessToken(), null).status()); // warm on B: cached locally
        assertTrue(a.markers().revokeSid("sid-1"));

        MarkerNode.Answer refused = b.get(alice.accessToken(), null);
        assertEquals(401, refused.status(), "the local cache does not outvote the marker");
        assertTrue(refused.cleared(MarkerNode.ACCESS), "a definitive end clears the cookie");
        assertEquals(200, b.get(other.accessToken(), null).status(), "another provider session stands");
        assertEquals(401, a.get(validator.access("alice", "sid-1", clock.instant()), null).status(),
                "any token of the revoked sid, on any node");
    }

    @Test
    void aSidMarkerRefusesTheRefreshBeforeTheBackendIsCalled() throws Exception {
        TokenPair alice = validator.login("alice", "sid-1");
        assertTrue(a.markers().revokeSid("sid-1"));
        clock.advance(MarkerNode.ACCESS_TTL.plusMinutes(1)); // the access token expired: this request would refresh

        MarkerNode.Answer refused = b.get(alice.accessToken(), alice.refreshToken());
        assertEquals(401, refused.status());
        assertEquals(0, validator.refreshCalls.get(), "the backend is never asked");
        assertTrue(refused.cleared(MarkerNode.REFRESH), "the session ends like a refused refresh");
    }

    @Test
    void aGraceHitOfARevokedSessionIsRefused() throws Exception {
        TokenPair alice = validator.login("alice", "sid-1");
        clock.advance(MarkerNode.ACCESS_TTL.plusMinutes(1));
        MarkerNode.Answer rotated = a.get(alice.accessToken(), alice.refreshToken());
        assertEquals(200, rotated.status());
        assertEquals(1, validator.refreshCalls.get());
        assertNotNull(rotated.cookie(MarkerNode.REFRESH), "rotated in place on A");

        assertTrue(a.markers().revokeSid("sid-1")); // a back-channel logout, say
        // B, with the old refresh token only (a tab still on the old cookie), inside the grace window.
        MarkerNode.Answer replay = b.get(null, alice.refreshToken());
        assertEquals(401, replay.status(), "the grace pair of a revoked session is never handed out");
        assertEquals(1, validator.refreshCalls.get(), "no second backend call");
        assertTrue(replay.cleared(MarkerNode.REFRESH));
    }

    @Test
    void aSubMarkerRefusesSessionsAuthenticatedBeforeTButNotALoginAfterT() throws Exception {
        TokenPair before = validator.login("bob", null);
        TokenPair otherUser = validator.login("carol", null);
        clock.advance(Duration.ofSeconds(30));
        Instant t = clock.instant();
        assertTrue(a.markers().revokeSubject("bob", t));
        clock.advance(Duration.ofSeconds(5));
        TokenPair after = validator.login("bob", null);

        assertEquals(401, b.get(before.accessToken(), null).status(), "issued (iat) before T");
        assertEquals(200, b.get(after.accessToken(), null).status(), "a new login after T");
        assertEquals(200, b.get(otherUser.accessToken(), null).status(), "another subject");

        assertTrue(a.markers().revokeSubject("bob", t.minusSeconds(60)), "an earlier T");
        assertEquals(401, b.get(before.accessToken(), null).status(), "keeps the later T");
    }

    @Test
    void aLogoutOnNodeAEndsItsTokensOnNodeBButNotTheProviderSession() throws Exception {
        TokenPair alice = validator.login("alice", "sid-9");
        assertEquals(200, b.get(alice.accessToken(), null).status());
        a.logout(alice.accessToken(), alice.refreshToken());

        assertEquals(401, b.get(alice.accessToken(), null).status(), "the access token itself, on the other node");
        // A provider session can outlive the user's logout here (its end-session page asks first, or is
        // down): a new sign-in riding it carries the same sid and must not be refused (no sign-in loop).
        String sameProviderSession = validator.access("alice", "sid-9", clock.instant());
        assertEquals(200, b.get(sameProviderSession, null).status(), "a user's logout writes no sid marker");
        assertTrue(a.markers().revokeSid("sid-9"), "the provider's back-channel logout does");
        assertEquals(401, b.get(sameProviderSession, null).status());
    }

    @Test
    void noRedisKeyIsAPlainDigestOfAToken() throws Exception {
        TokenPair alice = validator.login("alice", "sid-11");
        assertEquals(200, a.get(alice.accessToken(), null).status());
        a.logout(alice.accessToken(), alice.refreshToken()); // revocations and tombstones, in Redis
        try (Jedis jedis = server.client()) {
            Set<String> keys = jedis.keys("*");
            assertTrue(keys.size() >= 2, keys.toString());
            for (String token : new String[] {alice.accessToken(), alice.refreshToken()}) {
                String digest = io.github.sessiongate.rotation.TokenKey.of(token);
                String identity = io.github.sessiongate.rotation.TokenIdentity.of(token);
                assertTrue(keys.stream().noneMatch(k -> k.contains(digest) || k.contains(identity)),
                        "keys are HMAC names under the state key, not digests anyone with the token can compute: " + keys);
            }
        }
    }

    @Test
    void aLogoutTombstonesTheRefreshTokenForItsRemainingLifeInRedis() throws Exception {
        TokenPair alice = validator.login("alice", "sid-12");
        // A rotation through node A, so the node knows the session's refresh token (a login would too).
        String expired = validator.access("alice", "sid-12", clock.instant().minusSeconds(600), clock.instant().minusSeconds(300));
        MarkerNode.Answer rotated = a.get(expired, alice.refreshToken());
        assertEquals(200, rotated.status());
        String refresh = rotated.cookie(MarkerNode.REFRESH);
        assertNotNull(refresh);
        a.logout(rotated.cookie(MarkerNode.ACCESS), refresh);
        long hold = SharedState.markerTtl(MarkerNode.config(validator, storeA, clock)).toMillis();
        try (Jedis jedis = server.client()) {
            long longest = jedis.keys("*" + SharedState.TOMBSTONES + "*").stream().mapToLong(jedis::pttl).max().orElse(-1);
            // An opaque refresh token: the session's longest life, so a copy stays refused on every node
            // even if the backend never revoked it (not the one-minute hold of the in-memory default).
            assertTrue(longest > hold - 60_000 && longest <= hold, "tombstone TTL " + longest + " of " + hold);
        }
    }

    @Test
    void theLocalJwtCacheStaysInProcess() throws Exception {
        TokenPair alice = validator.login("alice", "sid-1");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, a.get(alice.accessToken(), null).status());
            assertEquals(200, b.get(alice.accessToken(), null).status());
        }
        assertTrue(a.markers().revokeSid("sid-other"));
        try (Jedis jedis = server.client()) {
            Set<String> keys = jedis.keys("*");
            assertFalse(keys.isEmpty(), "the marker reached Redis");
            assertTrue(keys.stream().noneMatch(k -> k.contains(SharedState.VALIDATIONS)), keys.toString());
            assertTrue(keys.stream().noneMatch(k -> k.contains("sid-other")), "marker names are keyed digests: " + keys);
        }
    }

    @Test
    void withRedisDownARevocationOnThisNodeStillHoldsHereWithNo500() throws Exception {
        TokenPair alice = validator.login("alice", "sid-1");
        TokenPair bob = validator.login("bob", "sid-2");
        assertEquals(200, a.get(alice.accessToken(), null).status());
        server.stop();

        assertTrue(a.markers().revokeSid("sid-1"), "kept in this node's memory while Redis is down");
        MarkerNode.Answer refused = a.get(alice.accessToken(), null);
        assertEquals(401, refused.status(), "single-node guarantee");
        MarkerNode.Answer fine = a.get(bob.accessToken(), null);
        assertEquals(200, fine.status(), "others keep working; nothing answers 500");
        assertFalse(fine.cleared(MarkerNode.ACCESS), "an outage signs nobody out");
        assertNotEquals(500, b.get(alice.accessToken(), null).status());
    }
}
