package io.github.sessiongate;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the filter keeps the short-lived state that must be shared across nodes to keep its
 * promises: the validation cache, the single-flight refresh lease, the rotation grace memo,
 * tombstones and revocations, and the login limiter's counts. The default holds it in this JVM's
 * memory, bounded; an implementation backed by a shared server (Redis, say) lets several nodes
 * keep those promises without sticky sessions.
 *
 * <p>Choose it in code with {@code GateConfig.Builder.stateStore(store)}, or in web.xml with
 * {@code state-store}: {@code memory} (the default), {@code redis}, or the class name of any
 * implementation:
 * <pre>{@code
 * <init-param><param-name>state-store</param-name>
 *   <param-value>com.example.MyStateStore</param-value></init-param>
 * <init-param><param-name>state-store-key</param-name>
 *   <param-value>${env:SESSIONGATE_STATE_KEY}</param-value></init-param>
 * }</pre>
 * A class named by {@code state-store} needs a public no-arg constructor; {@link #init} is
 * then called once with the filter's init-params, before any request.
 *
 * <p><b>Keys and values.</b> Keys are opaque strings: a short prefix per kind of state and, for a
 * store {@linkplain #sharedAcrossNodes() shared} across nodes, an HMAC-SHA-256 name under a subkey of
 * {@code state-store-key} (a SHA-256 digest in this JVM's memory), never a token, username or
 * address; an implementation may add its own prefix. Values are bytes the filter encodes explicitly (never Java serialisation); any value that
 * carries a token is sealed (JWE {@code dir}/{@code A256GCM} under {@code state-store-key}) before it
 * reaches a store that is {@linkplain #sharedAcrossNodes() shared}, so a dump of the store shows no
 * usable token. An implementation stores the bytes as given and returns equal bytes.
 *
 * <p><b>Classes of entry.</b> Each write names an {@link EntryClass}. A full store makes room by
 * evicting {@link EntryClass#CACHE CACHE} entries (their loss costs only work) and never drops a
 * live {@link EntryClass#SECURITY SECURITY} entry (a tombstone, a revocation): when it cannot take
 * one it answers {@link WriteResult#FULL}, and the filter fails closed with a 503.
 *
 * <p><b>Time.</b> Every entry has a TTL, at least one millisecond; an entry is live until then and
 * never read after it. An implementation may round a TTL up to its own resolution (a second, say),
 * never down. Implementations with a clock of their own take it as a {@link java.time.Clock} so
 * tests can move time.
 *
 * <p><b>Unavailable.</b> A store that cannot answer (server down, timeout) says so: writes return
 * {@link WriteResult#UNAVAILABLE}; other operations throw {@link UnavailableException}. It never
 * blocks longer than its own short timeout, and never throws anything else for an outage. The
 * filter then degrades to what one node can do: it keeps the state it writes meanwhile in its own
 * bounded memory (so a logout still holds on this node), reads a miss as a miss, and refreshes
 * without the cross-node lease. It never answers 500 and never signs anyone out because the
 * store is down. The filter treats any other runtime exception a client library throws the same
 * way (and logs only its class), but an implementation should not rely on that.
 *
 * <p><b>Threads.</b> Implementations are thread-safe; every operation is atomic on its key.
 */
public interface StateStore extends AutoCloseable {

    /** What a full store may drop. */
    enum EntryClass {
        /** Evicted first when the store is full: losing it costs a backend call, never security. */
        CACHE,
        /** Never evicted while live: a full store refuses a new one with {@link WriteResult#FULL}. */
        SECURITY
    }

    /** What a write did. */
    enum WriteResult {
        /** The value is stored. */
        STORED,
        /** {@link #putIfAbsent}: a live value was already there; nothing changed. */
        EXISTS,
        /** The store is full of entries it may not evict; nothing changed. */
        FULL,
        /** The store cannot answer now; nothing is known to have changed. */
        UNAVAILABLE
    }

    /**
     * A lease held by one owner until it expires, is released, or renewed. Compare-and-set on the
     * owner: only the owner that acquired it may {@link #renew} or {@link #release} it.
     *
     * @param key the leased key
     * @param owner who holds it (unique per node and call)
     * @param expiresAt when it lapses unless renewed, by the store's clock
     */
    record Lease(String key, String owner, Instant expiresAt) {
        public Lease {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /**
     * The store cannot answer now (server down, timeout, closed). The caller degrades to local
     * behaviour; it never becomes a 500 or a logout.
     */
    final class UnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message why, without any key or value */
        public UnavailableException(String message) {
            super(message);
        }

        /** @param message why, without any key or value; @param cause the transport's failure */
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Called once for a store named by {@code state-store}, right after its no-arg
     * constructor and before any request; never for a store handed to the builder. Read settings
     * of your own (prefixed, say {@code state-store-redis-url}) here. Default: nothing.
     *
     * @throws ConfigException naming the parameter at fault
     */
    default void init(InitParams params) {
    }

    /**
     * Whether other nodes see this store's entries. A shared store receives only sealed
     * token-carrying values, and the filter refuses to start one without {@code state-store-key}.
     */
    boolean sharedAcrossNodes();

    /**
     * The live value under the key.
     *
     * @return the bytes, or empty when absent or expired
     * @throws UnavailableException when the store cannot answer; the caller treats it as a miss
     */
    Optional<byte[]> get(String key);

    /**
     * The live values under several keys, in one round trip (Redis {@code MGET}). Each key is read
     * atomically; the set need not be a snapshot.
     *
     * @return the live keys only, to their bytes
     * @throws UnavailableException when the store cannot answer; the caller treats it as all misses
     */
    Map<String, byte[]> getAll(Collection<String> keys);

    /**
     * Stores the value for {@code ttl}, replacing any value and TTL under the key.
     *
     * @return {@link WriteResult#STORED}, {@link WriteResult#FULL} (a {@link EntryClass#SECURITY}
     *     entry the full store cannot take; a {@link EntryClass#CACHE} write evicts other cache
     *     entries instead, and is FULL only when the store holds nothing it may evict), or
     *     {@link WriteResult#UNAVAILABLE}; never throws for an outage
     */
    WriteResult put(String key, byte[] value, Duration ttl, EntryClass entryClass);

    /**
     * Stores the value for {@code ttl} only if no live value is under the key, atomically: of
     * concurrent callers on any node exactly one gets {@link WriteResult#STORED}.
     *
     * @return {@link WriteResult#STORED}, {@link WriteResult#EXISTS} (nothing changed, the TTL
     *     neither), {@link WriteResult#FULL} or {@link WriteResult#UNAVAILABLE}
     */
    WriteResult putIfAbsent(String key, byte[] value, Duration ttl, EntryClass entryClass);

    /**
     * Removes the key and its value, if any; idempotent.
     *
     * @throws UnavailableException when the store cannot answer
     */
    void delete(String key);

    /**
     * Adds {@code delta} to the counter under the key and returns the new count, atomically (Redis
     * {@code INCRBY}). A counter that does not exist (or expired) starts at zero and gets
     * {@code ttl}; an existing one keeps its TTL, so a window that starts at the first count ends
     * on time however often it is counted. The counter's value reads through {@link #get} as its
     * decimal ASCII digits.
     *
     * @return the count after adding; empty when a new counter could not be stored (full)
     * @throws UnavailableException when the store cannot answer; the caller counts locally
     */
    OptionalLong increment(String key, long delta, Duration ttl, EntryClass entryClass);

    /**
     * Acquires a lease on the key for {@code owner}, for {@code ttl}, if nobody else holds a live
     * one (Redis {@code SET NX PX}); of concurrent callers on any node at most one wins. A lease
     * is a {@link EntryClass#SECURITY} entry whose value reads through {@link #get} as the
     * owner's UTF-8 bytes; it lapses after its TTL whatever the owner does, so a crashed owner
     * blocks nobody for longer.
     *
     * @return the lease, or empty when another owner holds a live one or the full store cannot
     *     take it; the filter tells these apart by reading the key (a live owner means held, none
     *     means full, which fails closed like any full security store)
     * @throws UnavailableException when the store cannot answer; the caller proceeds without
     *     the cross-node lease (in-process de-duplication still holds)
     */
    Optional<Lease> lease(String key, String owner, Duration ttl);

    /**
     * Extends a live lease to {@code ttl} from now, only if {@code lease.owner()} still holds it.
     *
     * @return the renewed lease, or empty when it lapsed or another owner holds the key now
     * @throws UnavailableException when the store cannot answer
     */
    Optional<Lease> renew(Lease lease, Duration ttl);

    /**
     * Ends the lease, only if {@code lease.owner()} still holds it (a compare-and-delete: a lapsed
     * lease re-acquired by someone else is left alone).
     *
     * @return whether this owner's lease was removed
     * @throws UnavailableException when the store cannot answer
     */
    boolean release(Lease lease);

    /** Releases what the store holds (connections, threads); called once when the filter stops. Default: nothing. */
    @Override
    default void close() {
    }
}
