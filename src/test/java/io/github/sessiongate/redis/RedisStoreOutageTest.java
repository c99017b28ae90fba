package io.github.sessiongate.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.InitParams;
import io.github.sessiongate.StateStore.EntryClass;
import io.github.sessiongate.StateStore.Lease;
import io.github.sessiongate.StateStore.UnavailableException;
import io.github.sessiongate.StateStore.WriteResult;
import io.github.sessiongate.testing.Await;
import io.github.sessiongate.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis down or stalled, with the default timeouts (50 ms connect, 100 ms command): every write
 * answers {@link WriteResult#UNAVAILABLE} and every other operation throws
 * {@link UnavailableException}, promptly and nothing else; once Redis is back the same store works
 * again by itself.
 */
class RedisStoreOutageTest {
    /** Far above the 100 ms command timeout, far below a hang; generous for a loaded CI machine. */
    private static final Duration PROMPT = Duration.ofMillis(1_500);
    private static final Duration TTL = Duration.ofSeconds(30);

    private RedisServer server;
    private RedisStateStore store;

    @BeforeEach
    void start() {
        server = RedisServer.startOrSkip();
        store = new RedisStateStore(Clock.systemUTC());
        store.init(InitParams.resolve(Map.of("redis.url", server.url())));
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T prompt(String what, Supplier<T> op) {
        long start = System.nanoTime();
        T result = op.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(PROMPT) < 0, what + " took " + took.toMillis() + " ms");
        return result;
    }

    private static void promptlyUnavailable(String what, Runnable op) {
        prompt(what, () -> assertThrows(UnavailableException.class, op::run, what));
    }

    /** Every operation, with Redis unable to answer. */
    private void everyOperationIsUnavailable(Lease held) {
        assertEquals(WriteResult.UNAVAILABLE, prompt("put", () -> store.put("k", bytes("v"), TTL, EntryClass.SECURITY)));
        assertEquals(WriteResult.UNAVAILABLE, prompt("putIfAbsent",
                () -> store.putIfAbsent("k", bytes("v"), TTL, EntryClass.CACHE)));
        promptlyUnavailable("get", () -> store.get("k"));
        promptlyUnavailable("getAll", () -> store.getAll(List.of("k", "other")));
        promptlyUnavailable("delete", () -> store.delete("k"));
        promptlyUnavailable("increment", () -> store.increment("n", 1, TTL, EntryClass.SECURITY));
        promptlyUnavailable("lease", () -> store.lease("job", "node-b", TTL));
        promptlyUnavailable("renew", () -> store.renew(held, TTL));
        promptlyUnavailable("release", () -> store.release(held));
    }

    @Test
    void redisStoppedMidTestIsUnavailableThenWorksAgainWhenRestarted() {
        assertEquals(WriteResult.STORED, store.put("before", bytes("v"), TTL, EntryClass.SECURITY));
        Lease held = store.lease("job", "node-a", TTL).orElseThrow();

        server.stop();
        everyOperationIsUnavailable(held);
        everyOperationIsUnavailable(held); // and again: no state left broken, no slower second time

        server.start(); // empty again: no persistence
        Await.until("the store reconnects by itself", () -> store.put("after", bytes("w"), TTL,
                EntryClass.SECURITY) == WriteResult.STORED);
        assertArrayEquals(bytes("w"), store.get("after").orElseThrow());
        assertTrue(store.lease("job", "node-a", TTL).isPresent(), "the lost lease can be taken again");
        assertEquals(1, store.increment("n", 1, TTL, EntryClass.SECURITY).orElseThrow());
    }

    @Test
    void afterARestartTheFirstCommandOnAStalePooledConnectionSucceeds() throws Exception {
        // Pooled connections left idle: several at once, so more than one is stale after the restart.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CyclicBarrier barrier = new CyclicBarrier(8);
            List<Future<WriteResult>> writes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String k = "k" + i;
                writes.add(pool.submit(() -> {
                    barrier.await();
                    return store.put(k, bytes("v"), TTL, EntryClass.SECURITY);
                }));
            }
            for (Future<WriteResult> w : writes) {
                assertEquals(WriteResult.STORED, w.get());
            }
        } finally {
            pool.shutdownNow();
        }

        server.stop();
        server.start(); // nothing met the outage: every idle connection is dead, and the store does not know

        for (int i = 0; i < 8; i++) { // a logout's writes right after the restart: none may be lost
            assertEquals(WriteResult.STORED, store.put("after" + i, bytes("w"), TTL, EntryClass.SECURITY), "write " + i);
        }
        assertArrayEquals(bytes("w"), store.get("after0").orElseThrow());
        assertTrue(store.lease("job", "node-a", TTL).isPresent());
    }

    @Test
    void aStalledRedisTimesOutWithinTheCommandTimeout() {
        assertEquals(WriteResult.STORED, store.put("k", bytes("v"), TTL, EntryClass.SECURITY));
        Lease held = store.lease("job", "node-a", TTL).orElseThrow();
        server.freeze(); // up, port open, but nothing answers
        try {
            everyOperationIsUnavailable(held);
        } finally {
            server.thaw();
        }
        Await.until("the store works again", () -> store.put("k2", bytes("w"), TTL,
                EntryClass.SECURITY) == WriteResult.STORED);
        assertArrayEquals(bytes("v"), store.get("k").orElseThrow());
    }

    @Test
    void aClosedStoreIsUnavailableAndNothingElse() {
        Lease held = store.lease("job", "node-a", TTL).orElseThrow();
        store.close();
        everyOperationIsUnavailable(held);
        store.close(); // twice is harmless
    }

    @Test
    void aStoreMadeWhileRedisIsDownStartsAndConnectsLater() {
        server.stop();
        RedisStateStore late = new RedisStateStore(Clock.systemUTC());
        late.init(InitParams.resolve(Map.of("redis.url", server.url())));
        try {
            assertEquals(WriteResult.UNAVAILABLE, late.put("k", bytes("v"), TTL, EntryClass.CACHE));
            server.start();
            Await.until("the late store connects", () -> late.put("k", bytes("v"), TTL,
                    EntryClass.CACHE) == WriteResult.STORED);
        } finally {
            late.close();
        }
    }
}
