package io.github.sessiongate.sample;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.CookieCodec;
import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.web.RequestOrigin;
import io.github.sessiongate.web.TrustedProxies;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes and clears the session cookies exactly as the filter reads them, for the sample's own
 * login and logout servlets (until the filter serves {@code /auth/login} itself).
 *
 * <p>The settings are not repeated here: they are parsed with the library's own code from the
 * init-params of the filter named {@value #FILTER_NAME} in web.xml, so the cookie names and
 * attributes, and the rule for when {@code Secure} applies ({@code cookie-secure=auto}: not on
 * plain HTTP to loopback), cannot drift apart from the filter's. Immutable and thread-safe.
 */
final class SessionCookieSupport {
    /** The {@code filter-name} of the SessionGate filter in web.xml. */
    static final String FILTER_NAME = "sessiongate";

    private final CookieSettings settings;
    private final CookieCodec codec;
    private final RequestOrigin.Resolver origins;

    private SessionCookieSupport(CookieSettings settings, RequestOrigin.Resolver origins) {
        this.settings = settings;
        this.codec = new CookieCodec(settings);
        this.origins = origins;
    }

    /** Reads the filter's cookie and origin settings from web.xml. */
    static SessionCookieSupport fromFilterRegistration(ServletContext context) throws ServletException {
        FilterRegistration registration = context.getFilterRegistration(FILTER_NAME);
        if (registration == null) {
            throw new ServletException("web.xml declares no filter named '" + FILTER_NAME + "'");
        }
        try {
            InitParams params = InitParams.resolve(registration.getInitParameters());
            URI publicOrigin = params.get(GateConfig.PARAM_PUBLIC_ORIGIN)
                    .map(v -> RequestOrigin.parsePublicOrigin(GateConfig.PARAM_PUBLIC_ORIGIN, v))
                    .orElse(null);
            TrustedProxies proxies = TrustedProxies.parse(GateConfig.PARAM_TRUSTED_PROXIES,
                    params.list(GateConfig.PARAM_TRUSTED_PROXIES));
            return new SessionCookieSupport(CookieSettings.fromParams(params),
                    new RequestOrigin.Resolver(publicOrigin, proxies));
        } catch (ConfigException e) {
            throw new ServletException("filter '" + FILTER_NAME + "': " + e.getMessage(), e);
        }
    }

    /** Sets both session cookies, replacing whatever session cookies the request carried. */
    void write(HttpServletRequest request, HttpServletResponse response, String accessToken, String refreshToken) {
        boolean secure = secure(request);
        codec.write(response, codec.read(request, secure), secure, accessToken, refreshToken);
    }

    /** The refresh token the request carries, if any; never log it. */
    Optional<String> refreshToken(HttpServletRequest request) {
        return codec.read(request, secure(request)).refreshToken();
    }

    /** Clears every session cookie the request carried, with the attributes they were set with. */
    void clear(HttpServletRequest request, HttpServletResponse response) {
        boolean secure = secure(request);
        codec.clear(response, codec.read(request, secure), secure);
    }

    /**
     * Whether a state-changing request may come from where it says: a browser's
     * {@code Sec-Fetch-Site} must be {@code same-origin} or {@code none}, and an {@code Origin}
     * header must name this application. Requests with neither header (curl) pass.
     */
    boolean isSameOrigin(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            String s = site.strip().toLowerCase(Locale.ROOT);
            if (!s.equals("same-origin") && !s.equals("none")) {
                return false;
            }
        }
        String origin = request.getHeader("Origin");
        return origin == null || origin.strip().equalsIgnoreCase(origins.resolve(request).origin());
    }

    private boolean secure(HttpServletRequest request) {
        return settings.secure(origins.resolve(request).isPlainHttpToLoopback());
    }
}
