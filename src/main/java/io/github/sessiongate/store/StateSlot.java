package io.github.sessiongate.store;

import io.github.sessiongate.StateStore;
import io.github.sessiongate.StateStore.EntryClass;
import io.github.sessiongate.StateStore.WriteResult;
import io.github.sessiongate.internal.RateLimitedWarning;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Never throws for the store. While the store cannot answer, the slot falls back to this
 * node's own bounded memory ({@code fallback}): writes land there (a logout's tombstones and
 * revocations then hold on this node, as with the default store), and reads consult it, so the
 * filter keeps its per-node promises, never answers 500 and never signs anyone out because the
 * store is down. Without a fallback an unavailable store reads as a miss and refuses writes
 * ({@link #put} returns {@code false}: a security write then fails closed with a 503). Unreadable
 * bytes (a value that does not unseal under this node's state key, or does not decode) read as a
 * miss, and are logged at WARN at most once a minute per kind of state, naming the kind (its key
 * prefix) only: the usual cause is a node with another {@code state-store-key}. Any runtime exception of the store (a client's own, not only
 * {@link StateStore.UnavailableException}) is such an outage. Each outage is reported to
 * {@code unavailable} (a rate-limited warning naming the exception's class, never a key or value).
 *
 * @param <V> the value type; immutable
 */
public final class StateSlot<V> implements ExpiringStore<V> {
    private static final Logger LOG = LoggerFactory.getLogger(StateSlot.class);
    /** How often an unreadable value is logged at WARN per slot; the rest go to DEBUG. */
    static final Duration UNREADABLE_LOG_INTERVAL = Duration.ofMinutes(1);

    private final StateStore store;
    private final InMemoryStateStore local;
    private final String prefix;
    private final EntryClass entryClass;
    private final ValueCodec<V> codec;
    private final StateSeal seal;
    private final Clock clock;
    private final Consumer<String> unavailable;
    private final InMemoryStateStore fallback;
    private final RateLimitedWarning unreadable;
    /** Names the keys in a shared store (HMAC under the state key), or {@code null} to use them as given. */
    private final KeyedNames names;

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
        this(store, prefix, entryClass, codec, seal, clock, unavailable, null);
    }

    /**
     * @param fallback this node's memory for the time the store cannot answer (bounded, objects);
     *     {@code null} for none; unused when {@code store} is itself in memory
     */
    public StateSlot(StateStore store, String prefix, EntryClass entryClass, ValueCodec<V> codec, StateSeal seal,
            Clock clock, Consumer<String> unavailable, InMemoryStateStore fallback) {
        this(store, prefix, entryClass, codec, seal, clock, unavailable, fallback, null);
    }

    /**
     * @param names names every key before it reaches {@code store} ({@link KeyedNames}: HMAC-SHA-256
     *     under the shared state key), so a dump of a shared store holds no digest of a token that
     *     anyone with the token could compute; {@code null} keeps the keys as given
     */
    public StateSlot(StateStore store, String prefix, EntryClass entryClass, ValueCodec<V> codec, StateSeal seal,
            Clock clock, Consumer<String> unavailable, InMemoryStateStore fallback, KeyedNames names) {
        this.names = names;
        this.store = Objects.requireNonNull(store, "store");
        this.local = store instanceof InMemoryStateStore m ? m : null;
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.entryClass = Objects.requireNonNull(entryClass, "entryClass");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.seal = codec.carriesToken() ? seal : null;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.unavailable = Objects.requireNonNull(unavailable, "unavailable");
        this.fallback = local != null ? null : fallback;
        this.unreadable = new RateLimitedWarning(LOG, this.clock, UNREADABLE_LOG_INTERVAL, "A value of the kind {} in "
                + "the state store did not open (sealed under another state-store-key, tampered with, or written by "
                + "another version) and counts as absent; check that every node has the same state-store-key");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<V> get(String key) {
        String k = stored(key);
        if (local != null) {
            // Only this slot writes under its prefix, and only V: the cast is safe.
            return (Optional<V>) local.getLocal(k).filter(v -> !(v instanceof byte[]));
        }
        Optional<byte[]> bytes;
        try {
            bytes = store.get(k);
        } catch (RuntimeException e) {
            failed("read", e);
            return fromFallback(k);
        }
        if (bytes == null) {
            bytes = Optional.empty(); // a store breaking the contract: a miss
        }
        Optional<V> found = bytes.flatMap(b -> decode(k, b));
        return found.isPresent() ? found : fromFallback(k);
    }

    /** The key under which {@code key} is held: the slot's prefix, then the key or its keyed name. */
    private String stored(String key) {
        return prefix + (names == null ? key : names.name(key));
    }

    /** Whether this slot's store is not this JVM's memory (a read may cost a round trip). */
    public boolean networked() {
        return local == null;
    }

    /** The store this slot reads over the network, or {@code null} when its store is this JVM's memory. For {@link BatchRead}. */
    StateStore remoteStore() {
        return local == null ? store : null;
    }

    /** The key the store holds for {@code key}: the slot's prefix and the key. For {@link BatchRead}. */
    String storedKey(String key) {
        return stored(key);
    }

    /**
     * The value a batched read found under {@code storedKey} ({@code null}: absent), decoded and
     * unsealed as {@link #get} does, else what this node kept while the store was down.
     */
    Optional<V> fromBatch(String storedKey, byte[] bytes) {
        Optional<V> found = bytes == null ? Optional.empty() : decode(storedKey, bytes);
        return found.isPresent() ? found : fromFallback(storedKey);
    }

    /** What a batched read that failed with {@code e} reads under {@code storedKey}: this node's fallback memory. */
    Optional<V> batchFailed(String storedKey, RuntimeException e) {
        failed("read", e);
        return fromFallback(storedKey);
    }

    /** What this node wrote while the store could not answer; cheap when it wrote nothing. */
    @SuppressWarnings("unchecked")
    private Optional<V> fromFallback(String k) {
        if (fallback == null || fallback.size(entryClass) == 0) {
            return Optional.empty();
        }
        return (Optional<V>) fallback.getLocal(k).filter(v -> !(v instanceof byte[]));
    }

    @Override
    public boolean put(String key, V value, Instant expiresAt) {
        Objects.requireNonNull(value, "value");
        Duration ttl = Duration.between(clock.instant(), expiresAt);
        if (ttl.isNegative() || ttl.isZero()) {
            return false;
        }
        String k = stored(key);
        if (local != null) {
            return local.putLocal(k, value, ttl, entryClass) == WriteResult.STORED;
        }
        byte[] bytes;
        try {
            bytes = codec.encode(value);
        } catch (RuntimeException e) {
            return false; // a value this codec cannot write (claims that are not JSON): not kept
        }
        byte[] stored;
        try {
            stored = seal == null ? bytes : seal.seal(k, bytes);
        } catch (RuntimeException e) {
            return false; // not kept, as a value the codec cannot write
        }
        WriteResult r;
        RuntimeException thrown = null;
        try {
            r = store.put(k, stored, ttl, entryClass);
        } catch (RuntimeException e) {
            thrown = e;
            r = WriteResult.UNAVAILABLE;
        }
        if (r == null) {
            r = WriteResult.UNAVAILABLE; // a store breaking the contract: nothing is known to have changed
        }
        if (r == WriteResult.UNAVAILABLE) {
            if (thrown != null) {
                failed("write", thrown);
            } else {
                unavailable.accept("write");
            }
            return fallback != null && fallback.putLocal(k, value, ttl, entryClass) == WriteResult.STORED;
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
        if (fallback != null) {
            fallback.delete(stored(key));
        }
        try {
            store.delete(stored(key));
        } catch (RuntimeException e) {
            failed("delete", e);
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

    /**
     * Any runtime exception of the store is an outage, as {@link StateStore.UnavailableException}
     * is: a store client's own exceptions never become a 500. The warning names the exception's
     * class only (its message may quote a key or value).
     */
    private void failed(String operation, RuntimeException e) {
        unavailable.accept(operation + ": " + e.getClass().getName());
    }

    private Optional<V> decode(String k, byte[] bytes) {
        Optional<byte[]> plain = seal == null ? Optional.of(bytes) : seal.open(k, bytes);
        if (plain.isEmpty()) {
            unreadable.warn(prefix); // the kind only: never the key or the value
            return Optional.empty();
        }
        try {
            return plain.map(codec::decode);
        } catch (RuntimeException e) {
            unreadable.warn(prefix); // another version, tampered, or not a value of ours: a miss
            return Optional.empty();
        }
    }
}
