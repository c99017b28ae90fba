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
 *
 * <p><b>What an entry holds, and its bound.</b> On the in-memory default store an entry is objects,
 * never bytes: its key (the slot prefix and the token's SHA-256 in hex, about 110 bytes), the
 * store's node and expiry (about 60 bytes), this {@link Entry}, and the {@link Session} the
 * validator made: the token string (its length plus about 40 bytes; the session needs it for
 * {@link Session#token()}), subject, roles, expiry and the claims map. A hit hands out that same
 * session: it never decrypts, deserialises or copies the claims. When a revocation list or session
 * markers need the token's {@link TokenIdentity}, it is read once per entry and its claims share the
 * session's map whenever they are the same (a JWT validated as is), so an entry keeps one copy of the
 * claims, not two. Measured with the default store: about 3.1 kB per entry for a 678-character HS256
 * token of ten claims (the token, eleven claim names and values as strings, the maps), that is
 * the token's length plus about 2.4 kB for ten claims (more claims, more); a token's size is
 * bounded by {@code cookie-max-total-bytes}.
 * The store never holds more than {@code cache-max-entries} of them (default 10,000: about 31 MB for
 * such tokens). A networked store holds the session sealed instead ({@link #CODEC}).
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
                if (!r.claims().isEmpty() && r.claims() != session.claims() && r.claims().equals(session.claims())) {
                    r = new TokenIdentity.Read(r.identity(), session.claims()); // one copy of the claims per entry
                }
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
        if (hit.isEmpty()) {
            return hit;
        }
        Optional<Instant> expiresAt = hit.get().session().expiresAt();
        return expiresAt.isEmpty() || expiresAt.get().isAfter(clock.instant()) ? hit : Optional.empty();
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
