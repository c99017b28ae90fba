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

    /**
     * The whole SHA-256 of a secret (its UTF-8 bytes), e.g. as a map key that must not hold the
     * secret itself. Runs on every request (the token's state key), so it keeps one digest and one
     * small buffer per thread instead of a {@code MessageDigest.getInstance} (a provider lookup and
     * reflection, dearer than hashing 750 bytes) and a copy of the token's bytes per call; an ASCII
     * secret (every JWT) is fed in place, anything else as {@code getBytes(UTF_8)}.
     */
    public static byte[] sha256(String secret) {
        MessageDigest md = DIGEST.get();
        byte[] buffer = BUFFER.get();
        int n = secret.length();
        int at = 0;
        for (int i = 0; i < n; i++) {
            char c = secret.charAt(i);
            if (c >= 0x80) {
                md.reset();
                return md.digest(secret.getBytes(StandardCharsets.UTF_8));
            }
            buffer[at++] = (byte) c;
            if (at == buffer.length) {
                md.update(buffer, 0, at);
                at = 0;
            }
        }
        md.update(buffer, 0, at);
        return md.digest(); // digest() resets: the thread's instance is ready for the next call
    }

    /** One SHA-256 per thread: never shared, never re-entered (nothing it calls calls back here). */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    });

    /** What the ASCII bytes of a secret pass through on their way into {@link #DIGEST}, per thread. */
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[256]);
}
