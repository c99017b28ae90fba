package io.github.sessiongate.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/**
 * Tells a browser's page navigation (which should be sent to the login page) from everything
 * else (API calls, XHR, images), which should get a 401.
 *
 * <p>When the browser sends {@code Sec-Fetch-Mode}, it decides: only {@code navigate} is a
 * navigation. Otherwise a GET or HEAD whose {@code Accept} includes {@code text/html} and that
 * has no {@code X-Requested-With} header is one.
 */
public final class BrowserNavigation {
    private BrowserNavigation() {
    }

    /** Whether the request is a top-level (or frame) page navigation. */
    public static boolean isNavigation(HttpServletRequest request) {
        String mode = request.getHeader("Sec-Fetch-Mode");
        if (mode != null) {
            return "navigate".equalsIgnoreCase(mode.strip());
        }
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        if (request.getHeader("X-Requested-With") != null) {
            return false;
        }
        String accept = request.getHeader("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
    }
}
