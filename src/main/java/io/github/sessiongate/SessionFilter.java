package io.github.sessiongate;

import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.audit.AuditLog.Event;
import io.github.sessiongate.path.PathRules;
import io.github.sessiongate.path.PathVerdict;
import io.github.sessiongate.path.RequestPaths;
import io.github.sessiongate.web.Answers;
import io.github.sessiongate.web.BrowserNavigation;
import io.github.sessiongate.web.LoginRedirect;
import io.github.sessiongate.web.PrivateCacheResponse;
import io.github.sessiongate.web.RequestOrigin;
import io.github.sessiongate.web.SessionRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.github.sessiongate.rotation.Bulkhead;
import io.github.sessiongate.rotation.GraceMemo;
import io.github.sessiongate.rotation.RefreshOutcome;
import io.github.sessiongate.rotation.Refresher;
import io.github.sessiongate.rotation.ValidationCache;
import io.github.sessiongate.rotation.Validations;
import io.github.sessiongate.store.InMemoryExpiringStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a user's session in HttpOnly cookies and guards the application's paths with it.
 *
 * <p>Each request passes once, forward, through these steps:
 * <ol>
 *   <li>the firewall normalises the path or answers 400 ({@link RequestPaths});</li>
 *   <li>the path rules say public, protected or role-gated ({@link PathRules});</li>
 *   <li>the session cookies are read ({@link CookieCodec}), or the bearer header if allowed;</li>
 *   <li>the token is validated ({@link TokenValidator});</li>
 *   <li>the decision: a protected path without a session redirects a browser to the login page
 *       ({@code from=} set) and answers anything else 401; a missing role is 403; no verdict
 *       (validator unavailable) is 503 and clears nothing;</li>
 *   <li>the application runs with the request wrapped: {@code getUserPrincipal()},
 *       {@code isUserInRole()} and {@link Session#from} see the session.</li>
 * </ol>
 *
 * <p>Minimal web.xml:
 * <pre>{@code
 * <filter>
 *   <filter-name>sessiongate</filter-name>
 *   <filter-class>io.github.sessiongate.SessionFilter</filter-class>
 *   <async-supported>true</async-supported>
 *   <init-param><param-name>public-paths</param-name><param-value>/ /static/*</param-value></init-param>
 *   <init-param><param-name>jwt.jwks-url</param-name><param-value>https://idp.example/jwks.json</param-value></init-param>
 *   <init-param><param-name>jwt.issuer</param-name><param-value>https://idp.example</param-value></init-param>
 *   <init-param><param-name>jwt.audience</param-name><param-value>my-app</param-value></init-param>
 * </filter>
 * <filter-mapping>
 *   <filter-name>sessiongate</filter-name>
 *   <url-pattern>/*</url-pattern>
 *   <dispatcher>REQUEST</dispatcher>
 *   <dispatcher>ASYNC</dispatcher>
 *   <dispatcher>ERROR</dispatcher>
 * </filter-mapping>
 * }</pre>
 *
 * <p><b>Dispatcher types.</b> REQUEST runs every step. FORWARD, INCLUDE, ERROR and ASYNC
 * dispatches of a request that already passed run no rule again (the original request was
 * decided; the application chose the dispatch) and re-attach the session, so error pages and
 * async continuations see the same user. An ASYNC dispatch of a request the filter never saw runs
 * every step.
 *
 * <p><b>Threading.</b> One instance serves every request thread; all state is immutable after
 * {@link #init}. {@link #destroy()} closes the validator and whatever it started.
 */
public final class SessionFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFilter.class);

    /** Request attribute marking a request that has passed the filter's REQUEST steps. */
    public static final String FILTERED_ATTRIBUTE = "io.github.sessiongate.filtered";
    /** Request attribute marking a request whose responses must stay private (it carried or set a session). */
    static final String PRIVATE_ATTRIBUTE = "io.github.sessiongate.private";

    private final GateConfig preset;
    private volatile Gate gate;

    /** For web.xml: settings come from init-params. */
    public SessionFilter() {
        this.preset = null;
    }

    /** For {@code ServletContext.addFilter}: settings come from the config; init-params are ignored. */
    public SessionFilter(GateConfig config) {
        this.preset = Objects.requireNonNull(config, "config");
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        String name = filterConfig == null ? "sessiongate" : filterConfig.getFilterName();
        GateConfig config;
        try {
            config = preset != null ? preset : GateConfig.fromInitParams(InitParams.resolve(initParams(filterConfig)));
            if (!config.validator().isConfigured()) {
                config.validator().configure(InitParams.resolve(Map.of()), config.clock());
            }
        } catch (ConfigException e) {
            throw new ServletException("SessionGate filter '" + name + "' cannot start: " + e.getMessage(), e);
        }
        this.gate = new Gate(config);
        LOG.info("SessionGate filter '{}' ready: {}", name, config.describe());
    }

    /** The effective configuration, once {@link #init} has run. */
    public GateConfig config() {
        Gate g = gate;
        if (g == null) {
            throw new IllegalStateException("init() has not run");
        }
        return g.config;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
            throw new ServletException("SessionGate handles HTTP requests only");
        }
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        Gate g = gate;
        if (g == null) {
            throw new ServletException("SessionGate filter used before init() or after destroy()");
        }
        DispatcherType type = request.getDispatcherType();
        if (type == DispatcherType.REQUEST || request.getAttribute(FILTERED_ATTRIBUTE) == null && type == DispatcherType.ASYNC) {
            g.handle(request, response, chain);
        } else {
            HttpServletResponse out = request.getAttribute(PRIVATE_ATTRIBUTE) != null ? new PrivateCacheResponse(response) : response;
            chain.doFilter(withKnownSession(request, g.config.authorizationHeaderView()), out);
        }
    }

    @Override
    public void destroy() {
        Gate g = gate;
        gate = null;
        if (g != null) {
            g.config.validator().close();
        }
    }

    private static HttpServletRequest withKnownSession(HttpServletRequest request, boolean authorizationView) {
        return Session.from(request)
                .<HttpServletRequest>map(s -> new SessionRequest(request, s, authorizationView))
                .orElse(request);
    }

    private static Map<String, String> initParams(FilterConfig fc) {
        Map<String, String> params = new LinkedHashMap<>();
        if (fc != null) {
            for (String name : Collections.list(fc.getInitParameterNames())) {
                params.put(name, fc.getInitParameter(name));
            }
        }
        return params;
    }

    /** Everything one initialised filter needs per request; immutable apart from its caches. */
    private static final class Gate {
        private final GateConfig config;
        private final RequestPaths paths;
        private final PathRules rules;
        private final CookieCodec cookies;
        private final RequestOrigin.Resolver origins;
        private final Validations validations;
        private final Refresher refresher;
        private final AuditLog audit = new AuditLog();
        private final String challenge;

        Gate(GateConfig config) {
            this.config = config;
            this.paths = new RequestPaths(config.allowJsessionidPathParameter());
            this.rules = config.pathRules();
            this.cookies = new CookieCodec(config.cookies());
            this.origins = new RequestOrigin.Resolver(config.publicOrigin().orElse(null), config.trustedProxies());
            this.challenge = (config.acceptBearerHeader() ? "Bearer" : "Cookie") + " realm=\"" + config.realm() + "\"";
            Clock clock = config.clock();
            Bulkhead bulkhead = new Bulkhead(config.backendMaxConcurrency());
            this.validations = new Validations(config.validator(),
                    new ValidationCache(new InMemoryExpiringStore<>(config.cacheMaxEntries(), clock), config.cacheTtl(), clock),
                    bulkhead, config.backendWaitTimeout());
            GraceMemo memo = new GraceMemo(new InMemoryExpiringStore<>(config.graceMaxEntries(), clock),
                    new InMemoryExpiringStore<>(config.graceMaxEntries(), clock), config.refreshGrace(), clock);
            this.refresher = new Refresher(config.validator(), validations, memo, bulkhead, config.backendWaitTimeout());
        }

        void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            request.setAttribute(FILTERED_ATTRIBUTE, Boolean.TRUE);
            request.removeAttribute(Session.REQUEST_ATTRIBUTE);
            RequestOrigin origin = origins.resolve(request);

            // 1. Firewall: decide on the normalised path or not at all.
            PathVerdict verdict = paths.check(request);
            if (!verdict.isAccepted()) {
                audit.record(Event.BAD_PATH, verdict.reason(), request.getRequestURI(), origin.client(), null);
                Answers.badRequest(response);
                return;
            }
            String path = verdict.path();

            // 2. Path rules; CORS preflights carry no cookies and belong to the application.
            PathRules.Rule rule = rules.decide(path);
            if (isCorsPreflight(request)) {
                chain.doFilter(request, response);
                return;
            }

            // 3. Credentials: the session cookies, or a bearer header where allowed.
            boolean secure = config.cookies().secure(origin.isPlainHttpToLoopback());
            Credentials credentials = Credentials.read(request, cookies, secure, config.acceptBearerHeader());
            if (credentials.cookies().hasDuplicates()) {
                audit.record(Event.DUPLICATE_COOKIE, "names " + credentials.cookies().duplicateNames(), path,
                        origin.client(), null);
            }
            HttpServletResponse out = credentials.carriesSession() ? keepPrivate(request, response) : response;

            // 4. Validation: cache, then one call per token at a time.
            String token = credentials.token();
            ValidationResult result = token == null ? null : validations.validate(token).result();
            Session session = result instanceof ValidationResult.Valid v ? v.session() : null;
            boolean unavailable = result != null && result.kind() == ValidationResult.Kind.UNAVAILABLE;
            if (result instanceof ValidationResult.Invalid invalid) {
                audit.record(Event.INVALID_TOKEN, invalid.reason().name().toLowerCase(Locale.ROOT), path, origin.client(), token);
            } else if (unavailable) {
                LOG.debug("no verdict on {}: {}", path, ((ValidationResult.Unavailable) result).cause());
            }

            // 5. Rotation in place: a refresh token stands in for a missing, expired or invalid access token.
            String refreshToken = credentials.refreshToken();
            if (refreshToken != null && wantsRefresh(result, session, rule, request)) {
                RefreshOutcome outcome = refresher.refresh(refreshToken);
                switch (outcome.kind()) {
                    case ROTATED -> {
                        if (writeRotated(out, credentials.cookies(), secure, outcome.tokens(), path)) {
                            request.setAttribute(PRIVATE_ATTRIBUTE, Boolean.TRUE);
                            session = outcome.session();
                            unavailable = false;
                        } else if (session == null) {
                            unavailable = true;
                        }
                    }
                    case REFUSED -> {
                        cookies.clear(out, credentials.cookies(), secure);
                        if (token != null) {
                            validations.evict(token);
                        }
                        audit.record(Event.COOKIES_CLEARED, "refresh refused", path, origin.client(), refreshToken);
                        session = null;
                        unavailable = false;
                    }
                    case UNAVAILABLE -> {
                        LOG.debug("refresh on {} gave no verdict: {}", path, outcome.cause());
                        unavailable = session == null;
                    }
                    case UNSUPPORTED -> LOG.debug("validator cannot refresh; {} continues without", path);
                }
            } else if (result instanceof ValidationResult.Invalid && credentials.fromCookie() && refreshToken == null) {
                cookies.clear(out, credentials.cookies(), secure);
                audit.record(Event.COOKIES_CLEARED, "invalid token", path, origin.client(), token);
            }

            // 6. Decision.
            if (rule.access() == PathRules.Access.PROTECTED) {
                if (session == null || session.isGuest()) {
                    if (unavailable) {
                        audit.record(Event.UNAVAILABLE, "validator unavailable", path, origin.client(), token);
                        Answers.unavailable(out, config.retryAfterSeconds());
                    } else if (!credentials.fromBearer() && BrowserNavigation.isNavigation(request)) {
                        audit.record(Event.LOGIN_REDIRECT, "unauthenticated", path, origin.client(), token);
                        Answers.redirect(out, LoginRedirect.location(request.getContextPath(), config.loginPath(), path,
                                request.getQueryString()));
                    } else {
                        audit.record(Event.DENIED, "unauthenticated", path, origin.client(), token);
                        Answers.unauthenticated(out, challenge);
                    }
                    return;
                }
                if (!rule.anyOfRoles().isEmpty() && rule.anyOfRoles().stream().noneMatch(session::hasRole)) {
                    audit.record(Event.DENIED, "missing role", path, origin.client(), token);
                    Answers.forbidden(out);
                    return;
                }
            }

            // 7. The application, with the session attached.
            if (session == null) {
                chain.doFilter(request, out);
                return;
            }
            request.setAttribute(Session.REQUEST_ATTRIBUTE, session);
            chain.doFilter(new SessionRequest(request, session, config.authorizationHeaderView()), out);
        }

        /**
         * Refresh when the access token is missing, expired or invalid, or (with refresh-ahead)
         * about to expire; on public paths only for page navigations, never for sub-resources.
         */
        private boolean wantsRefresh(ValidationResult result, Session session, PathRules.Rule rule, HttpServletRequest request) {
            if (rule.access() == PathRules.Access.PUBLIC && !BrowserNavigation.isNavigation(request)) {
                return false;
            }
            if (result == null) {
                return true;
            }
            switch (result.kind()) {
                case EXPIRED:
                case INVALID:
                    return true;
                case VALID:
                    Duration ahead = config.refreshAhead();
                    return !ahead.isZero() && session.expiresAt()
                            .map(e -> !e.minus(ahead).isAfter(config.clock().instant())).orElse(false);
                default:
                    return false;
            }
        }

        /** Writes the new cookies before the application runs; false if they cannot be written. */
        private boolean writeRotated(HttpServletResponse out, SessionCookies current, boolean secure, TokenPair tokens, String path) {
            try {
                cookies.write(out, current, secure, tokens.accessToken(), tokens.refreshToken());
                return true;
            } catch (CookieTooLargeException e) {
                LOG.warn("refreshed tokens on {} do not fit the cookie budget ({}); the session continues unrefreshed",
                        path, e.getMessage());
                return false;
            }
        }

        private static HttpServletResponse keepPrivate(HttpServletRequest request, HttpServletResponse response) {
            request.setAttribute(PRIVATE_ATTRIBUTE, Boolean.TRUE);
            return new PrivateCacheResponse(response);
        }

        private static boolean isCorsPreflight(HttpServletRequest request) {
            return "OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null
                    && request.getHeader("Origin") != null;
        }
    }
}
