package io.github.sessiongate.jwt;

import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.internal.CompactJws;
import java.util.List;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.lang.InvalidAlgorithmException;

/**
 * A look at a token's header segment that refuses it without building a map: the segment is decoded
 * once into a buffer confined to the calling thread ({@link #BUFFERED} bytes; a longer header gets
 * its own array) and read in one forward pass, so a flood of junk headers of ordinary size
 * allocates nothing (a header over {@link #BUFFERED} decoded bytes costs one array of its size). It only
 * ever refuses, and only for the reason the full header check ({@code JwtTokenValidator.checkHeader},
 * then the key lookup) gives: not strict JSON ({@link Reason#MALFORMED}), an {@code alg} outside
 * {@code jwt.algorithms} ({@link Reason#DISALLOWED_ALGORITHM}), {@code crit}, {@code enc} or
 * {@code b64}, a non-string {@code kid} ({@link Reason#MALFORMED}), or a {@code kid} other than the
 * one the key source requires ({@link Reason#UNKNOWN_KEY}, {@link KeySource#requiredKeyId()}).
 *
 * <p>It reads one flat object of at most {@value #MAX_MEMBERS} members whose names and values are
 * escape-free ASCII strings, {@code true}, {@code false} or {@code null}; anything else it cannot
 * read (a number, a nested value, an escape, a non-ASCII byte, a {@code cty}) makes it answer
 * {@code null}, and the full check decides. A syntax error met before any of those is an error of
 * strict JSON too, since up to there both read the same grammar. Thread-safe: its only state is
 * each thread's buffer, which holds nothing once a call returns that anyone reads again.
 */
