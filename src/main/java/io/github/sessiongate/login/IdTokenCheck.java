package io.github.sessiongate.login;

import io.github.sessiongate.OidcSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * The checks of OIDC Core 3.1.3.7 on the ID token a code exchange returns: signature through the
 * provider's JWKS with an algorithm of the allow-list, {@code iss} exact, {@code aud}, {@code azp},
 * {@code exp}, {@code iat}, {@code nonce}, {@code at_hash} when present, {@code acr} among
 * {@code oidc.acr-values} when {@code oidc.require-acr} is on, and {@code auth_time} within the
 * {@code max_age} the authorization request sent; the signature, {@code iss}, {@code aud}, {@code exp} and
 * {@code iat} through {@link ProviderJws}, shared with the logout tokens. A refusal says which check failed,
 * expected versus actual, never the token. Thread-safe.
 */
final class IdTokenCheck {
    /** Tolerance for {@code iat} in the future and {@code exp} just past ({@link ProviderJws#SKEW}). */
    static final Duration SKEW = ProviderJws.SKEW;
    /** Larger {@code auth_time} values (past the year 5000) are malformed, not times. */
    private static final double MAX_EPOCH_SECONDS = 1e11;

    private final OidcSettings settings;
    private final String issuer;
    private final ProviderJws jws;
    private final Clock clock;

    IdTokenCheck(OidcSettings settings, OidcDiscovery discovery, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.issuer = settings.issuer().toString();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jws = new ProviderJws(issuer, settings.clientId(), discovery, clock);
    }

