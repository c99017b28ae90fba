package io.github.sessiongate.it;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * HS256 tokens signed here with jose4j, for the JWT webapp's {@code jwt.*} init-params. Every token
 * carries a random {@code jti}, so no two are equal and each has its own fingerprint.
 */
final class Tokens {
    /** HMAC key (42 bytes, UTF-8); reaches web.xml through {@code ${sys:sessiongate.it.jwt-secret}}. */
    static final String SECRET = "it-only-hmac-key-0123456789-abcdefghijklmn";
    static final String SECRET_PROPERTY = "sessiongate.it.jwt-secret";
    static final String ISSUER = "https://idp.it.example";
    static final String AUDIENCE = "sessiongate-it";

    private Tokens() {
    }

    /** A token valid for ten minutes. */
    static String valid(String subject, String... roles) {
        Instant now = Instant.now();
        return sign(SECRET, ISSUER, AUDIENCE, subject, now.minusSeconds(5), now.plus(Duration.ofMinutes(10)), roles);
    }

    /** A genuine token that expired an hour ago (far beyond any clock skew). */
    static String expired(String subject, String... roles) {
        Instant now = Instant.now();
        return sign(SECRET, ISSUER, AUDIENCE, subject, now.minus(Duration.ofMinutes(70)), now.minus(Duration.ofMinutes(60)), roles);
    }

    /** A genuine token that expired ten seconds ago: within the default 30 s clock skew. */
    static String lapsed(String subject, String... roles) {
        Instant now = Instant.now();
        return sign(SECRET, ISSUER, AUDIENCE, subject, now.minus(Duration.ofMinutes(5)), now.minusSeconds(10), roles);
    }

    /** A well-formed, unexpired token signed with another key. */
    static String forged(String subject, String... roles) {
        Instant now = Instant.now();
        return sign("attacker-hmac-key-0123456789-abcdefghijklmn", ISSUER, AUDIENCE, subject, now.minusSeconds(5),
                now.plus(Duration.ofMinutes(10)), roles);
    }

    /** A correctly signed token for another audience. */
    static String otherAudience(String subject, String... roles) {
        Instant now = Instant.now();
        return sign(SECRET, ISSUER, "some-other-app", subject, now.minusSeconds(5), now.plus(Duration.ofMinutes(10)), roles);
    }

    static String sign(String secret, String issuer, String audience, String subject, Instant issuedAt, Instant expiresAt,
            String... roles) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        claims.setStringListClaim("roles", List.of(roles));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setHeader("typ", "JWT");
        jws.setKey(new HmacKey(secret.getBytes(StandardCharsets.UTF_8)));
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a token in hex: what the echo servlet reports instead of the token. */
    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The audit fingerprint of a token: the first 8 hex digits of its SHA-256. */
    static String fingerprint(String token) {
        return sha256(token).substring(0, 8);
    }
}
