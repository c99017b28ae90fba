package io.github.sessiongate.secret;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.internal.Secrets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;

/**
 * An HMAC key read from an init-param, decoded by {@link Secrets#decode} like {@code jwt.secret}: UTF-8
 * text, or binary as {@code base64:...} (standard or URL-safe alphabet, whitespace ignored). Refuses a key
 * shorter than {@link #MIN_BYTES} and a key equal to another key of the filter: reusing a key across
 * purposes lets a token minted for one be accepted as the other. Keys are compared as decoded bytes
 * (so {@code base64:} and plain forms of one key are caught) with {@link Secrets#sameSecret}, in
 * constant time ({@link MessageDigest#isEqual}).
 *
 * <p>Immutable; {@link #toString()} never shows the key.
 */
public final class HmacSecret {
    /** Shortest key accepted: the output size of SHA-256 (RFC 7518 section 3.2 for HS256). */
    public static final int MIN_BYTES = 32;

    private final String parameter;
    private final byte[] bytes;

    private HmacSecret(String parameter, byte[] bytes) {
        this.parameter = parameter;
        this.bytes = bytes;
    }

    /**
     * Decodes and checks a secret.
     *
     * @param parameter the init-param it came from, named in every error
     * @param value the configured value; never echoed in an error
     * @param others the filter's other keys by init-param name (values as configured; {@code null}
     *        values are skipped); an equal one fails naming {@code parameter} and the other's name
     * @param unnamedOthers further keys whose names the caller did not give ({@code null} entries skipped)
     * @throws ConfigException naming {@code parameter}
     */
    public static HmacSecret parse(String parameter, String value, Map<String, String> others,
            Iterable<String> unnamedOthers) {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(others, "others");
        Objects.requireNonNull(unnamedOthers, "unnamedOthers");
        byte[] bytes = Secrets.decode(parameter, value);
        if (bytes.length < MIN_BYTES) {
            throw new ConfigException(parameter, "is " + bytes.length + " bytes, but at least " + MIN_BYTES
                    + " random bytes are needed; use e.g. " + Secrets.BASE64_PREFIX + " with " + MIN_BYTES + " random bytes");
        }
        for (Map.Entry<String, String> other : others.entrySet()) {
            if (Secrets.sameSecret(bytes, other.getValue())) {
                throw new ConfigException(parameter, "must differ from " + other.getKey()
                        + ": each key of the filter needs its own random value, or a token made for one purpose "
                        + "would pass as another");
            }
        }
        for (String other : unnamedOthers) {
            if (Secrets.sameSecret(bytes, other)) {
                throw new ConfigException(parameter, "must differ from every other key the filter uses "
                        + "(it equals one of them): each key needs its own random value, or a token made for one "
                        + "purpose would pass as another");
            }
        }
        return new HmacSecret(parameter, bytes);
    }

    /** A copy of the key bytes; the caller should not keep it longer than needed. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The init-param the key came from. */
    public String parameter() {
        return parameter;
    }

    @Override
    public String toString() {
        return "HmacSecret[" + parameter + "=[PROTECTED]]";
    }
}
