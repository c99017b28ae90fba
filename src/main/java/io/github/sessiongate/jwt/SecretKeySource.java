package io.github.sessiongate.jwt;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.internal.Secrets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.HmacKey;

/**
 * A shared HMAC secret ({@code jwt.secret}): UTF-8 text, or binary as {@code base64:...}, decoded by
 * {@link Secrets#decode}. Refuses a secret shorter than the hash of any allowed algorithm (RFC 7518
 * section 3.2).
 *
 * <p><b>Key id</b> ({@code jwt.secret-key-id}, optional): when set, a token whose {@code kid}
 * header is missing or different is refused as {@code UNKNOWN_KEY} before any HMAC is computed
 * ({@link SingleKey}); without it any {@code kid} is ignored and every well-formed token with an
 * allowed {@code alg} costs one HMAC.
 */
final class SecretKeySource implements KeySource {
    private static final Map<String, Integer> MIN_BYTES = Map.of(
            AlgorithmIdentifiers.HMAC_SHA256, 32,
            AlgorithmIdentifiers.HMAC_SHA384, 48,
            AlgorithmIdentifiers.HMAC_SHA512, 64);

    private final String parameter;
    private final byte[] secret;
    /** The key under its {@code jwt.secret-key-id}, if any. */
    private final SingleKey single;

    private SecretKeySource(String parameter, byte[] secret, String keyId) {
        this.parameter = parameter;
        this.secret = secret;
        this.single = new SingleKey(this, new HmacKey(secret), keyId);
    }

    /**
     * @param parameter the init-param name, for error messages
     * @param value the configured value; never echoed in an error
     * @throws ConfigException naming {@code parameter} when the value is empty or its base64 is bad
     */
    static SecretKeySource parse(String parameter, String value) {
        return of(parameter, Secrets.decode(parameter, value));
    }

    /** Over {@code secret}, which it keeps (and wipes on {@link #close()}): pass a copy. */
    static SecretKeySource of(String parameter, byte[] secret) {
        return new SecretKeySource(parameter, secret, null);
    }

    /**
     * This secret with a key id ({@code jwt.secret-key-id}): tokens must name it in their
     * {@code kid}. Shares the secret, so closing either wipes it.
     *
     * @param keyIdParameter the init-param name, for error messages
     * @throws ConfigException naming {@code keyIdParameter} when the id is empty, too long or
     *         holds control characters
     */
    SecretKeySource withKeyId(String keyIdParameter, String id) {
        return new SecretKeySource(parameter, secret, SingleKey.checkKeyId(keyIdParameter, id));
    }

    @Override
    public List<String> defaultAlgorithms() {
        return List.of(AlgorithmIdentifiers.HMAC_SHA256);
    }

    @Override
    public void checkAlgorithm(String algorithm) {
        Integer min = MIN_BYTES.get(algorithm);
        if (min == null) {
            throw new ConfigException(JwtTokenValidator.PARAM_ALGORITHMS, algorithm
                    + " does not fit an HMAC secret; with " + parameter + " use HS256, HS384 or HS512");
        }
        if (secret.length < min) {
            throw new ConfigException(parameter, "is " + secret.length + " bytes, but " + algorithm
                    + " needs at least " + min + " random bytes; use a longer secret, e.g. base64: with "
                    + min + " random bytes");
        }
    }

    /**
     * The one key (configuration made sure it fits every allowed algorithm); none, so the token is
     * refused as an unknown key before any HMAC, when a {@code jwt.secret-key-id} is set and the
     * token's {@code kid} is missing or another.
     */
    @Override
    public KeyMatch resolve(String algorithm, String kid) {
        return single.resolve(kid);
    }

    /** The configured {@code jwt.secret-key-id}: {@link #resolve} finds no key for any other {@code kid}. */
    @Override
    public String requiredKeyId() {
        return single.keyId();
    }

    @Override
    public String describe() {
        return single.describe("secret=[PROTECTED]");
    }

    /** Wipes our copy of the secret (jose4j's key object keeps its own). */
    @Override
    public void close() {
        Arrays.fill(secret, (byte) 0);
    }

    @Override
    public String toString() {
        return "SecretKeySource[" + describe() + "]";
    }
}
