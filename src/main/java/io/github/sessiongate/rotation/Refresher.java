package io.github.sessiongate.rotation;

import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Trades a refresh token for new tokens so that no user is ever logged out by a race.
 *
 * <ol>
 *   <li>Grace: a token exchanged moments ago gets the same new pair again, with no backend call.</li>
 *   <li>Single flight: concurrent requests with the same refresh token make one backend call and
 *       share its result. Keyed by the token's digest, never by user.</li>
 *   <li>Bulkhead: past the bound on backend calls in flight, the answer is "unavailable" at once.</li>
 *   <li>The new access token is validated like any other before it is used; if it fails, the
 *       refresh counts as unavailable (the pair is still remembered, so a retry within the grace
 *       window cannot trip the backend's reuse detection); a refusal of it is carried as such
 *       ({@link RefreshOutcome#refusal()}), so it is reported as a refusal, not an outage.</li>
 *   <li>A definitive refusal, like a logout ({@link #end}), ends the chain: the token and every
 *       descendant the memo knows are tombstoned, the access tokens minted along it revoked on
 *       this node, and the descendant refresh tokens revoked at the backend.</li>
 *   <li>A refresh that completes after its token was ended revokes the pair it just received and
 *       counts as refused; the tombstones are checked again just before a pair is handed out.</li>
 *   <li>Security state is never silently dropped: when its stores are full, the refresh is
 *       unavailable (503, no cookie cleared) before the backend is asked.</li>
 * </ol>
 * Thread-safe; starts no thread.
 */
public final class Refresher {
    private final TokenValidator validator;
    private final Validations validations;
    private final GraceMemo memo;
    private final Bulkhead bulkhead;
    private final Duration maxWait;
    private final Consumer<String> revokeAtBackend;
    private final Runnable securityStoreFull;
    /** Presented refresh values never issued here that a logout handles, at most: the rest are ignored. */
    static final int MAX_STRANGERS = 8;

    private final SingleFlight<RefreshOutcome> flights = new SingleFlight<>();
    private final FlightLease leases;

    public Refresher(TokenValidator validator, Validations validations, GraceMemo memo, Bulkhead bulkhead,
            Duration maxWait) {
        this(validator, validations, memo, bulkhead, maxWait, token -> { }, () -> { });
    }

    /**
     * @param revokeAtBackend revokes a refresh token at the backend, best effort, never throws
     * @param securityStoreFull told each time security state could not be recorded (for counters
     *     and a rate-limited warning)
     */
    public Refresher(TokenValidator validator, Validations validations, GraceMemo memo, Bulkhead bulkhead,
            Duration maxWait, Consumer<String> revokeAtBackend, Runnable securityStoreFull) {
        this(validator, validations, memo, bulkhead, maxWait, revokeAtBackend, securityStoreFull, FlightLease.LOCAL);
    }

    /**
     * @param leases the cross-node lease taken around each rotation (on top of the in-process
     *     de-duplication); {@link FlightLease#LOCAL} for one node
     */
    public Refresher(TokenValidator validator, Validations validations, GraceMemo memo, Bulkhead bulkhead,
            Duration maxWait, Consumer<String> revokeAtBackend, Runnable securityStoreFull, FlightLease leases) {
        this.leases = Objects.requireNonNull(leases, "leases");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.validations = Objects.requireNonNull(validations, "validations");
        this.memo = Objects.requireNonNull(memo, "memo");
        this.bulkhead = Objects.requireNonNull(bulkhead, "bulkhead");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
        this.revokeAtBackend = Objects.requireNonNull(revokeAtBackend, "revokeAtBackend");
        this.securityStoreFull = Objects.requireNonNull(securityStoreFull, "securityStoreFull");
    }

    /** Refreshes a token that comes with no other clue of its session. Never throws. */
    public RefreshOutcome refresh(String refreshToken) {
        return refresh(refreshToken, SessionClues.NONE);
    }

    /**
     * Refreshes. Never throws. A tombstoned token (in any spelling) is refused without a backend
     * call. The new pair is handed out only if its access token validates with no session marker
     * against it ({@link SessionMarkers}, read with the request's {@code clues}): a grace-memo hit
     * of a session revoked since, or a rotation that raced a back-channel logout, ends the chain as
     * a refusal does.
     */
    public RefreshOutcome refresh(String refreshToken, SessionClues clues) {
        if (memo.isForgotten(refreshToken)) {
            return RefreshOutcome.refused(RefreshOutcome.Via.TOMBSTONE);
        }
        Optional<TokenPair> remembered = memo.recall(refreshToken); // never a forgotten token's pair
        if (remembered.isPresent()) {
            return validated(refreshToken, remembered.get(), RefreshOutcome.Via.GRACE, clues);
        }
        SingleFlight.Result<RefreshOutcome> r = flights.run(TokenKey.of(refreshToken), () -> lead(refreshToken, clues), maxWait,
                cause -> RefreshOutcome.unavailable(cause, RefreshOutcome.Via.SHARED));
        return r.shared() ? r.value().shared() : r.value();
    }

    /**
     * Ends the chain of a session a sid or sub marker revoked, as a refusal does: tombstones for
     * the refresh tokens this node knows of it and their chains, revocations of what was minted
     * along them. Nothing goes to the backend.
     *
     * @return {@code false} when a security store was full: fail closed transiently
     */
    public boolean endRevoked(Collection<String> refreshTokens) {
        return end(refreshTokens, null, null, false);
    }

    /**
     * Records a login's pair, so a later logout (or refusal) of any token of its chain ends this
     * access token too, and a logout that reads only the access cookie ends the refresh token.
     *
     * @return {@code false} when a security store was full: the refresh token was revoked at the
     *     backend (best effort), and the caller hands out nothing (503)
     */
    public boolean rememberLogin(TokenPair pair) {
        if (memo.rememberLogin(pair)) {
            return true;
        }
        securityStoreFull.run();
        revokeAtBackend.accept(pair.refreshToken());
        return false;
    }

    /** Forgets everything remembered about a refresh token (login replacing a session, lifetime over). */
    public void forget(String refreshToken) {
        if (!memo.forget(refreshToken)) {
            securityStoreFull.run();
        }
    }

    /** Whether this node saw the refresh token valid (it rotated it, or a login or rotation here issued it). */
    public boolean knows(String refreshToken) {
        return memo.knows(refreshToken);
    }

    /** As {@link #end(Collection, String, Instant, boolean)} for at most one presented refresh token. */
    public boolean end(String refreshToken, String verifiedAccessToken, Instant accessExpiresAt, boolean revokePresented) {
        return end(refreshToken == null ? List.of() : List.of(refreshToken), verifiedAccessToken, accessExpiresAt,
                revokePresented);
    }

    /**
     * Ends a session's chain (logout, definitive refusal). The session is every presented refresh
     * token, the refresh token the access token was issued with (when the access cookie is all a
     * logout could read), and the whole chain of each: back to the login, then forward.
     * First, with nothing sent yet: tombstones for all of those refresh tokens, and revocations on
     * this node of the access token and every access token minted along the chains. Then, best
     * effort: the backend revokes the descendants (and, when asked, the session's own refresh tokens).
     *
     * <p>Security state (tombstones by identity, chains, revocations) is written only for what this
     * node saw valid: refresh tokens it issued or rotated, exactly as spelt, the one the verified
     * access token was issued with, and that access token. Any other presented refresh value (at
     * most {@value #MAX_STRANGERS}, in header order) is tombstoned in the negative cache under its
     * exact spelling, and goes to the backend's revoke with a verified session, or when it is the
     * request's only refresh value; so a forged twin of another user's token (same {@code iss} and
     * {@code jti}) ends nothing of theirs, and junk fills nothing and fans out to no backend.
     *
     * @param refreshTokens every refresh token the request presented (duplicate cookies: each)
     * @param verifiedAccessToken the presented access token, only if its signature verified (valid
     *     or expired), else {@code null}
     * @param accessExpiresAt its verified expiry, or {@code null} to use the one it claims
     * @param revokePresented whether the session's own refresh tokens go to the backend too (logout)
     * @return {@code false} when a security store was full: nothing was sent to the backend, and
     *     the caller must fail closed transiently (503, no cookie cleared)
     */
    public boolean end(Collection<String> refreshTokens, String verifiedAccessToken, Instant accessExpiresAt,
            boolean revokePresented) {
        // Classify first: only tokens this node issued or rotated, exactly as spelt, end chains and
        // write security state. A stranger (never issued here: junk, or a planted twin of another
        // user's token) never hides a known token, writes only the evictable negative cache, and at
        // most MAX_STRANGERS of them are handled: a Cookie header of duplicates buys nothing.
        List<String> session = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> strangerSet = new LinkedHashSet<>();
        for (String r : refreshTokens) {
            if (memo.knows(r)) {
                if (ids.add(TokenIdentity.of(r))) {
                    session.add(r);
                }
            } else if (strangerSet.size() < MAX_STRANGERS) {
                strangerSet.add(r);
            }
        }
        if (verifiedAccessToken != null) {
            memo.issuedWith(verifiedAccessToken).filter(r -> ids.add(TokenIdentity.of(r))).ifPresent(session::add);
        }
        List<String> strangers = List.copyOf(strangerSet);
        boolean seenValid = verifiedAccessToken != null || !session.isEmpty();
        GraceMemo.Chain chain = GraceMemo.Chain.EMPTY;
        for (String r : session) {
            chain = chain.plus(memo.chain(r));
        }
        Revocations revocations = validations.revocations();
        int tombstones = session.size() + chain.refreshTokens().size() + chain.ancestors().size();
        if (seenValid && (!memo.hasRoomToEnd(tombstones)
                || !revocations.hasRoom(chain.accessTokens().size() + (verifiedAccessToken == null ? 0 : 1)))) {
            securityStoreFull.run();
            return false;
        }
        boolean ok = session.isEmpty() || memo.end(session, true, chain);
        memo.endExactly(strangers); // never issued here: the negative cache, this exact string only
        if (seenValid) {
            for (GraceMemo.Minted m : chain.accessTokens()) {
                ok &= revocations.revokeIdentityUntil(m.identity(), m.servesUntil());
            }
            if (verifiedAccessToken != null) {
                ok &= revocations.revoke(verifiedAccessToken, accessExpiresAt);
            }
        }
        if (!ok) {
            securityStoreFull.run();
            return false;
        }
        if (revokePresented) {
            session.forEach(revokeAtBackend);
            if (seenValid) {
                strangers.forEach(revokeAtBackend); // a verified session's other values
            } else if (strangers.size() == 1 && refreshTokens.size() == 1) {
                // One plain refresh cookie this node has no record of (issued before a restart, on
                // another node, or links lapsed while the user was idle): still the user's, revoke it.
                // One call per request, as a refresh costs; duplicates alone buy nothing.
                revokeAtBackend.accept(strangers.get(0));
            }
        }
        chain.refreshTokens().stream().filter(r -> !ids.contains(TokenIdentity.of(r))).forEach(revokeAtBackend);
        return true;
    }

    /**
     * Whether a rotated pair may still be handed out for {@code refreshToken}: neither token was
     * ended meanwhile. If one was, the pair is revoked (here and at the backend) and {@code false}
     * returned: the caller refuses and clears the cookies.
     */
    public boolean stillLive(String refreshToken, TokenPair pair) {
        boolean ended = memo.isForgotten(refreshToken)
                || pair.rotatedRefreshToken().map(memo::isForgotten).orElse(false)
                || validations.isRevoked(pair.accessToken());
        if (ended) {
            discard(pair);
        }
        return !ended;
    }

    /**
     * Revokes a rotated pair that must not be handed out after all (a check after the rotation
     * refused it): its access token on this node, its refresh token here and at the backend.
     */
    public void refuse(TokenPair pair) {
        discard(pair);
    }

    /** Revokes a pair nobody may use: its access token on this node, its refresh token here and at the backend. */
    private void discard(TokenPair pair) {
        boolean ok = validations.revocations().revoke(pair.accessToken(), pair.accessExpiresAt());
        validations.evict(pair.accessToken());
        if (pair.rotatedRefreshToken().isPresent()) {
            String r = pair.rotatedRefreshToken().get();
            ok &= memo.end(r, true, GraceMemo.Chain.EMPTY);
            revokeAtBackend.accept(r);
        }
        if (!ok) {
            securityStoreFull.run(); // the pair is refused all the same; say that its record is not kept
        }
    }

    private RefreshOutcome lead(String refreshToken, SessionClues clues) {
        String key = TokenKey.of(refreshToken);
        FlightLease.Attempt lease = leases.attempt(key);
        if (lease.answer() == FlightLease.Answer.FULL) {
            // The lease is security state: without it another node may rotate this token too.
            securityStoreFull.run();
            return RefreshOutcome.unavailable("security store full", RefreshOutcome.Via.CALLED);
        }
        if (lease.answer() == FlightLease.Answer.HELD) {
            // Another node is rotating this token now: its pair lands in the shared grace memo, its
            // refusal in the tombstones. Wait for either as a waiter here waits for our leader.
            return leases.awaitOther(key, () -> memo.isForgotten(refreshToken)
                    ? Optional.of(RefreshOutcome.refused(RefreshOutcome.Via.TOMBSTONE))
                    : memo.recall(refreshToken).map(p -> validated(refreshToken, p, RefreshOutcome.Via.GRACE, clues)), maxWait)
                    .orElseGet(() -> RefreshOutcome.unavailable("a refresh of this token is in flight on another node",
                            RefreshOutcome.Via.SHARED));
        }
        try (FlightLease.Held held = lease.held()) {
            return leadHoldingLease(refreshToken, clues);
        }
    }

    private RefreshOutcome leadHoldingLease(String refreshToken, SessionClues clues) {
        // A leader that finished between our recall and our flight has left its pair here.
        Optional<TokenPair> remembered = memo.recall(refreshToken);
        if (remembered.isPresent()) {
            return validated(refreshToken, remembered.get(), RefreshOutcome.Via.GRACE, clues);
        }
        if (!memo.hasRoom()) {
            // Checked before the backend rotates: a rotation it could not remember would later
            // trip reuse detection. No verdict, so no cookie is cleared.
            securityStoreFull.run();
            return RefreshOutcome.unavailable("security store full", RefreshOutcome.Via.CALLED);
        }
        if (!bulkhead.tryEnter()) {
            return RefreshOutcome.unavailable("backend bulkhead full", RefreshOutcome.Via.CALLED);
        }
        RefreshResult result;
        try {
            result = validator.refresh(refreshToken);
        } finally {
            bulkhead.leave();
        }
        switch (result.kind()) {
            case REFRESHED -> {
                TokenPair pair = ((RefreshResult.Refreshed) result).tokens();
                if (memo.isForgotten(refreshToken)) {
                    // Signed out (or refused) while this refresh was in flight: revoke what it
                    // brought, and do not bring the session back.
                    discard(pair);
                    return RefreshOutcome.refused(RefreshOutcome.Via.CALLED);
                }
                if (!memo.remember(refreshToken, pair)) {
                    // The backend has rotated already: withholding the pair would sign the user
                    // out. Hand it out, and say loudly that the chain is not fully recorded.
                    securityStoreFull.run();
                }
                return validated(refreshToken, pair, RefreshOutcome.Via.CALLED, clues);
            }
            case REFUSED -> {
                // Junk (never seen valid here) goes to the negative cache only.
                if (!end(refreshToken, null, null, false)) {
                    return RefreshOutcome.unavailable("security store full", RefreshOutcome.Via.CALLED);
                }
                return RefreshOutcome.refused(RefreshOutcome.Via.CALLED);
            }
            case UNAVAILABLE -> {
                return RefreshOutcome.unavailable(((RefreshResult.Unavailable) result).cause(), RefreshOutcome.Via.CALLED);
            }
            default -> {
                return RefreshOutcome.unsupported();
            }
        }
    }

    private RefreshOutcome validated(String refreshToken, TokenPair pair, RefreshOutcome.Via via, SessionClues clues) {
        if (!stillLive(refreshToken, pair)) {
            return RefreshOutcome.refused(via);
        }
        Validations.Checked checked = validations.validate(pair.accessToken(), clues);
        if (checked.source() == Validations.Source.MARKED) {
            // A marker revoked the session: the pair is never handed out, and the chain ends.
            discard(pair);
            if (!endRevoked(List.of(refreshToken))) {
                return RefreshOutcome.unavailable("security store full", via);
            }
            return RefreshOutcome.refused(via);
        }
        ValidationResult check = checked.result();
        if (check instanceof ValidationResult.Valid v) {
            // Checked again last: a logout between the two checks must not hand the pair out.
            return stillLive(refreshToken, pair) ? RefreshOutcome.rotated(pair, v.session(), via) : RefreshOutcome.refused(via);
        }
        if (check instanceof ValidationResult.Invalid refused) {
            return RefreshOutcome.refreshedTokenRefused(refused, via);
        }
        return RefreshOutcome.unavailable("the refreshed access token did not validate (" + check.kind() + ")", via);
    }
}
