package io.github.sessiongate.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short, non-reversible name for a secret: the first 8 hex digits of its SHA-256. Logs and
 * audit events carry this instead of a token, so two events about the same token can be matched
 * without either revealing it.
 */
public final class Fingerprint {
    private Fingerprint() {
    }

    /** The fingerprint of a token, or {@code "-"} for none. */
    public static String of(String secret) {
        if (secret == null || secret.isEmpty()) {
            return "-";
        }
        return HexFormat.of().formatHex(sha256(secret), 0, 4);
    }

    /** The whole SHA-256 of a secret, e.g. as a map key that must not hold the secret itself. */
    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
