package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.InitParams;
import io.github.sessiongate.redis.RedisStateStore;
import io.github.sessiongate.rotation.FlightLease;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.RedisServer;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The refresh lease on a real redis-server is renewed by its holder while the refresh call is in
 * flight, stops being renewed when released, is never renewed once another owner holds the key,
 * and the renewal thread stops with the filter's state.
 */
class LeaseRenewalRedisTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private RedisServer server;
    private RedisStateStore store;
    private SharedState state;

    @BeforeEach
    void start() {
        server = RedisServer.startOrSkip();
        store = new RedisStateStore(Clock.systemUTC());
        store.init(InitParams.resolve(Map.of("redis.url", server.url(), "redis.command-timeout", "1s",
                "redis.connect-timeout", "1s")));
        state = SharedState.create(MarkerNode.config(new MarkerNode.HsValidator(clock), store, clock));
    }

    @AfterEach
    void stop() {
        if (state != null) {
            state.close();
        }
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private String leaseKey(Jedis jedis) {
        return jedis.keys("*" + SharedState.FLIGHTS + "*").stream().findFirst().orElseThrow();
    }

    @Test
    void theHolderRenewsItsLeaseWhileTheCallIsInFlight() {
        FlightLease.Attempt held = state.flightLease().attempt("token-key-1");
        assertEquals(FlightLease.Answer.ACQUIRED, held.answer());
        assertEquals(1, state.leaseKeeper().kept());
        long ttl = SharedState.leaseTtl(MarkerNode.config(new MarkerNode.HsValidator(clock), store, clock)).toMillis();
        try (Jedis jedis = server.client()) {
            String key = leaseKey(jedis);
            jedis.pexpire(key, 500); // as if most of the lease had gone by during a slow call
            state.leaseKeeper().renewAllNow();
            long left = jedis.pttl(key);
            assertTrue(left > ttl - 5_000 && left <= ttl, "renewed to the full TTL: " + left + " of " + ttl);

            held.held().close();
            assertFalse(jedis.exists(key), "released by its owner");
            assertEquals(0, state.leaseKeeper().kept(), "no longer renewed");
        }
    }

    @Test
    void aLeaseAnotherOwnerTookIsNotRenewed() {
        FlightLease.Attempt held = state.flightLease().attempt("token-key-2");
        assertEquals(FlightLease.Answer.ACQUIRED, held.answer());
        try (Jedis jedis = server.client()) {
            String key = leaseKey(jedis);
            jedis.set(key, "another-node:1"); // lapsed and re-acquired elsewhere
            jedis.pexpire(key, 700);
            state.leaseKeeper().renewAllNow();
            assertTrue(jedis.pttl(key) <= 700, "another owner's lease keeps its own TTL");
            assertEquals("another-node:1", jedis.get(key));
            assertEquals(0, state.leaseKeeper().kept(), "a lost lease is dropped");
            held.held().close();
            assertEquals("another-node:1", jedis.get(key), "release is by owner only");
        }
    }

    @Test
    void closingTheStateStopsTheRenewalThread() {
        state.flightLease().attempt("token-key-3");
        assertFalse(state.leaseKeeper().stopped());
        state.close();
        assertTrue(state.leaseKeeper().stopped());
        assertEquals(0, state.leaseKeeper().kept());
    }
}
