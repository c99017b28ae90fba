package io.github.sessiongate.rotation;

import io.github.sessiongate.audit.Fingerprint;
import java.nio.charset.StandardCharsets;

/** The key under which state about a token is kept: its full SHA-256, in hex. Never the token. */
public final class TokenKey {
    private TokenKey() {
    }

    /** The SHA-256 of the token, 64 hex digits. */
    public static String of(String token) {
        byte[] digest = Fingerprint.sha256(token);
        byte[] hex = new byte[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return new String(hex, StandardCharsets.ISO_8859_1); // what HexFormat gives, without its StringBuilder
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
}
