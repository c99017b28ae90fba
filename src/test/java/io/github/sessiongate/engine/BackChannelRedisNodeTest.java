package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.InitParams;
import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.login.BackChannelLogout;
import io.github.sessiongate.login.BackChannelLogout.Outcome;
import io.github.sessiongate.redis.RedisStateStore;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.RedisServer;
import io.github.sessiongate.testing.TestOidcProvider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The back-channel logout as the engine wires it (the session markers as revoker, the jti ledger),
 * on two nodes sharing a real {@code redis-server}: a logout token taken by node B ends the session
 * on node A, its replay on node A is refused, and nothing of it shows in clear in Redis.
 */
class BackChannelRedisNodeTest {
    private static final String CLIENT = "web";

    private final MutableClock clock = new MutableClock();
    private final MarkerNode.HsValidator validator = new MarkerNode.HsValidator(clock);
    private RedisServer server;
    private TestOidcProvider provider;
    private RedisStateStore storeA;
    private RedisStateStore storeB;
    private MarkerNode a;
    private MarkerNode b;
    private String lastJti;

    @BeforeEach
    void start() throws Exception {
        server = RedisServer.startOrSkip();
        provider = TestOidcProvider.start();
        storeA = store();
        storeB = store();
        OidcSettings oidc = OidcSettings.builder().issuer(provider.issuer()).client(CLIENT, "secret")
                .backChannelLogoutPath("/auth/backchannel-logout").build();
        a = new MarkerNode(validator, storeA, clock, c -> c.oidc(oidc));
        b = new MarkerNode(validator, storeB, clock, c -> c.oidc(oidc));
    }

    private RedisStateStore store() {
        RedisStateStore s = new RedisStateStore(Clock.systemUTC());
        s.init(InitParams.resolve(Map.of("redis.url", server.url(), "redis.command-timeout", "1s",
                "redis.connect-timeout", "1s")));
        return s;
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, storeA, storeB, provider, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // next
            }
        }
    }

    private String logoutToken(String sid) throws Exception {
        JwtClaims c = provider.claims(clock, CLIENT);
        lastJti = UUID.randomUUID().toString();
        c.setJwtId(lastJti);
        c.setClaim("events", Map.of(BackChannelLogout.EVENT, Map.of()));
        c.setClaim("sid", sid);
        return provider.sign(c);
    }

    private static BackChannelLogout endpoint(MarkerNode node) {
        return node.components.backChannelLogout().orElseThrow();
    }

    @Test
    void aLogoutTokenTakenByNodeBEndsTheSessionOnNodeAAndItsReplayOnNodeAIsRefused() throws Exception {
        TokenPair alice = validator.login("alice", "kc-sid-1");
        TokenPair bob = validator.login("bob", "kc-sid-2");
        assertEquals(200, a.get(alice.accessToken(), null).status());

        String token = logoutToken("kc-sid-1");
        assertEquals(Outcome.LOGGED_OUT, endpoint(b).logout(token).outcome());
        assertEquals(401, a.get(alice.accessToken(), null).status(), "ended on node A");
        assertEquals(200, a.get(bob.accessToken(), null).status(), "another session stands");
        assertEquals(Outcome.INVALID, endpoint(a).logout(token).outcome(), "a replay on the other node");

        String jti = lastJti; // the jti, sid, subject and issuer must not show in Redis
        try (Jedis jedis = server.client()) {
            java.util.Set<byte[]> keys = jedis.keys("*".getBytes(StandardCharsets.UTF_8));
            assertFalse(keys.isEmpty(), "the marker and the jti reached Redis");
            for (byte[] k : keys) {
                String both = new String(k, StandardCharsets.ISO_8859_1) + " "
                        + new String(java.util.Objects.requireNonNullElse(jedis.get(k), new byte[0]), StandardCharsets.ISO_8859_1);
                for (String secret : List.of("kc-sid-1", "alice", provider.issuer(), "127.0.0.1", jti)) {
                    assertFalse(both.contains(secret), () -> "clear text in Redis: " + both);
                }
            }
            java.util.Set<String> jtis = new java.util.HashSet<>();
            for (byte[] k : keys) {
                jtis.add(new String(k, StandardCharsets.ISO_8859_1));
            }
            assertTrue(jtis.stream().anyMatch(k -> k.contains(SharedState.LOGOUT_JTIS)), jtis::toString);
        }
    }
}
