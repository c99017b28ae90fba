package io.github.sessiongate.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 of a text under a key: the one place that builds the {@link Mac}. */
public final class Hmac {
    /** The JCA name of HMAC-SHA256. */
    public static final String SHA256 = "HmacSHA256";

    private Hmac() {
    }

    /**
     * HMAC-SHA256 of {@code text} (UTF-8) under {@code key}. Keeps one {@link Mac} per thread and
     * re-initialises it with the key each call: {@code Mac.getInstance} (a provider lookup) cost more
     * than the HMAC of a short name.
     */
    public static byte[] sha256(SecretKeySpec key, String text) {
        try {
            Mac mac = MAC.get();
            mac.init(key); // resets: nothing of an earlier call or key remains
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform provides HmacSHA256", e);
        }
    }

    /** One HmacSHA256 per thread: never shared, never re-entered (nothing it calls calls back here). */
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(SHA256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform provides HmacSHA256", e);
        }
    });
}
