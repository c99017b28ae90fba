package io.github.sessiongate.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.StateStore;
import io.github.sessiongate.StateStore.EntryClass;
import io.github.sessiongate.StateStore.Lease;
import io.github.sessiongate.StateStore.WriteResult;
import io.github.sessiongate.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link StateStore} keeps, as the interface's Javadoc writes it: run it for an
 * implementation by extending this class ({@code class RedisStateStoreContractTest extends
 * StateStoreContract}) and making a fresh, empty store on the given clock.
 *
 * <p>The bound-dependent tests ({@link #fullStoreRefusesSecurityEntries}, ...) need a store that
 * holds at most {@link #CAPACITY} entries of each class; an implementation that cannot be bounded
 * that small overrides {@link #boundedStoresCanBeMade()} to skip them. Concurrency uses real threads
 * released together by a latch; nothing sleeps.
 */
public abstract class StateStoreContract {
    /** The bound (per entry class) of a store from {@link #newBoundedStore}. */
    protected static final int CAPACITY = 16;
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final int THREADS = 8;

    protected MutableClock clock;
    private final List<StateStore> made = new ArrayList<>();
    private ExecutorService pool;

    /** A fresh, empty store whose TTLs run on {@code clock}. */
    protected abstract StateStore newStore(Clock clock);

    /** A fresh store holding at most {@link #CAPACITY} entries of each class; only if {@link #boundedStoresCanBeMade()}. */
    protected StateStore newBoundedStore(Clock clock) {
        throw new UnsupportedOperationException("override newBoundedStore, or boundedStoresCanBeMade to skip");
    }

    /** Whether {@link #newBoundedStore} is implemented. */
    protected boolean boundedStoresCanBeMade() {
        return true;
    }

    @BeforeEach
    void setUp() {
        clock = new MutableClock();
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        made.forEach(StateStore::close);
    }

    private StateStore store() {
        StateStore s = newStore(clock);
        made.add(s);
        return s;
    }

    private StateStore bounded() {
        org.junit.jupiter.api.Assumptions.assumeTrue(boundedStoresCanBeMade(), "no bounded store for this implementation");
        StateStore s = newBoundedStore(clock);
        made.add(s);
        return s;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- get, put, delete

    @Test
    void aMissingKeyReadsEmpty() {
        assertTrue(store().get("absent").isEmpty());
    }

    @Test
    void putThenGetReturnsEqualBytes() {
        StateStore s = store();
        byte[] value = {0, 1, 2, (byte) 0xff, 127};
        assertEquals(WriteResult.STORED, s.put("k", value, TTL, EntryClass.CACHE));
        assertArrayEquals(value, s.get("k").orElseThrow());
    }

    @Test
    void theStoreKeepsItsOwnCopyOfTheBytes() {
        StateStore s = store();
        byte[] value = bytes("abc");
        s.put("k", value, TTL, EntryClass.SECURITY);
        value[0] = 'x';
        s.get("k").orElseThrow()[1] = 'y';
        assertArrayEquals(bytes("abc"), s.get("k").orElseThrow());
    }

    @Test
    void putReplacesTheValueAndItsTtl() {
        StateStore s = store();
        s.put("k", bytes("one"), Duration.ofSeconds(5), EntryClass.SECURITY);
        assertEquals(WriteResult.STORED, s.put("k", bytes("two"), Duration.ofSeconds(60), EntryClass.SECURITY));
        clock.advance(Duration.ofSeconds(10));
        assertArrayEquals(bytes("two"), s.get("k").orElseThrow());
    }

    @Test
    void anEntryIsLiveUntilItsTtlAndGoneAfter() {
        StateStore s = store();
        s.put("k", bytes("v"), Duration.ofSeconds(10), EntryClass.CACHE);
        clock.advance(Duration.ofMillis(9_999));
        assertTrue(s.get("k").isPresent());
        clock.advance(Duration.ofMillis(1));
        assertTrue(s.get("k").isEmpty());
    }

    @Test
    void aNonPositiveTtlIsRefusedAsAProgrammingError() {
        StateStore s = store();
        assertThrows(IllegalArgumentException.class, () -> s.put("k", bytes("v"), Duration.ZERO, EntryClass.CACHE));
        assertThrows(IllegalArgumentException.class, () -> s.put("k", bytes("v"), Duration.ofSeconds(-1), EntryClass.CACHE));
    }

    @Test
    void deleteRemovesAndIsIdempotent() {
        StateStore s = store();
        s.put("k", bytes("v"), TTL, EntryClass.SECURITY);
        s.put("other", bytes("w"), TTL, EntryClass.CACHE);
        s.delete("k");
        s.delete("k");
        s.delete("never");
        assertTrue(s.get("k").isEmpty());
        assertTrue(s.get("other").isPresent());
    }

    @Test
    void keysAreExactStrings() {
        StateStore s = store();
        s.put("a:b", bytes("1"), TTL, EntryClass.CACHE);
        assertTrue(s.get("a:B").isEmpty());
        assertTrue(s.get("a:b ").isEmpty());
        assertTrue(s.get("a:b").isPresent());
    }

    // ---- getAll

    @Test
    void getAllReturnsOnlyTheLiveKeys() {
        StateStore s = store();
        s.put("a", bytes("1"), Duration.ofSeconds(5), EntryClass.CACHE);
        s.put("b", bytes("2"), Duration.ofSeconds(60), EntryClass.SECURITY);
        s.put("c", bytes("3"), Duration.ofSeconds(60), EntryClass.CACHE);
        clock.advance(Duration.ofSeconds(6));
        Map<String, byte[]> all = s.getAll(List.of("a", "b", "c", "missing"));
        assertEquals(Set.of("b", "c"), all.keySet());
        assertArrayEquals(bytes("2"), all.get("b"));
        assertArrayEquals(bytes("3"), all.get("c"));
    }

    @Test
    void getAllOfNothingIsEmpty() {
        assertTrue(store().getAll(List.of()).isEmpty());
    }

    // ---- putIfAbsent

    @Test
    void putIfAbsentStoresOnlyTheFirst() {
        StateStore s = store();
        assertEquals(WriteResult.STORED, s.putIfAbsent("k", bytes("first"), TTL, EntryClass.SECURITY));
        assertEquals(WriteResult.EXISTS, s.putIfAbsent("k", bytes("second"), TTL, EntryClass.SECURITY));
        assertArrayEquals(bytes("first"), s.get("k").orElseThrow());
    }

    @Test
    void putIfAbsentOverAnExpiredEntryStores() {
        StateStore s = store();
        s.putIfAbsent("k", bytes("old"), Duration.ofSeconds(1), EntryClass.CACHE);
        clock.advance(Duration.ofSeconds(2));
        assertEquals(WriteResult.STORED, s.putIfAbsent("k", bytes("new"), TTL, EntryClass.CACHE));
        assertArrayEquals(bytes("new"), s.get("k").orElseThrow());
    }

    @Test
    void putIfAbsentThatFindsAValueLeavesItsTtlAlone() {
        StateStore s = store();
        s.put("k", bytes("v"), Duration.ofSeconds(10), EntryClass.SECURITY);
        s.putIfAbsent("k", bytes("w"), Duration.ofHours(1), EntryClass.SECURITY);
        clock.advance(Duration.ofSeconds(11));
        assertTrue(s.get("k").isEmpty());
    }

    @Test
    void concurrentPutIfAbsentHasExactlyOneWinner() throws Exception {
        StateStore s = store();
        List<WriteResult> results = race(i -> s.putIfAbsent("contended", bytes("owner-" + i), TTL, EntryClass.SECURITY));
        assertEquals(1, results.stream().filter(r -> r == WriteResult.STORED).count(), results.toString());
        assertEquals(THREADS - 1, results.stream().filter(r -> r == WriteResult.EXISTS).count(), results.toString());
    }

    // ---- increment

    @Test
    void incrementCountsFromZeroAndReadsAsDecimalDigits() {
        StateStore s = store();
        assertEquals(1, s.increment("n", 1, TTL, EntryClass.SECURITY).orElseThrow());
        assertEquals(3, s.increment("n", 2, TTL, EntryClass.SECURITY).orElseThrow());
        assertEquals(-2, s.increment("n", -5, TTL, EntryClass.SECURITY).orElseThrow());
        assertArrayEquals(bytes("-2"), s.get("n").orElseThrow());
    }

    @Test
    void incrementSetsTheTtlOnCreateOnly() {
        StateStore s = store();
        s.increment("n", 1, Duration.ofSeconds(10), EntryClass.CACHE);
        clock.advance(Duration.ofSeconds(9));
        assertEquals(2, s.increment("n", 1, Duration.ofSeconds(10), EntryClass.CACHE).orElseThrow()); // does not extend the window
        clock.advance(Duration.ofSeconds(1));
        assertTrue(s.get("n").isEmpty());
        assertEquals(1, s.increment("n", 1, Duration.ofSeconds(10), EntryClass.CACHE).orElseThrow()); // a new window
    }

    @Test
    void concurrentIncrementsLoseNoCount() throws Exception {
        StateStore s = store();
        int perThread = 200;
        List<Long> last = race(i -> {
            long v = 0;
            for (int j = 0; j < perThread; j++) {
                v = s.increment("count", 1, TTL, EntryClass.SECURITY).orElseThrow();
            }
            return v;
        });
        assertEquals(THREADS * perThread, Long.parseLong(new String(s.get("count").orElseThrow(), StandardCharsets.US_ASCII)));
        assertEquals(THREADS * perThread, last.stream().mapToLong(Long::longValue).max().orElseThrow());
    }

    // ---- lease

    @Test
    void aLeaseIsExclusiveUntilReleased() {
        StateStore s = store();
        Lease mine = s.lease("job", "node-a", TTL).orElseThrow();
        assertEquals("job", mine.key());
        assertEquals("node-a", mine.owner());
        assertFalse(mine.expiresAt().isBefore(clock.instant().plus(TTL)), "a TTL may round up, never down");
        assertTrue(s.lease("job", "node-b", TTL).isEmpty());
        assertTrue(s.release(mine));
        assertTrue(s.lease("job", "node-b", TTL).isPresent());
    }

    @Test
    void aLeaseReadsAsItsOwner() {
        StateStore s = store();
        s.lease("job", "node-a:7", TTL).orElseThrow();
        assertArrayEquals(bytes("node-a:7"), s.get("job").orElseThrow());
    }

    @Test
    void onlyTheOwnerReleasesOrRenews() {
        StateStore s = store();
        Lease mine = s.lease("job", "node-a", TTL).orElseThrow();
        Lease forged = new Lease("job", "node-b", mine.expiresAt());
        assertFalse(s.release(forged));
        assertTrue(s.renew(forged, TTL).isEmpty());
        assertTrue(s.lease("job", "node-c", TTL).isEmpty(), "still held by node-a");
        assertTrue(s.release(mine));
    }

    @Test
    void aLapsedLeaseCanBeTakenAndTheOldOwnerCannotReleaseTheNewOne() {
        StateStore s = store();
        Lease old = s.lease("job", "node-a", Duration.ofSeconds(5)).orElseThrow();
        clock.advance(Duration.ofSeconds(5));
        Lease fresh = s.lease("job", "node-b", TTL).orElseThrow();
        assertFalse(s.release(old));
        assertTrue(s.renew(old, TTL).isEmpty());
        assertTrue(s.lease("job", "node-a", TTL).isEmpty(), "node-b's lease survived node-a's release");
        assertTrue(s.release(fresh));
    }

    @Test
    void renewExtendsTheOwnersLease() {
        StateStore s = store();
        Lease mine = s.lease("job", "node-a", Duration.ofSeconds(10)).orElseThrow();
        clock.advance(Duration.ofSeconds(8));
        Lease renewed = s.renew(mine, Duration.ofSeconds(10)).orElseThrow();
        assertFalse(renewed.expiresAt().isBefore(clock.instant().plus(Duration.ofSeconds(10))));
        clock.advance(Duration.ofSeconds(8)); // 16 s after the first acquire
        assertTrue(s.lease("job", "node-b", TTL).isEmpty());
        assertTrue(s.release(renewed));
    }

    @Test
    void aReleasedLeaseCannotBeRenewed() {
        StateStore s = store();
        Lease mine = s.lease("job", "node-a", TTL).orElseThrow();
        assertTrue(s.release(mine));
        assertFalse(s.release(mine));
        assertTrue(s.renew(mine, TTL).isEmpty());
    }

    @Test
    void concurrentLeasesHaveExactlyOneHolder() throws Exception {
        StateStore s = store();
        List<Optional<Lease>> results = race(i -> s.lease("refresh:abc", "owner-" + i, TTL));
        List<Lease> won = results.stream().flatMap(Optional::stream).toList();
        assertEquals(1, won.size(), results.toString());
        assertArrayEquals(bytes(won.get(0).owner()), s.get("refresh:abc").orElseThrow());
    }

    @Test
    void concurrentReleasesAndAcquiresNeverShowTwoHolders() throws Exception {
        StateStore s = store();
        // Each thread takes the lease in turn: acquire, check it is ours, release; no two ever overlap.
        int rounds = 100;
        Set<String> overlaps = java.util.concurrent.ConcurrentHashMap.newKeySet();
        race(i -> {
            String owner = "owner-" + i;
            int held = 0;
            while (held < rounds) {
                Optional<Lease> l = s.lease("turn", owner, TTL);
                if (l.isPresent()) {
                    byte[] seen = s.get("turn").orElse(new byte[0]);
                    if (!new String(seen, StandardCharsets.UTF_8).equals(owner)) {
                        overlaps.add(owner + " saw " + new String(seen, StandardCharsets.UTF_8));
                    }
                    if (!s.release(l.get())) {
                        overlaps.add(owner + " could not release its own lease");
                    }
                    held++;
                } else {
                    Thread.onSpinWait();
                }
            }
            return held;
        });
        assertTrue(overlaps.isEmpty(), overlaps.toString());
        assertTrue(s.get("turn").isEmpty());
    }

    // ---- classes and fullness

    @Test
    void aFullStoreRefusesSecurityEntriesAndKeepsTheLiveOnes() {
        StateStore s = bounded();
        for (int i = 0; i < CAPACITY; i++) {
            assertEquals(WriteResult.STORED, s.put("sec-" + i, bytes("v"), TTL, EntryClass.SECURITY));
        }
        assertEquals(WriteResult.FULL, s.put("sec-new", bytes("v"), TTL, EntryClass.SECURITY));
        assertEquals(WriteResult.FULL, s.putIfAbsent("sec-new", bytes("v"), TTL, EntryClass.SECURITY));
        assertTrue(s.lease("lease-new", "me", TTL).isEmpty(), "a lease is a security entry");
        for (int i = 0; i < CAPACITY; i++) {
            assertTrue(s.get("sec-" + i).isPresent(), "live security entry " + i + " was dropped");
        }
        assertTrue(s.get("sec-new").isEmpty());
    }

    @Test
    void aFullStoreStillReplacesAnExistingSecurityKey() {
        StateStore s = bounded();
        for (int i = 0; i < CAPACITY; i++) {
            s.put("sec-" + i, bytes("v"), TTL, EntryClass.SECURITY);
        }
        assertEquals(WriteResult.STORED, s.put("sec-3", bytes("w"), TTL, EntryClass.SECURITY));
        assertArrayEquals(bytes("w"), s.get("sec-3").orElseThrow());
    }

    @Test
    void expiredSecurityEntriesMakeRoom() {
        StateStore s = bounded();
        for (int i = 0; i < CAPACITY; i++) {
            s.put("sec-" + i, bytes("v"), Duration.ofSeconds(5), EntryClass.SECURITY);
        }
        clock.advance(Duration.ofSeconds(6));
        assertEquals(WriteResult.STORED, s.put("sec-new", bytes("v"), TTL, EntryClass.SECURITY));
    }

    @Test
    void aFullStoreEvictsCacheEntriesToTakeNewOnes() {
        StateStore s = bounded();
        for (int i = 0; i < CAPACITY * 4; i++) {
            assertEquals(WriteResult.STORED, s.put("cache-" + i, bytes("v"), TTL, EntryClass.CACHE), "cache write " + i);
        }
        assertTrue(s.get("cache-" + (CAPACITY * 4 - 1)).isPresent(), "the newest cache entry is kept");
        int live = s.getAll(keys("cache-", CAPACITY * 4)).size();
        assertTrue(live <= CAPACITY && live >= 1, "live cache entries: " + live);
    }

    @Test
    void cacheEntriesNeverPushOutSecurityEntries() {
        StateStore s = bounded();
        for (int i = 0; i < CAPACITY; i++) {
            s.put("sec-" + i, bytes("v"), TTL, EntryClass.SECURITY);
        }
        for (int i = 0; i < CAPACITY * 4; i++) {
            s.put("cache-" + i, bytes("v"), TTL, EntryClass.CACHE);
        }
        s.increment("cache-count", 1, TTL, EntryClass.CACHE);
        assertEquals(CAPACITY, s.getAll(keys("sec-", CAPACITY)).size());
    }

    @Test
    void aFullStoreRefusesANewSecurityCounter() {
        StateStore s = bounded();
        for (int i = 0; i < CAPACITY; i++) {
            s.put("sec-" + i, bytes("v"), TTL, EntryClass.SECURITY);
        }
        assertTrue(s.increment("count-new", 1, TTL, EntryClass.SECURITY).isEmpty());
        assertTrue(s.get("count-new").isEmpty());
    }

    @Test
    void concurrentSecurityWritesNeverOverfillByMuch() throws Exception {
        StateStore s = bounded();
        List<Integer> stored = race(i -> {
            int n = 0;
            for (int j = 0; j < CAPACITY; j++) {
                if (s.putIfAbsent("t" + i + "-" + j, bytes("v"), TTL, EntryClass.SECURITY) == WriteResult.STORED) {
                    n++;
                }
            }
            return n;
        });
        int total = stored.stream().mapToInt(Integer::intValue).sum();
        // Best effort under a race: a few over the bound at most, never the whole flood.
        assertTrue(total >= CAPACITY && total <= CAPACITY + THREADS, "stored " + total);
    }

    // ---- shared and lifecycle

    @Test
    void sharedAcrossNodesAnswersConsistently() {
        StateStore s = store();
        assertEquals(s.sharedAcrossNodes(), s.sharedAcrossNodes());
    }

    @Test
    void twoStoresFromTheFactoryDoNotLeakIntoEachOtherUnlessShared() {
        StateStore a = store();
        StateStore b = store();
        a.put("k", bytes("v"), TTL, EntryClass.CACHE);
        if (!a.sharedAcrossNodes()) {
            assertTrue(b.get("k").isEmpty());
        }
        assertTrue(a.get("k").isPresent());
    }

    private static List<String> keys(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    /** A task per thread, indexed, all released at once by one latch; their results in index order. */
    private <T> List<T> race(IntTask<T> task) throws Exception {
        CountDownLatch ready = new CountDownLatch(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int index = i;
            Callable<T> c = () -> {
                ready.countDown();
                assertTrue(go.await(10, TimeUnit.SECONDS));
                return task.run(index);
            };
            futures.add(pool.submit(c));
        }
        assertTrue(ready.await(10, TimeUnit.SECONDS));
        go.countDown();
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get(30, TimeUnit.SECONDS));
        }
        return out;
    }

    @FunctionalInterface
    private interface IntTask<T> {
        T run(int index) throws Exception;
    }
}
