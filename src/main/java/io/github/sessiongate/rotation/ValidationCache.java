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
 * Valid sessions by token (in this JVM: the token itself, {@link TokenTable}; in a store shared
 * across nodes: its digest, {@link TokenKey}), for a short time ({@code cache-ttl}, default 2 s) and never past
 * the token's own expiry. Only valid results are kept: a refusal is never cached, so a backend
 * that is fixed, or a token that becomes valid, is seen at once, and junk tokens take no memory.
 *
 * <p><b>What an entry holds, and its bound.</b> On the in-memory default store an entry is objects,
 * never bytes: its key (a {@link TokenTable} key holding the session's own token string, about 32
 * bytes), the table's node (about 32 bytes), this {@link Entry} with its expiry, and the {@link Session} the
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
        /** Until when (epoch millis) the in-process table serves it; unused in a store, which keeps its own expiry. */
        final long until;
        private volatile TokenIdentity.Read read;
        private volatile Validations.Checked checked;

        Entry(Session session) {
            this(session, Long.MAX_VALUE);
        }

        Entry(Session session, long until) {
            this.session = session;
            this.until = until;
        }

        /** The cached session. */
        public Session session() {
            return session;
        }

        /** This entry as a cache hit's verdict: made on the first hit, then shared (immutable). */
        Validations.Checked checked() {
            Validations.Checked c = checked;
            if (c == null) {
                c = new Validations.Checked(io.github.sessiongate.ValidationResult.valid(session), Validations.Source.CACHE);
                checked = c; // a race makes two equal ones
            }
            return c;
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

    /** Where entries live, keyed by {@link TokenKey}; {@code null} when {@link #table} holds them. */
    private final ExpiringStore<Entry> store;
    /** The in-process cache: entries keyed by the token itself, no digest; {@code null} with a {@link #store}. */
    private final TokenTable table;
    private final Duration ttl;
    private final long ttlMillis;
    private final Clock clock;

    /**
     * A cache in a store, keyed by the token's {@link TokenKey} (a store shared across nodes never
     * sees a token).
     *
     * @param store where entries live
     * @param ttl how long a valid result is reused; zero disables the cache
     * @param clock the time source
     */
    public ValidationCache(ExpiringStore<Entry> store, Duration ttl, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.table = null;
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.ttlMillis = Math.max(1, ttl.toMillis());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The in-process cache (the default in-memory store): entries keyed by the token string itself
     * ({@link TokenTable}), so a hit costs a hash of the token and no digest. The entry holds the
     * token once (the session's, which is the key); instead of a store's key of about 110 bytes it
     * takes a key object of about 32 bytes and a table node.
     *
     * @param maxEntries entries held at most ({@code cache-max-entries}); when full an eighth is evicted
     * @param ttl how long a valid result is reused; zero disables the cache
     * @param clock the time source
     */
    public ValidationCache(int maxEntries, Duration ttl, Clock clock) {
        this.store = null;
        this.table = new TokenTable(maxEntries);
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.ttlMillis = Math.max(1, ttl.toMillis());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Whether the entries live in this JVM (objects, no network): then the request's revocation
     * lookup is separate from the cache; else the cache's entry joins that lookup's one round trip.
     */
    boolean inProcess() {
        return table != null || !(store instanceof io.github.sessiongate.store.StateSlot<?> slot && slot.networked());
    }

    /** Whether entries are keyed by the token itself ({@link #hit}), not by its digest. */
    boolean byToken() {
        return table != null;
    }

    /**
     * The live entry for the token in the in-process table, else {@code null} (a miss, a cache
     * in a store, or the cache off). Costs no digest and allocates nothing but a key probe.
     */
    Entry hit(String token) {
        if (table == null || ttl.isZero()) {
            return null;
        }
        return table.get(token, clock.millis());
    }

    /**
     * The token string the in-process table holds equal to {@code source[from, to)}, for a request to
     * take instead of copying its cookie value ({@link io.github.sessiongate.cookie.HeldTokens}); {@code null}
     * when none is held, or for a cache in a store. Says nothing of validity: the token is validated as any other.
     */
    public String heldToken(String source, int from, int to) {
        return table == null ? null : table.held(source, from, to);
    }

    /**
     * Entries the in-process table holds now (live or not yet swept), for the metrics;
     * {@code -1} for a cache in a store, whose size this node cannot know cheaply.
     */
    public int size() {
        return table == null ? -1 : table.size();
    }

    /** Entries the in-process table holds now (live or not yet swept); 0 for a cache in a store. */
    int heldInProcess() {
        return table == null ? 0 : table.size();
    }

    /** The store, for a batched read ({@link Validations}); {@code null} for the in-process table. */
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
        if (table != null) {
            return Optional.ofNullable(hit(token)).map(Entry::session);
        }
        return ttl.isZero() ? Optional.empty() : getByKey(TokenKey.of(token));
    }

    /** As {@link #get(String)}, by the token's {@link TokenKey} (computed once per request). */
    Optional<Session> getByKey(String key) {
        return entryByKey(key).map(Entry::session);
    }

    /** The live entry under the token's {@link TokenKey}, if any; always empty for the in-process table. */
    Optional<Entry> entryByKey(String key) {
        if (ttl.isZero() || table != null) {
            return Optional.empty();
        }
        // The store's clock decides liveness; the session's own expiry is checked again here.
        return live(store.get(key));
    }

    /** Caches a valid session until the earlier of the TTL and the token's expiry. */
    public void put(String token, Session session) {
        if (!ttl.isZero()) {
            putFor(token, null, session);
        }
    }

    /**
     * As {@link #put(String, Session)}, by the token's {@link TokenKey} ({@code null}: computed here
     * when a store needs it). The in-process table keys the entry by the session's token, the
     * token validated.
     */
    void putFor(String token, String key, Session session) {
        if (ttl.isZero()) {
            return;
        }
        if (table != null) {
            if (!token.equals(session.token())) {
                return; // a validator naming another token: never cached under a token it did not check
            }
            long now = clock.millis();
            long until = now + ttlMillis < now ? Long.MAX_VALUE : now + ttlMillis;
            if (session.expiresAt().isPresent()) {
                until = Math.min(until, session.expiresAt().get().toEpochMilli());
            }
            if (until > now) {
                table.put(new Entry(session, until), now);
            }
            return;
        }
        putByKey(key != null ? key : TokenKey.of(token), session);
    }

    /** As {@link #put(String, Session)}, by the token's {@link TokenKey}, in the store. */
    private void putByKey(String key, Session session) {
        Instant until = clock.instant().plus(ttl);
        if (session.expiresAt().isPresent() && session.expiresAt().get().isBefore(until)) {
            until = session.expiresAt().get();
        }
        store.put(key, new Entry(session), until);
    }

    /** Forgets the token (logout, refusal). */
    public void evict(String token) {
        if (table != null) {
            table.remove(token);
        } else {
            store.remove(TokenKey.of(token));
        }
    }
}
