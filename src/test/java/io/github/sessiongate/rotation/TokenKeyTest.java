package io.github.sessiongate.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The state key of a token stays its full SHA-256 in lower-case hex (keys already in a shared store must still match). */
class TokenKeyTest {

    @Test
    void keyIsTheLowerCaseHexSha256() throws Exception {
        for (String token : new String[] {"abc", "eyJhbGciOiJIUzI1NiJ9." + "x".repeat(700) + ".sig", "opaque-\u00e9"}) {
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, TokenKey.of(token));
        }
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TokenKey.of("abc"));
    }
}
