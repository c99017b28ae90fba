package io.github.sessiongate.login;

import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * A {@code private_key_jwt} client assertion (RFC 7523 3, OIDC Core 9): {@code iss} = {@code sub} =
 * the client id, {@code aud} as configured, a fresh {@code jti} of 128 random bits, {@code iat}
 * now and {@code exp} {@link #LIFETIME} later, signed with the client's key (RS256, or ES256/384/512
 * by curve) and its {@code kid} when known. A new one for every request, never cached, never logged.
 * Thread-safe.
 */
final class ClientAssertion {
    /** The assertion's lifetime: RFC 7523 asks for a short one; 60 s covers clock skew and slow requests. */
    static final Duration LIFETIME = Duration.ofSeconds(60);
    /** The {@code client_assertion_type} of a JWT bearer assertion. */
    static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final String clientId;
    private final PrivateKey key;
    private final String algorithm;
    private final Optional<String> keyId;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ClientAssertion(String clientId, PrivateKey key, String algorithm, Optional<String> keyId, Clock clock) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.key = Objects.requireNonNull(key, "key");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A signed assertion for {@code audience} (the issuer, or the endpoint's URL). */
    String create(String audience) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(clientId);
        claims.setSubject(clientId);
        claims.setAudience(audience);
        byte[] jti = new byte[16];
        random.nextBytes(jti);
        claims.setJwtId(OidcText.b64(jti));
        long now = clock.millis();
        claims.setIssuedAt(NumericDate.fromMilliseconds(now));
        claims.setExpirationTime(NumericDate.fromMilliseconds(now + LIFETIME.toMillis()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(algorithm);
        keyId.ifPresent(jws::setKeyIdHeaderValue);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            // The key was checked against its algorithm at start-up; a provider refusing to sign is a bug.
            throw new IllegalStateException("signing the client assertion failed: " + e.getClass().getSimpleName());
        }
    }
}
