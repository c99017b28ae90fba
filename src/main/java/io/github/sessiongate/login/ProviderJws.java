package io.github.sessiongate.login;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * The part every JWT the OpenID provider signs shares, ID tokens ({@link IdTokenCheck}) and logout
 * tokens ({@link LogoutTokenCheck}) alike: the signature through the provider's JWKS
 * ({@link OidcDiscovery#keys}) with an asymmetric algorithm of {@link #ALGORITHMS} (never
 * {@code none}, never an HMAC), {@code iss} exactly the configured issuer, {@code aud} containing
 * the client id, {@code iat} present, {@code exp} when present (or required), all within
 * {@link #SKEW} at the clock's now. A refusal says which check failed, never the token. Thread-safe.
 */
final class ProviderJws {
    /** Tolerance for {@code iat} in the future and {@code exp} just past. */
    static final Duration SKEW = Duration.ofSeconds(30);
    /** The JWS algorithms the provider may sign with: RSA, RSA-PSS and ECDSA; never {@code none} nor HMAC. */
    static final String[] ALGORITHMS = {AlgorithmIdentifiers.RSA_USING_SHA256,
        AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
        AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
        AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512};

    private final String issuer;
    private final String clientId;
    private final OidcDiscovery discovery;
    private final Clock clock;

    ProviderJws(String issuer, String clientId, OidcDiscovery discovery, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.discovery = Objects.requireNonNull(discovery, "discovery");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A token the provider did not sign for this client, or not now: the text says which check failed. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** What {@link #verify} demands beyond the signature, {@code iss}, {@code aud} and {@code iat}. */
    enum Require {
        /** {@code exp} and {@code sub} required (ID tokens, OIDC Core 2). */
        EXP_AND_SUB,
        /** {@code exp} checked only when present (logout tokens, as this filter accepts them). */
        NOTHING_MORE
    }

    /**
     * Verifies the signature and the common claims.
     *
     * @return the verified token: its claims and its JWS (for the {@code alg} and {@code typ} headers)
     * @throws Refused when any check fails; its message is fit for a log line (no token, no claims)
     * @throws OidcDiscovery.Unavailable when the provider's JWKS cannot be had: transient
     */
    JwtContext verify(OidcDiscovery.Provider p, String token, Require require) throws Refused, OidcDiscovery.Unavailable {
        String kid;
        try {
            // Only the header's kid, to pick the key; everything is checked below.
            kid = JsonWebStructure.fromCompactSerialization(token).getKeyIdHeaderValue();
        } catch (JoseException | RuntimeException e) {
            throw new Refused("not a JWT");
        }
        List<JsonWebKey> known = discovery.keys(p, kid);
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(known))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS)
                .setExpectedIssuer(true, issuer)
                .setExpectedAudience(true, clientId)
                .setRequireIssuedAt()
                .setAllowedClockSkewInSeconds((int) SKEW.toSeconds())
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()));
        if (require == Require.EXP_AND_SUB) {
            builder.setRequireExpirationTime().setRequireSubject();
        }
        try {
            return builder.build().process(token);
        } catch (InvalidJwtException e) {
            List<String> why = e.getErrorDetails().stream().map(ErrorCodeValidator.Error::getErrorMessage)
                    .map(IdTokenCheck::refusalText).toList();
            throw new Refused(why.isEmpty() ? e.getClass().getSimpleName() : String.join("; ", why));
        } catch (RuntimeException e) {
            throw new Refused("unreadable JWT: " + e.getClass().getSimpleName());
        }
    }
}
