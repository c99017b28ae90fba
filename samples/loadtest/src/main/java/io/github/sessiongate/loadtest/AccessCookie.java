package io.github.sessiongate.loadtest;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The cookie every variant reads its token from, and the peers' shared bits. SessionGate, with
 * {@code cookie-secure=auto} over plain HTTP from and to loopback, writes and reads its access cookie
 * without Secure and therefore without the {@code __Host-} prefix: {@code sg_access}. The peers read
 * the same cookie through the container's {@link HttpServletRequest#getCookies()}, as an application
 * of theirs would.
 */
final class AccessCookie {
    /** SessionGate's default access cookie name, unprefixed on plain-HTTP loopback. */
    static final String NAME = "sg_access";

    private AccessCookie() {
    }

    /** The access cookie's value, or null. */
    static String read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (NAME.equals(cookie.getName())) {
                return cookie.getValue();
            }
        }
        return null;
    }

    /** A bare 401, what each peer filter answers for a missing or refused token. */
    static void refuse(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setContentLength(0);
    }
}
