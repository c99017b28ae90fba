package io.github.sessiongate.web;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.util.Locale;

/**
 * Keeps a response that belongs to one user out of shared caches: {@code Cache-Control: private,
 * no-store} and {@code Vary: Cookie}, which the application may make stricter but not weaker.
 *
 * <p>An application {@code Cache-Control} value is kept only if it also says {@code no-store}
 * (with {@code private} added when missing); any other value (say {@code public, max-age=600})
 * is ignored, and so are {@code Expires}, {@code Pragma} and the CDN headers that override
 * {@code Cache-Control} ({@code Surrogate-Control}, {@code CDN-Cache-Control},
 * {@code Cloudflare-CDN-Cache-Control}, {@code X-Accel-Expires}). A {@code Vary} the application
 * sets keeps {@code Cookie} in it. Both are re-applied after {@link #reset()}.
 */
public final class PrivateCacheResponse extends HttpServletResponseWrapper {
    /** Headers that let a CDN cache a response whatever Cache-Control says; dropped. */
    private static final String[] CDN_CACHING = {"surrogate-control", "cdn-cache-control",
            "cloudflare-cdn-cache-control", "x-accel-expires", "expires", "pragma"}; // an array: walked with no iterator

    /** The policy applied to every response that carries or sets a session. */
    public static final String CACHE_CONTROL = "private, no-store";

    public PrivateCacheResponse(HttpServletResponse response) {
        super(response);
        apply();
    }

    /** Applies the policy to a response without wrapping it (for answers the filter writes itself). */
    public static void applyTo(HttpServletResponse response) {
        String current = response.getHeader("Cache-Control");
        response.setHeader("Cache-Control", current != null && isAtLeastAsStrict(current) ? withPrivate(current) : CACHE_CONTROL);
        response.setHeader("Vary", withCookie(response.getHeader("Vary")));
    }

    private void apply() {
        applyTo((HttpServletResponse) getResponse());
    }

    @Override
    public void setHeader(String name, String value) {
        if ("Cache-Control".equalsIgnoreCase(name)) {
            if (value != null && isAtLeastAsStrict(value)) {
                super.setHeader(name, withPrivate(value));
            }
        } else if ("Vary".equalsIgnoreCase(name)) {
            super.setHeader(name, withCookie(value));
        } else if (!isCdnCaching(name)) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if ("Cache-Control".equalsIgnoreCase(name)) {
            if (value != null && isAtLeastAsStrict(value)) {
                super.setHeader(name, withPrivate(value));
            }
        } else if ("Vary".equalsIgnoreCase(name)) {
            super.setHeader(name, withCookie(joined(getHeader("Vary"), value)));
        } else if (!isCdnCaching(name)) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setDateHeader(String name, long date) {
        if (!"Expires".equalsIgnoreCase(name)) {
            super.setDateHeader(name, date);
        }
    }

    @Override
    public void addDateHeader(String name, long date) {
        if (!"Expires".equalsIgnoreCase(name)) {
            super.addDateHeader(name, date);
        }
    }

    @Override
    public void reset() {
        super.reset();
        apply();
    }

    private static boolean isCdnCaching(String name) {
        if (name == null) {
            return false;
        }
        for (String cdn : CDN_CACHING) { // no lower-cased copy of every header name the application sets
            if (cdn.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    static boolean isAtLeastAsStrict(String cacheControl) {
        if ("no-store".equals(cacheControl) || CACHE_CONTROL.equals(cacheControl)) {
            return true; // the filter's own answers, without a split
        }
        for (String directive : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
            if (directive.strip().equals("no-store")) {
                return true;
            }
        }
        return false;
    }

    private static String withPrivate(String cacheControl) {
        if ("no-store".equals(cacheControl)) {
            return CACHE_CONTROL;
        }
        for (String directive : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
            if (directive.strip().equals("private")) {
                return cacheControl;
            }
        }
        return "private, " + cacheControl;
    }

    private static String withCookie(String vary) {
        if (vary == null || vary.isBlank()) {
            return "Cookie";
        }
        for (String item : vary.split(",")) {
            String v = item.strip();
            if (v.equalsIgnoreCase("cookie") || v.equals("*")) {
                return vary;
            }
        }
        return vary + ", Cookie";
    }

    private static String joined(String a, String b) {
        if (a == null || a.isBlank()) {
            return b;
        }
        return b == null || b.isBlank() ? a : a + ", " + b;
    }
}
