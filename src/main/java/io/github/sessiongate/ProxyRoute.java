package io.github.sessiongate;

import io.github.sessiongate.engine.SettingsChecks;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One route of the API proxy ({@code proxy.*} init-params): requests under a path prefix of this
 * application are forwarded to a backend base URL with the user's token, the browser's cookies and
 * credentials stripped. For example {@code /api/backend/*} to {@code https://api.internal/v1/}:
 * {@code GET /api/backend/notes?x=1} reaches {@code https://api.internal/v1/notes?x=1} with
 * {@code Authorization: Bearer <access token>}.
 *
 * <p>A route never redirects to the login page: without the session it needs it answers 401, even
 * to a navigation. Immutable; {@link Builder#build()} checks the values with the init-params'
 * bounds and messages, the routes as a set (names, overlapping prefixes) are checked when the
 * filter's whole configuration is built.
 */
public final class ProxyRoute {
    /**
     * The routes, one entry per route (entries separated by commas or new lines), each
     * {@code NAME PREFIX BASE-URL} separated by spaces, e.g. {@code backend /api/backend/* https://api.internal/v1/}.
     */
    public static final String PARAM_ROUTES = "proxy.routes";
    /** Which token is sent: {@code access} (the session's access token) or {@code none}. */
    public static final String PARAM_TOKEN = "proxy.<name>.token";
    public static final Token DEFAULT_TOKEN = Token.ACCESS;
    /** Whether a session is required ({@code required}: 401 without one) or {@code optional}. */
    public static final String PARAM_SESSION = "proxy.<name>.session";
    public static final boolean DEFAULT_SESSION_REQUIRED = true;
    /** Whether a guest session counts as a session (its guest token is then sent). */
    public static final String PARAM_ALLOW_GUESTS = "proxy.<name>.allow-guests";
    public static final boolean DEFAULT_ALLOW_GUESTS = false;
    /** Time allowed for the backend's response to start (its status and headers); then 504. */
    public static final String PARAM_TIMEOUT = "proxy.<name>.timeout";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    /** The largest request body forwarded, in bytes; a larger one gets 413. */
    public static final String PARAM_MAX_BODY = "proxy.<name>.max-body";
    public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;
    public static final long MIN_MAX_BODY = 0;
    public static final long MAX_MAX_BODY = 1L << 40;
    /** Forwards in flight on this route at once; one more gets 503 at once. */
    public static final String PARAM_MAX_CONCURRENCY = "proxy.<name>.max-concurrency";
    public static final int DEFAULT_MAX_CONCURRENCY = 32;
    public static final int MIN_MAX_CONCURRENCY = 1;
    public static final int MAX_MAX_CONCURRENCY = 1024;
    /** Further request headers never forwarded on this route (names, comma-separated). */
    public static final String PARAM_STRIP_HEADERS = "proxy.<name>.strip-headers";

    /** Which token a route sends to its backend. */
    public enum Token {
        /** The session's access token (after any rotation in place on the same request). */
        ACCESS,
        /** No token: an anonymous route. */
        NONE
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~!$&'()+,=:@-]+");
    private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final String name;
    private final String prefix;
    private final URI baseUrl;
    private final Token token;
    private final boolean sessionRequired;
    private final boolean allowGuests;
    private final Duration timeout;
    private final long maxBodyBytes;
    private final int maxConcurrency;
    private final Set<String> stripHeaders;

    private ProxyRoute(Builder b) {
        this.name = b.name;
        this.prefix = b.prefix;
        this.baseUrl = b.baseUrl;
        this.token = b.token;
        this.sessionRequired = b.sessionRequired;
        this.allowGuests = b.allowGuests;
        this.timeout = SettingsChecks.duration(param(PARAM_TIMEOUT), b.timeout, MIN_TIMEOUT, MAX_TIMEOUT);
        if (b.maxBodyBytes < MIN_MAX_BODY || b.maxBodyBytes > MAX_MAX_BODY) {
            throw new ConfigException(param(PARAM_MAX_BODY), "must be between " + MIN_MAX_BODY + " and " + MAX_MAX_BODY
                    + " bytes, not " + b.maxBodyBytes);
        }
        this.maxBodyBytes = b.maxBodyBytes;
        this.maxConcurrency = SettingsChecks.number(param(PARAM_MAX_CONCURRENCY), b.maxConcurrency, MIN_MAX_CONCURRENCY,
                MAX_MAX_CONCURRENCY);
        this.stripHeaders = Set.copyOf(b.stripHeaders);
    }

    /**
     * A route named {@code name} (lower-case letters, digits, {@code -}) from {@code prefix}
     * ({@code /api/backend/*} or {@code /api/backend}) to {@code baseUrl} (https, or http to loopback).
     *
     * @throws ConfigException naming {@link #PARAM_ROUTES} when one of the three is malformed
     */
    public static Builder builder(String name, String prefix, String baseUrl) {
        return new Builder(name, prefix, baseUrl);
    }

    /** The route's name, as in its {@code proxy.<name>.*} parameters. */
    public String name() {
        return name;
    }

    /** The path prefix without {@code /*}: matches itself and every path below it, on a segment boundary. */
    public String prefix() {
        return prefix;
    }

    /** The backend base URL, ending in {@code /}; the path below {@link #prefix()} is appended to it. */
    public URI baseUrl() {
        return baseUrl;
    }

    public Token token() {
        return token;
    }

    /** Whether a request without a session (or with a guest one, unless {@link #allowGuests()}) gets 401. */
    public boolean sessionRequired() {
        return sessionRequired;
    }

    /** Whether a guest session counts as a session; its guest token is then what {@link Token#ACCESS} sends. */
    public boolean allowGuests() {
        return allowGuests;
    }

    /** Time allowed for the backend's status and headers. */
    public Duration timeout() {
        return timeout;
    }

    /** The largest request body forwarded; a larger one gets 413. */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Forwards in flight at once on this route; one more gets 503. */
    public int maxConcurrency() {
        return maxConcurrency;
    }

    /** Extra request headers never forwarded, lower case (on top of the ones always stripped). */
    public Set<String> stripHeaders() {
        return stripHeaders;
    }

    /** Whether {@code path} (normalised) is {@link #prefix()} or below it on a segment boundary. */
    public boolean matches(String path) {
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    /** Whether the two routes' prefixes overlap (one matches the other's prefix). */
    public boolean overlaps(ProxyRoute other) {
        return matches(other.prefix) || other.matches(prefix);
    }

    /** A {@code proxy.<name>.*} parameter name of this route. */
    public String param(String template) {
        return param(template, name);
    }

    /** The parameter name of route {@code route} for a {@code proxy.<name>.*} template. */
    public static String param(String template, String route) {
        return template.replace("<name>", route);
    }

    @Override
    public String toString() {
        return "ProxyRoute[" + name + " " + prefix + "/* -> " + baseUrl + ", token=" + token.name().toLowerCase(Locale.ROOT)
                + (sessionRequired ? "" : ", session optional") + (allowGuests ? ", guests" : "") + "]";
    }

    /** Builds a {@link ProxyRoute}; the defaults are the {@code DEFAULT_*} constants. */
    public static final class Builder {
        private final String name;
        private final String prefix;
        private final URI baseUrl;
        private Token token = DEFAULT_TOKEN;
        private boolean sessionRequired = DEFAULT_SESSION_REQUIRED;
        private boolean allowGuests = DEFAULT_ALLOW_GUESTS;
        private Duration timeout = DEFAULT_TIMEOUT;
        private long maxBodyBytes = DEFAULT_MAX_BODY;
        private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
        private final Set<String> stripHeaders = new TreeSet<>();

        private Builder(String name, String prefix, String baseUrl) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(baseUrl, "baseUrl");
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException(PARAM_ROUTES, "route name '" + name + "' must be 1 to 32 lower-case letters,"
                        + " digits or '-', starting with a letter or digit");
            }
            this.name = name;
            this.prefix = checkPrefix(name, prefix);
            this.baseUrl = checkBaseUrl(name, baseUrl);
        }

        /** A {@code proxy.<name>.*} parameter name of the route being built. */
        public String param(String template) {
            return ProxyRoute.param(template, name);
        }

        /** Which token to send; default {@link Token#ACCESS}. */
        public Builder token(Token token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /** Whether a session is required (401 without one); default true. */
        public Builder sessionRequired(boolean required) {
            this.sessionRequired = required;
            return this;
        }

        /** Whether a guest session counts as a session; default false. */
        public Builder allowGuests(boolean allow) {
            this.allowGuests = allow;
            return this;
        }

        /** Time allowed for the backend's status and headers, {@code 100ms} to {@code 10m}; default 30 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The largest request body forwarded, in bytes; default 10 MiB. */
        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** Forwards in flight at once, 1 to 1024; default 32. */
        public Builder maxConcurrency(int max) {
            this.maxConcurrency = max;
            return this;
        }

        /**
         * Request headers never forwarded on this route, besides the ones always stripped.
         *
         * @throws ConfigException naming {@link #PARAM_STRIP_HEADERS} for a name that is not a header name
         */
        public Builder stripHeaders(Collection<String> names) {
            for (String header : Objects.requireNonNull(names, "names")) {
                if (header == null || !HEADER.matcher(header).matches()) {
                    throw new ConfigException(param(PARAM_STRIP_HEADERS), "'" + header
                            + "' is not a header name");
                }
                stripHeaders.add(header.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        public ProxyRoute build() {
            return new ProxyRoute(this);
        }

        private static String checkPrefix(String name, String prefix) {
            String p = prefix.endsWith("/*") ? prefix.substring(0, prefix.length() - 2) : prefix;
            String problem = null;
            if (!p.startsWith("/") || p.length() < 2) {
                problem = "must start with '/' and name at least one segment, like /api/backend/*";
            } else {
                for (String segment : p.substring(1).split("/", -1)) {
                    if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || !SEGMENT.matcher(segment).matches()) {
                        problem = "has the segment '" + segment + "': segments are non-empty, not . or .., and"
                                + " hold only letters, digits and -._~!$&'()+,=:@";
                        break;
                    }
                }
            }
            if (problem != null) {
                throw new ConfigException(PARAM_ROUTES, "route " + name + ": prefix '" + prefix + "' " + problem);
            }
            return p;
        }

        private static URI checkBaseUrl(String name, String baseUrl) {
            URI url = SettingsChecks.backendUrl(PARAM_ROUTES, baseUrl,
                    "the user's token would cross the network in clear (route " + name + ")");
            if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
                throw new ConfigException(PARAM_ROUTES, "route " + name + ": base URL '" + baseUrl
                        + "' must have no query, fragment or user info");
            }
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            return url.resolve(path.endsWith("/") ? path : path + "/");
        }
    }
}
