package io.github.sessiongate.testing;

import java.util.function.Supplier;

/**
 * Other spellings of one signed compact token that a lenient base64url decoder reads as the same
 * bytes: padded, in the standard alphabet, with non-zero unused trailing bits. Each has the same
 * header, payload and signature bytes as the canonical token, so only the spelling is wrong.
 */
public final class TokenSpellings {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private TokenSpellings() {
    }

    /** The signature padded with {@code =} to a multiple of four; the signature length must not be one. */
    public static String padded(String token) {
        int dot = token.lastIndexOf('.');
        int signatureLength = token.length() - dot - 1;
        if (signatureLength % 4 == 0) {
            throw new IllegalArgumentException("signature needs no padding; pick a token whose signature does");
        }
        return token + "=".repeat(4 - signatureLength % 4);
    }

    /** Every {@code -} as {@code +} and every {@code _} as {@code /}; the token must hold at least one. */
    public static String standardAlphabet(String token) {
        if (token.indexOf('-') < 0 && token.indexOf('_') < 0) {
            throw new IllegalArgumentException("token has no '-' or '_'; use withUrlSafeCharacter to pick one");
        }
        return token.replace('-', '+').replace('_', '/');
    }

    /**
     * The signature's last character with its lowest unused bit set: the same bytes to a lenient
     * decoder. The signature length must be 2 or 3 mod 4 (HS256: 43 characters).
     */
    public static String nonZeroPadBits(String token) {
        int dot = token.lastIndexOf('.');
        int signatureLength = token.length() - dot - 1;
        if (signatureLength % 4 != 2 && signatureLength % 4 != 3) {
            throw new IllegalArgumentException("signature has no unused bits");
        }
        int last = ALPHABET.indexOf(token.charAt(token.length() - 1));
        return token.substring(0, token.length() - 1) + ALPHABET.charAt(last | 1);
    }

    /** Mints tokens until one holds a {@code -} or {@code _}, so it has a standard-alphabet twin (at most 200 tries). */
    public static String withUrlSafeCharacter(Supplier<String> mint) {
        for (int i = 0; i < 200; i++) {
            String token = mint.get();
            if (token.indexOf('-') >= 0 || token.indexOf('_') >= 0) {
                return token;
            }
        }
        throw new IllegalStateException("200 tokens without '-' or '_': the minting is not random");
    }
}
