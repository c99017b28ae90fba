package io.github.sessiongate.jwt;

import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.internal.CompactJws;
import java.util.List;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.lang.InvalidAlgorithmException;

/**
 * A look at a token's header segment that refuses it without decoding it into an array or building
 * a map: the bytes are read in place from the base64url text ({@link CompactJws#decodedByte}), so a
 * flood of junk headers allocates nothing. It only ever refuses, and only for the reason the full
 * header check ({@code JwtTokenValidator.checkHeader}, then the key lookup) gives: not strict JSON
 * ({@link Reason#MALFORMED}), an {@code alg} outside {@code jwt.algorithms}
 * ({@link Reason#DISALLOWED_ALGORITHM}), {@code crit}, {@code enc} or {@code b64}, a non-string
 * {@code kid} ({@link Reason#MALFORMED}), or a {@code kid} other than the one the key source
 * requires ({@link Reason#UNKNOWN_KEY}, {@link KeySource#requiredKeyId()}).
 *
 * <p>It reads one flat object of at most {@value #MAX_MEMBERS} members whose names and values are
 * escape-free ASCII strings, {@code true}, {@code false} or {@code null}; anything else it cannot
 * read (a number, a nested value, an escape, a non-ASCII byte, a {@code cty}) makes it answer
 * {@code null}, and the full check decides. A syntax error met before any of those is an error of
 * strict JSON too, since up to there both read the same grammar. Stateless; thread-safe.
 */
final class HeaderGlance {
    /** Most members looked at; more go to the full check (the duplicate check here is quadratic). */
    static final int MAX_MEMBERS = 16;

