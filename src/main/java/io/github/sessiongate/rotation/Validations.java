package io.github.sessiongate.rotation;

import io.github.sessiongate.Session;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.StateStore;
import io.github.sessiongate.store.BatchRead;
import io.github.sessiongate.store.InMemoryStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Validation as the filter uses it: one revocation lookup, then the cache, then one call per token
 * at a time (concurrent requests with the same token share it), within the backend bulkhead when
 * the validator calls a backend. Thread-safe.
 *
 * <p><b>One round trip.</b> The lookup reads, in one {@link BatchRead} (one {@code MGET} on a
 * networked store, nothing over the network on the in-memory default), the token's revocation, its
 * session's sid marker and its sub marker ({@link SessionMarkers}), and the cached verdict when the
 * cache itself lives in that store. It is made even when an in-process cache answers: the cache
 * saves only the signature and claims work. A token signed out (here or on any node sharing the
 * store) is refused whatever the cache or the validator would say; a session a marker revokes is
 * refused as {@link #SESSION_REVOKED}. The sid is the provider-facts cookie's (when bound to the
 * session), else the token's {@code sid} claim, and the token's own {@code sid} too when the facts
 * name another (the same lookup; a facts cookie of another session never hides the token's own
 * sid); the subject the facts cookie's, else the token's
 * {@code sub}. An opaque token without a facts cookie names neither before its verdict: the first
 * time this node sees it, its markers are read in a second lookup once the validator (or the
 * shared cache) names the subject; the node then remembers the names (in-process, bounded), so
 * its later requests make the one round trip.
 *
 * <p><b>Junk first.</b> On a cache miss, a token the validator refuses on sight
 * ({@link TokenValidator#refusalOnSight}: malformed, a header it can never accept) is answered
 * at once, before the digest, the lookup and the flight: a validator that cannot say so keeps the
 * path above for every token.
 *
 * <p><b>Refresh storms.</b> An expired verdict (genuine, past {@code exp}) is shared with this
 * node's later requests presenting the same token for a short while ({@link ExpiredVerdicts}:
 * at most {@code cache-ttl}, bounded in size, in-process on any store), so concurrent requests with
 * one expired access token verify it once while one of them refreshes. The lookup above is made
 * for them all the same, so a revocation or marker still refuses them.
 *
 * <p><b>Signed out while the validator ran.</b> A verdict computed across a logout on this node is
 * void: after a validator call the node's own memory of what it revoked and marked is consulted
 * (no round trip). A logout on another node during the call is a logout just after the lookup.
 */
public final class Validations {
    /**
     * Where a result came from, for the counters: the cache of valid results; another request's
     * verdict ({@code SHARED}: a call in flight, or an expired verdict shared for a short while);
     * this request's validator call; the revocation list; a session marker.
     */
    public enum Source { CACHE, SHARED, CALLED, REVOKED, MARKED }

    /**
     * A result, its source, and for a validator call the time the validator took (0 when it did
     * not run: a verdict from elsewhere, a refusal on sight, a full bulkhead). Timed here, around
     * the call itself, so a cache hit reads no clock.
     */
    public record Checked(ValidationResult result, Source source, long nanos) {
        public Checked(ValidationResult result, Source source) {
            this(result, source, 0);
        }
    }

    /**
     * The verdict on a token whose session a sid or sub marker revoked (one instance, so callers
     * tell it from other refusals by identity): the session ends like a refused refresh.
     */
    public static final ValidationResult SESSION_REVOKED = ValidationResult.invalid(ValidationResult.Reason.REVOKED);

    /**
     * The answers to tokens refused on sight, one per reason, made once; counted as the validator's
     * verdicts ({@link Source#CALLED}), as when it refused them in {@link TokenValidator#validate}.
     */
    private static final Checked[] REFUSED_ON_SIGHT = java.util.Arrays.stream(ValidationResult.Reason.values())
            .map(r -> new Checked(ValidationResult.invalid(r), Source.CALLED)).toArray(Checked[]::new);

    private final TokenValidator validator;
    private final ValidationCache cache;
    private final Bulkhead bulkhead;
    private final Duration maxWait;
    private final Revocations revocations;
    private final SessionMarkers markers;
    private final SingleFlight<Checked> flights = new SingleFlight<>();
    /** Expired verdicts shared with later requests for a short while: one verification per refresh storm. */
    private final ExpiredVerdicts expired;
    /**
     * The sid and subject the validator named for opaque tokens seen on this node (in-process,
     * bounded, by token digest), so their later requests read the markers in the one lookup too.
     */
    private final InMemoryStateStore named = new InMemoryStateStore(NAMED_MAX, 1, Clock.systemUTC());
    /** Opaque tokens whose sid and subject this node remembers, at most. */
    static final int NAMED_MAX = 10_000;
    /** How long this node remembers them (a subject of a token never changes; this bounds stale memory). */
    static final Duration NAMED_TTL = Duration.ofMinutes(10);

    /** The sid and subject an opaque token's validated session named. */
    private record Named(Optional<String> sid, String subject) {
    }

    /**
     * @param validator the validator
     * @param cache the cache of valid results
     * @param bulkhead the bound on backend calls, used when the validator calls a backend
     * @param maxWait how long a request waits for another's validation of the same token
     */
    public Validations(TokenValidator validator, ValidationCache cache, Bulkhead bulkhead, Duration maxWait) {
        this(validator, cache, bulkhead, maxWait, Revocations.none());
    }

    /**
     * @param revocations the access tokens signed out, consulted before the cache and the validator
     */
    public Validations(TokenValidator validator, ValidationCache cache, Bulkhead bulkhead, Duration maxWait,
            Revocations revocations) {
        this(validator, cache, bulkhead, maxWait, revocations, SessionMarkers.none());
    }

    /** @param markers the sid and sub markers, read in the same lookup as the revocation */
    public Validations(TokenValidator validator, ValidationCache cache, Bulkhead bulkhead, Duration maxWait,
            Revocations revocations, SessionMarkers markers) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.bulkhead = Objects.requireNonNull(bulkhead, "bulkhead");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
        this.revocations = Objects.requireNonNull(revocations, "revocations");
        this.markers = Objects.requireNonNull(markers, "markers");
        this.expired = new ExpiredVerdicts(cache.ttl(), validator::clockSkew, cache.clock(), ExpiredVerdicts.MAX_ENTRIES);
    }

    /**
     * The verdict on a token the validator refused on sight before it was even copied out of its
     * request ({@link TokenValidator#refusalOnSight(String, int, int)}): what {@link #validate} answers
     * for it, since such a token is never held, revoked or marked. Made once per reason.
     */
    public static Checked refusedOnSight(ValidationResult.Reason reason) {
        return REFUSED_ON_SIGHT[reason.ordinal()];
    }

    /** Validates a token that comes with no other clue of its session. Never throws. */
    public Checked validate(String token) {
        return validate(token, SessionClues.NONE);
    }

    /** Validates a token, with what its request tells of its session. Never throws. */
    public Checked validate(String token, SessionClues clues) {
        return validate(token, clues, false);
    }

    /**
     * As {@link #validate(String, SessionClues)}; {@code passedSight} when the validator already
     * looked at this token on sight (as its cookie was read) and refused nothing, so it is not asked twice.
     */
    public Checked validate(String token, SessionClues clues, boolean passedSight) {
        // The in-process cache is keyed by the token itself: a hit needs no digest. Else the digest,
        // once per request: a cache in a store, the single flight and the expired verdicts share it.
        ValidationCache.Entry byToken = cache.hit(token);
        if (byToken != null && !revocations.mayHoldAny() && !markers.mayHoldAny()) {
            // Nothing revoked or marked anywhere this node can see: the lookup below would read
            // nothing, so the hit is the answer (and its Checked is the entry's, made once).
            return byToken.checked();
        }
        if (byToken == null && !passedSight) {
            // Junk the validator refuses on sight (no I/O, nothing allocated) is answered before any
            // digest, lookup or flight: a token that cannot be valid has no revocation, marker or verdict to find.
            ValidationResult.Reason onSight = validator.refusalOnSight(token);
            if (onSight != null) {
                return REFUSED_ON_SIGHT[onSight.ordinal()];
            }
        }
        boolean inProcess = cache.inProcess();
        // The digest only where a store is keyed by it; the single flight and the expired verdicts,
        // in this JVM only, are keyed by the token itself (no digest on a cold token's path).
        String key = byToken != null || inProcess && cache.byToken() ? null : TokenKey.of(token);
        Optional<ValidationCache.Entry> cached = byToken != null ? Optional.of(byToken)
                : inProcess && !cache.byToken() ? cache.entryByKey(key) : Optional.empty();
        // The token's identity and claims, parsed at most once (and never on a warm hit: the entry keeps them).
        Supplier<TokenIdentity.Read> read = cached.isPresent() ? () -> cached.get().read(token) : memo(() -> TokenIdentity.read(token));
        Named known = cache.inProcess() ? null
                : (Named) named.getLocal(key).filter(Named.class::isInstance).orElse(null);
        Subjects who = new Subjects(clues, read, known);

        // The one round trip: revocation, sid marker, sub marker, and the shared cache's entry.
        BatchRead batch = new BatchRead();
        BatchRead.Lookup<Boolean> revoked = revocations.mayHoldAny() ? revocations.lookup(batch, read.get().identity()) : null;
        boolean markable = markers.mayHoldAny();
        BatchRead.Lookup<Boolean> sidMark = markable && who.sid().isPresent() ? markers.lookupSid(batch, who.sid().get()) : null;
        BatchRead.Lookup<Instant> subMark = markable && who.subject().isPresent()
                ? markers.lookupSubject(batch, who.subject().get()) : null;
        // A facts cookie naming another sid must not hide the token's own: both are read (same round trip).
        BatchRead.Lookup<Boolean> tokenSidMark = markable && who.tokenSid().isPresent()
                ? markers.lookupSid(batch, who.tokenSid().get()) : null;
        BatchRead.Lookup<ValidationCache.Entry> shared = !inProcess && cache.enabled() ? batch.add(cache.store(), key) : null;
        if (!batch.isEmpty()) {
            batch.run();
        }
        if (revoked != null && revoked.value().isPresent()) {
            return new Checked(ValidationResult.invalid(ValidationResult.Reason.REVOKED), Source.REVOKED);
        }
        Optional<ValidationCache.Entry> hit = inProcess ? cached : shared == null ? Optional.empty() : cache.live(shared.value());
        ValidationResult result;
        Source source;
        long nanos = 0;
        if (hit.isPresent()) {
            result = ValidationResult.valid(hit.get().session());
            source = Source.CACHE;
        } else {
            Optional<ValidationResult.Expired> lapsed = expired.get(token);
            if (lapsed.isPresent()) {
                // Another request of this storm verified it: expired stays expired (ExpiredVerdicts).
                result = lapsed.get();
                source = Source.SHARED;
            } else {
                SingleFlight.Result<Checked> r = flights.run(token, () -> call(token, key), maxWait,
                        cause -> new Checked(ValidationResult.unavailable(cause), Source.SHARED));
                result = r.value().result();
                source = r.shared() ? Source.SHARED : r.value().source();
                nanos = r.shared() ? 0 : r.value().nanos();
            }
            if (result.kind() != ValidationResult.Kind.INVALID && revocations.revokedHere(() -> read.get().identity())) {
                // Signed out on this node while the validator ran: a verdict that started before the logout is void.
                evict(token);
                return new Checked(ValidationResult.invalid(ValidationResult.Reason.REVOKED), Source.REVOKED);
            }
        }
        if (markable && (marked(result, source, who, sidMark, subMark, read) || tokenSidMarked(result, source, who, tokenSidMark))) {
            evict(token);
            return new Checked(SESSION_REVOKED, Source.MARKED);
        }
        return new Checked(result, source, nanos);
    }

    /**
     * Whether a marker revokes the session the result proves (valid, or expired with its signature
     * checked); a refusal or no verdict has no session to revoke.
     */
    private boolean marked(ValidationResult result, Source source, Subjects who, BatchRead.Lookup<Boolean> sidMark,
            BatchRead.Lookup<Instant> subMark, Supplier<TokenIdentity.Read> read) {
        Session session;
        String sessionSubject;
        Map<String, Object> claims;
        if (result instanceof ValidationResult.Valid v) {
            session = v.session();
            sessionSubject = session.subject();
            claims = session.claims();
        } else if (result instanceof ValidationResult.Expired e) {
            session = e.lapsedWithinSkew().orElse(null);
            sessionSubject = session != null ? session.subject() : read.get().string("sub").orElse(null);
            claims = session != null ? session.claims() : read.get().claims();
        } else {
            return false;
        }
        if (sessionSubject == null) {
            return false;
        }
        Optional<String> sid = who.sid();
        Optional<String> subject = who.subject();
        boolean lookedUp = sid.isPresent() || subject.isPresent();
        if (!lookedUp && session != null && !cache.inProcess()) {
            named.putLocal(TokenKey.of(session.token()), new Named(claimText(claims, "sid"), sessionSubject), NAMED_TTL,
                    StateStore.EntryClass.CACHE);
        }
        Optional<Boolean> sidFound = sidMark == null ? Optional.empty() : sidMark.value();
        Optional<Instant> subFound = subMark == null ? Optional.empty() : subMark.value();
        if (!lookedUp && session != null) {
            // An opaque token and no facts cookie: the validator named the subject only now.
            sid = claimText(claims, "sid");
            subject = Optional.of(sessionSubject);
            BatchRead again = new BatchRead();
            BatchRead.Lookup<Boolean> s = sid.map(x -> markers.lookupSid(again, x)).orElse(null);
            BatchRead.Lookup<Instant> u = markers.lookupSubject(again, subject.get());
            again.run();
            sidFound = s == null ? Optional.empty() : s.value();
            subFound = u == null ? Optional.empty() : u.value();
        }
        if (source != Source.CACHE) {
            // Marked on this node while the validator ran: its own memory, no round trip.
            if (sid.isPresent() && markers.sidMarkedHere(sid.get())) {
                sidFound = Optional.of(Boolean.TRUE);
            }
            if (subject.isPresent()) {
                Optional<Instant> here = markers.subjectMarkedHere(subject.get());
                if (here.isPresent() && (subFound.isEmpty() || here.get().isAfter(subFound.get()))) {
                    subFound = here;
                }
            }
        }
        // Facts of another session (planted next to this one) say nothing about it: a mark found
        // through the facts counts only when they are bound to this session's subject (opened only then).
        boolean viaFacts = who.sidFromFacts() && sidFound.isPresent() || who.subjectFromFacts() && subFound.isPresent();
        if (viaFacts && !who.clues().boundTo(sessionSubject)) {
            if (who.sidFromFacts()) {
                sidFound = Optional.empty();
            }
            if (who.subjectFromFacts()) {
                subFound = Optional.empty();
            }
        }
        if (sidFound.isPresent()) {
            return true;
        }
        if (subFound.isPresent()) {
            Optional<Instant> authTime = who.clues().authenticatedAt(sessionSubject)
                    .or(() -> TokenIdentity.numericDate(claims.get("auth_time")))
                    .or(() -> TokenIdentity.numericDate(claims.get("iat")));
            return SessionMarkers.revokes(subFound.get(), authTime);
        }
        return false;
    }

    /**
     * Whether the sid the token itself names (signed, so read only from a verified session) is
     * marked, when the request's facts cookie named another one: planting the facts cookie of
     * another session of the same subject must not dodge this session's sid marker.
     */
    private boolean tokenSidMarked(ValidationResult result, Source source, Subjects who, BatchRead.Lookup<Boolean> mark) {
        Optional<String> sid = who.tokenSid();
        Session session = result instanceof ValidationResult.Valid v ? v.session()
                : result instanceof ValidationResult.Expired e ? e.lapsedWithinSkew().orElse(null) : null;
        if (sid.isEmpty() || session == null || !sid.equals(claimText(session.claims(), "sid"))) {
            return false;
        }
        return mark != null && mark.value().isPresent() || source != Source.CACHE && markers.sidMarkedHere(sid.get());
    }

    private static Optional<String> claimText(Map<String, Object> claims, String name) {
        return claims.get(name) instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
    }

    /**
     * The sid and subject whose markers a token's session answers to: the facts cookie's when it
     * states them (bound to the session later), else the token's own claims.
     */
    private static final class Subjects {
        private final SessionClues clues;
        private final Supplier<TokenIdentity.Read> read;
        private final Named known;
        private Optional<String> sid;
        private Optional<String> tokenSid;
        private Optional<String> subject;

        Subjects(SessionClues clues, Supplier<TokenIdentity.Read> read, Named known) {
            this.clues = clues;
            this.read = read;
            this.known = known;
        }

        SessionClues clues() {
            return clues;
        }

        boolean sidFromFacts() {
            return clues.sid().isPresent();
        }

        boolean subjectFromFacts() {
            return clues.subject().isPresent();
        }

        /** The token's own {@code sid} claim when the facts cookie names a different sid; else empty. */
        Optional<String> tokenSid() {
            if (tokenSid == null) {
                Optional<String> facts = clues.sid();
                tokenSid = facts.isEmpty() ? Optional.empty() : read.get().string("sid").filter(s -> !s.equals(facts.get()));
            }
            return tokenSid;
        }

        Optional<String> sid() {
            if (sid == null) {
                sid = clues.sid().or(() -> read.get().string("sid")).or(() -> known == null ? Optional.empty() : known.sid());
            }
            return sid;
        }

        Optional<String> subject() {
            if (subject == null) {
                subject = clues.subject().or(() -> read.get().string("sub"))
                        .or(() -> known == null ? Optional.empty() : Optional.of(known.subject()));
            }
            return subject;
        }
    }

    private static <T> Supplier<T> memo(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    /** Whether an access token was signed out (for paths that serve a lapsed token). */
    public boolean isRevoked(String token) {
        return revocations.isRevoked(token);
    }

    /** The access tokens signed out. */
    public Revocations revocations() {
        return revocations;
    }

    /** The sid and sub markers. */
    public SessionMarkers markers() {
        return markers;
    }

    /** Forgets a token's cached result, and its shared expired verdict. */
    public void evict(String token) {
        cache.evict(token);
        expired.forget(token);
    }

    /** Expired verdicts held now (for tests of the bound). */
    int expiredVerdicts() {
        return expired.size();
    }

    private Checked call(String token, String key) {
        // A flight that ended between this request's look and its own flight left its verdict:
        // looked up again here, so a storm verifies its token exactly once.
        Optional<ValidationResult.Expired> lapsed = expired.get(token);
        if (lapsed.isPresent()) {
            return new Checked(lapsed.get(), Source.SHARED);
        }
        boolean bounded = validator.callsBackendToValidate();
        if (bounded && !bulkhead.tryEnter()) {
            return new Checked(ValidationResult.unavailable("backend bulkhead full"), Source.CALLED);
        }
        try {
            long started = System.nanoTime();
            ValidationResult result = validator.validate(token);
            long nanos = System.nanoTime() - started;
            if (result instanceof ValidationResult.Valid v) {
                cache.putFor(token, key, v.session());
            } else if (result instanceof ValidationResult.Expired e) {
                expired.remember(token, e); // before the flight ends: a later request finds one or the other
            }
            return new Checked(result, Source.CALLED, nanos);
        } finally {
            if (bounded) {
                bulkhead.leave();
            }
        }
    }
}
