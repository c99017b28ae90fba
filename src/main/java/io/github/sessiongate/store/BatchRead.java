package io.github.sessiongate.store;

import io.github.sessiongate.StateStore;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Entries of several {@link ExpiringStore}s read together, so a request that needs a token's
 * revocation, its session's markers and perhaps its cached verdict pays one round trip: the
 * entries of {@link StateSlot}s over one networked {@link StateStore} are read with one
 * {@link StateStore#getAll} (Redis {@code MGET}); each slot computes its stored key and decodes (and
 * unseals) its own value. Slots in this JVM's memory, and any other store, are read directly (no
 * network). A store that cannot answer reads, for its slots, as what this node kept meanwhile (the
 * slots' fallback memory), never as an error.
 *
 * <p>One use per request: add the lookups, {@link #run} once, then read each {@link Lookup}. Not
 * thread-safe.
 */
public final class BatchRead {
    /** One entry to read: a store and the key within it; its value after {@link BatchRead#run}. */
    public static final class Lookup<V> {
        private final ExpiringStore<V> store;
        private final String key;
        private Optional<V> value = Optional.empty();

        private Lookup(ExpiringStore<V> store, String key) {
            this.store = store;
            this.key = key;
        }

        /** The live value, empty when absent (or before {@link BatchRead#run}). */
        public Optional<V> value() {
            return value;
        }

        private void readDirectly() {
            value = store.get(key);
        }

        @SuppressWarnings("unchecked")
        private StateSlot<V> slot() {
            return (StateSlot<V>) store;
        }
    }

    /** Made on the first {@link #add}: most requests (a warm hit on the in-memory store) add nothing. */
    private List<Lookup<?>> lookups;
    private boolean ran;

    /** Adds an entry to read. */
    public <V> Lookup<V> add(ExpiringStore<V> store, String key) {
        if (ran) {
            throw new IllegalStateException("already read");
        }
        Lookup<V> l = new Lookup<>(Objects.requireNonNull(store, "store"), Objects.requireNonNull(key, "key"));
        if (lookups == null) {
            lookups = new ArrayList<>(4);
        }
        lookups.add(l);
        return l;
    }

    /** Whether nothing was added. */
    public boolean isEmpty() {
        return lookups == null;
    }

    /** Reads every entry: one {@link StateStore#getAll} per networked store, the rest from memory. Never throws for a store. */
    public void run() {
        ran = true;
        if (lookups == null) {
            return;
        }
        Map<StateStore, List<Lookup<?>>> remote = new IdentityHashMap<>(2);
        for (Lookup<?> l : lookups) {
            StateStore s = l.store instanceof StateSlot<?> slot ? slot.remoteStore() : null;
            if (s == null) {
                l.readDirectly();
            } else {
                remote.computeIfAbsent(s, k -> new ArrayList<>(4)).add(l);
            }
        }
        remote.forEach(BatchRead::readAll);
    }

    private static void readAll(StateStore store, List<Lookup<?>> group) {
        Set<String> keys = new LinkedHashSet<>();
        for (Lookup<?> l : group) {
            keys.add(l.slot().storedKey(l.key));
        }
        Map<String, byte[]> found;
        try {
            found = store.getAll(List.copyOf(keys));
        } catch (RuntimeException e) {
            group.forEach(l -> failed(l, e));
            return;
        }
        Map<String, byte[]> map = found == null ? Map.of() : found; // a store breaking the contract: misses
        group.forEach(l -> fill(l, map));
    }

    private static <V> void failed(Lookup<V> l, RuntimeException e) {
        l.value = l.slot().batchFailed(l.slot().storedKey(l.key), e);
    }

    private static <V> void fill(Lookup<V> l, Map<String, byte[]> found) {
        String k = l.slot().storedKey(l.key);
        l.value = l.slot().fromBatch(k, found.get(k));
    }
}
