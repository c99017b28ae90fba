package io.github.sessiongate.rotation;

import io.github.sessiongate.audit.Fingerprint;
import java.util.HexFormat;

/** The key under which state about a token is kept: its full SHA-256, in hex. Never the token. */
public final class TokenKey {
    private TokenKey() {
    }

    /** The SHA-256 of the token, 64 hex digits. */
    public static String of(String token) {
        return HexFormat.of().formatHex(Fingerprint.sha256(token));
    }
}
