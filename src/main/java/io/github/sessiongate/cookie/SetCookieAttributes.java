package io.github.sessiongate.cookie;

import io.github.sessiongate.CookieSettings;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attributes of every {@code Set-Cookie} the codec adds: HttpOnly, Secure, SameSite, Path,
 * Domain, Max-Age and, when configured, Partitioned, spelled so that this container emits it; and a
 * one-time warning when the container dropped Partitioned all the same. Thread-safe.
 */
final class SetCookieAttributes {
    /** Logs under the codec's name: the codec's writes are one component to whoever reads the log. */
    private static final Logger LOG = LoggerFactory.getLogger(CookieCodec.class);
    static final String SAME_SITE_ATTRIBUTE = "SameSite";
    static final String PARTITIONED_ATTRIBUTE = "Partitioned";

    private final CookieSettings settings;
    private final AtomicBoolean partitionedWarned = new AtomicBoolean();

    SetCookieAttributes(CookieSettings settings) {
        this.settings = settings;
    }

    /** The Partitioned attribute value for this response, or {@code null} when Partitioned is off. */
    String partitionedValue(ServletResponse response) {
        return settings.partitioned() ? partitionedAttributeValue(response) : null;
    }

    /** One cookie with every attribute; a {@code __Host-} name always gets Secure, Path=/ and no Domain. */
    Cookie cookie(String name, String value, int maxAge, boolean secure, String partitionedValue) {
        return cookie(name, value, maxAge, secure, partitionedValue, false);
    }

    /** As {@link #cookie(String, String, int, boolean, String)}; {@code lax}: {@code SameSite=Lax} whatever the settings say. */
    Cookie cookie(String name, String value, int maxAge, boolean secure, String partitionedValue, boolean lax) {
        boolean hostForm = name.startsWith(CookieSettings.HOST_PREFIX);
        Cookie cookie = new Cookie(name, value);
        cookie.setHttpOnly(true);
        cookie.setSecure(secure || hostForm);
        cookie.setPath(hostForm ? "/" : settings.path());
        if (!hostForm) {
            settings.domain().ifPresent(cookie::setDomain);
        }
        cookie.setMaxAge(maxAge);
        cookie.setAttribute(SAME_SITE_ATTRIBUTE, lax ? "Lax" : settings.sameSite().attributeValue());
        if (partitionedValue != null) {
            cookie.setAttribute(PARTITIONED_ATTRIBUTE, partitionedValue);
        }
        return cookie;
    }

    /**
     * The {@code Set-Cookie} header value that clears {@code name}, with the attributes
     * {@link #cookie} gives it for an empty value and Max-Age 0 (an {@code Expires} in 1970 too, as
     * containers add), {@code Partitioned} written as itself: a refusal's clearing adds it as a
     * header, made once per name, with no {@link Cookie} and no formatting per refused token.
     */
    String clearingHeader(String name, boolean secure, boolean lax) {
        boolean hostForm = name.startsWith(CookieSettings.HOST_PREFIX);
        StringBuilder b = new StringBuilder(160).append(name).append("=; Path=").append(hostForm ? "/" : settings.path());
        if (!hostForm) {
            settings.domain().ifPresent(d -> b.append("; Domain=").append(d));
        }
        b.append("; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
        if (secure || hostForm) {
            b.append("; Secure");
        }
        b.append("; HttpOnly; SameSite=").append(lax ? "Lax" : settings.sameSite().attributeValue());
        if (settings.partitioned()) {
            b.append("; Partitioned");
        }
        return b.toString();
    }

    /**
     * The attribute value that makes this container emit {@code Partitioned}: {@code "true"} for
     * Jetty 12 ({@code HttpCookie.isPartitioned} is {@code Boolean.parseBoolean} of the attribute),
     * {@code ""} for Tomcat 11 and any other container (Tomcat emits it only for {@code ""}, which is
     * also what Servlet 6.1 specifies for a valueless attribute). Decided on the innermost response
     * behind any {@link ServletResponseWrapper}.
     */
    static String partitionedAttributeValue(ServletResponse response) {
        ServletResponse inner = response;
        for (int depth = 0; inner instanceof ServletResponseWrapper && depth < 64; depth++) {
            inner = ((ServletResponseWrapper) inner).getResponse();
        }
        return inner != null && inner.getClass().getName().startsWith("org.eclipse.jetty.") ? "true" : "";
    }

    /** Warns once when the container dropped the Partitioned attribute from a cookie just written. */
    void verifyPartitioned(HttpServletResponse response, Collection<String> names) {
        if (!settings.partitioned() || partitionedWarned.get()) {
            return;
        }
        try {
            Collection<String> headers = response.getHeaders("Set-Cookie");
            if (headers == null) {
                return;
            }
            for (String header : headers) {
                int eq = header.indexOf('=');
                if (eq > 0 && names.contains(header.substring(0, eq).trim())
                        && !header.toLowerCase(Locale.ROOT).contains("; partitioned")
                        && !header.toLowerCase(Locale.ROOT).contains(";partitioned")
                        && partitionedWarned.compareAndSet(false, true)) {
                    LOG.warn("The container ({}) wrote session cookies without the Partitioned attribute that {} asks "
                            + "for; they are not partitioned. Report this container to SessionGate or set {} to false.",
                            response.getClass().getName(), CookieSettings.PARAM_PARTITIONED,
                            CookieSettings.PARAM_PARTITIONED);
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("could not check the Set-Cookie headers: {}", e.getClass().getName());
        }
    }
}
