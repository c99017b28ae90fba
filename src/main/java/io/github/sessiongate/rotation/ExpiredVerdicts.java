package io.github.sessiongate.rotation;

import io.github.sessiongate.Session;
import io.github.sessiongate.StateStore;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.store.InMemoryStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * "Expired, signature and claims genuine" verdicts, shared for a short while by this node's
 * requests with the same token, so a refresh storm (hundreds of requests arriving together with
 * one expired access token and one refresh token) verifies that token once, not once per request.
 * The single flight alone shares a verdict only with requests that arrive while it is being
 * computed; an RSA verification takes about 40 µs, so most of a storm would miss it.
 *
 * <p><b>Only what cannot change.</b> Only {@link ValidationResult.Expired} verdicts are kept: an
 * invalid or unavailable verdict never is, a valid one is the {@link ValidationCache}'s. Keyed by
 * the whole token itself (this memo never leaves the JVM, so it needs no digest), so another
 * spelling (a forged signature) never hits. A
 * genuine token that has expired stays expired, whatever the refresh that follows does (rotated,
 * refused or unavailable): reusing the verdict changes no decision, it only saves the signature
 * check. The checks that can change are made on every request as before, outside this memo: the
 * revocation list and the session markers (the request's one lookup, on a configured store too),
 * so a logout or a refused refresh ends the token at once; a refusal here or a logout also
 * {@linkplain #forget forgets} the verdict.
 *
 * <p><b>How long.</b> At most the validation cache's TTL ({@code cache-ttl}, default 2 s; zero
 * disables this memo too), on the filter's clock; and a verdict that still carries the session
 * lapsed within the validator's clock skew no longer than that skew lasts ({@code exp} plus
 * {@link io.github.sessiongate.TokenValidator#clockSkew()}), so the memo never serves a lapsed
 * session the validator would no longer serve. As the cache of valid results, a verdict may
 * outlive a signing key's removal by that TTL. A storm longer than the TTL verifies the token once
 * more per TTL.
 *
 * <p><b>How much.</b> In this JVM only (on a configured store too: it saves CPU, not round
 * trips), at most {@link #MAX_ENTRIES} tokens; when full, an eighth is evicted at once (a verdict
 * dropped costs one verification, nothing else). Only genuinely signed tokens enter, so junk
 * cannot fill it. Thread-safe.
 */
final class ExpiredVerdicts {
    /** Expired tokens remembered at most: the distinct tokens expiring on this node within one TTL. */
    static final int MAX_ENTRIES = 1_000;

    private final InMemoryStateStore held;
    private final Duration ttl;
    private final Supplier<Duration> skew;
    private final Clock clock;

    /**
     * @param ttl how long a verdict is shared at most; zero disables the memo
     * @param skew the validator's clock skew (how long past {@code exp} it still names the lapsed session)
     * @param clock the filter's clock
     * @param maxEntries verdicts held at most
     */
    ExpiredVerdicts(Duration ttl, Supplier<Duration> skew, Clock clock, int maxEntries) {
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.skew = Objects.requireNonNull(skew, "skew");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.held = new InMemoryStateStore(maxEntries, 1, clock);
    }

    /** The shared verdict on {@code token}, if one is still held. */
    Optional<ValidationResult.Expired> get(String token) {
        if (ttl.isZero() || held.size(StateStore.EntryClass.CACHE) == 0) {
            return Optional.empty();
        }
        return held.getLocal(token).filter(ValidationResult.Expired.class::isInstance).map(ValidationResult.Expired.class::cast);
    }

    /** Shares a verdict the validator has just returned for {@code token}. */
    void remember(String token, ValidationResult.Expired verdict) {
        if (ttl.isZero()) {
            return;
        }
        Instant now = clock.instant();
        Instant until = now.plus(ttl);
        Optional<Session> lapsed = verdict.lapsedWithinSkew();
        if (lapsed.isPresent()) {
            Optional<Instant> exp = lapsed.get().expiresAt();
            if (exp.isEmpty()) {
                return; // no expiry to bound the lapsed session by: not shared
            }
            Instant servesUntil = exp.get().plus(skew.get());
            if (servesUntil.isBefore(until)) {
                until = servesUntil;
            }
        }
        Duration left = Duration.between(now, until);
        if (left.toMillis() >= 1) {
            held.putLocal(token, verdict, left, StateStore.EntryClass.CACHE);
        }
    }

    /** Forgets the verdict on {@code token} (a logout, a refusal). */
    void forget(String token) {
        if (held.size(StateStore.EntryClass.CACHE) > 0) {
            held.delete(token);
        }
    }

    /** Verdicts held now, live or not yet swept. */
    int size() {
        return held.size(StateStore.EntryClass.CACHE);
    }
}
