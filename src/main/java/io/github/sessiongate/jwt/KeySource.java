package io.github.sessiongate.jwt;

import io.github.sessiongate.ConfigException;
import java.util.List;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Where the verification key comes from: an HMAC secret, one public key, or a JWKS endpoint.
 * Exactly one is configured; each knows which algorithms fit its key type.
 *
 * <p>Implementations are immutable after construction (the JWKS one has an internal cache) and
 * safe to share between threads. {@link #toString()} never shows key material.
 */
sealed interface KeySource extends AutoCloseable permits SecretKeySource, PublicKeySource, JwksKeySource,
        DiscoveredJwksKeySource {

    /** Algorithms used when {@code jwt.algorithms} is not set. */
    List<String> defaultAlgorithms();

    /**
     * Refuses an algorithm that does not fit this key.
     *
     * @param algorithm a canonical JWS algorithm name other than {@code none}
     * @throws ConfigException naming {@code jwt.algorithms}, or the key's parameter when the key
     *         is too weak for the algorithm
     */
    void checkAlgorithm(String algorithm);

    /** Sets the verification key or key resolver on a consumer builder. */
    void applyTo(JwtConsumerBuilder builder);

    /** For the start-up summary, e.g. {@code jwks=https://idp/jwks}; never key material. */
    String describe();

    /** Releases what the source holds. Default: nothing. */
    @Override
    default void close() {
    }
}