    /** Positions below zero: what stopped the look. */
    private static final int NOT_JSON = -1;
    private static final int UNREAD = -2;

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
        int p = space(token, from, len, 0);
        if (p >= len || at(token, from, p) != '{') {
            return Reason.MALFORMED;
        }
        int first = -1;
        int members = 0;
        int alg = -1;
        int kid = -1;
        boolean extension = false;
        p = space(token, from, len, p + 1);
        if (p < len && at(token, from, p) == '}') {
            p++;
        } else {
            first = p;
            while (true) {
                if (p >= len || at(token, from, p) != '"') {
                    return Reason.MALFORMED;
                }
                if (++members > MAX_MEMBERS) {
                    return null;
                }
                int name = p;
                int q = string(token, from, len, p);
                if (q < 0) {
                    return stopped(q);
                }
                q = space(token, from, len, q);
                if (q >= len || at(token, from, q) != ':') {
                    return Reason.MALFORMED;
                }
                int value = space(token, from, len, q + 1);
                int after = value(token, from, len, value);
                if (after < 0) {
                    return stopped(after);
                }
                boolean isNull = at(token, from, value) == 'n';
                if (named(token, from, name, "alg")) {
                    alg = value;
                } else if (named(token, from, name, "kid")) {
                    kid = isNull ? -1 : value;
                } else if (named(token, from, name, "cty") && !isNull) {
                    return null; // a content type: the full check normalises it
                } else if (!isNull && (named(token, from, name, "crit") || named(token, from, name, "enc") || named(token, from, name, "b64"))) {
                    extension = true;
                }
                p = space(token, from, len, after);
                if (p >= len) {
                    return Reason.MALFORMED;
                }
                int c = at(token, from, p++);
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    return Reason.MALFORMED;
                }
                p = space(token, from, len, p);
            }
        }
        if (space(token, from, len, p) != len || first >= 0 && duplicated(token, from, len, first)) {
            return Reason.MALFORMED;
        }
        String allowed = alg >= 0 && at(token, from, alg) == '"' ? allowedAlgorithm(token, from, alg, algorithms) : null;
        if (allowed == null) {
            return Reason.DISALLOWED_ALGORITHM;
        }
        if (extension || kid >= 0 && at(token, from, kid) != '"') {
            return Reason.MALFORMED; // crit, enc or b64; a kid that is true or false
        }
        try {
            AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().getAlgorithm(allowed);
        } catch (InvalidAlgorithmException e) {
            return null; // not available in this JVM: the full check says so
        }
        if (requiredKeyId != null && (kid < 0 || !stringEquals(token, from, kid, requiredKeyId))) {
            return Reason.UNKNOWN_KEY;
        }
        return null;
    }

    private static Reason stopped(int code) {
        return code == NOT_JSON ? Reason.MALFORMED : null;
    }

    private static int at(String token, int from, int k) {
        return CompactJws.decodedByte(token, from, k);
    }

    private static int space(String token, int from, int len, int p) {
        while (p < len) {
            int c = at(token, from, p);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return p;
            }
            p++;
        }
        return p;
    }

    /** Past the closing quote of the string that opens at {@code p}; {@link #NOT_JSON} or {@link #UNREAD}. */
    private static int string(String token, int from, int len, int p) {
        for (int i = p + 1; i < len; i++) {
            int c = at(token, from, i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' || c >= 0x80) {
                return UNREAD;
            }
            if (c < 0x20) {
                return NOT_JSON;
            }
        }
        return NOT_JSON;
    }

    /** Past the value at {@code p}; {@link #NOT_JSON} or {@link #UNREAD}. */
    private static int value(String token, int from, int len, int p) {
        if (p >= len) {
            return NOT_JSON;
        }
        int c = at(token, from, p);
        return switch (c) {
            case '"' -> string(token, from, len, p);
            case 't' -> literal(token, from, len, p, "true");
            case 'f' -> literal(token, from, len, p, "false");
            case 'n' -> literal(token, from, len, p, "null");
            case '{', '[', '-' -> UNREAD;
            default -> c >= '0' && c <= '9' ? UNREAD : NOT_JSON;
        };
    }

    private static int literal(String token, int from, int len, int p, String word) {
        if (p + word.length() > len) {
            return NOT_JSON;
        }
        for (int i = 0; i < word.length(); i++) {
            if (at(token, from, p + i) != word.charAt(i)) {
                return NOT_JSON;
            }
        }
        return p + word.length();
    }

    /**
     * Whether the string at {@code quote} (already read: escape-free, closed within the header) is
     * {@code text}. Never reads past its closing quote: a {@code text} holding a quote matches nothing.
     */
    private static boolean stringEquals(String token, int from, int quote, String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            int c = at(token, from, quote + 1 + i);
            if (c == '"' || c != text.charAt(i)) {
                return false;
            }
        }
        return at(token, from, quote + 1 + n) == '"';
    }

    private static boolean named(String token, int from, int quote, String name) {
        return stringEquals(token, from, quote, name);
    }

    /** The allowed algorithm the string at {@code quote} names, or {@code null}. */
    private static String allowedAlgorithm(String token, int from, int quote, List<String> algorithms) {
        for (int i = 0; i < algorithms.size(); i++) {
            String a = algorithms.get(i);
            if (stringEquals(token, from, quote, a)) {
                return a;
            }
        }
        return null;
    }

    /** Whether two members of the object (already read, names escape-free) share a name. */
    private static boolean duplicated(String token, int from, int len, int first) {
        for (int i = first; i >= 0; i = next(token, from, len, i)) {
            int iEnd = string(token, from, len, i);
            for (int j = next(token, from, len, i); j >= 0; j = next(token, from, len, j)) {
                if (string(token, from, len, j) - j == iEnd - i && sameBytes(token, from, i, j, iEnd - i)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean sameBytes(String token, int from, int a, int b, int n) {
        for (int k = 0; k < n; k++) {
            if (at(token, from, a + k) != at(token, from, b + k)) {
                return false;
            }
        }
        return true;
    }

    /** The name of the member after the one whose name opens at {@code name}, or -1 after the last. */
    private static int next(String token, int from, int len, int name) {
        int p = space(token, from, len, string(token, from, len, name)) + 1; // past ':'
        p = space(token, from, len, value(token, from, len, space(token, from, len, p)));
        return at(token, from, p) == ',' ? space(token, from, len, p + 1) : -1;
    }
}
