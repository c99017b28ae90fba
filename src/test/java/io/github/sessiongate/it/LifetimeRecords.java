package io.github.sessiongate.it;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Lifetime records (the {@code sg_meta} cookie) signed as the filter signs them, for a webapp's
 * {@code session-signing-secret}: only a login starts one, so a test that needs a live record for
 * tokens it issued itself signs one here.
 */
final class LifetimeRecords {
    private LifetimeRecords() {
    }

    /** A record first started and last active now. */
    static String live(String secret, String subject) {
        long now = Instant.now().getEpochSecond();
        return signed(secret, subject, now, now);
    }

    /** A record with the given first login and last activity (epoch seconds). */
    static String signed(String secret, String subject, long firstLogin, long lastActivity) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        byte[] tag = Arrays.copyOf(hmac(key, "sessiongate/meta/subject\0", subject.getBytes(StandardCharsets.UTF_8)), 16);
        ByteBuffer buffer = ByteBuffer.allocate(65);
        buffer.put((byte) 1).put(tag).putLong(firstLogin).putLong(lastActivity);
        buffer.put(hmac(key, "sessiongate/meta/v1\0", Arrays.copyOf(buffer.array(), 33)));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    private static byte[] hmac(byte[] key, String context, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(context.getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
