package io.github.sessiongate.testing;

import jakarta.servlet.http.Cookie;
import java.util.Locale;

/**
 * Reads a {@code Set-Cookie} header value the filter added as a header (a refusal's clearing) back
 * into the {@link Cookie} a container would have been given for it, so tests compare it with the
 * cookies added through {@code addCookie}: name, value, Path, Domain, Max-Age, Secure, HttpOnly,
 * SameSite and Partitioned (as {@code ""}, what the codec sets off Jetty). {@code Expires} is skipped.
 */
public final class SetCookieHeader {
    private SetCookieHeader() {
    }

    public static Cookie parse(String header) {
        String[] parts = header.split(";");
        int eq = parts[0].indexOf('=');
        Cookie cookie = new Cookie(parts[0].substring(0, eq).trim(), parts[0].substring(eq + 1).trim());
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int at = part.indexOf('=');
            String name = (at < 0 ? part : part.substring(0, at)).trim();
            String value = at < 0 ? "" : part.substring(at + 1).trim();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "path" -> cookie.setPath(value);
                case "domain" -> cookie.setDomain(value);
                case "max-age" -> cookie.setMaxAge(Integer.parseInt(value));
                case "secure" -> cookie.setSecure(true);
                case "httponly" -> cookie.setHttpOnly(true);
                case "samesite" -> cookie.setAttribute("SameSite", value);
                case "partitioned" -> cookie.setAttribute("Partitioned", "");
                case "expires" -> { }
                default -> throw new IllegalArgumentException("unexpected attribute " + name + " in " + header);
            }
        }
        return cookie;
    }
}