    /** What the session keeps of a valid ID token. */
    record IdToken(String issuer, String subject, Optional<String> sid) {
    }

    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** OIDC Core 3.1.3.7: signature, iss, aud, azp, exp, iat, nonce, at_hash, and acr and auth_time when asked for. */
    IdToken validate(OidcDiscovery.Provider p, String idToken, OidcTransaction pending, String accessToken)
            throws Refused, OidcDiscovery.Unavailable {
        JwtClaims claims;
        String algorithm;
        try {
            JwtContext checked = jws.verify(p, idToken, ProviderJws.Require.EXP_AND_SUB);
            claims = checked.getJwtClaims();
            algorithm = checked.getJoseObjects().get(0).getAlgorithmHeaderValue();
        } catch (ProviderJws.Refused e) {
            throw new Refused(e.getMessage());
        }
        try {
            List<String> aud = claims.getAudience();
            String azp = claims.getStringClaimValue("azp");
            if (azp != null ? !azp.equals(settings.clientId()) : aud.size() > 1) {
                throw new Refused("azp: expected " + settings.clientId() + ", was " + (azp == null ? "absent with "
                        + aud.size() + " audiences" : OidcText.printable(azp)));
            }
            Instant iat = Instant.ofEpochSecond(claims.getIssuedAt().getValue());
            if (iat.isAfter(clock.instant().plus(SKEW)) || iat.isBefore(pending.issuedAt().minus(SKEW))) {
                throw new Refused("iat " + iat + " is not within the sign-in started at " + pending.issuedAt());
            }
            String nonce = claims.getStringClaimValue("nonce");
            if (nonce == null || !MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8),
                    pending.nonce().getBytes(StandardCharsets.UTF_8))) {
                throw new Refused("nonce: " + (nonce == null ? "absent" : "not the one this sign-in sent"));
            }
            String atHash = claims.getStringClaimValue("at_hash");
            if (atHash != null && !MessageDigest.isEqual(atHash.getBytes(StandardCharsets.US_ASCII),
                    leftHalfHash(algorithm, accessToken).getBytes(StandardCharsets.US_ASCII))) {
                throw new Refused("at_hash does not match the access token");
            }
            checkAcr(claims);
            checkAuthTime(claims, pending);
            String sid = claims.getStringClaimValue("sid");
            return new IdToken(claims.getIssuer(), claims.getSubject(), Optional.ofNullable(sid));
        } catch (MalformedClaimException e) {
            throw new Refused("malformed claim: " + e.getMessage());
        }
    }

    /** OIDC Core 3.1.3.7 item 12: when the acr values are required, the ID token's acr is one of them. */
    private void checkAcr(JwtClaims claims) throws Refused, MalformedClaimException {
        if (!settings.requireAcr()) {
            return;
        }
        String acr = claims.getStringClaimValue("acr");
        if (acr == null || !settings.acrValues().contains(acr)) {
            throw new Refused("acr: expected one of " + settings.acrValues() + ", was "
                    + (acr == null ? "absent" : OidcText.printable(acr)));
        }
    }

    /**
     * OIDC Core 3.1.3.7 item 13 and 2: when {@code max_age} was sent, {@code auth_time} is required
     * and the user authenticated at most that long ago (plus the skew), and not in the future.
     */
    private void checkAuthTime(JwtClaims claims, OidcTransaction pending) throws Refused {
        if (pending.maxAge().isEmpty()) {
            return;
        }
        long maxAge = pending.maxAge().get().toSeconds();
        Object raw = claims.getClaimValue("auth_time");
        if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > MAX_EPOCH_SECONDS) {
            throw new Refused("auth_time: expected a time within max_age=" + maxAge + " s, was "
                    + (raw == null ? "absent" : "not a time in whole seconds"));
        }
        Instant authTime = Instant.ofEpochSecond(n.longValue());
        Instant now = clock.instant();
        if (authTime.isAfter(now.plus(SKEW)) || authTime.isBefore(now.minus(pending.maxAge().get()).minus(SKEW))) {
            throw new Refused("auth_time: expected within max_age=" + maxAge + " s (+" + SKEW.toSeconds() + " s skew) of "
                    + now + ", was " + authTime + " (" + Duration.between(authTime, now).toSeconds() + " s ago)");
        }
    }

    private static String leftHalfHash(String algorithm, String token) throws Refused {
        String bits = algorithm.substring(algorithm.length() - 3);
        String digest = switch (bits) {
            case "256" -> "SHA-256";
            case "384" -> "SHA-384";
            case "512" -> "SHA-512";
            default -> throw new Refused("at_hash with algorithm " + algorithm);
        };
        try {
            byte[] hash = MessageDigest.getInstance(digest).digest(token.getBytes(StandardCharsets.US_ASCII));
            return OidcText.b64(Arrays.copyOf(hash, hash.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What looks like a compact JWS or JWE (a base64url JSON header, a dot, more): never in a refusal's text. */
    private static final java.util.regex.Pattern COMPACT = java.util.regex.Pattern.compile(
            "ey[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}[A-Za-z0-9_.-]*");

    /**
     * A jose4j error message made fit for the WARN line: without the claims it quotes
     * ({@code JWT (claims->{...}) }, up to the last {@code "}) "}, as a claim's value may hold that
     * text too), without the token a signature error appends ({@code JsonWebSignature{...}->eyJ...}),
     * anything left that looks like a compact token redacted, printable ASCII, at most 200 characters.
     */
    static String refusalText(String message) {
        String m = message == null ? "" : message;
        int claims = m.indexOf("JWT (claims->");
        if (claims >= 0) {
            int end = m.lastIndexOf("}) ");
            m = m.substring(0, claims) + (end > claims ? m.substring(end + 3) : "");
        }
        int serialized = m.indexOf("->");
        while (serialized >= 0) {
            int stop = serialized + 2;
            while (stop < m.length() && !Character.isWhitespace(m.charAt(stop)) && m.charAt(stop) != ']') {
                stop++;
            }
            m = m.substring(0, serialized) + m.substring(stop);
            serialized = m.indexOf("->", serialized);
        }
        return OidcText.printable(COMPACT.matcher(m).replaceAll("[token]"));
    }

}
