package io.github.sessiongate.jwt;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON object parser for token headers and claims, straight from the decoded UTF-8
 * bytes into immutable maps and lists, in one pass and without jose4j's 16k-character buffer.
 *
 * <p>Strict means: <a href="https://www.rfc-editor.org/rfc/rfc8259">RFC 8259</a> and nothing
 * more (no trailing commas, no leading zeros, no raw control characters, only the escapes the RFC
 * lists); well-formed UTF-8 only (no overlong forms, no encoded surrogates); no lone surrogate
 * escape; no duplicate member name in any object (<a
 * href="https://www.rfc-editor.org/rfc/rfc7519#section-4">RFC 7519 §4</a>); at most
 * {@code maxDepth} nested objects and arrays, so the recursion is bounded; no number too large to
 * be finite, and none written with more than {@value #MAX_NUMBER_LENGTH} characters (RFC 8259
 * section 9 lets a parser limit the range and precision of numbers; reading thousands of digits
 * as a {@code BigInteger} takes quadratic time, milliseconds for one cookie's worth, before any
 * signature work in a header). Everything jose4j's parser refuses is refused here too, so this parser only ever
 * narrows what is accepted.
 *
 * <p>Values: objects as unmodifiable {@link Map}s in member order, arrays as unmodifiable
 * {@link List}s, strings, {@code Boolean}, {@code null}, and numbers as jose4j's parser gives them:
 * {@code Long} for an integer literal that fits, {@code BigInteger} for a larger one, {@code Double}
 * for a literal with a fraction or an exponent. Stateless; thread-safe.
 */
final class StrictJson {
    /** Thrown for any input that is not strict JSON; carries no text of the input. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private static final Refused INSTANCE = new Refused();

        private Refused() {
            super("not strict JSON", null, false, false);
        }
    }

    /** Longest number literal, sign, fraction and exponent included: far beyond a long or a double's precision. */
    static final int MAX_NUMBER_LENGTH = 40;

    private final byte[] in;
    private final int maxDepth;
    private int pos;

    private StrictJson(byte[] in, int maxDepth) {
        this.in = in;
        this.maxDepth = maxDepth;
    }

    /**
     * The JSON object that {@code utf8} holds, immutable all the way down.
     *
     * @throws Refused when it is not one strict JSON object, or nests deeper than {@code maxDepth}
     */
    static Map<String, Object> parseObject(byte[] utf8, int maxDepth) throws Refused {
        StrictJson p = new StrictJson(utf8, maxDepth);
        p.skipSpace();
        if (p.peek() != '{') {
            throw Refused.INSTANCE;
        }
        Map<String, Object> object = p.object(1);
        p.skipSpace();
        if (p.pos != utf8.length) {
            throw Refused.INSTANCE;
        }
        return object;
    }

    private int peek() {
        return pos < in.length ? in[pos] & 0xff : -1;
    }

