package io.github.sessiongate.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-thread digest gives exactly the SHA-256 of the UTF-8 bytes, whatever the length or characters. */
class FingerprintTest {

    @Test
    void sha256IsTheDigestOfTheUtf8Bytes() throws Exception {
        for (String s : List.of("", "a", "x".repeat(255), "y".repeat(256), "z".repeat(257), "eyJ.".repeat(700),
                "caf\u00e9", "a".repeat(300) + "\u20ac" + "b".repeat(300), "\ud83d\ude00 emoji")) {
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            assertArrayEquals(expected, Fingerprint.sha256(s), () -> "length " + s.length());
            assertArrayEquals(expected, Fingerprint.sha256(s), "a second call on the same thread gives the same digest");
        }
    }

    @Test
    void fingerprintIsTheFirstEightHexDigits() {
        assertEquals("ba7816bf", Fingerprint.of("abc"));
        assertEquals("-", Fingerprint.of(null));
    }
}
