package io.github.sessiongate.engine;

import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.Session;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.audit.GateMetrics;
import io.github.sessiongate.audit.JmxRegistration;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.cookie.CookieKind;
import io.github.sessiongate.cookie.HeldTokens;
import io.github.sessiongate.cookie.TokenSight;
import io.github.sessiongate.internal.RateLimitedWarning;
import io.github.sessiongate.path.PathRules;
import io.github.sessiongate.path.PathVerdict;
import io.github.sessiongate.path.RequestPaths;
import io.github.sessiongate.proxy.ApiProxy;
import io.github.sessiongate.proxy.Forwarder;
import io.github.sessiongate.ProxyRoute;
import io.github.sessiongate.rotation.Bulkhead;
import io.github.sessiongate.rotation.GraceMemo;
import io.github.sessiongate.rotation.Refresher;
import io.github.sessiongate.rotation.Validations;
import io.github.sessiongate.web.Answers;
import io.github.sessiongate.web.BrowserNavigation;
import io.github.sessiongate.web.CsrfGuard;
import io.github.sessiongate.EndpointSettings.Endpoint;
import io.github.sessiongate.web.RequestOrigin;
import io.github.sessiongate.web.SessionRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request, one pass, forward only: firewall, route, credentials, CSRF, resolve, write, decide,
 * chain ({@link #handle}, top to bottom). Also wires the per-filter parts the steps use from the
 * running {@link Components}: the {@link Resolver}, the {@link SessionWriter} and the
 * {@link Endpoints}, each given its collaborators, none this class. Immutable apart from the
 * components' own bounded caches; thread-safe.
 */
final class RequestSteps implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FilterEngine.LOG_NAME);

    final GateConfig config;
    /** The running components, made from {@link #config} for this filter and owned by it. */
    final Components components;
    final GateMetrics metrics;
    private final AuditLog audit;
    private final JmxRegistration jmx;
    private final RequestPaths paths;
    private final PathRules rules;
    private final RequestOrigin.Resolver origins;
    /** Whether the Secure flag depends on the request's origin (cookie-secure=auto): only then is it resolved up front. */
    private final boolean secureByOrigin;
    private final CookieCodec cookies;
    /** The validation cache's token strings: a warm request's access cookie is read as the one held. */
    private final HeldTokens heldTokens;
    /** The validator's look at an access cookie still in its header: junk is refused before it is copied. */
    private final TokenSight sight;
    private final IgnoredCookieAudit ignoredCookies;
    private final CsrfGuard csrf;
    /** The validations and the refresher the steps use; package-private for the engine's tests. */
    final Validations validations;
    final Refresher refresher;
    private final Resolver resolver;
    private final SessionWriter writer;
    private final Endpoints endpoints;
    private final Logins logins;
    /** The OpenID back-channel logout endpoint, if on: served before the credentials step. */
    private final Optional<BackChannelEndpoint> backChannel;
    private final String challenge;
    /** The API proxy's routes, served after the CSRF step with a session resolved as for a protected path. */
    private final ApiProxy proxy;

    RequestSteps(Components components, String contextPath, String filterName) {
        this.components = components;
        GateConfig config = components.config();
        this.config = config;
        Clock clock = config.clock();
        SharedState state = components.state();
        this.metrics = new GateMetrics(clock, state.validationCache()::size, state.graceMemo()::size);
        this.audit = new AuditLog(config.auditListeners(), clock);
        this.paths = new RequestPaths(config.allowJsessionidPathParameter());
        this.rules = SettingsChecks.pathRules(config);
        LoginFlow flow = components.loginFlow();
        // Only configured kinds are read, budgeted and cleared: planted cookies of other kinds change nothing.
        this.cookies = cookieCodec(components, flow);
        this.ignoredCookies = new IgnoredCookieAudit(audit, config.cookies(), clock);
        this.origins = new RequestOrigin.Resolver(SettingsChecks.publicOrigin(config), SettingsChecks.trustedProxies(config));
        this.secureByOrigin = config.cookies().secure(true) != config.cookies().secure(false);
        this.csrf = components.csrf();
        this.challenge = (config.acceptBearerHeader() ? "Bearer" : "Cookie") + " realm=\"" + config.realm() + "\"";
        Bulkhead bulkhead = new Bulkhead(config.backendMaxConcurrency());
        // Every promise that spans requests lives in the shared state: security entries refuse when
        // full (the request then fails closed); caches evict.
        this.heldTokens = state.validationCache()::heldToken;
        this.sight = config.validator()::refusalOnSight;
        state.countStoreFaults(metrics::stateStoreUnavailable);
        this.validations = new Validations(config.validator(), state.validationCache(), bulkhead,
                config.backendWaitTimeout(), state.revocations(), state.sessionMarkers());
        GraceMemo memo = state.graceMemo();
        Optional<LoginFlow.Revoker> revoker = flow.revoker();
        RateLimitedWarning full = new RateLimitedWarning(LOG, clock, Duration.ofMinutes(1), "A security store of {} is "
                + "full: refreshes and logouts answer 503 until entries expire; raise security-max-entries or grace-max-entries");
        Runnable securityStoreFull = () -> {
            metrics.securityStoreFull();
            full.warn(contextPath == null || contextPath.isEmpty() ? "/" : contextPath);
        };
        this.refresher = new Refresher(FlowRefresh.of(flow, config.validator()), validations, memo, bulkhead, config.backendWaitTimeout(),
                token -> revoker.ifPresent(r -> r.revoke(token)), securityStoreFull, state.flightLease());
        this.resolver = new Resolver(validations, refresher, components.lifetime(), components.guests(), audit, metrics,
                config.refreshAhead(), clock, securityStoreFull,
                cookies.configured(CookieKind.PROVIDER_FACTS) ? components.flowSeal() : Optional.empty());
        this.writer = new SessionWriter(cookies, components.cookieSeal(), audit, metrics);
        this.logins = new Logins(flow, components, resolver, writer, validations, refresher, cookies, audit, metrics);
        this.endpoints = new Endpoints(components, resolver, writer, metrics, logins);
        this.backChannel = components.backChannelLogout().map(logout -> {
            String path = config.oidc().flatMap(o -> o.backChannelLogoutPath()).orElseThrow();
            String servedBy = endpoints.match(path).map(e -> e.parameter()).orElse(logins.match(path).isPresent()
                    ? "a route of the login flow" : null);
            if (servedBy != null) {
                throw new io.github.sessiongate.ConfigException(io.github.sessiongate.OidcSettings.PARAM_BACKCHANNEL_LOGOUT_PATH,
                        "'" + path + "' is already served by " + servedBy);
            }
            return new BackChannelEndpoint(path, logout, audit, metrics, config.retryAfterSeconds(), clock);
        });
        checkProxyRoutes(config, endpoints, logins);
        this.jmx = JmxRegistration.register(metrics, contextPath, filterName);
        this.proxy = ApiProxy.start(config.proxyRoutes(), components.proxyThreads(), components.transport(), audit,
                contextPath == null ? "" : contextPath, filterName, challenge, config.retryAfterSeconds());
    }

    /** Whether this decided path is one the filter answers itself: an endpoint, a login-flow route, the back-channel logout. */
    boolean answersItself(String path) {
        return endpoints.match(path).isPresent() || logins.match(path).isPresent()
                || backChannel.isPresent() && backChannel.get().matches(path);
    }

    /**
     * Refuses a proxy route whose prefix covers a path the filter serves itself or sends browsers
     * to: an endpoint, a login-flow route, the back-channel logout path, the login page.
     */
    private static void checkProxyRoutes(GateConfig config, Endpoints endpoints, Logins logins) {
        if (config.proxyRoutes().isEmpty()) {
            return;
        }
        java.util.Map<String, String> served = new java.util.LinkedHashMap<>();
        for (String path : config.endpoints().enabledPaths()) {
            served.put(path, config.endpoints().match(path).map(e -> e.parameter()).orElse("an endpoint"));
        }
        for (String path : logins.paths()) {
            served.putIfAbsent(path, "a route of the login flow");
        }
        config.oidc().flatMap(o -> o.backChannelLogoutPath())
                .ifPresent(path -> served.putIfAbsent(path, io.github.sessiongate.OidcSettings.PARAM_BACKCHANNEL_LOGOUT_PATH));
        served.putIfAbsent(config.loginPath(), GateConfig.PARAM_LOGIN_PATH);
        for (ProxyRoute route : config.proxyRoutes()) {
            served.forEach((path, by) -> {
                if (route.matches(path)) {
                    throw new io.github.sessiongate.ConfigException(ProxyRoute.PARAM_ROUTES, "route " + route.name() + " ("
                            + route.prefix() + "/*) covers '" + path + "', which " + by + " serves; choose a prefix"
                            + " outside the filter's own paths");
                }
            });
        }
    }

    /** The request steps, in order; each either answers (and the pass ends) or hands on to the next. */
    void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        request.setAttribute(SessionFilter.FILTERED_ATTRIBUTE, Boolean.TRUE);
        request.removeAttribute(Session.REQUEST_ATTRIBUTE);
        String client = origins.client(request); // the whole origin only when a step asks (Exchange.origin)

        // 1. Firewall: decide on the normalised path or not at all.
        String path = paths.acceptedPath(request); // no verdict made for a path that passes
        if (path == null) {
            PathVerdict verdict = paths.check(request);
            audit.record(Event.BAD_PATH, verdict.reason(), request.getRequestURI(), client, null);
            metrics.badRequest();
            Answers.badRequest(response);
            return;
        }

        // The provider's back-channel logout: server to server, so before any cookie is read, and
        // neither the CSRF rule nor the path rules apply (its defence is the token's signature).
        if (backChannel.isPresent() && backChannel.get().matches(path)) {
            backChannel.get().handle(request, response, path, client);
            return;
        }

        // 2. Route: the filter's own endpoints, the login flow's routes, the API proxy's routes and the path rules. CORS
        // preflights (no cookies) go to the app.
        Optional<Endpoint> endpoint = endpoints.match(path);
        Optional<LoginFlow.Route> flowRoute = endpoint.isPresent() ? Optional.empty() : logins.match(path);
        Optional<Forwarder> proxied = endpoint.isEmpty() && flowRoute.isEmpty() ? proxy.match(path) : Optional.empty();
        PathRules.Rule rule = rules.decide(path);
        if (endpoint.isEmpty() && flowRoute.isEmpty() && isCorsPreflight(request)) {
            chain.doFilter(request, response);
            return;
        }

        // 3. Credentials: the session cookies, or a bearer header where allowed.
        Exchange ex = credentials(request, response, path, client);

        // 4. CSRF: cookie-authenticated unsafe requests, and every request to our endpoints; a login
        // route defends itself when it says so (the OpenID callback is a cross-site GET, its defence is state).
        boolean ownDefence = flowRoute.isPresent() && flowRoute.get().csrf() == LoginFlow.Csrf.OWN_DEFENCE;
        if (!ownDefence && !csrfAllows(ex, endpoint.isPresent() || flowRoute.isPresent())) {
            return;
        }
        if (flowRoute.isPresent()) {
            logins.handle(flowRoute.get(), ex); // a login route starts a session instead of resolving one
            return;
        }
        if (endpoint.isPresent() && endpoints.handlesWithoutSession(endpoint.get())) {
            endpoints.handleWithoutSession(endpoint.get(), ex); // logout needs no session of its own
            return;
        }

        // 5. Resolve: validation, lifetime and rotation in place, decided as a value.
        boolean navigation = BrowserNavigation.isNavigation(request);
        boolean refreshAllowed = rule.access() == PathRules.Access.PROTECTED || endpoint.isPresent() || proxied.isPresent()
                || navigation;
        ValidationResult presented = resolver.validate(ex.credentials, ex.where());
        Resolution resolution = resolver.resolve(ex.credentials, presented, refreshAllowed, ex.where());

        // 6. Write: the resolution's cookies; then a visitor without a session may get a guest
        // session (endpoints see a guest session, but never start one).
        resolution = writer.apply(ex, resolution);
        Session session = resolution.sessionOrNull();
        if (session == null && !resolution.noVerdict() && !ex.credentials.fromBearer()) {
            boolean mayStart = endpoint.isEmpty() && proxied.isEmpty() && rule.access() == PathRules.Access.PUBLIC && navigation;
            session = writer.apply(ex, resolver.guest(ex.credentials, mayStart)).sessionOrNull();
        }
        if (endpoint.isPresent()) {
            endpoints.handle(endpoint.get(), ex, presented, resolution, session);
            return;
        }

        // 7 and 8 for a proxy route: decided by the route (never a login redirect), then forwarded.
        if (proxied.isPresent()) {
            proxy(ex, proxied.get(), rule, session, resolution.noVerdict());
            return;
        }

        // 7. Decide: a protected path needs a user's session, and one of its roles if it names any.
        if (rule.access() == PathRules.Access.PROTECTED) {
            if (session == null || session.isGuest()) {
                deny(ex, resolution, navigation);
                return;
            }
            if (!rule.anyOfRoles().isEmpty() && rule.anyOfRoles().stream().noneMatch(session::hasRole)) {
                audit.record(Event.DENIED, "missing role", path, client, session.token());
                metrics.denial(GateMetrics.Refusal.MISSING_ROLE);
                Answers.forbidden(ex.out);
                return;
            }
        }

        // 8. Chain: the application, with the session attached.
        if (session == null) {
            chain.doFilter(request, ex.out);
            return;
        }
        request.setAttribute(Session.REQUEST_ATTRIBUTE, session);
        chain.doFilter(new SessionRequest(request, session, config.authorizationHeaderView()), ex.out);
    }

    /**
     * Steps 7 and 8 of a proxy route, decided by the route's own settings, not by the protected and
     * public path lists: a route that needs a session answers 401 without one (503 without a
     * verdict), never a login redirect; a guest session counts only where the route allows guests.
     * A role rule over the route's prefix still applies (a user's session with one of its roles,
     * else 401 or 403). Then the request is forwarded with the session's token (the rotated one
     * after a refresh in place), or none for {@code token=none} or without a session.
     */
    private void proxy(Exchange ex, Forwarder forwarder, PathRules.Rule rule, Session session, boolean noVerdict)
            throws IOException {
        ProxyRoute route = forwarder.route();
        boolean roleRule = rule.access() == PathRules.Access.PROTECTED && !rule.anyOfRoles().isEmpty();
        Session counted = session == null || session.isGuest() && !(route.allowGuests() && !roleRule) ? null : session;
        String presented = ex.credentials.token();
        if (counted == null && (route.sessionRequired() || roleRule)) {
            if (noVerdict) {
                metrics.unavailable();
                forwarder.noVerdict(ex.out, ex.path, ex.client(), presented);
            } else {
                metrics.denial(GateMetrics.Refusal.UNAUTHENTICATED);
                forwarder.unauthenticated(ex.out, ex.path, ex.client(), presented);
            }
            return;
        }
        if (roleRule && rule.anyOfRoles().stream().noneMatch(counted::hasRole)) {
            metrics.denial(GateMetrics.Refusal.MISSING_ROLE);
            forwarder.forbidden(ex.out, ex.path, ex.client(), counted.token());
            return;
        }
        String token = route.token() == ProxyRoute.Token.ACCESS && counted != null ? counted.token() : null;
        forwarder.forward(ex.request, ex.out, ex.path, ex.origin(), token);
    }

    /** Step 3: reads the credentials (audits duplicated and ignored cookies); the response goes private if they carry a session. */
    private Exchange credentials(HttpServletRequest request, HttpServletResponse response, String path, String client) {
        RequestOrigin origin = secureByOrigin ? origins.resolve(request) : null;
        boolean secure = config.cookies().secure(origin != null && origin.isPlainHttpToLoopback());
        Credentials credentials = Credentials.read(request, cookies, secure, config.acceptBearerHeader(),
                components.cookieSeal().orElse(null), heldTokens, sight);
        if (credentials.cookies().hasDuplicates()) {
            audit.record(Event.DUPLICATE_COOKIE, "names " + credentials.cookies().duplicateNames(), path, client, null);
        }
        ignoredCookies.report(credentials.cookies(), path, client);
        return origin != null ? new Exchange(request, response, path, origin, secure, credentials)
                : new Exchange(request, response, path, origins, client, secure, credentials);
    }

    /** Step 4: {@code false} when the request was refused (403 answered). */
    private boolean csrfAllows(Exchange ex, boolean endpoint) throws IOException {
        if (!csrf.applies(ex.request, ex.credentials.carriesCookies(), endpoint)) {
            return true;
        }
        CsrfGuard.Verdict v = csrf.check(ex.request, ex.origin());
        if (v.allowed()) {
            return true;
        }
        audit.record(Event.CSRF_REFUSED, v.reason(), ex.path, ex.client(), null);
        if (!csrf.shouldBlock(v)) {
            return true; // report-only
        }
        metrics.csrfRejection();
        Answers.forbidden(ex.out, "csrf");
        return false;
    }

    /**
     * Step 7, refused: no session on a protected path: 503 without a verdict, the login flow's
     * entry point for a page (unless {@code login-redirect=false}), else 401.
     */
    private void deny(Exchange ex, Resolution resolution, boolean navigation) throws IOException {
        String token = ex.credentials.tokenFor(audit);
        if (resolution.noVerdict()) {
            // A refreshed token the validator refused was audited as invalid_token with its reason: no outage.
            audit.record(Event.UNAVAILABLE, resolution.refresh() == Resolution.Refresh.REFRESHED_TOKEN_REFUSED
                    ? "refreshed token refused" : "validator unavailable", ex.path, ex.client(), token);
            metrics.unavailable();
            Answers.unavailable(ex.out, config.retryAfterSeconds());
        } else if (!ex.credentials.fromBearer() && navigation && config.loginRedirect()) {
            audit.record(Event.LOGIN_REDIRECT, "unauthenticated", ex.path, ex.client(), token);
            metrics.denial(GateMetrics.Refusal.UNAUTHENTICATED);
            logins.enter(ex);
        } else {
            audit.record(Event.DENIED, "unauthenticated", ex.path, ex.client(), token);
            metrics.denial(GateMetrics.Refusal.UNAUTHENTICATED);
            Answers.unauthenticated(ex.out, challenge);
        }
    }

    /**
     * The codec for the configured kinds: the login-transaction family and the provider facts too when
     * the flow keeps transactions, sealed with {@link Components#flowSeal()} (the configured key, else
     * one of this process: readable or plantable, they would let a login be forced or its code replayed).
     */
    private static CookieCodec cookieCodec(Components components, LoginFlow flow) {
        CookieSettings settings = components.config().cookies();
        if (!flow.usesLoginTransactions()) {
            return new CookieCodec(settings, components.guests().isPresent(), components.lifetime().isPresent());
        }
        return new CookieCodec(settings, CookieCodec.sessionKinds(components.guests().isPresent(),
                components.lifetime().isPresent(), true), components.flowSeal().orElseThrow());
    }

    private static boolean isCorsPreflight(HttpServletRequest request) {
        return "OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null
                && request.getHeader("Origin") != null;
    }

    /**
     * Releases what this filter started, in reverse order: the JMX name, the endpoints, the audit
     * listeners, then every component the factory made (the validator, the outbound clients and,
     * last, the one HTTP transport).
     */
    @Override
    public void close() {
        proxy.close();
        jmx.close();
        endpoints.close();
        for (var listener : config.auditListeners()) {
            if (listener instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("audit listener {} failed to close: {}", listener.getClass().getName(), e.getClass().getName());
                }
            }
        }
        components.close();
    }
}
