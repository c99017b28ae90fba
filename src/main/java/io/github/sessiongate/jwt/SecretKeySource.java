package io.github.sessiongate.jwt;

import io.github.sessiongate.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;

/**
 * A shared HMAC secret ({@code jwt.secret}): UTF-8 text, or binary as {@code base64:...}.
 * Refuses a secret shorter than the hash of any allowed algorithm (RFC 7518 section 3.2).
 */
final class SecretKeySource implements KeySource {
    /** Prefix marking a base64 (standard or URL-safe) secret. */
    static final String BASE64_PREFIX = "base64:";

    private static final Map<String, Integer> MIN_BYTES = Map.of(
            AlgorithmIdentifiers.HMAC_SHA256, 32,
            AlgorithmIdentifiers.HMAC_SHA384, 48,
            AlgorithmIdentifiers.HMAC_SHA512, 64);

    private final String parameter;
    private final byte[] secret;
    private final HmacKey key;

    private SecretKeySource(String parameter, byte[] secret) {
        this.parameter = parameter;
        this.secret = secret;
        this.key = new HmacKey(secret);
    }

    /**
     * @param parameter the init-param name, for error messages
     * @param value the configured value; never echoed in an error
     */
    static SecretKeySource parse(String parameter, String value) {
        byte[] bytes;
        if (value.regionMatches(true, 0, BASE64_PREFIX, 0, BASE64_PREFIX.length())) {
            String encoded = value.substring(BASE64_PREFIX.length()).replaceAll("\\s+", "");
            try {
                bytes = encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0
                        ? Base64.getUrlDecoder().decode(encoded)
                        : Base64.getDecoder().decode(encoded);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(parameter, "starts with base64: but the rest is not valid base64");
            }
        } else {
            bytes = value.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length == 0) {
            throw new ConfigException(parameter, "is empty");
        }
        return new SecretKeySource(parameter, bytes);
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

    @Override
    public void applyTo(JwtConsumerBuilder builder) {
        builder.setVerificationKey(key);
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
