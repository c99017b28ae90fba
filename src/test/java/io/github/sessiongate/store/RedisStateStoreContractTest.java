package io.github.sessiongate.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.InitParams;
import io.github.sessiongate.StateStore;
import io.github.sessiongate.StateStore.EntryClass;
import io.github.sessiongate.StateStore.Lease;
import io.github.sessiongate.StateStore.WriteResult;
import io.github.sessiongate.redis.RedisStateStore;
import io.github.sessiongate.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The Redis store keeps the {@link StateStoreContract} against a real {@code redis-server}.
 *
 * <p>Redis expires keys by its own clock, which a {@code MutableClock} cannot move. The contract
 * tests that advance the clock are overridden here by equivalent checks that need no waiting:
 * the TTL the store gave is read back with {@code PTTL}, and "time passing" is done to the key
 * itself: {@code PEXPIRE} to what would remain, or {@code PEXPIREAT} in the past, which makes
 * Redis expire it at once through its ordinary expiry path. Redis cannot be bounded per entry
 * class, so the bounded-store tests are replaced by Redis's own bound: {@code maxmemory} under
 * {@code noeviction} makes every write {@link WriteResult#FULL}, and live entries stay.
 */
class RedisStateStoreContractTest extends StateStoreContract {
    private static final String PREFIX = "contract:";
    private static RedisServer server;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.startOrSkip();
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void emptyRedis() {
        try (Jedis j = server.client()) {
            j.flushAll();
            j.configSet("maxmemory", "0");
        }
    }

    @Override
    protected StateStore newStore(Clock clock) {
        RedisStateStore s = new RedisStateStore(clock);
        s.init(InitParams.resolve(Map.of("redis.url", server.url(), "redis.key-prefix", PREFIX,
                "redis.connect-timeout", "1s", "redis.command-timeout", "1s")));
        return s;
    }

    @Override
    protected boolean boundedStoresCanBeMade() {
        return false;
    }

    private StateStore redisStore() {
        return newStore(clock);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The TTL Redis holds for the store's key, in ms. */
    private static long pttl(String key) {
        try (Jedis j = server.client()) {
            return j.pttl(PREFIX + key);
        }
    }

    /** What would remain after time passed: the key's TTL set to {@code remainingMs}. */
    private static void remaining(String key, long remainingMs) {
        try (Jedis j = server.client()) {
            assertEquals(1, j.pexpire(PREFIX + key, remainingMs));
        }
    }

    /** The key's TTL ran out: an expiry time in the past, which Redis applies at once. */
    private static void lapse(String key) {
        try (Jedis j = server.client()) {
            j.pexpireAt(PREFIX + key, 1);
        }
    }

    private static void assertTtl(String key, long expectedMs) {
        long t = pttl(key);
        // Redis counts down from the moment it ran the command; a loaded machine may take a while.
        assertTrue(t <= expectedMs && t > expectedMs - 5_000, "PTTL " + t + ", expected about " + expectedMs);
    }

    // ---- the clock-moving contract tests, checked through PTTL and lapses

    @Test
    @Override
    void putReplacesTheValueAndItsTtl() {
        StateStore s = redisStore();
        s.put("k", bytes("one"), Duration.ofSeconds(5), EntryClass.SECURITY);
        assertEquals(WriteResult.STORED, s.put("k", bytes("two"), Duration.ofSeconds(60), EntryClass.SECURITY));
        assertTtl("k", 60_000);
        assertArrayEquals(bytes("two"), s.get("k").orElseThrow());
        s.close();
    }

    @Test
    @Override
    void anEntryIsLiveUntilItsTtlAndGoneAfter() {
        StateStore s = redisStore();
        s.put("k", bytes("v"), Duration.ofSeconds(10), EntryClass.CACHE);
        assertTtl("k", 10_000);
        remaining("k", 1_000);
        assertTrue(s.get("k").isPresent());
        lapse("k");
        assertTrue(s.get("k").isEmpty());
        s.close();
    }

    @Test
    @Override
    void getAllReturnsOnlyTheLiveKeys() {
        StateStore s = redisStore();
        s.put("a", bytes("1"), Duration.ofSeconds(5), EntryClass.CACHE);
        s.put("b", bytes("2"), Duration.ofSeconds(60), EntryClass.SECURITY);
        s.put("c", bytes("3"), Duration.ofSeconds(60), EntryClass.CACHE);
        lapse("a");
        Map<String, byte[]> all = s.getAll(List.of("a", "b", "c", "missing", "b"));
        assertEquals(Set.of("b", "c"), all.keySet());
        assertArrayEquals(bytes("2"), all.get("b"));
        assertArrayEquals(bytes("3"), all.get("c"));
        s.close();
    }

    @Test
    @Override
    void putIfAbsentOverAnExpiredEntryStores() {
        StateStore s = redisStore();
        s.putIfAbsent("k", bytes("old"), Duration.ofSeconds(1), EntryClass.CACHE);
        lapse("k");
        assertEquals(WriteResult.STORED, s.putIfAbsent("k", bytes("new"), Duration.ofSeconds(30), EntryClass.CACHE));
        assertArrayEquals(bytes("new"), s.get("k").orElseThrow());
        assertTtl("k", 30_000);
        s.close();
    }

    @Test
    @Override
    void putIfAbsentThatFindsAValueLeavesItsTtlAlone() {
        StateStore s = redisStore();
        s.put("k", bytes("v"), Duration.ofSeconds(10), EntryClass.SECURITY);
        assertEquals(WriteResult.EXISTS, s.putIfAbsent("k", bytes("w"), Duration.ofHours(1), EntryClass.SECURITY));
        assertTtl("k", 10_000);
        assertArrayEquals(bytes("v"), s.get("k").orElseThrow());
        s.close();
    }

    @Test
    @Override
    void incrementSetsTheTtlOnCreateOnly() {
        StateStore s = redisStore();
        s.increment("n", 1, Duration.ofSeconds(10), EntryClass.CACHE);
        assertTtl("n", 10_000);
        remaining("n", 1_000); // 9 s later
        assertEquals(2, s.increment("n", 1, Duration.ofSeconds(10), EntryClass.CACHE).orElseThrow());
        assertTrue(pttl("n") <= 1_000, "the window was not extended");
        lapse("n");
        assertTrue(s.get("n").isEmpty());
        assertEquals(1, s.increment("n", 1, Duration.ofSeconds(10), EntryClass.CACHE).orElseThrow()); // a new window
        assertTtl("n", 10_000);
        s.close();
    }

    @Test
    @Override
    void aLapsedLeaseCanBeTakenAndTheOldOwnerCannotReleaseTheNewOne() {
        StateStore s = redisStore();
        Lease old = s.lease("job", "node-a", Duration.ofSeconds(5)).orElseThrow();
        assertTtl("job", 5_000);
        lapse("job");
        Lease fresh = s.lease("job", "node-b", Duration.ofSeconds(30)).orElseThrow();
        assertFalse(s.release(old));
        assertTrue(s.renew(old, Duration.ofSeconds(30)).isEmpty());
        assertTrue(s.lease("job", "node-a", Duration.ofSeconds(30)).isEmpty(), "node-b's lease survived node-a's release");
        assertTrue(s.release(fresh));
        s.close();
    }

    @Test
    @Override
    void renewExtendsTheOwnersLease() {
        StateStore s = redisStore();
        Lease mine = s.lease("job", "node-a", Duration.ofSeconds(10)).orElseThrow();
        remaining("job", 2_000); // 8 s later
        Lease renewed = s.renew(mine, Duration.ofSeconds(10)).orElseThrow();
        assertFalse(renewed.expiresAt().isBefore(clock.instant().plus(Duration.ofSeconds(10))));
        assertTtl("job", 10_000);
        assertTrue(s.lease("job", "node-b", Duration.ofSeconds(30)).isEmpty());
        assertTrue(s.release(renewed));
        s.close();
    }

    // ---- Redis specifics

    @Test
    void isSharedAcrossNodesAndTwoStoresSeeTheSameEntries() {
        StateStore a = redisStore();
        StateStore b = redisStore();
        assertTrue(a.sharedAcrossNodes());
        a.put("k", bytes("v"), Duration.ofSeconds(30), EntryClass.SECURITY);
        assertArrayEquals(bytes("v"), b.get("k").orElseThrow());
        Lease l = a.lease("job", "node-a", Duration.ofSeconds(30)).orElseThrow();
        assertTrue(b.lease("job", "node-b", Duration.ofSeconds(30)).isEmpty());
        assertTrue(a.release(l));
        a.close();
        b.close();
    }

    @Test
    void keysAreStoredUnderThePrefixAndAnotherPrefixSeesNothing() {
        StateStore s = redisStore();
        s.put("k", bytes("v"), Duration.ofSeconds(30), EntryClass.CACHE);
        try (Jedis j = server.client()) {
            assertArrayEquals(bytes("v"), j.get(bytes(PREFIX + "k")));
            assertEquals(Set.of(PREFIX + "k"), j.keys("*"));
        }
        RedisStateStore other = new RedisStateStore(clock);
        other.init(InitParams.resolve(Map.of("redis.url", server.url(), "redis.key-prefix", "other-app:")));
        assertTrue(other.get("k").isEmpty());
        other.close();
        s.close();
    }

    @Test
    void aRedisOutOfMemoryIsFullForEveryWriteAndKeepsTheLiveEntries() {
        StateStore s = redisStore();
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            s.put("sec-" + i, bytes("v"), Duration.ofSeconds(30), EntryClass.SECURITY);
            kept.add("sec-" + i);
        }
        Lease held = s.lease("held", "node-a", Duration.ofSeconds(30)).orElseThrow();
        try (Jedis j = server.client()) {
            j.configSet("maxmemory", "1"); // noeviction: every write that needs memory is refused
        }
        try {
            assertEquals(WriteResult.FULL, s.put("sec-new", bytes("v"), Duration.ofSeconds(30), EntryClass.SECURITY));
            assertEquals(WriteResult.FULL, s.put("cache-new", bytes("v"), Duration.ofSeconds(30), EntryClass.CACHE));
            assertEquals(WriteResult.FULL, s.putIfAbsent("sec-new", bytes("v"), Duration.ofSeconds(30), EntryClass.SECURITY));
            assertTrue(s.lease("lease-new", "me", Duration.ofSeconds(30)).isEmpty());
            assertTrue(s.get("lease-new").isEmpty(), "no owner: the filter reads this as full");
            assertTrue(s.increment("count-new", 1, Duration.ofSeconds(30), EntryClass.SECURITY).isEmpty());
            assertEquals(kept.size(), s.getAll(kept).size(), "live entries stay");
            assertTrue(s.release(held), "a release frees memory and is allowed");
        } finally {
            try (Jedis j = server.client()) {
                j.configSet("maxmemory", "0");
            }
        }
        assertEquals(WriteResult.STORED, s.put("sec-new", bytes("v"), Duration.ofSeconds(30), EntryClass.SECURITY));
        s.close();
    }
}
