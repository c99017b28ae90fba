package io.github.sessiongate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The per-thread Mac gives the HMAC of each call's own key, whatever key the call before used. */
class HmacTest {

    @Test
    void rfc4231VectorWithKeysAlternatingOnOneThread() {
        SecretKeySpec jefe = new SecretKeySpec("Jefe".getBytes(StandardCharsets.US_ASCII), Hmac.SHA256);
        SecretKeySpec other = new SecretKeySpec(new byte[32], Hmac.SHA256);
        String expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"; // RFC 4231 test case 2
        String zeroKey = HexFormat.of().formatHex(Hmac.sha256(other, "what do ya want for nothing?"));
        for (int i = 0; i < 3; i++) {
            assertEquals(expected, HexFormat.of().formatHex(Hmac.sha256(jefe, "what do ya want for nothing?")));
            assertEquals(zeroKey, HexFormat.of().formatHex(Hmac.sha256(other, "what do ya want for nothing?")));
        }
    }
}
