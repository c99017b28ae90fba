package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sessiongate.InitParams;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.redis.RedisStateStore;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The warm path's cost on a real redis-server, measured by {@code INFO commandstats} deltas over
 * {@value #N} requests through a whole {@link SessionFilter}: exactly one {@code MGET} per request
 * (the token's revocation, the sid marker, the sub marker), and no other command, whether the
 * local validation cache answers or the signature is checked again. The README reports this figure.
 */
class RedisRoundTripTest {
    private static final int N = 50;

    private final MutableClock clock = new MutableClock();
    private RedisServer server;
    private RedisStateStore store;
    private SessionFilter node;
    private MarkerNode.HsValidator validator;

    @BeforeEach
    void start() {
        server = RedisServer.startOrSkip();
        store = new RedisStateStore(Clock.systemUTC());
        store.init(InitParams.resolve(Map.of("redis.url", server.url(), "redis.command-timeout", "1s",
                "redis.connect-timeout", "1s")));
        validator = new MarkerNode.HsValidator(clock);
        node = new SessionFilter(MarkerNode.config(validator, store, clock));
        try {
            node.init(null);
        } catch (jakarta.servlet.ServletException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.destroy();
        }
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void warmCacheHitsMakeOneMgetEachAndNothingElse() throws Exception {
        TokenPair pair = validator.login("alice", "sid-1");
        assertEquals(200, MarkerNode.get(node, pair.accessToken(), pair.refreshToken()).status()); // connects, fills the local cache
        Map<String, Long> before = commandCalls();
        for (int i = 0; i < N; i++) {
            assertEquals(200, MarkerNode.get(node, pair.accessToken(), pair.refreshToken()).status());
        }
        Map<String, Long> delta = delta(before, commandCalls());
        assertEquals(Map.of("mget", (long) N), delta, "per request: one MGET, no GET or other command");
    }

    @Test
    void warmCacheMissesMakeOneMgetEachToo() throws Exception {
        TokenPair pair = validator.login("bob", "sid-2");
        assertEquals(200, MarkerNode.get(node, pair.accessToken(), null).status());
        Map<String, Long> before = commandCalls();
        for (int i = 0; i < N; i++) {
            clock.advance(Duration.ofSeconds(3)); // past the 2 s local cache: the signature is checked again
            assertEquals(200, MarkerNode.get(node, validator.access("bob", "sid-2", clock.instant()), null).status());
        }
        assertEquals(Map.of("mget", (long) N), delta(before, commandCalls()));
    }

    /** Calls per command since the server started, without INFO itself. */
    private Map<String, Long> commandCalls() {
        Map<String, Long> calls = new TreeMap<>();
        try (Jedis jedis = server.client()) {
            for (String line : jedis.info("commandstats").split("\r?\n")) {
                if (!line.startsWith("cmdstat_")) {
                    continue;
                }
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                int from = line.indexOf("calls=") + "calls=".length();
                int to = line.indexOf(',', from);
                calls.put(name, Long.parseLong(line.substring(from, to < 0 ? line.length() : to)));
            }
        }
        calls.remove("info");
        return calls;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new HashMap<>();
        after.forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n != 0) {
                d.put(k, n);
            }
        });
        return d;
    }
}
