package io.github.sessiongate.store;

import io.github.sessiongate.StateStore;
import io.github.sessiongate.StateStore.EntryClass;
import io.github.sessiongate.StateStore.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One kind of the engine's state (validation cache, tombstones, grace pairs, ...) as a typed
 * {@link ExpiringStore} over a {@link StateStore}: its keys under a prefix of its own, its entries
 * of one {@link EntryClass}.
 *
 * <p>Two paths. On the in-memory default ({@link InMemoryStateStore}) values stay the immutable
 * objects they are: nothing is encoded, sealed or decoded, so a cache hit costs a map lookup. On any
 * other store they are encoded by the {@link ValueCodec}, and sealed ({@link StateSeal}) when they
 * carry a token and a state key is configured (always, for a store shared across nodes).
 *
 * <p>Never throws for the store: an unavailable store reads as a miss and refuses writes
 * ({@link #put} returns {@code false}, as when full: a security write then fails closed with a
 * 503, never a 500 or a logout); unreadable bytes read as a miss. Each outage is reported to
 * {@code unavailable} (a rate-limited warning).
 *
 * @param <V> the value type; immutable
 */
public final class StateSlot<V> implements ExpiringStore<V> {
    private final StateStore store;
    private final InMemoryStateStore local;
    private final String prefix;
    private final EntryClass entryClass;
    private final ValueCodec<V> codec;
    private final StateSeal seal;
    private final Clock clock;
    private final Consumer<String> unavailable;

    /**
     * @param store where the entries live
     * @param prefix prepended to every key, so kinds never collide in a shared store
     * @param entryClass what a full store may do with these entries
     * @param codec how a value becomes bytes (unused on the in-memory default)
     * @param seal seals token-carrying values before they reach the store; {@code null} for none
     * @param clock the time source turning expiry instants into TTLs
     * @param unavailable told (with a short cause, no key or value) each time the store cannot answer
     */
    public StateSlot(StateStore store, String prefix, EntryClass entryClass, ValueCodec<V> codec, StateSeal seal,
            Clock clock, Consumer<String> unavailable) {
        this.store = Objects.requireNonNull(store, "store");
        this.local = store instanceof InMemoryStateStore m ? m : null;
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.entryClass = Objects.requireNonNull(entryClass, "entryClass");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.seal = codec.carriesToken() ? seal : null;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.unavailable = Objects.requireNonNull(unavailable, "unavailable");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<V> get(String key) {
        String k = prefix + key;
        if (local != null) {
            // Only this slot writes under its prefix, and only V: the cast is safe.
            return (Optional<V>) local.getLocal(k).filter(v -> !(v instanceof byte[]));
        }
        Optional<byte[]> bytes;
        try {
            bytes = store.get(k);
        } catch (StateStore.UnavailableException e) {
            unavailable.accept("read");
            return Optional.empty();
        }
        return bytes.flatMap(b -> decode(k, b));
    }

    @Override
    public boolean put(String key, V value, Instant expiresAt) {
        Objects.requireNonNull(value, "value");
        Duration ttl = Duration.between(clock.instant(), expiresAt);
        if (ttl.isNegative() || ttl.isZero()) {
            return false;
        }
        String k = prefix + key;
        if (local != null) {
            return local.putLocal(k, value, ttl, entryClass) == WriteResult.STORED;
        }
        byte[] bytes;
        try {
            bytes = codec.encode(value);
        } catch (RuntimeException e) {
            return false; // a value this codec cannot write (claims that are not JSON): not kept
        }
        WriteResult r;
        try {
            r = store.put(k, seal == null ? bytes : seal.seal(k, bytes), ttl, entryClass);
        } catch (StateStore.UnavailableException e) {
            r = WriteResult.UNAVAILABLE;
        }
        if (r == WriteResult.UNAVAILABLE) {
            unavailable.accept("write");
        }
        return r == WriteResult.STORED;
    }

    /** On the in-memory store, exact; elsewhere unknown, so {@code true}: a concurrent write may still fill it. */
    @Override
    public boolean hasRoom(int entries) {
        return local == null || local.hasRoom(entryClass, entries);
    }

    @Override
    public void remove(String key) {
        try {
            store.delete(prefix + key);
        } catch (StateStore.UnavailableException e) {
            unavailable.accept("delete");
        }
    }

    /**
     * On the in-memory default (one store per slot), the entries held; elsewhere unknown, so
     * {@link Integer#MAX_VALUE}: "maybe some", never a reason to skip a lookup.
     */
    @Override
    public int size() {
        return local != null ? local.size(entryClass) : Integer.MAX_VALUE;
    }

    private Optional<V> decode(String k, byte[] bytes) {
        Optional<byte[]> plain = seal == null ? Optional.of(bytes) : seal.open(k, bytes);
        try {
            return plain.map(codec::decode);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // another version, or tampered: a miss
        }
    }
}
