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
 */
final class SecretKeySource implements KeySource {
    private static final Map<String, Integer> MIN_BYTES = Map.of(
            AlgorithmIdentifiers.HMAC_SHA256, 32,
            AlgorithmIdentifiers.HMAC_SHA384, 48,
            AlgorithmIdentifiers.HMAC_SHA512, 64);

    private final String parameter;
    private final byte[] secret;
    private final KeyMatch match;

    private SecretKeySource(String parameter, byte[] secret) {
        this.parameter = parameter;
        this.secret = secret;
        this.match = new KeyMatch(this, List.of(new HmacKey(secret)));
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
        return new SecretKeySource(parameter, secret);
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

    /** The one key, whatever the {@code kid}: configuration made sure it fits every allowed algorithm. */
    @Override
    public KeyMatch resolve(String algorithm, String kid) {
        return match;
    }

    @Override
    public String describe() {
        return "secret=[PROTECTED]";
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
