package io.github.sessiongate.testing;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;

/**
 * The malleability of an ES256 signature: (r, s) and (r, n-s) both verify, so one token has a
 * second, equally valid spelling with the same header, payload and key but other signature bytes.
 */
public final class EcdsaMalleability {
    /** The order of the P-256 group: (r, n-s) verifies as well as (r, s). */
    public static final BigInteger P256_N =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private EcdsaMalleability() {
    }

    /** The same header.payload of an ES256 token with the signature (r, s) replaced by (r, n-s): still valid ECDSA. */
    public static String withNegatedS(String token) {
        int dot = token.lastIndexOf('.');
        byte[] sig = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        if (sig.length != 64) {
            throw new IllegalArgumentException("not an ES256 signature (r || s, 64 bytes): " + sig.length + " bytes");
        }
        byte[] s = Arrays.copyOfRange(sig, 32, 64);
        byte[] raw = P256_N.subtract(new BigInteger(1, s)).toByteArray();
        byte[] fixed = new byte[32];
        int from = Math.max(0, raw.length - 32);
        System.arraycopy(raw, from, fixed, 32 - (raw.length - from), raw.length - from);
        System.arraycopy(fixed, 0, sig, 32, 32);
        return token.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    }
}
