package io.github.sessiongate.login;

import io.github.sessiongate.OidcSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * OpenID Connect Back-Channel Logout 1.0 without the HTTP: takes the provider's
 * {@code logout_token}, checks it ({@link LogoutTokenCheck}, §2.6), makes sure its {@code jti} was
 * not used before ({@link Replays}), and revokes what it names ({@link Revoker}): the provider
 * session {@code sid} when the token carries one, else every session of {@code sub} authenticated
 * before the token's {@code iat}. Transient trouble (no JWKS, a full store) is told apart from an
 * invalid token, so the endpoint answers {@code 503} for the one and {@code 400} for the other.
 * Thread-safe; never logs (the caller does, with fingerprints only).
 *
 * <p>Made by {@link OidcLoginFlow#backChannelLogout}, so the provider's JWKS is fetched and cached
 * once for sign-ins and logouts alike.
 */
public final class BackChannelLogout {
    /** The member of {@code events} a logout token carries (§2.4). */
    public static final String EVENT = LogoutTokenCheck.EVENT;
    /** How old a logout token's {@code iat} may be (plus {@link #SKEW}); older ones are refused. */
    public static final Duration MAX_AGE = LogoutTokenCheck.MAX_AGE;
    /** Tolerance for {@code iat} ahead of this clock and {@code exp} just past. */
    public static final Duration SKEW = ProviderJws.SKEW;
    /**
     * How long a used {@code jti} is remembered: {@link #MAX_AGE} plus twice {@link #SKEW}, longer
     * than any token whose {@code iat} this node (or another node, its clock off by up to the skew)
     * still accepts.
     */
    public static final Duration REPLAY_TTL = MAX_AGE.plus(SKEW).plus(SKEW);

    /** Ends sessions on every node; the coordinator's session markers implement it. */
    public interface Revoker {
        /**
         * Revokes every session started with the provider session {@code sid}.
         *
         * @return {@code false} when the security store is full and nothing was recorded (transient)
         */
        boolean revokeSid(String sid);

        /**
         * Revokes every session of {@code subject} authenticated before {@code authenticatedBefore}.
         *
         * @return {@code false} when the security store is full and nothing was recorded (transient)
         */
        boolean revokeSubject(String subject, Instant authenticatedBefore);
    }

    /** The ledger of used {@code jti}s, shared across nodes where the state store is. */
    public interface Replays {
        /** What {@link #claim} found. */
        enum Claim {
            /** Not seen before; now recorded for {@code ttl}. */
            FIRST,
            /** Seen before (within its TTL): a replay. */
            SEEN,
            /** The security store is full; nothing recorded (transient). */
            FULL
        }

        /**
         * Records the {@code jti} of {@code issuer} unless it is already recorded, atomically; an
         * unavailable shared store records it in this node's memory.
         */
        Claim claim(String issuer, String jti, Duration ttl);

        /** Forgets a claim, so the provider's retry after a failed revocation is not a replay. */
        void release(String issuer, String jti);
    }

    /** What became of a logout token. */
    public enum Outcome {
        /** Valid; the sessions it names are revoked: {@code 200}. */
        LOGGED_OUT,
        /** Invalid (any §2.6 check, or a replay): {@code 400}. */
        INVALID,
        /** The provider's JWKS cannot be had: {@code 503}, the provider may retry. */
        KEYS_UNAVAILABLE,
        /** A security store is full: {@code 503}, nothing recorded, the provider may retry. */
        STORE_FULL
    }

    /**
     * @param outcome what happened
     * @param detail for a log line: which check failed, or what was revoked ({@code sid} or
     *     {@code sub}); never a token nor a claim's value
     */
    public record Result(Outcome outcome, String detail) {
        public Result {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(detail, "detail");
        }
    }

    private final String issuer;
    private final OidcDiscovery discovery;
    private final LogoutTokenCheck check;
    private final Replays replays;
    private final Revoker revoker;

    BackChannelLogout(OidcSettings settings, OidcDiscovery discovery, Clock clock, Replays replays, Revoker revoker) {
        this.issuer = settings.issuer().toString();
        this.discovery = Objects.requireNonNull(discovery, "discovery");
        this.check = new LogoutTokenCheck(new ProviderJws(issuer, settings.clientId(), discovery, clock), clock);
        this.replays = Objects.requireNonNull(replays, "replays");
        this.revoker = Objects.requireNonNull(revoker, "revoker");
    }

    /** Checks the token, records its {@code jti}, and revokes what it names. Never throws for the token. */
    public Result logout(String logoutToken) {
        Objects.requireNonNull(logoutToken, "logoutToken");
        Optional<OidcDiscovery.Provider> p = discovery.provider();
        if (p.isEmpty()) {
            return new Result(Outcome.KEYS_UNAVAILABLE, "OpenID discovery unavailable");
        }
        LogoutTokenCheck.LogoutToken token;
        try {
            token = check.check(p.get(), logoutToken);
        } catch (OidcDiscovery.Unavailable e) {
            return new Result(Outcome.KEYS_UNAVAILABLE, "the provider's JWKS is unavailable");
        } catch (ProviderJws.Refused e) {
            return new Result(Outcome.INVALID, e.getMessage());
        }
        switch (replays.claim(issuer, token.jti(), REPLAY_TTL)) {
            case SEEN -> {
                return new Result(Outcome.INVALID, "jti: used before (a replay)");
            }
            case FULL -> {
                return new Result(Outcome.STORE_FULL, "jti ledger full");
            }
            default -> { }
        }
        boolean recorded = token.sid().isPresent() ? revoker.revokeSid(token.sid().get())
                : revoker.revokeSubject(token.subject().orElseThrow(), token.issuedAt());
        if (!recorded) {
            replays.release(issuer, token.jti()); // the provider's retry must not read as a replay
            return new Result(Outcome.STORE_FULL, "revocation store full");
        }
        return new Result(Outcome.LOGGED_OUT, token.sid().isPresent() ? "sid" : "sub");
    }
}
