package io.github.sessiongate.rotation;

import io.github.sessiongate.Session;
import io.github.sessiongate.store.ExpiringStore;
import io.github.sessiongate.store.ValueCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Valid sessions by token digest, for a short time ({@code cache-ttl}, default 2 s) and never past
 * the token's own expiry. Only valid results are kept: a refusal is never cached, so a backend
 * that is fixed, or a token that becomes valid, is seen at once, and junk tokens take no memory.
 */
public final class ValidationCache {
    /**
     * A cached session and, computed at most once and only when a revocation list needs it, the
     * token's {@link TokenIdentity}: a cache hit then costs no claims parse even after a logout.
     */
    public static final class Entry {
        private final Session session;
        private volatile TokenIdentity.Read read;

        Entry(Session session) {
            this.session = session;
        }

        /** The cached session. */
        public Session session() {
            return session;
        }

        /** The identity of {@code token}, the token this entry was cached for. */
        String identity(String token) {
            return read(token).identity();
        }

        /** The identity and unverified claims of {@code token}, parsed at most once per entry. */
        TokenIdentity.Read read(String token) {
            TokenIdentity.Read r = read;
            if (r == null) {
                r = TokenIdentity.read(token); // idempotent: a race computes the same value twice
                read = r;
            }
            return r;
        }
    }

    /** How an entry leaves the JVM (a store that is not the in-memory default): its session, sealed. */
    public static final ValueCodec<Entry> CODEC = ValueCodec.SESSION.mapped(Entry::session, Entry::new);

    private final ExpiringStore<Entry> store;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param store where entries live
     * @param ttl how long a valid result is reused; zero disables the cache
     * @param clock the time source
     */
    public ValidationCache(ExpiringStore<Entry> store, Duration ttl, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Whether the entries live in this JVM (objects, no network): then the request's revocation
     * lookup is separate from the cache; else the cache's entry joins that lookup's one round trip.
     */
    boolean inProcess() {
        return !(store instanceof io.github.sessiongate.store.StateSlot<?> slot && slot.networked());
    }

    /** The store, for a batched read ({@link Validations}). */
    ExpiringStore<Entry> store() {
        return store;
    }

    /** Whether the cache is on (a TTL above zero). */
    boolean enabled() {
        return !ttl.isZero();
    }

    /** How long a verdict is reused ({@code cache-ttl}); {@link ExpiredVerdicts} shares expired ones as long. */
    Duration ttl() {
        return ttl;
    }

    /** The filter's clock. */
    Clock clock() {
        return clock;
    }

    /** A found entry, if the session it holds is still live by its own expiry. */
    Optional<Entry> live(Optional<Entry> hit) {
        return hit.filter(e -> e.session().expiresAt().map(x -> x.isAfter(clock.instant())).orElse(true));
    }

    /** The cached session for the token, if any and still live. */
    public Optional<Session> get(String token) {
        return ttl.isZero() ? Optional.empty() : getByKey(TokenKey.of(token));
    }

    /** As {@link #get(String)}, by the token's {@link TokenKey} (computed once per request). */
    Optional<Session> getByKey(String key) {
        return entryByKey(key).map(Entry::session);
    }

    /** The live entry under the token's {@link TokenKey}, if any. */
    Optional<Entry> entryByKey(String key) {
        if (ttl.isZero()) {
            return Optional.empty();
        }
        // The store's clock decides liveness; the session's own expiry is checked again here.
        return live(store.get(key));
    }

    /** Caches a valid session until the earlier of the TTL and the token's expiry. */
    public void put(String token, Session session) {
        if (!ttl.isZero()) {
            putByKey(TokenKey.of(token), session);
        }
    }

    /** As {@link #put(String, Session)}, by the token's {@link TokenKey}. */
    void putByKey(String key, Session session) {
        if (ttl.isZero()) {
            return;
        }
        Instant until = clock.instant().plus(ttl);
        if (session.expiresAt().isPresent() && session.expiresAt().get().isBefore(until)) {
            until = session.expiresAt().get();
        }
        store.put(key, new Entry(session), until);
    }

    /** Forgets the token (logout, refusal). */
    public void evict(String token) {
        store.remove(TokenKey.of(token));
    }
}
