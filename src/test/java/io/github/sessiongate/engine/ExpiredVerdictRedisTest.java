package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.InitParams;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.redis.RedisStateStore;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On a configured store (a real {@code redis-server} shared by nodes A and B) the expired verdict
 * node A shares between its requests saves only the signature check: after a logout or a
 * back-channel sid mark taken by node B, A's next request with the expired pair ends the session
 * without a refresh, exactly as without the shared verdict (the tombstones, revocations and
 * markers are read on every request).
 */
class ExpiredVerdictRedisTest {
    private final MutableClock clock = new MutableClock(); // frozen: A's shared verdict cannot lapse mid-test
    private final MarkerNode.HsValidator tokens = new MarkerNode.HsValidator(clock);
    private final Counting validator = new Counting(tokens);
    private RedisServer server;
    private RedisStateStore storeA;
    private RedisStateStore storeB;
    private MarkerNode a;
    private MarkerNode b;

    /** The HS256 validator, its calls counted per token. */
    private static final class Counting extends TokenValidator {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        private final MarkerNode.HsValidator inner;

        Counting(MarkerNode.HsValidator inner) {
            this.inner = inner;
        }

        @Override
        protected ValidationResult doValidate(String token) {
            calls.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
            return inner.validate(token);
        }

        @Override
        protected RefreshResult doRefresh(String refreshToken) {
            return inner.refresh(refreshToken);
        }

        @Override
        public boolean callsBackendToValidate() {
            return inner.callsBackendToValidate();
        }

        @Override
        public Duration clockSkew() {
            return inner.clockSkew();
        }

        int calls(String token) {
            AtomicInteger n = calls.get(token);
            return n == null ? 0 : n.get();
        }
    }

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

    /** A pair whose access token has expired (past the skew: the validator names no session). */
    private TokenPair expiredPair(String sid) {
        TokenPair pair = tokens.login("alice", sid);
        clock.advance(MarkerNode.ACCESS_TTL.plusMinutes(1));
        return pair;
    }

    @Test
    void aLogoutOnAnotherNodeRefusesTheExpiredTokenWhoseVerdictThisNodeShares() throws Exception {
        TokenPair pair = expiredPair("sid-1");
        assertEquals(401, a.get(pair.accessToken(), null).status());
        MarkerNode.Answer shared = a.get(pair.accessToken(), null);
        assertEquals(401, shared.status());
        assertFalse(shared.cleared(MarkerNode.ACCESS), "expired, not refused: nothing cleared");
        assertEquals(1, validator.calls(pair.accessToken()), "the second request shared the verdict");

        b.logout(pair.accessToken(), pair.refreshToken()); // its chain ends in Redis

        MarkerNode.Answer after = a.get(pair.accessToken(), pair.refreshToken());
        assertEquals(0, tokens.refreshCalls.get(), "a signed-out session is never refreshed");
        assertEquals(401, after.status());
        assertTrue(after.cleared(MarkerNode.ACCESS) && after.cleared(MarkerNode.REFRESH), "signed out on B: ended on A");
    }

    @Test
    void aSidMarkOnAnotherNodeEndsTheExpiredSessionWithoutARefresh() throws Exception {
        TokenPair pair = expiredPair("sid-2");
        a.get(pair.accessToken(), null);
        assertEquals(1, validator.calls(pair.accessToken()));

        assertTrue(b.markers().revokeSid("sid-2")); // a back-channel logout taken by B

        MarkerNode.Answer after = a.get(pair.accessToken(), pair.refreshToken());
        assertEquals(1, validator.calls(pair.accessToken()), "A still shared its verdict");
        assertEquals(0, tokens.refreshCalls.get(), "a marked session is never refreshed");
        assertEquals(401, after.status());
        assertTrue(after.cleared(MarkerNode.ACCESS) && after.cleared(MarkerNode.REFRESH), "the session ended on A");
    }
}
