package io.github.sessiongate.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * The checks of OpenID Connect Back-Channel Logout 1.0 §2.6 on a {@code logout_token}: the
 * signature, {@code iss}, {@code aud} and {@code exp} (when present) as for an ID token
 * ({@link ProviderJws}); the {@code typ} header absent or {@code logout+jwt} (§2.4, also spelled
 * {@code application/logout+jwt}), any other explicit type refused; {@code iat} no more than
 * {@link ProviderJws#SKEW} ahead and no older than {@link #MAX_AGE} plus the skew; {@code events}
 * a JSON object with the member {@value #EVENT}, itself a JSON object; {@code sid} or {@code sub}
 * (strings); no {@code nonce}; a {@code jti}. Whether the {@code jti} was seen before is the
 * caller's ({@link BackChannelLogout}). A refusal says which check failed, never a claim's
 * value. Thread-safe.
 */
final class LogoutTokenCheck {
    /** The member of {@code events} that makes a JWT a logout token (§2.4). */
    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    /**
     * How old a logout token's {@code iat} may be, plus {@link ProviderJws#SKEW}: the provider posts
     * it right after the logout, so five minutes cover its retries and a slow network; an older one
     * is refused, and the replay ledger need only remember {@code jti}s that long.
     */
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    /** Longest {@code sid}, {@code sub} or {@code jti} taken, in characters. */
    static final int MAX_CLAIM = 1024;

    private final ProviderJws jws;
    private final Clock clock;

    LogoutTokenCheck(ProviderJws jws, Clock clock) {
        this.jws = Objects.requireNonNull(jws, "jws");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What a valid logout token says.
     *
     * @param jti its identifier, for the replay ledger
     * @param sid the provider's session it ends, if named
     * @param subject the user whose sessions it ends, if named
     * @param issuedAt its {@code iat}: a subject's sessions authenticated before it end
     */
    record LogoutToken(String jti, Optional<String> sid, Optional<String> subject, Instant issuedAt) {
        @Override
        public String toString() {
            return "LogoutToken[jti=[PROTECTED], sid=" + sid.isPresent() + ", subject=" + subject.isPresent()
                    + ", issuedAt=" + issuedAt + "]";
        }
    }

    /**
     * @throws ProviderJws.Refused when any check of §2.6 fails
     * @throws OidcDiscovery.Unavailable when the provider's JWKS cannot be had
     */
    LogoutToken check(OidcDiscovery.Provider p, String token) throws ProviderJws.Refused, OidcDiscovery.Unavailable {
        JwtContext verified = jws.verify(p, token, ProviderJws.Require.NOTHING_MORE);
        Object typ = verified.getJoseObjects().get(0).getHeaders().getObjectHeaderValue("typ");
        if (typ != null && !(typ instanceof String t && isLogoutType(t))) {
            throw new ProviderJws.Refused("typ: expected logout+jwt or none, was "
                    + (typ instanceof String t ? OidcText.printable(t) : "not a string"));
        }
        JwtClaims claims = verified.getJwtClaims();
        try {
            Instant iat = Instant.ofEpochSecond(claims.getIssuedAt().getValue());
            Instant now = clock.instant();
            if (iat.isAfter(now.plus(ProviderJws.SKEW))) {
                throw new ProviderJws.Refused("iat " + iat + " is in the future (now " + now + ")");
            }
            if (iat.isBefore(now.minus(MAX_AGE).minus(ProviderJws.SKEW))) {
                throw new ProviderJws.Refused("iat " + iat + " is older than " + MAX_AGE.toSeconds() + " s (+"
                        + ProviderJws.SKEW.toSeconds() + " s skew)");
            }
            if (!(claims.getClaimValue("events") instanceof Map<?, ?> events)) {
                throw new ProviderJws.Refused("events: expected a JSON object");
            }
            if (!(events.get(EVENT) instanceof Map<?, ?>)) {
                throw new ProviderJws.Refused("events: no member " + EVENT + " holding a JSON object");
            }
            if (claims.hasClaim("nonce")) {
                throw new ProviderJws.Refused("nonce: a logout token must not carry one");
            }
            Optional<String> sid = text(claims, "sid");
            Optional<String> sub = text(claims, "sub");
            if (sid.isEmpty() && sub.isEmpty()) {
                throw new ProviderJws.Refused("neither sid nor sub");
            }
            String jti = text(claims, "jti").orElseThrow(() -> new ProviderJws.Refused("jti: absent"));
            return new LogoutToken(jti, sid, sub, iat);
        } catch (MalformedClaimException e) {
            throw new ProviderJws.Refused("malformed claim");
        }
    }

    /** {@code logout+jwt}, with or without {@code application/}, in any case (RFC 7515 4.1.9). */
    static boolean isLogoutType(String typ) {
        String t = typ.toLowerCase(Locale.ROOT);
        return t.equals("logout+jwt") || t.equals("application/logout+jwt");
    }

    /** A claim that must be a non-empty string of at most {@link #MAX_CLAIM} characters when present. */
    private static Optional<String> text(JwtClaims claims, String name) throws ProviderJws.Refused {
        Object v = claims.getClaimValue(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s) || s.isEmpty() || s.length() > MAX_CLAIM) {
            throw new ProviderJws.Refused(name + ": expected a string of 1 to " + MAX_CLAIM + " characters");
        }
        return Optional.of(s);
    }
}
