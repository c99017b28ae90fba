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

    /** HMAC-SHA256 of {@code text} (UTF-8) under {@code key}. */
    public static byte[] sha256(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance(SHA256);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform provides HmacSHA256", e);
        }
    }
}
