package io.github.sessiongate.internal;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.cookie.CookieSeal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Parsing and comparing configured secrets: the one implementation used by every component that
 * holds one ({@link CookieSeal}, {@link io.github.sessiongate.web.ClientTokens}, the
 * {@code jwt.secret} key source, and through {@link io.github.sessiongate.secret.HmacSecret} the
 * guest-token and session-lifetime keys). Internal: not for application code. A value is UTF-8
 * text, or binary as {@code base64:...} (standard or URL-safe alphabet, padding optional,
 * whitespace ignored).
 *
 * <p>Nothing here ever puts a secret in an exception message.
 */
public final class Secrets {
    /** Prefix marking a base64 (standard or URL-safe) secret, as {@code jwt.secret} accepts it. */
    public static final String BASE64_PREFIX = "base64:";

    private Secrets() {
    }

    /**
     * The bytes of a configured secret: UTF-8 text, or the decoding of what follows {@code base64:}.
     *
     * @param parameter the init-param, for the error message
     * @param value the configured value; never echoed
     * @throws ConfigException naming {@code parameter} when the value is empty or its base64 is bad
     */
    public static byte[] decode(String parameter, String value) {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(value, "value");
        byte[] bytes = tryDecode(value);
        if (bytes == null) {
            throw new ConfigException(parameter, "starts with " + BASE64_PREFIX + " but the rest is not valid base64");
        }
        if (bytes.length == 0) {
            throw new ConfigException(parameter, "is empty");
        }
        return bytes;
    }

    /**
     * Decodes base64, standard or URL-safe alphabet, padding optional, whitespace ignored.
     *
     * @throws ConfigException naming {@code parameter} when it is not valid base64; the value is not echoed
     */
    public static byte[] base64(String parameter, String encoded) {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(encoded, "encoded");
        byte[] bytes = tryBase64(encoded);
        if (bytes == null) {
            throw new ConfigException(parameter, "holds a key that is not valid base64");
        }
        return bytes;
    }

    /**
     * Whether a secret is also used elsewhere: compares the secret's bytes and its configured text
     * with every form each other value can take (its text, its {@code base64:} or plain base64
     * decoding, and the same for each item of a comma/space-separated {@code kid:key} list such as
     * {@code cookie-encryption-keys}). Each comparison is a constant-time
     * {@link MessageDigest#isEqual} of SHA-256 digests, and all comparisons are made.
     *
     * @param secret the decoded secret
     * @param configured the text it was configured as
     * @param others configured values of the filter's other secrets; {@code null} and blank ones are ignored
     */
    public static boolean reusedIn(byte[] secret, String configured, Collection<String> others) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(configured, "configured");
        Objects.requireNonNull(others, "others");
        List<byte[]> mine = List.of(sha256(secret), sha256(configured.strip().getBytes(StandardCharsets.UTF_8)));
        boolean reused = false;
        for (String other : others) {
            if (other == null || other.isBlank()) {
                continue;
            }
            for (byte[] form : forms(other)) {
                byte[] digest = sha256(form);
                for (byte[] m : mine) {
                    reused |= MessageDigest.isEqual(m, digest);
                }
            }
        }
        return reused;
    }

    /**
     * Whether another configured value, read by the rules of {@link #decode} (its text when its
     * {@code base64:} part is bad), is exactly the key {@code secret}. Narrower than
     * {@link #reusedIn}: one value, one reading. A constant-time {@link MessageDigest#isEqual} of
     * SHA-256 digests.
     *
     * @param secret the decoded secret
     * @param other another configured value; {@code null} or blank is never the same
     */
    public static boolean sameSecret(byte[] secret, String other) {
        Objects.requireNonNull(secret, "secret");
        if (other == null || other.isBlank()) {
            return false;
        }
        byte[] decoded = tryDecode(other.strip());
        // Undecodable base64: the owner of that value refuses it; compare its text all the same.
        return equal(secret, decoded != null ? decoded : other.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** Every byte string a configured value might stand for. */
    private static List<byte[]> forms(String value) {
        List<String> texts = new ArrayList<>();
        texts.add(value.strip());
        for (String item : InitParams.split(value)) {
            texts.add(item);
            int colon = item.indexOf(':');
            if (colon > 0 && !hasBase64Prefix(item)) {
                texts.add(item.substring(colon + 1)); // kid:key
            }
        }
        List<byte[]> forms = new ArrayList<>();
        for (String text : texts) {
            forms.add(text.getBytes(StandardCharsets.UTF_8));
            String encoded = hasBase64Prefix(text) ? text.substring(BASE64_PREFIX.length()) : text;
            byte[] decoded = tryBase64(encoded);
            if (decoded != null && decoded.length > 0) {
                forms.add(decoded);
            }
        }
        return forms;
    }

    /** The bytes of a configured value, or {@code null} when {@code base64:} is followed by bad base64. */
    private static byte[] tryDecode(String value) {
        return hasBase64Prefix(value)
                ? tryBase64(value.substring(BASE64_PREFIX.length()))
                : value.getBytes(StandardCharsets.UTF_8);
    }

    /** Constant-time equality of two byte strings of any lengths, by their SHA-256 digests. */
    private static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(sha256(a), sha256(b));
    }

    private static boolean hasBase64Prefix(String value) {
        return value.regionMatches(true, 0, BASE64_PREFIX, 0, BASE64_PREFIX.length());
    }

    /** The decoding, or {@code null} when not valid base64 in either alphabet. */
    private static byte[] tryBase64(String encoded) {
        String compact = encoded.replaceAll("\\s+", "");
        try {
            return compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(compact)
                    : Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
