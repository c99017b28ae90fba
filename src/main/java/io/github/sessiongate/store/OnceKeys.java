package io.github.sessiongate.store;

import io.github.sessiongate.StateStore;
import io.github.sessiongate.StateStore.EntryClass;
import io.github.sessiongate.StateStore.WriteResult;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Keys that may be claimed once while they live ({@link EntryClass#SECURITY} entries under a prefix
 * of their own), such as the {@code jti}s of logout tokens: {@link StateStore#putIfAbsent}, so of
 * concurrent claims on any node exactly one wins. While a shared store cannot answer, claims land
 * in this node's own bounded memory, which is consulted first afterwards too, so a replay on this
 * node is caught either way. Never throws for the store. Thread-safe.
 */
public final class OnceKeys {
    private static final byte[] CLAIMED = {1};

    /** What {@link #claim} found. */
    public enum Claim {
        /** Not claimed before; now claimed for the TTL. */
        FIRST,
        /** Claimed before and still live. */
        SEEN,
        /** The store is full of entries it may not evict; nothing claimed. */
        FULL
    }

    private final StateStore shared;
    private final InMemoryStateStore own;
    private final String prefix;
    private final Consumer<String> unavailable;

    /**
     * @param shared the configured store, or {@code null} when this node's memory ({@code own}) is the store
     * @param own this node's bounded memory: the store itself, or the fallback while {@code shared} is down
     * @param prefix prepended to every key
     * @param unavailable told (with a short cause, no key) each time the shared store cannot answer
     */
    public OnceKeys(StateStore shared, InMemoryStateStore own, String prefix, Consumer<String> unavailable) {
        this.shared = shared;
        this.own = Objects.requireNonNull(own, "own");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.unavailable = Objects.requireNonNull(unavailable, "unavailable");
    }

    /** Claims {@code key} for {@code ttl} unless a live claim exists. */
    public Claim claim(String key, Duration ttl) {
        String k = prefix + key;
        if (shared == null) {
            return of(own.putIfAbsent(k, CLAIMED, ttl, EntryClass.SECURITY));
        }
        if (own.size(EntryClass.SECURITY) > 0 && own.getLocal(k).isPresent()) {
            return Claim.SEEN; // claimed here while the shared store was down
        }
        WriteResult r;
        try {
            r = shared.putIfAbsent(k, CLAIMED, ttl, EntryClass.SECURITY);
        } catch (RuntimeException e) {
            unavailable.accept("claim: " + e.getClass().getName());
            r = WriteResult.UNAVAILABLE;
        }
        if (r == null || r == WriteResult.UNAVAILABLE) {
            if (r == null) {
                unavailable.accept("claim");
            }
            return of(own.putIfAbsent(k, CLAIMED, ttl, EntryClass.SECURITY));
        }
        return of(r);
    }

    /** Forgets a claim, here and in the shared store. */
    public void release(String key) {
        String k = prefix + key;
        own.delete(k);
        if (shared != null) {
            try {
                shared.delete(k);
            } catch (RuntimeException e) {
                unavailable.accept("delete: " + e.getClass().getName());
            }
        }
    }

    private static Claim of(WriteResult r) {
        return switch (r) {
            case STORED -> Claim.FIRST;
            case EXISTS -> Claim.SEEN;
            default -> Claim.FULL;
        };
    }
}
