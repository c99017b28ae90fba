package io.github.sessiongate.secret;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HMAC key read from an init-param, decoded by the same rules as {@code jwt.secret}: UTF-8 text,
 * or binary as {@code base64:...} (standard or URL-safe alphabet, whitespace ignored). Refuses a key
 * shorter than {@link #MIN_BYTES} and a key equal to another key of the filter: reusing a key across
 * purposes lets a token minted for one be accepted as the other. Keys are compared as decoded bytes
 * (so {@code base64:} and plain forms of one key are caught) with {@link MessageDigest#isEqual}.
 *
 * <p>Immutable; {@link #toString()} never shows the key.
 */
public final class HmacSecret {
    /** Prefix marking a base64 secret, as for {@code jwt.secret}. */
    public static final String BASE64_PREFIX = "base64:";
    /** Shortest key accepted: the output size of SHA-256 (RFC 7518 section 3.2 for HS256). */
    public static final int MIN_BYTES = 32;
    /**
     * The init-params holding the filter's symmetric keys: {@code jwt.secret} (JwtTokenValidator),
     * {@code guest-secret} (GuestTokens) and {@code session-signing-secret} (SessionLifetime). Each
     * must differ from the others; listed here, as text, so that no component package depends on another.
     */
    public static final List<String> KEY_PARAMETERS = List.of("jwt.secret", "guest-secret", "session-signing-secret");

    private final String parameter;
    private final byte[] bytes;

    private HmacSecret(String parameter, byte[] bytes) {
        this.parameter = parameter;
        this.bytes = bytes;
    }

    /**
     * The values of the {@link #KEY_PARAMETERS} other than {@code parameter}, by name (absent ones
     * map to {@code null}); reading them marks them read.
     */
    public static Map<String, String> otherKeys(InitParams params, String parameter) {
        Objects.requireNonNull(params, "params");
        Map<String, String> others = new LinkedHashMap<>();
        for (String name : KEY_PARAMETERS) {
            if (!name.equals(parameter)) {
                others.put(name, params.get(name).orElse(null));
            }
        }
        return others;
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
        byte[] bytes = decode(value);
        if (bytes == null) {
            throw new ConfigException(parameter, "starts with " + BASE64_PREFIX + " but the rest is not valid base64");
        }
        if (bytes.length < MIN_BYTES) {
            throw new ConfigException(parameter, "is " + bytes.length + " bytes, but at least " + MIN_BYTES
                    + " random bytes are needed; use e.g. " + BASE64_PREFIX + " with " + MIN_BYTES + " random bytes");
        }
        for (Map.Entry<String, String> other : others.entrySet()) {
            if (sameKey(bytes, other.getValue())) {
                throw new ConfigException(parameter, "must differ from " + other.getKey()
                        + ": each key of the filter needs its own random value, or a token made for one purpose "
                        + "would pass as another");
            }
        }
        for (String other : unnamedOthers) {
            if (sameKey(bytes, other)) {
                throw new ConfigException(parameter, "must differ from every other key the filter uses "
                        + "(it equals one of them): each key needs its own random value, or a token made for one "
                        + "purpose would pass as another");
            }
        }
        return new HmacSecret(parameter, bytes);
    }

    /** Constant-time comparison of our key with another configured value, decoded the same way. */
    private static boolean sameKey(byte[] ours, String other) {
        if (other == null || other.isBlank()) {
            return false;
        }
        byte[] decoded = decode(other.strip());
        // Undecodable base64: the owner of that key refuses it; compare its text all the same.
        return MessageDigest.isEqual(ours, decoded != null ? decoded : other.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** The key bytes of a configured value, or {@code null} when {@code base64:} is followed by garbage. */
    static byte[] decode(String value) {
        if (value.regionMatches(true, 0, BASE64_PREFIX, 0, BASE64_PREFIX.length())) {
            String encoded = value.substring(BASE64_PREFIX.length()).replaceAll("\\s+", "");
            try {
                return encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0
                        ? Base64.getUrlDecoder().decode(encoded)
                        : Base64.getDecoder().decode(encoded);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return value.getBytes(StandardCharsets.UTF_8);
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
