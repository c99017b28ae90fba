package io.github.sessiongate.internal;

import java.util.Arrays;

/**
 * Whether a JWS compact serialization is spelled the one canonical way, checked before any
 * signature work. jose4j accepts several spellings of one signed token (padding, the standard
 * base64 alphabet, non-zero unused trailing bits); refusing all but one makes the token string
 * itself an identity, so the validation cache, audit fingerprints and the client token's
 * {@code sid}, which key on a digest of the whole token, see one token as one key.
 *
 * <p>Canonical means: exactly three segments separated by two {@code .}; a non-empty header; each
 * segment base64url without padding and without {@code +} or {@code /} (<a
 * href="https://www.rfc-editor.org/rfc/rfc7515#section-2">RFC 7515 §2</a>); no segment whose length
 * is 1 mod 4; and the unused low bits of each segment's last character zero (<a
 * href="https://www.rfc-editor.org/rfc/rfc4648#section-3.5">RFC 4648 §3.5</a>): 4 bits when the
 * length is 2 mod 4, 2 bits when it is 3 mod 4. An empty payload or signature is canonical here
 * (an unsigned token is the algorithm check's to refuse).
 *
 * <p>One pass over the characters, no allocation, no regular expression: junk is refused in
 * nanoseconds. Stateless and thread-safe. Internal; not for application code.
 */
public final class CompactJws {
    /** Value of each ASCII character in the base64url alphabet (-1 for others): also what tells them apart. */
    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < 26; i++) {
            VALUES['A' + i] = (byte) i;
            VALUES['a' + i] = (byte) (26 + i);
        }
        for (int i = 0; i < 10; i++) {
            VALUES['0' + i] = (byte) (52 + i);
        }
        VALUES['-'] = 62;
        VALUES['_'] = 63;
    }

    private CompactJws() {
    }

    /**
     * Whether {@code token} is a canonically encoded JWS compact serialization (see the class
     * comment). Says nothing about the JSON inside or the signature. Never throws.
     *
     * @param token any string, possibly {@code null} or hostile
     */
    public static boolean isCanonical(String token) {
        return token != null && isCanonical(token, 0, token.length());
    }

    /** As {@link #isCanonical(String)}, for the token {@code s[from, to)} inside a longer text (a Cookie header). */
    public static boolean isCanonical(CharSequence s, int from, int to) {
        int dots = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (isBase64Url(c)) {
                continue; // a base64url character
            }
            if (c != '.' || ++dots > 2 || (dots == 1 && i == from) || !segmentEndsCanonically(s, start, i)) {
                return false; // not base64url, a third dot, an empty header, or a bad segment tail
            }
            start = i + 1;
        }
        return dots == 2 && segmentEndsCanonically(s, start, to);
    }

    /**
     * Where the header segment of the token {@code s[from, to)} ends (its first {@code .}), when the
     * token has exactly three segments and its header segment is non-empty canonical base64url;
     * otherwise -1. Reads the header's characters and finds the dots with {@link String#indexOf(int, int)}
     * (vectorised): a validator decides on the header before it reads the rest, which
     * {@link #isCanonical(CharSequence, int, int)} then checks.
     */
    public static int headerEnd(String s, int from, int to) {
        int first = s.indexOf('.', from);
        if (first <= from || first >= to) {
            return -1;
        }
        int second = s.indexOf('.', first + 1);
        if (second < 0 || second >= to) {
            return -1;
        }
        int third = s.indexOf('.', second + 1);
        if (third >= 0 && third < to) {
            return -1;
        }
        return isCanonicalBase64Url(s, from, first) ? first : -1;
    }

    /**
     * Whether {@code s[from, to)} is canonical unpadded base64url: only base64url characters, a
     * length other than 1 mod 4, and zero unused bits in the last character. Never throws for
     * bounds within {@code s}.
     */
    public static boolean isCanonicalBase64Url(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isBase64Url(s.charAt(i))) {
                return false;
            }
        }
        return segmentEndsCanonically(s, from, to);
    }

    /**
     * The bytes of segment {@code s[from, to)}, which {@link #isCanonical} or
     * {@link #isCanonicalBase64Url} has already accepted: one allocation, no intermediate string.
     * Unspecified (but never throws) for a segment that was not checked.
     */
    public static byte[] decode(CharSequence s, int from, int to) {
        byte[] out = new byte[decodedLength(from, to)];
        decode(s, from, to, out);
        return out;
    }

    /**
     * As {@link #decode(CharSequence, int, int)}, into {@code out[0, decodedLength(from, to))}: for a
     * caller that reuses one buffer. Unspecified (but never throws for a large enough {@code out})
     * for a segment that was not checked.
     *
     * @throws ArrayIndexOutOfBoundsException when {@code out} is shorter than {@link #decodedLength}
     */
    public static void decode(CharSequence s, int from, int to, byte[] out) {
        int length = to - from;
        int o = 0;
        int i = from;
        for (int full = from + (length & ~3); i < full; i += 4) {
            int v = value(s, i) << 18 | value(s, i + 1) << 12 | value(s, i + 2) << 6 | value(s, i + 3);
            out[o++] = (byte) (v >> 16);
            out[o++] = (byte) (v >> 8);
            out[o++] = (byte) v;
        }
        int rest = to - i;
        if (rest >= 2) {
            int v = value(s, i) << 18 | value(s, i + 1) << 12 | (rest == 3 ? value(s, i + 2) << 6 : 0);
            out[o++] = (byte) (v >> 16);
            if (rest == 3) {
                out[o] = (byte) (v >> 8);
            }
        }
    }

    /** How many bytes segment {@code [from, to)} decodes to (its length not 1 mod 4). */
    public static int decodedLength(int from, int to) {
        int length = to - from;
        return length / 4 * 3 + switch (length & 3) {
            case 2 -> 1;
            case 3 -> 2;
            default -> 0;
        };
    }

    private static int value(CharSequence s, int i) {
        char c = s.charAt(i);
        return c < 128 ? VALUES[c] & 0x3f : 0;
    }

    /** One load per character (the two bit masks this replaced cost a branch more on every character of a token). */
    private static boolean isBase64Url(char c) {
        return c < 128 && VALUES[c] >= 0;
    }

    /** The length and last-character rule, for a segment already known to be base64url characters. */
    private static boolean segmentEndsCanonically(CharSequence s, int from, int to) {
        int unusedBits = switch ((to - from) & 3) {
            case 0 -> 0;
            case 2 -> 4;
            case 3 -> 2;
            default -> -1;
        };
        if (unusedBits < 0) {
            return false;
        }
        return unusedBits == 0 || (VALUES[s.charAt(to - 1)] & ((1 << unusedBits) - 1)) == 0;
    }
}
