package io.github.sessiongate.internal;

import io.github.sessiongate.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks the configured URL of a backend the filter calls (JWKS, validate, refresh, login, revoke,
 * guest tokens): absolute {@code http(s)} with a host, no user info (credentials in a URL end up in
 * logs), {@code https} unless the host is loopback ({@link Hosts#isLoopback}; tests, sidecars).
 * Errors name the parameter and never echo the value. Internal; not for application code.
 */
public final class BackendUrls {
    private BackendUrls() {
    }

    /**
     * Checks a backend URL that must not carry a {@code #fragment}.
     *
     * @param parameter the init-param, named in every error
     * @param value the configured URL
     * @param overPlainHttp what plain http would put at risk, completing "must use https: ...",
     *        e.g. {@code "tokens sent over plain http can be read in transit"}
     * @throws ConfigException naming {@code parameter}
     */
    public static URI check(String parameter, String value, String overPlainHttp) {
        return check(parameter, value, overPlainHttp, false);
    }

    /** As {@link #check}, but a {@code #fragment} is accepted (the client drops it). */
    public static URI checkAllowingFragment(String parameter, String value, String overPlainHttp) {
        return check(parameter, value, overPlainHttp, true);
    }

    private static URI check(String parameter, String value, String overPlainHttp, boolean fragmentAllowed) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException(parameter, "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new ConfigException(parameter, "must be an https:// URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ConfigException(parameter, "must not contain user info (credentials in a URL end up in logs)");
        }
        if (!fragmentAllowed && uri.getRawFragment() != null) {
            throw new ConfigException(parameter, "must not contain a #fragment");
        }
        if (scheme.equals("http") && !Hosts.isLoopback(withoutTrailingDot(uri.getHost()))) {
            throw new ConfigException(parameter, "must use https: " + overPlainHttp
                    + " (http is allowed only for localhost, 127.0.0.0/8 and ::1)");
        }
        return uri;
    }

    /** {@code localhost.} is {@code localhost}: a fully qualified name may end in a dot. */
    private static String withoutTrailingDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
