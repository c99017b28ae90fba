package io.github.sessiongate.web;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.audit.AuditLog;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-site request forgery defence without tokens: refuses a state-changing request that a
 * browser sent on behalf of another site, judged by the headers browsers set and pages cannot
 * forge ({@code Sec-Fetch-Site}, {@code Origin}, {@code Referer}). Immutable and thread-safe;
 * built once at {@code init()} from init-params ({@link #fromParams(InitParams)}) or in code
 * ({@link #builder()}).
 *
 * <h2>Which requests are checked ({@link #applies})</h2>
 * <ul>
 *   <li>every <em>unsafe</em> request that carries a session cookie: any method other than
 *       {@code GET}, {@code HEAD}, {@code OPTIONS} and {@code TRACE} (compared exactly: HTTP
 *       methods are case-sensitive, so {@code get} is unsafe). Method overrides never make a
 *       request safe: the real method decides, and a safe real method with an
 *       {@code X-HTTP-Method-Override}, {@code X-HTTP-Method} or {@code X-Method-Override} header,
 *       or a {@code _method} query parameter, naming any other method is unsafe;</li>
 *   <li>every request to the filter's own endpoints (login, logout), whatever its method and
 *       cookies: a cross-site login would sign the victim into the attacker's account, a
 *       cross-site logout would sign them out;</li>
 *   <li>never a request authenticated by an {@code Authorization: Bearer} header: the caller
 *       passes {@code carriesSessionCookie=false} for those, since a browser never adds that
 *       header on its own.</li>
 * </ul>
 * This assumes the application changes nothing on safe methods, and that the {@code _method}
 * form field is honoured on {@code POST} only (as Spring's {@code HiddenHttpMethodFilter} and
 * Rack's {@code MethodOverride} do); the request body is never read here.
 *
 * <h2>The decision ({@link #check}), first rule that matches</h2>
 * <table>
 *   <caption>CSRF decision</caption>
 *   <tr><th>Request</th><th>Verdict</th></tr>
 *   <tr><td>{@code Sec-Fetch-Site: same-origin}</td><td>allow</td></tr>
 *   <tr><td>{@code Sec-Fetch-Site: none} (the user typed the URL or used a bookmark)</td>
 *       <td>allow for a {@code GET} or {@code HEAD} without an unsafe override; otherwise refuse</td></tr>
 *   <tr><td>{@code Sec-Fetch-Site: same-site} (a sibling subdomain is another origin)</td>
 *       <td>allow only when {@code Origin} is in {@value #PARAM_ALLOWED_ORIGINS}; otherwise refuse</td></tr>
 *   <tr><td>{@code Sec-Fetch-Site: cross-site}</td>
 *       <td>allow only when {@code Origin} is in {@value #PARAM_ALLOWED_ORIGINS}; otherwise refuse</td></tr>
 *   <tr><td>{@code Sec-Fetch-Site} with any other value</td><td>refuse</td></tr>
 *   <tr><td>no {@code Sec-Fetch-Site}; {@code Origin: null}</td><td>refuse</td></tr>
 *   <tr><td>no {@code Sec-Fetch-Site}; {@code Origin} present</td>
 *       <td>allow when it is the application's origin ({@link RequestOrigin#origin()}) or in
 *       {@value #PARAM_ALLOWED_ORIGINS}; otherwise (including malformed) refuse</td></tr>
 *   <tr><td>no {@code Sec-Fetch-Site}, no {@code Origin}; {@code Referer} present</td>
 *       <td>the origin of the {@code Referer}, judged as {@code Origin}; a malformed or relative
 *       {@code Referer} is refused</td></tr>
 *   <tr><td>none of the three</td>
 *       <td>allow (a non-browser client, or a privacy proxy that strips headers); refuse when
 *       {@value #PARAM_REQUIRE_ORIGIN} is {@code true}</td></tr>
 * </table>
 * Origins are compared as {@code scheme://host[:port]}, scheme and host ignoring case, the
 * default port ({@code 80} for http, {@code 443} for https) the same as none. A header that is
 * present but blank is judged, not skipped, and is refused. Modern browsers send
 * {@code Sec-Fetch-Site} on every request and {@code Origin} on every cross-origin
 * {@code POST}, so the last row is reached by non-browser clients and very old browsers only.
 *
 * <h2>Modes ({@value #PARAM_CSRF})</h2>
 * <ul>
 *   <li>{@code enforce} (default): the caller refuses when {@link #shouldBlock} says so.</li>
 *   <li>{@code report-only} (as Tomcat's CSRF filter offers): {@link #check} returns the verdict
 *       it would give and logs each would-be refusal at INFO on this class's logger (method,
 *       reason and escaped path only); {@link #shouldBlock} is always {@code false}. For trying
 *       the check on a live application before enforcing it.</li>
 *   <li>{@code off}: {@link #applies} is always {@code false}. Safe only where no browser holds
 *       the session cookies, such as a pure API deployment whose clients authenticate with
 *       {@code Authorization: Bearer} only ({@code accept-bearer-header}) and never receive a
 *       session cookie. Wherever a browser holds a session cookie, keep it on: a
 *       {@code SameSite=Lax} cookie still travels on a top-level cross-site navigation, and any
 *       sibling subdomain is "same-site".</li>
 * </ul>
 *
 * <pre>{@code
 * <init-param><param-name>csrf</param-name><param-value>enforce</param-value></init-param>
 * <init-param><param-name>allowed-origins</param-name>
 *   <param-value>https://admin.example.com</param-value></init-param>
 * <init-param><param-name>csrf-require-origin</param-name><param-value>false</param-value></init-param>
 * }</pre>
 *
 * <p>See <a href="https://www.w3.org/TR/fetch-metadata/">Fetch Metadata Request Headers</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc6454">RFC 6454</a> (the {@code Origin} header) and
 * the <a href="https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html">OWASP
 * CSRF cheat sheet</a>.
 */
public final class CsrfGuard {

    /** Whether the check is enforced, reported only, or skipped. */
    public enum Mode {
        /** Refuse what the check refuses ({@code enforce}, the default). */
        ENFORCE("enforce"),
        /** Check and log would-be refusals, refuse nothing ({@code report-only}). */
        REPORT_ONLY("report-only"),
        /** No check ({@code off}). */
        OFF("off");

        private final String paramValue;

        Mode(String paramValue) {
            this.paramValue = paramValue;
        }

        /** The value as written in the {@value CsrfGuard#PARAM_CSRF} init-param. */
        public String paramValue() {
            return paramValue;
        }
    }

    /**
     * The outcome of {@link #check}: {@link #ALLOW}, or one of the {@code REFUSE_*} constants,
     * each with a fixed {@link #reason()} that never repeats anything from the request.
     */
    public enum Verdict {
        /** The request may proceed. */
        ALLOW("allowed"),
        /** {@code Sec-Fetch-Site: cross-site} from an origin not in the allow-list. */
        REFUSE_CROSS_SITE("cross-site request"),
        /** {@code Sec-Fetch-Site: same-site} from an origin not in the allow-list. */
        REFUSE_SAME_SITE("same-site request from an origin not allowed"),
        /** {@code Sec-Fetch-Site: none} on anything but a plain GET or HEAD. */
        REFUSE_USER_INITIATED_UNSAFE("user-initiated request with an unsafe method"),
        /** {@code Sec-Fetch-Site} with a value that is not in the specification. */
        REFUSE_UNKNOWN_FETCH_SITE("unrecognised Sec-Fetch-Site"),
        /** {@code Origin: null}: a sandboxed, privacy-sensitive or redirected context. */
        REFUSE_NULL_ORIGIN("Origin null"),
        /** {@code Origin} is malformed, foreign or not in the allow-list. */
        REFUSE_ORIGIN("Origin not allowed"),
        /** No {@code Origin}; {@code Referer} from an origin not allowed. */
        REFUSE_REFERER("Referer not allowed"),
        /** No {@code Origin}; {@code Referer} is not an absolute URL. */
        REFUSE_MALFORMED_REFERER("Referer malformed"),
        /** None of the three headers, and {@value CsrfGuard#PARAM_REQUIRE_ORIGIN} is set. */
        REFUSE_NO_ORIGIN("no Sec-Fetch-Site, Origin or Referer");

        private final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }

        /** Whether the request may proceed. */
        public boolean allowed() {
            return this == ALLOW;
        }

        /** A fixed phrase for logs and audit events; never anything from the request. */
        public String reason() {
            return reason;
        }
    }

    /** Init-param: {@code enforce}, {@code report-only} or {@code off}. */
    public static final String PARAM_CSRF = GateConfig.PARAM_CSRF;
    public static final Mode DEFAULT_CSRF = Mode.ENFORCE;
    /** Init-param: extra origins allowed to send state-changing requests. */
    public static final String PARAM_ALLOWED_ORIGINS = GateConfig.PARAM_ALLOWED_ORIGINS;
    public static final List<String> DEFAULT_ALLOWED_ORIGINS = List.of();
    /** Init-param: refuse checked requests that carry none of Sec-Fetch-Site, Origin and Referer. */
    public static final String PARAM_REQUIRE_ORIGIN = GateConfig.PARAM_CSRF_REQUIRE_ORIGIN;
    public static final boolean DEFAULT_REQUIRE_ORIGIN = GateConfig.DEFAULT_CSRF_REQUIRE_ORIGIN;

    /** Headers some frameworks read to replace the request method. */
    public static final List<String> METHOD_OVERRIDE_HEADERS = List.of("X-HTTP-Method-Override", "X-HTTP-Method",
            "X-Method-Override");
    /** The query parameter some frameworks read to replace the request method. */
    public static final String METHOD_OVERRIDE_PARAMETER = "_method";

    private static final Logger LOG = LoggerFactory.getLogger(CsrfGuard.class);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    private static final Pattern REG_NAME = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=%-]+");
    private static final Pattern IP_LITERAL = Pattern.compile("\\[[0-9A-Fa-f:.]+]");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private final Mode mode;
    private final Set<String> allowedOrigins;
    private final boolean requireOrigin;
    private final Logger log;

    private CsrfGuard(Mode mode, Set<String> allowedOrigins, boolean requireOrigin, Logger log) {
        this.mode = mode;
        this.allowedOrigins = allowedOrigins;
        this.requireOrigin = requireOrigin;
        this.log = log;
    }

    /**
     * Reads {@value #PARAM_CSRF}, {@value #PARAM_ALLOWED_ORIGINS} and
     * {@value #PARAM_REQUIRE_ORIGIN} (marking them read) and validates them.
     *
     * @throws ConfigException naming the parameter at fault
     */
    public static CsrfGuard fromParams(InitParams params) {
        Objects.requireNonNull(params, "params");
        String mode = params.choice(PARAM_CSRF, DEFAULT_CSRF.paramValue(), Mode.ENFORCE.paramValue(),
                Mode.REPORT_ONLY.paramValue(), Mode.OFF.paramValue());
        return builder()
                .mode(switch (mode) {
                    case "report-only" -> Mode.REPORT_ONLY;
                    case "off" -> Mode.OFF;
                    default -> Mode.ENFORCE;
                })
                .allowedOrigins(params.list(PARAM_ALLOWED_ORIGINS))
                .requireOrigin(params.bool(PARAM_REQUIRE_ORIGIN, DEFAULT_REQUIRE_ORIGIN))
                .build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The default guard: enforcing, no extra origins, requests without any origin header allowed. */
    public static CsrfGuard defaults() {
        return builder().build();
    }

    /**
     * Whether {@link #check} must be consulted for this request. Never throws for any request.
     *
     * @param request the request
     * @param carriesSessionCookie whether the request authenticates with a session cookie;
     *        {@code false} when it authenticates with {@code Authorization: Bearer} or has none
     * @param isFilterEndpoint whether the request is for one of the filter's own endpoints
     *        (login, logout); those are checked whatever their method or cookies
     * @return {@code false} always when the mode is {@link Mode#OFF}
     */
    public boolean applies(HttpServletRequest request, boolean carriesSessionCookie, boolean isFilterEndpoint) {
        Objects.requireNonNull(request, "request");
        if (mode == Mode.OFF) {
            return false;
        }
        return isFilterEndpoint || carriesSessionCookie && isUnsafe(request);
    }

    /**
     * The verdict for a request that {@link #applies}: see the table in the class comment. In
     * every mode it is the verdict the check gives; whether to act on it is
     * {@link #shouldBlock}'s call. A refusal is logged at INFO in report-only mode, at DEBUG
     * otherwise, with the method, the reason and the escaped path only. Never throws for any
     * request.
     *
     * @param request the request
     * @param origin the application's trusted origin for this request
     */
    public Verdict check(HttpServletRequest request, RequestOrigin origin) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(origin, "origin");
        Verdict verdict = decide(request, origin.origin());
        if (!verdict.allowed()) {
            if (mode == Mode.REPORT_ONLY) {
                if (log.isInfoEnabled()) {
                    log.info("csrf report-only: would refuse method={} reason={} path=\"{}\"",
                            AuditLog.escape(request.getMethod()), verdict.reason(), AuditLog.escape(request.getRequestURI()));
                }
            } else if (log.isDebugEnabled()) {
                log.debug("csrf refused method={} reason={} path=\"{}\"", AuditLog.escape(request.getMethod()),
                        verdict.reason(), AuditLog.escape(request.getRequestURI()));
            }
        }
        return verdict;
    }

    /** Whether refusals are acted on: {@code true} only in {@link Mode#ENFORCE}. */
    public boolean enforcing() {
        return mode == Mode.ENFORCE;
    }

    /** Whether the caller must refuse the request: a refusal while {@link #enforcing()}. */
    public boolean shouldBlock(Verdict verdict) {
        Objects.requireNonNull(verdict, "verdict");
        return enforcing() && !verdict.allowed();
    }

    /** One line for the start-up INFO log. */
    public String describe() {
        if (mode == Mode.OFF) {
            return "csrf=off: no cross-site request check (safe only where no browser holds the session cookies)";
        }
        return "csrf=" + mode.paramValue() + " (Sec-Fetch-Site, Origin, Referer); " + PARAM_ALLOWED_ORIGINS + "="
                + (allowedOrigins.isEmpty() ? "(none)" : String.join(",", allowedOrigins)) + "; " + PARAM_REQUIRE_ORIGIN
                + "=" + requireOrigin + (requireOrigin ? " (requests without any origin header are refused)"
                        : " (requests without any origin header are allowed)");
    }

    public Mode mode() {
        return mode;
    }

    /** The extra allowed origins, normalised ({@code scheme://host[:port]}, lower case), in order. */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    public boolean requireOrigin() {
        return requireOrigin;
    }

    @Override
    public String toString() {
        return "CsrfGuard[" + describe() + "]";
    }

    private Verdict decide(HttpServletRequest request, String applicationOrigin) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return switch (site.strip().toLowerCase(Locale.ROOT)) {
                case "same-origin" -> Verdict.ALLOW;
                case "none" -> isPlainRead(request) ? Verdict.ALLOW : Verdict.REFUSE_USER_INITIATED_UNSAFE;
                case "same-site" -> isAllowListed(request.getHeader("Origin")) ? Verdict.ALLOW : Verdict.REFUSE_SAME_SITE;
                case "cross-site" -> isAllowListed(request.getHeader("Origin")) ? Verdict.ALLOW : Verdict.REFUSE_CROSS_SITE;
                default -> Verdict.REFUSE_UNKNOWN_FETCH_SITE;
            };
        }
        String originHeader = request.getHeader("Origin");
        if (originHeader != null) {
            if ("null".equalsIgnoreCase(originHeader.strip())) {
                return Verdict.REFUSE_NULL_ORIGIN;
            }
            String o = originOf(originHeader, true);
            return o != null && isTrusted(o, applicationOrigin) ? Verdict.ALLOW : Verdict.REFUSE_ORIGIN;
        }
        String referer = request.getHeader("Referer");
        if (referer != null) {
            String o = originOf(referer, false);
            if (o == null) {
                return Verdict.REFUSE_MALFORMED_REFERER;
            }
            return isTrusted(o, applicationOrigin) ? Verdict.ALLOW : Verdict.REFUSE_REFERER;
        }
        return requireOrigin ? Verdict.REFUSE_NO_ORIGIN : Verdict.ALLOW;
    }

    private boolean isTrusted(String o, String applicationOrigin) {
        return o.equals(applicationOrigin) || allowedOrigins.contains(o);
    }

    private boolean isAllowListed(String originHeader) {
        if (originHeader == null || allowedOrigins.isEmpty()) {
            return false;
        }
        String o = originOf(originHeader, true);
        return o != null && allowedOrigins.contains(o);
    }

    /** A GET or HEAD that no override turns into something else: what typing a URL sends. */
    private static boolean isPlainRead(HttpServletRequest request) {
        String method = request.getMethod();
        return ("GET".equals(method) || "HEAD".equals(method)) && !hasUnsafeOverride(request);
    }

    /** Unsafe: a method other than GET, HEAD, OPTIONS, TRACE, or a safe one overridden to another. */
    static boolean isUnsafe(HttpServletRequest request) {
        String method = request.getMethod();
        return method == null || !SAFE_METHODS.contains(method) || hasUnsafeOverride(request);
    }

    /**
     * Whether an override header or a {@code _method} query parameter names anything but a safe
     * method. Reads the query string only: never the body, which belongs to the application.
     */
    private static boolean hasUnsafeOverride(HttpServletRequest request) {
        for (String name : METHOD_OVERRIDE_HEADERS) {
            Enumeration<String> values = request.getHeaders(name);
            if (values != null) {
                while (values.hasMoreElements()) {
                    if (!isSafeOverride(values.nextElement())) {
                        return true;
                    }
                }
            } else if (request.getHeader(name) != null && !isSafeOverride(request.getHeader(name))) {
                return true;
            }
        }
        String query = request.getQueryString();
        // "_method" needs a '_' or, encoded, a '%'.
        if (query == null || query.indexOf('_') < 0 && query.indexOf('%') < 0) {
            return false;
        }
        for (String pair : query.split("[&;]")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (METHOD_OVERRIDE_PARAMETER.equals(key) && !isSafeOverride(eq < 0 ? "" : decode(pair.substring(eq + 1)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSafeOverride(String value) {
        // Frameworks upper-case the override; an empty or odd one is treated as unsafe.
        return value != null && SAFE_METHODS.contains(value.strip().toUpperCase(Locale.ROOT));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /**
     * The origin of a URL as {@code scheme://host[:port]}: scheme and host in lower case, the
     * default port of http and https dropped. {@code null} when malformed. With {@code bare},
     * nothing may follow the authority (an {@code Origin} header); otherwise a path, query or
     * fragment may (a {@code Referer}), and user information is skipped. Never throws.
     */
    static String originOf(String value, boolean bare) {
        String v = value.strip();
        int sep = v.indexOf("://");
        if (sep <= 0 || !SCHEME.matcher(v.substring(0, sep)).matches()) {
            return null;
        }
        String scheme = v.substring(0, sep).toLowerCase(Locale.ROOT);
        int start = sep + 3;
        int end = start;
        while (end < v.length() && "/?#".indexOf(v.charAt(end)) < 0) {
            end++;
        }
        if (bare && end != v.length()) {
            return null;
        }
        String authority = v.substring(start, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            if (bare) {
                return null;
            }
            authority = authority.substring(at + 1);
        }
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (rest.charAt(0) != ':') {
                    return null;
                }
                port = rest.substring(1);
            }
            if (!IP_LITERAL.matcher(host).matches()) {
                return null;
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
            if (!REG_NAME.matcher(host).matches()) {
                return null;
            }
        }
        int p = -1;
        if (port != null) {
            if (!PORT.matcher(port).matches()) {
                return null;
            }
            p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                return null;
            }
        }
        boolean defaultPort = p < 0 || "http".equals(scheme) && p == 80 || "https".equals(scheme) && p == 443;
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + p);
    }

    /**
     * Builds a {@link CsrfGuard}; starts from the defaults; not thread-safe. Setters only store;
     * {@link #build()} validates and names the init-param that corresponds to a bad property.
     */
    public static final class Builder {
        private Mode mode = DEFAULT_CSRF;
        private List<String> allowedOrigins = DEFAULT_ALLOWED_ORIGINS;
        private boolean requireOrigin = DEFAULT_REQUIRE_ORIGIN;

        private Builder() {
        }

        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Replaces the extra allowed origins, such as {@code https://admin.example.com}. */
        public Builder allowedOrigins(Collection<String> origins) {
            Objects.requireNonNull(origins, "origins");
            origins.forEach(o -> Objects.requireNonNull(o, "origin"));
            this.allowedOrigins = List.copyOf(origins);
            return this;
        }

        public Builder requireOrigin(boolean requireOrigin) {
            this.requireOrigin = requireOrigin;
            return this;
        }

        /**
         * Validates the settings.
         *
         * @throws ConfigException naming {@value CsrfGuard#PARAM_ALLOWED_ORIGINS} for an entry
         *         that is not a bare http(s) origin, or is {@code *} or {@code null}
         */
        public CsrfGuard build() {
            return build(LOG);
        }

        CsrfGuard build(Logger log) {
            Set<String> origins = new LinkedHashSet<>();
            for (String entry : allowedOrigins) {
                origins.add(parseAllowedOrigin(entry));
            }
            return new CsrfGuard(mode, Collections.unmodifiableSet(origins), requireOrigin,
                    Objects.requireNonNull(log, "log"));
        }

        private static String parseAllowedOrigin(String entry) {
            String e = entry.strip();
            if (e.contains("*")) {
                throw new ConfigException(PARAM_ALLOWED_ORIGINS, "does not take wildcards ('" + e
                        + "'): any site could then forge requests; list each origin, such as https://admin.example.com");
            }
            if (e.equalsIgnoreCase("null")) {
                throw new ConfigException(PARAM_ALLOWED_ORIGINS, "must not list 'null': any site can send it from a"
                        + " sandboxed frame; list each origin, such as https://admin.example.com");
            }
            // A trailing slash is tolerated, as for public-origin.
            String o = originOf(e.endsWith("/") ? e.substring(0, e.length() - 1) : e, true);
            if (o == null || !(o.startsWith("https://") || o.startsWith("http://"))) {
                throw new ConfigException(PARAM_ALLOWED_ORIGINS, "must list origins such as https://admin.example.com"
                        + " (scheme, host and optional port only), not '" + e + "'");
            }
            return o;
        }
    }
}
