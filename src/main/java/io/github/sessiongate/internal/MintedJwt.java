package io.github.sessiongate.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * A JWT the filter signs and verifies itself (guest tokens, client tokens): HS256 under one key, a
 * {@code typ} header of its own, and the claims {@code iss}, {@code aud}, {@code sub}, {@code iat},
 * {@code exp} and a random {@code jti}. Verification is the same canonical set of checks for every
 * such token: HS256 only, the signature, {@code iss} and {@code aud} as minted, {@code exp},
 * {@code iat}, {@code sub} and {@code jti} required, {@code iat} not in the future beyond the skew;
 * each caller adds its own checks on what the consumer returns. Thread-safe: one jose4j consumer is
 * kept per clock second, since a consumer's evaluation time is fixed when it is built.
 */
public final class MintedJwt {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RANDOM_BYTES = 16;

    private final HmacKey key;
    private final String type;
    private final String issuer;
    private final String audience;
    private final int clockSkewSeconds;
    private final boolean consumerChecksType;
    private final String what;
    private final AtomicReference<TimedConsumer> consumer = new AtomicReference<>();

    /** A consumer whose time checks are evaluated at {@code second}. */
    private record TimedConsumer(long second, JwtConsumer consumer) {
    }

    /**
     * @param secret the HS256 key, at least 32 bytes (checked by the caller's settings)
     * @param type the {@code typ} header every token carries
     * @param clockSkewSeconds tolerance for an {@code iat} in the future (never widens {@code exp}
     *        beyond it)
     * @param consumerChecksType whether the jose4j consumer itself requires {@code typ} (else the
     *        caller checks it on the result, with its own reason)
     * @param what what the tokens are, for the message of a signing failure ("guest token")
     */
    public MintedJwt(byte[] secret, String type, String issuer, String audience, int clockSkewSeconds,
            boolean consumerChecksType, String what) {
        this.key = new HmacKey(Objects.requireNonNull(secret, "secret"));
        this.type = Objects.requireNonNull(type, "type");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.clockSkewSeconds = clockSkewSeconds;
        this.consumerChecksType = consumerChecksType;
        this.what = Objects.requireNonNull(what, "what");
    }

    /** The claims every token gets: {@code iss}, {@code aud}, {@code sub}, {@code iat = now}, {@code exp} and a random {@code jti}. */
    public JwtClaims claims(String subject, long now, long ttlSeconds) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + ttlSeconds));
        claims.setJwtId(randomId());
        return claims;
    }

    /** Signs the claims with HS256 under the {@code typ} header; the compact serialization. */
    public String sign(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setHeader("typ", type);
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            // jose4j's message names no claim or key
            throw new IllegalStateException("signing a " + what + " failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The consumer that runs the canonical checks with time evaluated at {@code second}. */
    public JwtConsumer consumerAt(long second) {
        TimedConsumer cached = consumer.get();
        if (cached != null && cached.second() == second) {
            return cached.consumer();
        }
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                .setVerificationKey(key)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setRequireJwtId()
                .setExpectedIssuer(true, issuer)
                .setExpectedAudience(true, audience)
                .setEvaluationTime(NumericDate.fromSeconds(second))
                .setAllowedClockSkewInSeconds(clockSkewSeconds)
                .setIssuedAtRestrictions(0, Integer.MAX_VALUE); // not in the future; the past is the lifetime check's
        if (consumerChecksType) {
            builder.setExpectedType(true, type);
        }
        JwtConsumer built = builder.build();
        consumer.set(new TimedConsumer(second, built));
        return built;
    }

    /** A random identifier: 16 bytes, base64url without padding. */
    public static String randomId() {
        byte[] b = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
