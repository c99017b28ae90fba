package io.github.sessiongate.rotation;

import io.github.sessiongate.audit.Fingerprint;
import io.github.sessiongate.store.BatchRead;
import io.github.sessiongate.store.ExpiringStore;
import io.github.sessiongate.store.KeyedNames;
import io.github.sessiongate.store.ValueCodec;
import java.io.DataInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Revocation markers for whole sessions, which stateless cookies cannot otherwise end everywhere:
 * a <b>sid marker</b> says "every session of the provider session {@code sid} is revoked" (an
 * OpenID back-channel logout, or a user's logout of an OIDC session); a <b>sub marker</b> says
 * "every session of this subject authenticated before T is revoked" (value T; a later mark keeps
 * the later T). Both are security entries (never evicted; a full store refuses them and the caller
 * fails closed), read by the request's one revocation lookup ({@link Validations}) and on refresh.
 *
 * <p><b>Names.</b> A marker's key never shows the {@code sid} or subject: with a state key it is
 * HMAC-SHA-256 under a subkey of it ({@link KeyedNames}, one purpose per kind), else a SHA-256
 * digest (the in-memory default, whose keys never leave the JVM).
 *
 * <p><b>Lifetime.</b> A marker lasts {@code ttl}: the configured absolute session lifetime
 * ({@code absolute-timeout}) when set, since no session it can revoke outlives that; else the
 * refresh cookie's Max-Age ({@code refresh-cookie-max-age}), the longest a browser keeps a session.
 *
 * <p><b>Auth time.</b> A sub marker compares T with when the session's user authenticated: the
 * first login the lifetime meta cookie records (when a live one of this subject is present), else
 * the token's {@code auth_time}, else its {@code iat}. A session whose auth time is unknown is
 * revoked by any sub marker of its subject (fail closed).
 *
 * <p><b>Written here.</b> Besides the store, markers written on this node are kept in its own
 * memory ({@code here}, when given), so a validation that ran while this node wrote a marker is
 * voided without another store round trip. Two nodes marking one subject at once may keep the
 * earlier of two T (a read then a write; the SPI has no compare-and-set of values). Thread-safe.
 */
public final class SessionMarkers {
    /** A sub marker's value: T, to the nanosecond. Carries no token. */
    public static final ValueCodec<Instant> INSTANT = ValueCodec.of(false, (v, out) -> {
        out.writeLong(v.getEpochSecond());
        out.writeInt(v.getNano());
    }, (DataInputStream in) -> Instant.ofEpochSecond(in.readLong(), in.readInt()));

    private final ExpiringStore<Boolean> sids;
    private final ExpiringStore<Instant> subjects;
    private final ExpiringStore<Boolean> sidsHere;
    private final ExpiringStore<Instant> subjectsHere;
    private final KeyedNames sidNames;
    private final KeyedNames subjectNames;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param sids the sid markers (a security store)
     * @param subjects the sub markers (a security store)
     * @param sidsHere this node's own memory of the sid markers it wrote, {@code null} when {@code sids} is that memory
     * @param subjectsHere likewise for sub markers
     * @param sidNames names sid keys; {@code null}: SHA-256 digests
     * @param subjectNames names sub keys; {@code null}: SHA-256 digests
     * @param ttl how long a marker lasts
     * @param clock the time source
     */
    public SessionMarkers(ExpiringStore<Boolean> sids, ExpiringStore<Instant> subjects, ExpiringStore<Boolean> sidsHere,
            ExpiringStore<Instant> subjectsHere, KeyedNames sidNames, KeyedNames subjectNames, Duration ttl, Clock clock) {
        this.sids = Objects.requireNonNull(sids, "sids");
        this.subjects = Objects.requireNonNull(subjects, "subjects");
        this.sidsHere = sidsHere;
        this.subjectsHere = subjectsHere;
        this.sidNames = sidNames;
        this.subjectNames = subjectNames;
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a marker's ttl must be positive");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** No markers at all: nothing is ever marked, nothing is looked up. */
    static SessionMarkers none() {
        return new SessionMarkers(Revocations.nothing(), Revocations.nothing(), null, null, null, null,
                Duration.ofSeconds(1), Clock.systemUTC());
    }

    /**
     * Revokes every session of the provider session {@code sid}, on every node sharing the store.
     *
     * @return {@code false} when the security store is full and the marker was not recorded: fail closed
     */
    public boolean revokeSid(String sid) {
        requireText(sid, "sid");
        Instant until = clock.instant().plus(ttl);
        String key = sidKey(sid);
        if (sidsHere != null) {
            sidsHere.put(key, Boolean.TRUE, until); // best effort: the store's marker is what counts
        }
        return sids.put(key, Boolean.TRUE, until);
    }

    /**
     * Revokes every session of {@code subject} authenticated before {@code authenticatedBefore}, on
     * every node sharing the store; a marker with a later T already there is kept.
     *
     * @return {@code false} when the security store is full and the marker was not recorded: fail closed
     */
    public boolean revokeSubject(String subject, Instant authenticatedBefore) {
        requireText(subject, "subject");
        Objects.requireNonNull(authenticatedBefore, "authenticatedBefore");
        Instant until = clock.instant().plus(ttl);
        String key = subjectKey(subject);
        Optional<Instant> existing = subjects.get(key);
        Instant t = existing.filter(e -> e.isAfter(authenticatedBefore)).orElse(authenticatedBefore);
        if (subjectsHere != null) {
            subjectsHere.put(key, t, until);
        }
        return subjects.put(key, t, until);
    }

    /** How long a marker lasts. */
    public Duration ttl() {
        return ttl;
    }

    /** Whether {@code count} more markers would be taken now. */
    public boolean hasRoom(int count) {
        return sids.hasRoom(count) && subjects.hasRoom(count);
    }

    /** Adds the sid marker's entry to a batched read; {@code null} when none can exist (cheap on an empty local store). */
    BatchRead.Lookup<Boolean> lookupSid(BatchRead batch, String sid) {
        return sids.size() > 0 ? batch.add(sids, sidKey(sid)) : null;
    }

    /** Adds the sub marker's entry to a batched read; {@code null} when none can exist. */
    BatchRead.Lookup<Instant> lookupSubject(BatchRead batch, String subject) {
        return subjects.size() > 0 ? batch.add(subjects, subjectKey(subject)) : null;
    }

    /** Whether any marker may exist (the store is networked, or this node's holds some). */
    boolean mayHoldAny() {
        return sids.size() > 0 || subjects.size() > 0;
    }

    /** Whether this node wrote a sid marker for {@code sid} (no network). */
    boolean sidMarkedHere(String sid) {
        ExpiringStore<Boolean> here = sidsHere != null ? sidsHere : sids;
        return here.size() > 0 && here.get(sidKey(sid)).isPresent();
    }

    /** The T of a sub marker this node wrote for {@code subject} (no network). */
    Optional<Instant> subjectMarkedHere(String subject) {
        ExpiringStore<Instant> here = subjectsHere != null ? subjectsHere : subjects;
        return here.size() > 0 ? here.get(subjectKey(subject)) : Optional.empty();
    }

    /**
     * Whether a sub marker's T revokes a session authenticated at {@code authTime}: when that is
     * before T, or unknown.
     */
    static boolean revokes(Instant t, Optional<Instant> authTime) {
        return authTime.isEmpty() || authTime.get().isBefore(t);
    }

    String sidKey(String sid) {
        return sidNames != null ? sidNames.name(sid) : digest("sid\0" + sid);
    }

    String subjectKey(String subject) {
        return subjectNames != null ? subjectNames.name(subject) : digest("sub\0" + subject);
    }

    private static String digest(String s) {
        return HexFormat.of().formatHex(Fingerprint.sha256(s));
    }

    private static void requireText(String s, String what) {
        if (Objects.requireNonNull(s, what).isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
    }

    @Override
    public String toString() {
        return "SessionMarkers[ttl=" + ttl + "]";
    }
}
