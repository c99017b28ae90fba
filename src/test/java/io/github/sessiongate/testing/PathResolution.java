package io.github.sessiongate.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How a path is read by the party that receives it, for tests of path tricks: a backend that
 * percent-decodes once and reads a backslash as a slash, or a browser following a same-origin
 * {@code Location} ({@code %2e} is a dot, WHATWG URL), each resolving dot segments (RFC 3986, 5.2.4).
 * Stateless.
 */
public final class PathResolution {
    private PathResolution() {
    }

    /** The path a backend reaches that decodes {@code rawPath} once, reads {@code \} as {@code /} and resolves dots. */
    public static String asBackendDecodingOnce(String rawPath) {
        return resolveDots(percentDecode(rawPath).replace('\\', '/'));
    }

    /** The path a browser goes to for a same-origin {@code location} (query and fragment cut off). */
    public static String asBrowserFollows(String location) {
        return resolveDots(location.split("[?#]", 2)[0].replace('\\', '/').replaceAll("(?i)%2e", "."));
    }

    /** {@code path} with its {@code .} and {@code ..} segments resolved; a trailing one leaves a trailing slash. */
    public static String resolveDots(String path) {
        Deque<String> segments = new ArrayDeque<>();
        String[] parts = path.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String segment = parts[i];
            boolean dot = segment.equals(".") || segment.equals("..");
            if (segment.equals("..") && segments.size() > 1) {
                segments.pollLast();
            }
            if (!dot) {
                segments.addLast(segment);
            } else if (i == parts.length - 1) {
                segments.addLast("");
            }
        }
        return String.join("/", segments);
    }

    /** {@code raw} with its valid {@code %XX} escapes decoded as UTF-8 bytes. */
    public static String percentDecode(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && Character.digit(raw.charAt(i + 1), 16) >= 0
                    && Character.digit(raw.charAt(i + 2), 16) >= 0) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