    private void skipSpace() {
        while (pos < in.length) {
            byte b = in[pos];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return;
            }
            pos++;
        }
    }

    private void expect(char c) throws Refused {
        if (peek() != c) {
            throw Refused.INSTANCE;
        }
        pos++;
    }

    private Object value(int depth) throws Refused {
        skipSpace();
        int c = peek();
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw Refused.INSTANCE;
        }
    }

    private void literal(String word) throws Refused {
        int end = pos + word.length();
        if (end > in.length) {
            throw Refused.INSTANCE;
        }
        for (int i = 0; i < word.length(); i++) {
            if (in[pos + i] != word.charAt(i)) {
                throw Refused.INSTANCE;
            }
        }
        pos = end;
    }

    private Map<String, Object> object(int depth) throws Refused {
        if (depth > maxDepth) {
            throw Refused.INSTANCE;
        }
        pos++; // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(members);
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw Refused.INSTANCE;
            }
            String name = string();
            skipSpace();
            expect(':');
            Object value = value(depth);
            if (members.containsKey(name)) {
                throw Refused.INSTANCE; // RFC 7519 §4: member names must be unique
            }
            members.put(name, value);
            skipSpace();
            int c = peek();
            pos++;
            if (c == '}') {
                return Collections.unmodifiableMap(members);
            }
            if (c != ',') {
                throw Refused.INSTANCE;
            }
        }
    }

    private List<Object> array(int depth) throws Refused {
        if (depth > maxDepth) {
            throw Refused.INSTANCE;
        }
        pos++; // '['
        List<Object> items = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(items);
        }
        while (true) {
            items.add(value(depth));
            skipSpace();
            int c = peek();
            pos++;
            if (c == ']') {
                return Collections.unmodifiableList(items);
            }
            if (c != ',') {
                throw Refused.INSTANCE;
            }
        }
    }

    private String string() throws Refused {
        pos++; // '"'
        int start = pos;
        // Fast path: printable ASCII without escapes, the usual claim.
        while (pos < in.length) {
            int b = in[pos] & 0xff;
            if (b == '"') {
                String s = common(start, pos - start);
                if (s == null) {
                    s = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
                }
                pos++;
                return s;
            }
            if (b == '\\' || b < 0x20 || b >= 0x80) {
                break;
            }
            pos++;
        }
        StringBuilder sb = new StringBuilder(pos - start + 16);
        for (int i = start; i < pos; i++) {
            sb.append((char) in[i]);
        }
        while (true) {
            if (pos >= in.length) {
                throw Refused.INSTANCE;
            }
            int b = in[pos] & 0xff;
            if (b == '"') {
                pos++;
                return sb.toString();
            }
            if (b < 0x20) {
                throw Refused.INSTANCE; // raw control character
            }
            if (b == '\\') {
                escape(sb);
            } else if (b < 0x80) {
                sb.append((char) b);
                pos++;
            } else {
                utf8(sb, b);
            }
        }
    }

    /**
     * The shared constant equal to the plain ASCII {@code in[from, from + length)} when it is one of
     * {@link #COMMON}, else {@code null}: a JOSE header's names and usual values allocate no string
     * (a refused header, in particular). Equal strings either way; only the allocation differs.
     */
    private String common(int from, int length) {
        for (int i = 0; i < COMMON.length; i++) {
            byte[] c = COMMON_BYTES[i];
            if (c.length == length && Arrays.equals(in, from, from + length, c, 0, length)) {
                return COMMON[i];
            }
        }
        return null;
    }

    /** Header member names and the usual values of a JOSE header, plus the registered claim names. */
    private static final String[] COMMON = {"alg", "typ", "kid", "cty", "crit", "enc", "b64", "jku", "jwk", "x5u",
        "x5c", "JWT", "jwt", "at+jwt", "application/at+jwt", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
        "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "iss", "sub", "aud", "exp", "nbf", "iat", "jti"};
    private static final byte[][] COMMON_BYTES = Arrays.stream(COMMON)
            .map(c -> c.getBytes(StandardCharsets.ISO_8859_1)).toArray(byte[][]::new);

    private void escape(StringBuilder sb) throws Refused {
        pos++; // '\\'
        int c = peek();
        pos++;
        switch (c) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                char ch = hex4();
                if (Character.isHighSurrogate(ch)) {
                    if (peek() != '\\' || pos + 1 >= in.length || in[pos + 1] != 'u') {
                        throw Refused.INSTANCE; // a lone high surrogate
                    }
                    pos += 2;
                    char low = hex4();
                    if (!Character.isLowSurrogate(low)) {
                        throw Refused.INSTANCE;
                    }
                    sb.append(ch).append(low);
                } else if (Character.isLowSurrogate(ch)) {
                    throw Refused.INSTANCE; // a lone low surrogate
                } else {
                    sb.append(ch);
                }
            }
            default -> throw Refused.INSTANCE;
        }
    }

    private char hex4() throws Refused {
        if (pos + 4 > in.length) {
            throw Refused.INSTANCE;
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(in[pos + i], 16);
            if (d < 0) {
                throw Refused.INSTANCE;
            }
            v = v << 4 | d;
        }
        pos += 4;
        return (char) v;
    }

    /** One well-formed UTF-8 sequence starting with {@code b} (RFC 3629 table: no overlong, no surrogate). */
    private void utf8(StringBuilder sb, int b) throws Refused {
        int need;
        int cp;
        int min;
        if (b >= 0xc2 && b <= 0xdf) {
            need = 1;
            cp = b & 0x1f;
            min = 0x80;
        } else if (b >= 0xe0 && b <= 0xef) {
            need = 2;
            cp = b & 0x0f;
            min = 0x800;
        } else if (b >= 0xf0 && b <= 0xf4) {
            need = 3;
            cp = b & 0x07;
            min = 0x10000;
        } else {
            throw Refused.INSTANCE;
        }
        if (pos + need >= in.length) {
            throw Refused.INSTANCE;
        }
        for (int i = 1; i <= need; i++) {
            int cont = in[pos + i] & 0xff;
            if ((cont & 0xc0) != 0x80) {
                throw Refused.INSTANCE;
            }
            cp = cp << 6 | (cont & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            throw Refused.INSTANCE;
        }
        sb.appendCodePoint(cp);
        pos += need + 1;
    }

    private Object number() throws Refused {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') {
            pos++;
        }
        int c = peek();
        if (c == '0') {
            pos++;
        } else if (c >= '1' && c <= '9') {
            digits();
        } else {
            throw Refused.INSTANCE;
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            if (digits() == 0) {
                throw Refused.INSTANCE;
            }
        }
        c = peek();
        if (c == 'e' || c == 'E') {
            integral = false;
            pos++;
            c = peek();
            if (c == '+' || c == '-') {
                pos++;
            }
            if (digits() == 0) {
                throw Refused.INSTANCE;
            }
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            throw Refused.INSTANCE; // see the class comment: bounded work per number
        }
        String text = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
        if (integral) {
            if (pos - start <= 18) {
                return Long.parseLong(text);
            }
            BigInteger big = new BigInteger(text);
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        double d = Double.parseDouble(text);
        if (Double.isInfinite(d)) {
            throw Refused.INSTANCE; // beyond what a double holds
        }
        return d;
    }

    private int digits() {
        int from = pos;
        while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
            pos++;
        }
        return pos - from;
    }
}