final class HeaderGlance {
    /** Most members looked at; more go to the full check (the duplicate check here is quadratic). */
    static final int MAX_MEMBERS = 16;
    /**
     * Decoded header bytes the per-thread buffer holds: an identity provider's header (alg, kid,
     * typ) is well under it. A byte array, so a pooled thread keeps no class of the application alive.
     */
    static final int BUFFERED = 512;

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[BUFFERED]);

    /** Positions below zero: what stopped the look. */
    private static final int NOT_JSON = -1;
    private static final int UNREAD = -2;

    private static final byte[] ALG = {'a', 'l', 'g'};
    private static final byte[] KID = {'k', 'i', 'd'};
    private static final byte[] CTY = {'c', 't', 'y'};
    private static final byte[] CRIT = {'c', 'r', 'i', 't'};
    private static final byte[] ENC = {'e', 'n', 'c'};
    private static final byte[] B64 = {'b', '6', '4'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private HeaderGlance() {
    }

    /**
     * The reason to refuse the header segment {@code token[from, end)} of a canonical token, or
     * {@code null} when the full check must decide.
     *
     * @param algorithms the allowed algorithms ({@code jwt.algorithms})
     * @param requiredKeyId the {@code kid} every token must carry, or {@code null}
     */
    static Reason refusal(String token, int from, int end, List<String> algorithms, String requiredKeyId) {
        int len = CompactJws.decodedLength(from, end);
        byte[] b = len <= BUFFERED ? BUFFER.get() : new byte[len];
        CompactJws.decode(token, from, end, b);
        return refusal(b, len, algorithms, requiredKeyId);
    }

    /** As {@link #refusal(String, int, int, List, String)}, for the decoded header {@code b[0, len)}. */
    private static Reason refusal(byte[] b, int len, List<String> algorithms, String requiredKeyId) {
        int p = space(b, len, 0);
        if (p >= len || b[p] != '{') {
            return Reason.MALFORMED;
        }
        int first = -1;
        int members = 0;
        int alg = -1;
        int kid = -1;
        boolean extension = false;
        p = space(b, len, p + 1);
        if (p < len && b[p] == '}') {
            p++;
        } else {
            first = p;
            while (true) {
                if (p >= len || b[p] != '"') {
                    return Reason.MALFORMED;
                }
                if (++members > MAX_MEMBERS) {
                    return null;
                }
                int name = p;
                int q = string(b, len, p);
                if (q < 0) {
                    return stopped(q);
                }
                int nameLength = q - name - 2;
                q = space(b, len, q);
                if (q >= len || b[q] != ':') {
                    return Reason.MALFORMED;
                }
                int value = space(b, len, q + 1);
                int after = value(b, len, value);
                if (after < 0) {
                    return stopped(after);
                }
                boolean isNull = b[value] == 'n';
                if (named(b, name, nameLength, ALG)) {
                    alg = value;
                } else if (named(b, name, nameLength, KID)) {
                    kid = isNull ? -1 : value;
                } else if (named(b, name, nameLength, CTY) && !isNull) {
                    return null; // a content type: the full check normalises it
                } else if (!isNull && (named(b, name, nameLength, CRIT) || named(b, name, nameLength, ENC)
                        || named(b, name, nameLength, B64))) {
                    extension = true;
                }
                p = space(b, len, after);
                if (p >= len) {
                    return Reason.MALFORMED;
                }
                int c = b[p++];
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    return Reason.MALFORMED;
                }
                p = space(b, len, p);
            }
        }
        if (space(b, len, p) != len || first >= 0 && duplicated(b, len, first)) {
            return Reason.MALFORMED;
        }
        String allowed = alg >= 0 && b[alg] == '"' ? allowedAlgorithm(b, alg, algorithms) : null;
        if (allowed == null) {
            return Reason.DISALLOWED_ALGORITHM;
        }
        if (extension || kid >= 0 && b[kid] != '"') {
            return Reason.MALFORMED; // crit, enc or b64; a kid that is true or false
        }
        try {
            AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().getAlgorithm(allowed);
        } catch (InvalidAlgorithmException e) {
            return null; // not available in this JVM: the full check says so
        }
        if (requiredKeyId != null && (kid < 0 || !stringEquals(b, kid, requiredKeyId))) {
            return Reason.UNKNOWN_KEY;
        }
        return null;
    }

    private static Reason stopped(int code) {
        return code == NOT_JSON ? Reason.MALFORMED : null;
    }

    private static int space(byte[] b, int len, int p) {
        while (p < len) {
            int c = b[p];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return p;
            }
            p++;
        }
        return p;
    }

    /** Past the closing quote of the string that opens at {@code p}; {@link #NOT_JSON} or {@link #UNREAD}. */
    private static int string(byte[] b, int len, int p) {
        for (int i = p + 1; i < len; i++) {
            int c = b[i]; // negative from 0x80 on
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' || c < 0) {
                return UNREAD;
            }
            if (c < 0x20) {
                return NOT_JSON;
            }
        }
        return NOT_JSON;
    }

    /** Past the value at {@code p}; {@link #NOT_JSON} or {@link #UNREAD}. */
    private static int value(byte[] b, int len, int p) {
        if (p >= len) {
            return NOT_JSON;
        }
        int c = b[p];
        return switch (c) {
            case '"' -> string(b, len, p);
            case 't' -> literal(b, len, p, TRUE);
            case 'f' -> literal(b, len, p, FALSE);
            case 'n' -> literal(b, len, p, NULL);
            case '{', '[', '-' -> UNREAD;
            default -> c >= '0' && c <= '9' ? UNREAD : NOT_JSON;
        };
    }

    private static int literal(byte[] b, int len, int p, byte[] word) {
        if (p + word.length > len) {
            return NOT_JSON;
        }
        for (int i = 0; i < word.length; i++) {
            if (b[p + i] != word[i]) {
                return NOT_JSON;
            }
        }
        return p + word.length;
    }

    /** Whether the name at {@code quote}, {@code length} bytes between its quotes, is {@code name}. */
    private static boolean named(byte[] b, int quote, int length, byte[] name) {
        if (length != name.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (b[quote + 1 + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the string at {@code quote} (already read: escape-free, closed within the header) is
     * {@code text}. Never reads past its closing quote: a {@code text} holding a quote matches nothing.
     */
    private static boolean stringEquals(byte[] b, int quote, String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            int c = b[quote + 1 + i];
            if (c == '"' || c != text.charAt(i)) {
                return false;
            }
        }
        return b[quote + 1 + n] == '"';
    }

    /** The allowed algorithm the string at {@code quote} names, or {@code null}. */
    private static String allowedAlgorithm(byte[] b, int quote, List<String> algorithms) {
        for (int i = 0; i < algorithms.size(); i++) {
            String a = algorithms.get(i);
            if (stringEquals(b, quote, a)) {
                return a;
            }
        }
        return null;
    }

    /** Whether two members of the object (already read, names escape-free) share a name. */
    private static boolean duplicated(byte[] b, int len, int first) {
        for (int i = first; i >= 0; i = next(b, len, i)) {
            int iEnd = string(b, len, i);
            for (int j = next(b, len, i); j >= 0; j = next(b, len, j)) {
                if (string(b, len, j) - j == iEnd - i && sameBytes(b, i, j, iEnd - i)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean sameBytes(byte[] b, int x, int y, int n) {
        for (int k = 0; k < n; k++) {
            if (b[x + k] != b[y + k]) {
                return false;
            }
        }
        return true;
    }

    /** The name of the member after the one whose name opens at {@code name}, or -1 after the last. */
    private static int next(byte[] b, int len, int name) {
        int p = space(b, len, string(b, len, name)) + 1; // past ':'
        p = space(b, len, value(b, len, space(b, len, p)));
        return b[p] == ',' ? space(b, len, p + 1) : -1;
    }
}
