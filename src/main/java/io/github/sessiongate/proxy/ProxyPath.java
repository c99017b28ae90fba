package io.github.sessiongate.proxy;

import io.github.sessiongate.ProxyRoute;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The backend URL of one forward: the route's base URL, the normalised path below the route's
 * prefix re-encoded segment by segment, and the raw query. Built from the container-normalised
 * path, never from the raw request URI, so {@code ..}, {@code ;} and encoded separators cannot walk
 * out of the base path: every byte outside RFC 3986 {@code unreserved}, {@code sub-delims} (but
 * {@code ;}), {@code :} and {@code @} is percent-encoded (a decoded {@code /} cannot occur inside a
 * segment; {@code %} becomes {@code %25}, {@code ;} becomes {@code %3B} so no backend reads a path
 * parameter such as {@code ..;}), and a {@code .} or {@code ..} segment (also before a {@code ;}, or
 * between backslashes) or an empty segment other than a trailing one is refused. Stateless.
 */
public final class ProxyPath {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ProxyPath() {
    }

    /**
     * The backend URL for {@code path} (normalised, matched by {@code route}) and {@code rawQuery}
     * (as the request sent it, or {@code null}); {@code null} when the path must be refused (400).
     */
    public static URI target(ProxyRoute route, String path, String rawQuery) {
        String rest = path.substring(route.prefix().length());
        StringBuilder url = new StringBuilder(route.baseUrl().toString());
        if (rest.length() > 1) {
            String[] segments = rest.substring(1).split("/", -1);
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (segment.isEmpty() ? i < segments.length - 1 : hasDotSegment(segment)) {
                    return null;
                }
                if (i > 0) {
                    url.append('/');
                }
                encodeSegment(segment, url);
            }
        }
        if (rawQuery != null) {
            url.append('?');
            encodeQuery(rawQuery, url);
        }
        try {
            return URI.create(url.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Whether {@code segment} is a dot segment, or holds one between backslashes: a backend that
     * decodes {@code %5C} and reads it as a separator (IIS, ASP.NET, some Java servers) would
     * resolve {@code ..\..\x} out of the base path.
     */
    static boolean hasDotSegment(String segment) {
        for (String part : segment.split("\\\\", -1)) {
            if (isDotSegment(part)) {
                return true;
            }
        }
        return false;
    }

    /** {@code .} or {@code ..}, alone or before a {@code ;} (what a backend strips as a path parameter). */
    static boolean isDotSegment(String segment) {
        int semicolon = segment.indexOf(';');
        String name = semicolon < 0 ? segment : segment.substring(0, semicolon);
        return name.equals(".") || name.equals("..");
    }

    /** Appends a decoded segment, percent-encoding its UTF-8 bytes outside the allowed set. */
    static void encodeSegment(String segment, StringBuilder out) {
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isUnreserved(c) || c != ';' && isSubDelim(c) || c == ':' || c == '@') {
                out.append((char) c);
            } else {
                escape(c, out);
            }
        }
    }

    /**
     * Appends a raw query as sent, encoding only what a URI query cannot hold (a {@code %} that
     * starts no valid escape included); escapes already there stay as they are.
     */
    static void encodeQuery(String query, StringBuilder out) {
        byte[] bytes = query.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            if (c == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
                out.append('%');
            } else if (isUnreserved(c) || isSubDelim(c) || c == ':' || c == '@' || c == '/' || c == '?') {
                out.append((char) c);
            } else {
                escape(c, out);
            }
        }
    }

    private static boolean isHex(byte b) {
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F';
    }

    private static boolean isUnreserved(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
                || c == '~';
    }

    private static boolean isSubDelim(int c) {
        return switch (c) {
            case '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=' -> true;
            default -> false;
        };
    }

    private static void escape(int c, StringBuilder out) {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
    }
}
