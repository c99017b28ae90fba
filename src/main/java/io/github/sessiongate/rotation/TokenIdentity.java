package io.github.sessiongate.rotation;

import io.github.sessiongate.audit.Fingerprint;
import io.github.sessiongate.internal.JsonValues;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.jose4j.json.JsonUtil;

/**
 * Which token a token <em>is</em>, for every "is this the same token" structure (the access-token
 * revocation list, rotation chains): never the signature bytes, since ECDSA signatures are
 * malleable ((r, n-s) verifies as well as (r, s)) and other spellings of one token may exist.
 *
 * <ul>
 *   <li>A JWS ({@code header.payload.signature}) whose payload has a string {@code jti}: the
 *       SHA-256 of ({@code iss}, {@code jti}).</li>
 *   <li>Any other JWS: the SHA-256 of the signing input, the {@code header.payload} characters
 *       exactly as received.</li>
 *   <li>Anything else (an opaque token): the SHA-256 of the whole token.</li>
 * </ul>
 *
 * <p>The claims are read <b>unverified</b>: an identity only ever makes a token <em>refused</em>
 * (a revoked identity), never accepted. A cached verdict is never keyed on this (that would let a
 * forged signature share a genuine token's verdict): the validation cache keys on
 * {@link TokenKey#of}, the digest of the whole token. See issue 7 section 5 and RFC 7515 section 7.1.
 */
public final class TokenIdentity {
    /** JSON nesting allowed in a payload before it is parsed; claims are flat. */
    private static final int MAX_DEPTH = 16;
    /** The prefix of an identity taken from the signing input. */
    private static final String SIGNING_INPUT = "in:";

    private TokenIdentity() {
    }

    /** The identity key of a token: 64 hex digits after a short prefix saying which rule applied. */
    public static String of(String token) {
        return read(token).identity();
    }

    /** Whether an identity {@link #of} gave is the digest of a JWS's signing input: a JWS without a {@code jti}. */
    static boolean isSigningInput(String identity) {
        return identity.startsWith(SIGNING_INPUT);
    }

    /**
     * A token's identity and the claims its payload states, read <b>unverified</b> with one parse:
     * only for lookups that can make a token refused, never accepted.
     *
     * @param identity {@link #of}
     * @param claims the payload's claims; empty for an opaque token or an unreadable payload
     */
    public record Read(String identity, Map<String, Object> claims) {
        /** A string claim, if the payload states one. */
        public Optional<String> string(String name) {
            return claims.get(name) instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
        }

        /** A positive numeric date claim ({@code iat}, {@code auth_time}), if the payload states one. */
        public Optional<Instant> instant(String name) {
            return numericDate(claims.get(name));
        }
    }

    /** A NumericDate claim value as an instant; empty unless a positive number. */
    public static Optional<Instant> numericDate(Object value) {
        if (value instanceof Number n && n.longValue() > 0) {
            return Optional.of(Instant.ofEpochSecond(Math.min(n.longValue(), Instant.MAX.getEpochSecond())));
        }
        return Optional.empty();
    }

    /** The identity and unverified claims of a token, with one parse. */
    public static Read read(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0 || token.indexOf('.', second + 1) >= 0) {
            return new Read("tok:" + TokenKey.of(token), Map.of());
        }
        Map<String, Object> claims = claims(token, first, second).orElse(Map.of());
        Object jti = claims.get("jti");
        if (jti instanceof String id && !id.isEmpty()) {
            Object iss = claims.get("iss");
            String issuer = iss instanceof String s ? s : "";
            // Length-prefixed, so no (iss, jti) pair can be spelled as another.
            return new Read("jti:" + hex(issuer.length() + ":" + issuer + id), claims);
        }
        return new Read(SIGNING_INPUT + hex(token.substring(0, second)), claims);
    }

    /**
     * The {@code exp} a JWS claims, unverified; empty for an opaque token or one without a numeric
     * {@code exp}. Only for deciding how long to remember a refusal.
     */
    public static Optional<Instant> claimedExpiry(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0) {
            return Optional.empty();
        }
        Object exp = claims(token, first, second).map(c -> c.get("exp")).orElse(null);
        if (exp instanceof Number n && n.longValue() > 0) {
            return Optional.of(Instant.ofEpochSecond(Math.min(n.longValue(), Instant.MAX.getEpochSecond())));
        }
        return Optional.empty();
    }

    private static Optional<Map<String, Object>> claims(String token, int first, int second) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(token.substring(first + 1, second));
            String json = new String(bytes, StandardCharsets.UTF_8);
            if (!JsonValues.nestingWithin(json, MAX_DEPTH)) {
                return Optional.empty();
            }
            return Optional.of(JsonUtil.parseJson(json));
        } catch (Exception e) { // not base64url, not JSON: no claims, the signing input decides
            return Optional.empty();
        }
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(Fingerprint.sha256(s));
    }
}
