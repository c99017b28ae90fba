package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.StateStore;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.store.InMemoryStateStore;
import io.github.sessiongate.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every warm request that carries a session makes exactly one store call, a {@code getAll} of the
 * token's revocation key and its session's sid and sub markers: with the local validation cache
 * answering or not, with or without a {@code sid}. A counting wrapper around the in-memory store
 * stands for a networked one (it is not the in-memory default, so every slot goes through it).
 */
class RevocationLookupCountTest {
    private final MutableClock clock = new MutableClock();
    private final Counting store = new Counting(clock);
    private final MarkerNode.HsValidator validator = new MarkerNode.HsValidator(clock);
    private final MarkerNode node = new MarkerNode(validator, store, clock);

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aCacheHitWithASidMakesOneGetAllOfThreeKeys() throws Exception {
        TokenPair pair = validator.login("alice", "sid-1");
        assertEquals(200, node.get(pair.accessToken(), pair.refreshToken()).status()); // cold: fills the local cache
        for (int i = 0; i < 5; i++) {
            store.ops.clear();
            assertEquals(200, node.get(pair.accessToken(), pair.refreshToken()).status());
            assertEquals(List.of("getAll 3 [sg:r:, sg:s:, sg:u:]"), store.ops, "one round trip per warm request");
        }
    }

    @Test
    void aCacheMissMakesOneGetAllToo() throws Exception {
        TokenPair pair = validator.login("alice", "sid-1");
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(3)); // past the 2 s cache: the signature is checked again
            store.ops.clear();
            assertEquals(200, node.get(pair.accessToken(), pair.refreshToken()).status());
            assertEquals(List.of("getAll 3 [sg:r:, sg:s:, sg:u:]"), store.ops, "no other call on a cache miss");
        }
    }

    @Test
    void withoutASidTheLookupHasTwoKeysInOneCall() throws Exception {
        TokenPair pair = validator.login("bob", null);
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(i % 2 == 0 ? 0 : 3)); // hits and misses
            store.ops.clear();
            assertEquals(200, node.get(pair.accessToken(), null).status());
            assertEquals(List.of("getAll 2 [sg:r:, sg:u:]"), store.ops);
        }
    }

    @Test
    void theLocalJwtCacheIsNeverWrittenToTheStore() throws Exception {
        TokenPair pair = validator.login("alice", "sid-1");
        for (int i = 0; i < 3; i++) {
            node.get(pair.accessToken(), null);
        }
        assertTrue(store.all.stream().noneMatch(o -> o.contains(SharedState.VALIDATIONS)), store.all.toString());
    }

    @Test
    void aBackendValidatorsCachedVerdictJoinsTheSameCall() throws Exception {
        MarkerNode.HsValidator remote = new MarkerNode.HsValidator(clock, true);
        try (MarkerNode backendNode = new MarkerNode(remote, store, clock)) {
            TokenPair pair = remote.login("carol", "sid-3");
            assertEquals(200, backendNode.get(pair.accessToken(), null).status()); // fills the shared cache
            store.ops.clear();
            assertEquals(200, backendNode.get(pair.accessToken(), null).status());
            assertEquals(List.of("getAll 4 [sg:r:, sg:s:, sg:u:, sg:v:]"), store.ops);
        }
    }

    /** Forwards to an in-memory store and records each call (kind, key count, key prefixes). */
    static final class Counting implements StateStore {
        final InMemoryStateStore inner;
        final List<String> ops = Collections.synchronizedList(new ArrayList<>());
        final List<String> all = Collections.synchronizedList(new ArrayList<>());

        Counting(Clock clock) {
            this.inner = new InMemoryStateStore(10_000, 10_000, clock);
        }

        private void record(String op) {
            ops.add(op);
            all.add(op);
        }

        private static String prefix(String key) {
            return key.substring(0, Math.min(5, key.length()));
        }

        @Override
        public boolean sharedAcrossNodes() {
            return true;
        }

        @Override
        public Optional<byte[]> get(String key) {
            record("get " + prefix(key));
            return inner.get(key);
        }

        @Override
        public Map<String, byte[]> getAll(Collection<String> keys) {
            record("getAll " + keys.size() + " " + keys.stream().map(Counting::prefix).sorted().toList());
            return inner.getAll(keys);
        }

        @Override
        public WriteResult put(String key, byte[] value, Duration ttl, EntryClass entryClass) {
            record("put " + prefix(key));
            return inner.put(key, value, ttl, entryClass);
        }

        @Override
        public WriteResult putIfAbsent(String key, byte[] value, Duration ttl, EntryClass entryClass) {
            record("putIfAbsent " + prefix(key));
            return inner.putIfAbsent(key, value, ttl, entryClass);
        }

        @Override
        public void delete(String key) {
            record("delete " + prefix(key));
            inner.delete(key);
        }

        @Override
        public OptionalLong increment(String key, long delta, Duration ttl, EntryClass entryClass) {
            record("increment " + prefix(key));
            return inner.increment(key, delta, ttl, entryClass);
        }

        @Override
        public Optional<Lease> lease(String key, String owner, Duration ttl) {
            record("lease " + prefix(key));
            return inner.lease(key, owner, ttl);
        }

        @Override
        public Optional<Lease> renew(Lease lease, Duration ttl) {
            record("renew");
            return inner.renew(lease, ttl);
        }

        @Override
        public boolean release(Lease lease) {
            record("release");
            return inner.release(lease);
        }
    }
}
