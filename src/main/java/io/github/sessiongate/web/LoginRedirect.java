package io.github.sessiongate.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Builds the {@code Location} that sends a browser to the login page with {@code from=} set to
 * where it wanted to go.
 *
 * <p>{@code from} is always a same-origin path: the context path plus the firewall's normalised
 * path, re-encoded, plus the query. It is never built from the raw URI, so
 * {@code GET //evil.example/..;/dashboard} can never yield {@code from=//evil.example}: such a
 * path never passes the firewall, and a normalised path always starts with a single slash.
 */
public final class LoginRedirect {
    private LoginRedirect() {
    }

    /**
     * @param contextPath the application's context path ({@code ""} for the root context)
     * @param loginPath the login page, relative to the context (starts with {@code /})
     * @param normalisedPath the firewall's decoded, normalised path (starts with {@code /})
     * @param rawQuery the raw query string, or {@code null}
     */
    public static String location(String contextPath, String loginPath, String normalisedPath, String rawQuery) {
        String from = encodePath(contextPath + normalisedPath);
        if (rawQuery != null && !rawQuery.isEmpty()) {
            from = from + "?" + rawQuery;
        }
        return encodePath(contextPath + loginPath) + "?from=" + URLEncoder.encode(from, StandardCharsets.UTF_8);
    }

    /**
     * Percent-encodes a decoded path for use in a URL: unreserved characters, sub-delims other
     * than those with meaning to us, {@code :}, {@code @} and {@code /} stay; the rest is
     * encoded as UTF-8.
     */
    static String encodePath(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~/!$&'()*+,=:@".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
