package io.github.sessiongate.jwt;

import io.github.sessiongate.ConfigException;
import java.io.IOException;
import java.security.Key;
import java.util.List;

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

    /**
     * The keys that may have signed a token with this header: the one key of a secret or PEM
     * source, or the JWKS keys that fit {@code algorithm} and {@code kid} (several only for a
     * token without {@code kid}). Empty when none fits (an unknown {@code kid}), after at most
     * the source's own rate-limited refetch. Never reads anything else from the token, so keys
     * embedded in a header ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) are never used.
     *
     * @param algorithm an allowed JWS algorithm of this source
     * @param kid the header's {@code kid}, or {@code null}
     * @throws IOException when keys cannot be had now (JWKS host down, nothing cached): unavailable, not invalid
     */
    KeyMatch resolve(String algorithm, String kid) throws IOException;

    /**
     * An object that stays the same (identical) as long as {@link #resolve} would answer the same:
     * the source itself for a fixed key, the current key set for a JWKS. Lets the validator
     * keep a header's resolved keys until the key set changes. May refresh an expired JWKS cache.
     *
     * @throws IOException as {@link #resolve}
     */
    default Object generation() throws IOException {
        return this;
    }

    /**
     * The {@code kid} every token must carry to find a key here, known without any I/O (a PEM key
     * with {@code jwt.public-key-id}, a secret with {@code jwt.secret-key-id}): a token with
     * another or none is refused on sight as an
     * unknown key. {@code null} (the default) when any {@code kid} may find a key, or only
     * {@link #resolve} can tell.
     */
    default String requiredKeyId() {
        return null;
    }

    /** What {@link #resolve} found, and the {@link #generation} it found it in. */
    record KeyMatch(Object generation, List<Key> keys) {
    }

    /**
     * Fetches the keys once at start-up, so a wrong URL or a provider that answers an error shows
     * in the log (WARN, with the URL and the HTTP status) before the first request; never throws,
     * and a failure changes nothing (requests fetch again, rate-limited, as always). Runs within
     * the source's fetch timeouts. Default: nothing (a fixed key needs no fetch).
     */
    default void warmUp() {
    }

    /** For the start-up summary, e.g. {@code jwks=https://idp/jwks}; never key material. */
    String describe();

    /** Releases what the source holds. Default: nothing. */
    @Override
    default void close() {
    }
}
