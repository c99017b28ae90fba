package io.github.sessiongate.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Builds the {@code Location} that sends a browser to the login page with {@code from=} set to
 * where it wanted to go.
 *
 * <p>{@code from} is always a same-origin path: the context path plus the firewall's normalised
 * path, re-encoded, plus the query. It is never built from the raw URI, so
 * {@code GET //evil.example/..;/dashboard} can never yield {@code from=//evil.example}: such a
 * path never passes the firewall, and a normalised path always starts with a single slash.
 *
 * <p><b>Bounded:</b> the request line is the attacker's, so {@code from} is kept only as long as
 * the login endpoint would accept it back: percent-encoded, at most {@link #maxEncodedFrom(int)}
 * characters, and only as long as the response's {@link ResponseBudget} leaves next to the
 * {@code Set-Cookie} headers it carries. A longer one loses its query, then the whole {@code from};
 * the redirect never grows past the containers' response-header limit (8 kB on Jetty and Tomcat)
 * into a 500.
 */
public final class LoginRedirect {
    private LoginRedirect() {
    }

    /**
     * The longest percent-encoded {@code from} worth sending: what {@code /auth/login} accepts back,
     * {@link SafeRedirect#MAX_LENGTH} characters, and at most half the login body limit, so the
     * login form that posts it back still has room for the credentials.
     *
     * @param loginMaxBodyBytes the login endpoint's body limit ({@code login-max-body-bytes})
     */
    public static int maxEncodedFrom(int loginMaxBodyBytes) {
        return Math.min(SafeRedirect.MAX_LENGTH, Math.max(0, loginMaxBodyBytes / 2));
    }

    /**
     * {@code target} if it has at most {@code max} characters; else the same without its query
     * ({@code ?} and after), if that fits; else empty.
     *
     * @param target a same-origin path with an optional query, already safe as a {@code Location}
     */
    public static Optional<String> within(String target, int max) {
        if (target.length() <= max) {
            return Optional.of(target);
        }
        int query = target.indexOf('?');
        return query >= 0 && query <= max ? Optional.of(target.substring(0, query)) : Optional.empty();
    }

    /**
     * As {@link #location(String, String, String, String, int)} with the default login body limit's
     * budget, {@link SafeRedirect#MAX_LENGTH}.
     */
    public static String location(String contextPath, String loginPath, String normalisedPath, String rawQuery) {
        return location(contextPath, loginPath, normalisedPath, rawQuery, SafeRedirect.MAX_LENGTH);
    }

    /**
     * @param contextPath the application's context path ({@code ""} for the root context)
     * @param loginPath the login page, relative to the context (starts with {@code /})
     * @param normalisedPath the firewall's decoded, normalised path (starts with {@code /})
     * @param rawQuery the raw query string, or {@code null}
     * @param maxEncodedFrom the longest {@code from} value, percent-encoded; see {@link #maxEncodedFrom(int)}
     * @return the login page with {@code ?from=}, or without it when even the path is too long
     */
    public static String location(String contextPath, String loginPath, String normalisedPath, String rawQuery,
            int maxEncodedFrom) {
        String login = encodePath(contextPath + loginPath);
        String path = encodePath(contextPath + normalisedPath);
        String from = rawQuery == null || rawQuery.isEmpty() ? path : path + "?" + rawQuery;
        return encodedFrom(from, maxEncodedFrom).map(f -> login + "?from=" + f).orElse(login);
    }

    /**
     * {@code from} percent-encoded as a query-parameter value, if that takes at most {@code max}
     * characters; else the same without its query ({@code ?} and after), if that fits; else empty.
     * Never encodes more than {@code max} characters of input.
     *
     * @param from a same-origin path with an optional query
     */
    public static Optional<String> encodedFrom(String from, int max) {
        Optional<String> whole = encodedWithin(from, max);
        if (whole.isPresent()) {
            return whole;
        }
        int query = from.indexOf('?');
        return query < 0 ? Optional.empty() : encodedWithin(from.substring(0, query), max);
    }

    private static Optional<String> encodedWithin(String value, int max) {
        if (value.length() > max) {
            return Optional.empty(); // encoding never shortens: no need to encode 8 kB to find out
        }
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
        return encoded.length() <= max ? Optional.of(encoded) : Optional.empty();
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
