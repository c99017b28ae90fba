package io.github.sessiongate.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Short-lived state the filter shares between requests: the validation cache, the rotation grace
 * memo, tombstones and revocations. Keys are SHA-256 digests of tokens, never tokens.
 *
 * <p>Two classes of store: <b>security</b> stores (tombstones, access-token revocations, grace
 * and rotation-chain entries) refuse new entries when full and never evict a live one, so their
 * callers can fail closed ({@link #hasRoom}); <b>cache</b> stores (the negative cache of junk
 * refusals) may evict to make room, since losing an entry costs only a backend call.
 *
 * <p>The filter's own stores are {@link StateSlot}s over the configured
 * {@link io.github.sessiongate.StateStore} (the SPI a shared implementation such as Redis
 * implements); {@code StateSlot} is the filter's, over its {@code StateStore}; tests use a plain per-node one.
 * Implementations must be thread-safe and bounded: when full they refuse new entries
 * ({@link #put} returns {@code false}) rather than evict live ones, so a flood of distinct keys
 * can neither grow memory without bound nor push out every real user's entry.
 *
 * @param <V> the value type; immutable
 */
public interface ExpiringStore<V> {

    /** The live value under the key, if any. */
    Optional<V> get(String key);

    /**
     * Stores a value until {@code expiresAt}.
     *
     * @return {@code false} when the store is full and did not take it
     */
    boolean put(String key, V value, Instant expiresAt);

    /**
     * Whether {@code entries} new keys would be taken now (expired entries may be swept to make
     * room). A check, not a reservation: a concurrent writer may still fill the store. Default:
     * {@code true}, for stores that cannot tell.
     */
    default boolean hasRoom(int entries) {
        return true;
    }

    /** Removes the key, if present. */
    void remove(String key);

    /** Live and not-yet-swept entries. */
    int size();
}
