package io.github.sessiongate.cookie;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * A lenient reader of raw {@code Cookie} request headers (RFC 6265 section 5.4 syntax), identical on
 * every container: containers' own parsers differ (Jetty 12's {@code getCookies()} throws on a TAB
 * anywhere in the header; Tomcat drops only the bad cookie), and one stray cookie from another
 * application must neither log a user out nor cause a 500.
 *
 * <p>Rules: split every header on {@code ;}; trim spaces and TABs around names and values; strip one
 * pair of surrounding double quotes from a value; skip a pair that has no {@code =}, an empty name, a
 * name that is not an RFC 7230 token, or a value with anything but RFC 6265 cookie-octets (control
 * characters, spaces, {@code " , ; \}, non-ASCII). Never throws.
 */
public final class CookieHeaderReader {

    /** A well-formed name and value; {@link #toString()} hides the value. */
    record Pair(String name, String value) {
        @Override
        public String toString() {
            return name + "=[" + value.length() + " chars]";
        }
    }

    /**
     * Stands for a value longer than {@link io.github.sessiongate.TokenValidator#MAX_TOKEN_LENGTH}
     * (no cookie the codec writes comes near it), which is not copied out of the header: as long
     * as the longest token refused, so a validator, a seal and the byte counts treat it as they
     * would the value itself. Made once.
     */
    static final String OVERSIZE_VALUE = "x".repeat(io.github.sessiongate.TokenValidator.MAX_TOKEN_LENGTH + 1);

    private CookieHeaderReader() {
    }

    /** Every well-formed pair of every header, in order; {@code null} reads as none. */
    static List<Pair> parse(Enumeration<String> headers) {
        List<Pair> pairs = new ArrayList<>(4); // a request carries a few cookies: not the default 10 slots
        if (headers == null) {
            return pairs;
        }
        while (headers.hasMoreElements()) {
            String header = headers.nextElement();
            if (header != null) {
                parse(header, pairs);
            }
        }
        return pairs;
    }

    /** Adds the well-formed pairs of one header to {@code out}. */
    static void parse(String header, List<Pair> out) {
        int start = 0;
        int length = header.length();
        while (start <= length) {
            int end = header.indexOf(';', start);
            if (end < 0) {
                end = length;
            }
            Pair pair = pair(header, start, end);
            if (pair != null) {
                out.add(pair);
            }
            start = end + 1;
        }
    }

    private static Pair pair(String header, int start, int end) {
        int eq = header.indexOf('=', start);
        if (eq < 0 || eq >= end) {
            return null;
        }
        String name = trim(header, start, eq);
        if (name.isEmpty()) {
            return null;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                return null;
            }
        }
        if (end - eq - 1 > io.github.sessiongate.TokenValidator.MAX_TOKEN_LENGTH) {
            return new Pair(name, OVERSIZE_VALUE); // nothing of ours is that long: not copied, refused as junk
        }
        String value = trim(header, eq + 1, end);
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            value = value.substring(1, value.length() - 1);
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isCookieOctet(value.charAt(i))) {
                return null;
            }
        }
        return new Pair(name, value);
    }

    private static String trim(String s, int from, int to) {
        while (from < to && isBlank(s.charAt(from))) {
            from++;
        }
        while (to > from && isBlank(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** RFC 7230 {@code tchar}: what a cookie name may contain. */
    public static boolean isTokenChar(char c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** RFC 6265 {@code cookie-octet}: printable ASCII except space, {@code " , ; \}. */
    static boolean isCookieOctet(char c) {
        return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
    }
}
