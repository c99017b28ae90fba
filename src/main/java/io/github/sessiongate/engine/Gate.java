package io.github.sessiongate.engine;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.Session;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.cookie.CookieTooLargeException;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.audit.GateMetrics;
import io.github.sessiongate.audit.JmxRegistration;
import io.github.sessiongate.guest.GuestTokens;
import io.github.sessiongate.internal.RateLimitedWarning;
import io.github.sessiongate.lifetime.SessionLifetime;
import io.github.sessiongate.path.PathRules;
import io.github.sessiongate.path.PathVerdict;
import io.github.sessiongate.path.RequestPaths;
import io.github.sessiongate.remote.RevokeEndpoint;
import io.github.sessiongate.rotation.Bulkhead;
import io.github.sessiongate.rotation.GraceMemo;
import io.github.sessiongate.rotation.RefreshOutcome;
import io.github.sessiongate.rotation.Refresher;
import io.github.sessiongate.rotation.Validations;
import io.github.sessiongate.web.Answers;
import io.github.sessiongate.web.BrowserNavigation;
import io.github.sessiongate.web.CsrfGuard;
import io.github.sessiongate.web.EndpointSettings.Endpoint;
import io.github.sessiongate.web.LoginRedirect;
import io.github.sessiongate.web.PrivateCacheResponse;
import io.github.sessiongate.web.RequestOrigin;
import io.github.sessiongate.web.ResponseBudget;
import io.github.sessiongate.web.SafeRedirect;
import io.github.sessiongate.web.SessionRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter's work for one initialised configuration: the request steps in order, and the
 * components they use. Immutable apart from the components' own bounded caches; thread-safe.
 */
final class Gate implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFilter.class);

    /** Request attribute marking a request whose responses must stay private (it carried or set a session). */
    public static final String PRIVATE_ATTRIBUTE = "io.github.sessiongate.private";

    final GateConfig config;
    /** The running components, made from {@link #config} for this filter and owned by it. */
    final Components components;
    final GateMetrics metrics;
    final AuditLog audit;
    final CookieCodec cookies;
    final Validations validations;
    final Refresher refresher;
    /** Counts a full security store and warns (rate-limited); the caller fails closed. */
    private final Runnable securityStoreFull;
    private final JmxRegistration jmx;
    private final RequestPaths paths;
    private final PathRules rules;
    private final RequestOrigin.Resolver origins;
    private final CsrfGuard csrf;
    private final Endpoints endpoints;
    private final String challenge;
    private final IgnoredCookieAudit ignoredCookies;
    /** How long a login redirect's {@code from} may be, percent-encoded: what the login endpoint accepts back. */
    final int maxEncodedFrom;

    public Gate(Components components, String contextPath, String filterName) {
        this.components = components;
        GateConfig config = components.config();
        this.config = config;
        Clock clock = config.clock();
        this.metrics = new GateMetrics(clock);
        this.audit = new AuditLog(config.auditListeners(), clock);
        this.paths = new RequestPaths(config.allowJsessionidPathParameter());
        this.rules = SettingsChecks.pathRules(config);
        // Only configured kinds are read, budgeted and cleared: planted cookies of other kinds change nothing.
        this.cookies = new CookieCodec(config.cookies(), components.guests().isPresent(), components.lifetime().isPresent());
        this.ignoredCookies = new IgnoredCookieAudit(audit, clock);
        this.origins = new RequestOrigin.Resolver(SettingsChecks.publicOrigin(config), SettingsChecks.trustedProxies(config));
        this.csrf = components.csrf();
        this.maxEncodedFrom = LoginRedirect.maxEncodedFrom(components.endpoints().loginMaxBodyBytes());
        this.challenge = (config.acceptBearerHeader() ? "Bearer" : "Cookie") + " realm=\"" + config.realm() + "\"";
        Bulkhead bulkhead = new Bulkhead(config.backendMaxConcurrency());
        // Security stores refuse when full (the request then fails closed); caches evict.
        SharedState state = components.state();
        this.validations = new Validations(config.validator(), state.validationCache(), bulkhead,
                config.backendWaitTimeout(), state.revocations());
        GraceMemo memo = state.graceMemo();
        Optional<RevokeEndpoint> revoker = components.revoke();
        RateLimitedWarning full = new RateLimitedWarning(LOG, clock, Duration.ofMinutes(1), "A security store of {} is "
                + "full: refreshes and logouts answer 503 until entries expire; raise security-max-entries or grace-max-entries");
        this.securityStoreFull = () -> {
            metrics.securityStoreFull();
            full.warn(contextPath == null || contextPath.isEmpty() ? "/" : contextPath);
        };
        this.refresher = new Refresher(config.validator(), validations, memo, bulkhead, config.backendWaitTimeout(),
                token -> revoker.ifPresent(r -> r.revoke(token)), securityStoreFull, state.flightLease());
        this.endpoints = new Endpoints(this);
        this.jmx = JmxRegistration.register(metrics, contextPath, filterName);
    }

    void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        request.setAttribute(SessionFilter.FILTERED_ATTRIBUTE, Boolean.TRUE);
        request.removeAttribute(Session.REQUEST_ATTRIBUTE);
        RequestOrigin origin = origins.resolve(request);

        // 1. Firewall: decide on the normalised path or not at all.
        PathVerdict verdict = paths.check(request);
        if (!verdict.isAccepted()) {
            audit.record(Event.BAD_PATH, verdict.reason(), request.getRequestURI(), origin.client(), null);
            metrics.badRequest();
            Answers.badRequest(response);
            return;
        }
        String path = verdict.path();

        // 2. The filter's own endpoints and the path rules. CORS preflights (no cookies) go to the app.
        Optional<Endpoint> endpoint = endpoints.match(path);
        PathRules.Rule rule = rules.decide(path);
        if (endpoint.isEmpty() && isCorsPreflight(request)) {
            chain.doFilter(request, response);
            return;
        }

        // 3. Credentials: the session cookies, or a bearer header where allowed.
        boolean secure = config.cookies().secure(origin.isPlainHttpToLoopback());
        Credentials credentials = Credentials.read(request, cookies, secure, config.acceptBearerHeader(),
                components.cookieSeal().orElse(null));
        if (credentials.cookies().hasDuplicates()) {
            audit.record(Event.DUPLICATE_COOKIE, "names " + credentials.cookies().duplicateNames(), path, origin.client(), null);
        }
        ignoredCookies.report(credentials.cookies(), path, origin.client());
        Exchange ex = new Exchange(request, credentials.carriesSession() ? keepPrivate(request, response) : response,
                path, origin, secure, credentials);

        // 4. CSRF: cookie-authenticated unsafe requests, and every request to our endpoints.
        if (csrf.applies(request, credentials.carriesCookies(), endpoint.isPresent())) {
            CsrfGuard.Verdict v = csrf.check(request, origin);
            if (!v.allowed()) {
                audit.record(Event.CSRF_REFUSED, v.reason(), path, origin.client(), null);
                if (csrf.shouldBlock(v)) {
                    metrics.csrfRejection();
                    Answers.forbidden(ex.out, "csrf");
                    return;
                }
            }
        }

        // 5. Login and logout need no session of their own.
        if (endpoint.isPresent() && endpoints.handlesWithoutSession(endpoint.get())) {
            endpoints.handle(endpoint.get(), ex);
            return;
        }

        // 6. Validation, lifetime and rotation in place.
        boolean navigation = BrowserNavigation.isNavigation(request);
        resolve(ex, rule.access() == PathRules.Access.PROTECTED || endpoint.isPresent() || navigation);
        if (endpoint.isPresent()) {
            if (ex.session == null && !ex.unavailable && !credentials.fromBearer()) {
                startOrResumeGuest(ex, false); // endpoints see a guest session, but never start one
            }
            endpoints.handle(endpoint.get(), ex);
            return;
        }

        // 7. A visitor without a session may get a guest session.
        if (ex.session == null && !ex.unavailable && !credentials.fromBearer()) {
            startOrResumeGuest(ex, rule.access() == PathRules.Access.PUBLIC && navigation);
        }

        // 8. Decision.
        Session session = ex.session;
        if (rule.access() == PathRules.Access.PROTECTED) {
            if (session == null || session.isGuest()) {
                deny(ex, navigation);
                return;
            }
            if (!rule.anyOfRoles().isEmpty() && rule.anyOfRoles().stream().noneMatch(session::hasRole)) {
                audit.record(Event.DENIED, "missing role", path, origin.client(), session.token());
                metrics.denial();
                Answers.forbidden(ex.out);
                return;
            }
        }

        // 9. The application, with the session attached.
        if (session == null) {
            chain.doFilter(request, ex.out);
            return;
        }
        request.setAttribute(Session.REQUEST_ATTRIBUTE, session);
        chain.doFilter(new SessionRequest(request, session, config.authorizationHeaderView()), ex.out);
    }

    /** No session on a protected path: 503 without a verdict, a login redirect for a page, else 401. */
    private void deny(Exchange ex, boolean navigation) throws IOException {
        String token = ex.credentials.token();
        if (ex.unavailable) {
            audit.record(Event.UNAVAILABLE, "validator unavailable", ex.path, ex.origin.client(), token);
            metrics.unavailable();
            Answers.unavailable(ex.out, config.retryAfterSeconds());
        } else if (!ex.credentials.fromBearer() && navigation) {
            audit.record(Event.LOGIN_REDIRECT, "unauthenticated", ex.path, ex.origin.client(), token);
            metrics.denial();
            String login = ex.request.getContextPath() + config.loginPath();
            Answers.redirect(ex.out, LoginRedirect.location(ex.request.getContextPath(), config.loginPath(), ex.path,
                    ex.request.getQueryString(), maxEncodedFrom(ex, 3 * login.length() + "?from=".length())));
        } else {
            audit.record(Event.DENIED, "unauthenticated", ex.path, ex.origin.client(), token);
            metrics.denial();
            Answers.unauthenticated(ex.out, challenge);
        }
    }

    /**
     * How long the {@code Location} after a login may be on this response: what the
     * {@link ResponseBudget} leaves next to the {@code Set-Cookie} headers it carries (the new
     * session's cookies and any clearing ones, as written), at most {@link SafeRedirect#MAX_LENGTH}.
     */
    int maxTargetAfterLogin(Exchange ex) {
        return Math.min(SafeRedirect.MAX_LENGTH, ResponseBudget.locationRoom(ex.credentials.cookies().setCookieBytes()));
    }

    /**
     * How long a percent-encoded {@code from} may be in a {@code Location} of {@code prefixLength}
     * characters before it on this response: what the login endpoint accepts back
     * (the field {@code maxEncodedFrom}), and what the {@link ResponseBudget} leaves next to the
     * {@code Set-Cookie} headers the response carries.
     */
    int maxEncodedFrom(Exchange ex, int prefixLength) {
        return Math.max(0, Math.min(maxEncodedFrom,
                ResponseBudget.locationRoom(ex.credentials.cookies().setCookieBytes()) - prefixLength));
    }

    /**
     * Establishes the session: validates the access token, enforces the server-side lifetime,
     * refreshes in place when allowed and needed, and keeps the lifetime cookie current.
     *
     * @param refreshAllowed whether this request may refresh (protected paths, endpoints, page
     *     navigations; never sub-resources of public pages)
     */
    void resolve(Exchange ex, boolean refreshAllowed) {
        Credentials credentials = ex.credentials;
        String token = credentials.token();
        ValidationResult result = token == null ? null : counted(validations.validate(token));
        ex.presented = result;
        if (result instanceof ValidationResult.Valid v) {
            ex.session = v.session();
        } else if (result instanceof ValidationResult.Invalid invalid) {
            audit.record(Event.INVALID_TOKEN, invalid.reason().name().toLowerCase(Locale.ROOT), ex.path, ex.origin.client(), token);
        } else if (result instanceof ValidationResult.Unavailable u) {
            ex.unavailable = true;
            LOG.debug("no verdict on {}: {}", ex.path, u.cause());
        }
        if (ex.session != null && ex.session.isGuest()) {
            ex.session = null; // a guest token in the access cookie is not a user's session
        }

        // Server-enforced lifetime: past the idle or absolute limit, no refresh; sign in again.
        Optional<SessionLifetime> lifetime = credentials.fromBearer() ? Optional.empty() : components.lifetime();
        SessionLifetime.Verdict life = null;
        if (lifetime.isPresent() && (token != null || credentials.refreshToken() != null)) {
            life = lifetime.get().check(credentials.cookies().meta().orElse(null), ex.session == null ? null : ex.session.subject());
            if (life.mustSignIn()) {
                endSession(ex, "session lifetime over");
                ex.refreshApplied = Applied.ENDED; // the refresh endpoint must not try again
                return;
            }
        }

        // Rotation in place. With a server-enforced lifetime, only a session whose lifetime
        // record is present and alive may refresh: dropping the meta cookie restarts nothing.
        String refreshToken = credentials.refreshToken();
        boolean refreshing = refreshToken != null && refreshAllowed && wantsRefresh(result, ex.session);
        if (refreshing && lifetime.isPresent() && (life == null || life.kind() != SessionLifetime.Verdict.Kind.ALIVE)) {
            ex.refreshApplied = Applied.ENDED; // the refresh endpoint must not try again
            if (credentials.cookies().hasDuplicates()) {
                // A duplicated (perhaps planted) lifetime cookie reads as missing: no session, but
                // nothing cleared or forgotten; the real cookies work again once the planted ones go.
                ex.session = null;
                ex.unavailable = false;
                return;
            }
            endSession(ex, "no lifetime record to refresh with");
            return;
        }
        if (refreshing) {
            Session presented = ex.session;
            RefreshOutcome outcome = counted(refresher.refresh(refreshToken));
            switch (applyRefresh(ex, outcome, "rotated")) {
                case ROTATED, ENDED, FAILED_CLOSED -> {
                    return; // tokens and lifetime cookie written, or cookies cleared, or 503 without a verdict
                }
                case UNAVAILABLE -> {
                    LOG.debug("refresh on {} gave no verdict: {}", ex.path, outcome.cause());
                    ex.session = presented != null ? presented : lapsedWithinSkew(token, result);
                    ex.unavailable = ex.session == null;
                }
                case UNSUPPORTED -> {
                    LOG.debug("validator cannot refresh; {} continues without", ex.path);
                    ex.session = presented != null ? presented : lapsedWithinSkew(token, result);
                }
            }
        } else if (result instanceof ValidationResult.Invalid && credentials.fromCookie() && refreshToken == null
                && !credentials.cookies().hasDuplicates()) {
            // Not with duplicated session cookies: the invalid value may be one a sibling domain
            // planted, and a host-only clearing header would remove the user's real cookie while
            // the planted one (set for a parent domain) stays. Ambiguity gives no session, never a sign-out.
            clearCookies(ex, "invalid token", token);
        } else if (ex.session == null && refreshToken == null) {
            ex.session = lapsedWithinSkew(token, result); // no refresh possible: the clock skew may serve
        }

        // Keep the lifetime cookie current, and write everything in one go.
        String meta = credentials.cookies().meta().orElse(null);
        String nextMeta = null;
        Duration slidingMaxAge = null;
        if (lifetime.isPresent() && ex.session != null) {
            SessionLifetime lt = lifetime.get();
            SessionLifetime.Verdict now = life != null && life.subjectChecked() ? life : lt.check(meta, ex.session.subject());
            if (now.mustSignIn()) {
                endSession(ex, "session lifetime over");
                return;
            }
            // Only a login starts a lifetime record: valid tokens without one pass until they
            // expire, but start none (that would restart the absolute timeout) and cannot refresh.
            nextMeta = now.kind() == SessionLifetime.Verdict.Kind.ALIVE
                    ? lt.touch(meta, ex.session.subject()).orElse(null) : null;
            slidingMaxAge = nextMeta == null ? null : lt.slidingMaxAge(nextMeta).orElse(null);
        }
        // Tokens and meta cookie in one write, so one size check covers what the browser will keep.
        if (slidingMaxAge != null && credentials.fromCookie()
                && writeTokens(ex, token, refreshToken, slidingMaxAge, false, nextMeta)) {
            return;
        } else if (nextMeta != null) {
            writeMeta(ex, nextMeta);
        }
    }

    /** What {@link #applyRefresh} made of a refresh outcome. */
    enum Applied {
        /** New tokens and the lifetime cookie written in one go; {@code ex.session} is the new session. */
        ROTATED,
        /** The chain is over (refused, signed out meanwhile, lifetime over): cookies cleared, no session. */
        ENDED,
        /**
         * A refusal that could not be recorded (a security store is full): no session, no cookie
         * cleared, {@code ex.unavailable} set; answer 503.
         */
        FAILED_CLOSED,
        /** No verdict (backend unavailable, cookies over budget): nothing cleared, {@code ex.session} untouched. */
        UNAVAILABLE,
        /** The validator cannot refresh. */
        UNSUPPORTED
    }

    /**
     * Applies a refresh outcome this request obtained, the one way for every caller (rotation in
     * place, the explicit refresh endpoint). Rotated: checks once more that no logout ended the
     * chain meanwhile, then writes the tokens and the lifetime cookie together. Refused: revokes
     * the presented access token on this node when its signature verified (valid or expired; an
     * unverified token is junk and writes no security state), then ends the session. Unavailable:
     * clears nothing.
     *
     * @param reason how the audit line names a rotation ("rotated", "explicit")
     */
    /**
     * Whether the session lifetime lets this request refresh at all: with a server-enforced
     * lifetime, only a request whose lifetime record is present and alive may. Checked before the
     * backend is asked, so dropping the meta cookie restarts nothing.
     */
    boolean lifetimeAllowsRefresh(Exchange ex) {
        Optional<SessionLifetime> lifetime = ex.credentials.fromBearer() ? Optional.empty() : components.lifetime();
        if (lifetime.isEmpty()) {
            return true;
        }
        String meta = ex.credentials.cookies().meta().orElse(null);
        return lifetime.get().check(meta, ex.session == null ? null : ex.session.subject()).kind()
                == SessionLifetime.Verdict.Kind.ALIVE;
    }

    Applied applyRefresh(Exchange ex, RefreshOutcome outcome, String reason) {
        Applied applied = applyOutcome(ex, outcome, reason);
        ex.refreshApplied = applied;
        return applied;
    }

    private Applied applyOutcome(Exchange ex, RefreshOutcome outcome, String reason) {
        String refreshToken = ex.credentials.refreshToken();
        String token = ex.credentials.token();
        switch (outcome.kind()) {
            case ROTATED -> {
                return applyRotation(ex, refreshToken, outcome, reason);
            }
            case REFUSED -> {
                ValidationResult presented = ex.presented;
                if (token != null && (presented instanceof ValidationResult.Valid
                        || presented instanceof ValidationResult.Expired)) {
                    // The chain is over (Refresher.end revoked what it minted): so is the token presented with it.
                    Instant exp = presented instanceof ValidationResult.Valid v ? v.session().expiresAt().orElse(null) : null;
                    if (!validations.revocations().revoke(token, exp)) {
                        securityStoreFull.run(); // fail closed transiently: a retry ends it all
                        audit.record(Event.UNAVAILABLE, "security store full", ex.path, ex.origin.client(), refreshToken);
                        ex.session = null;
                        ex.unavailable = true;
                        return Applied.FAILED_CLOSED;
                    }
                }
                endSession(ex, "refresh refused");
                return Applied.ENDED;
            }
            case UNAVAILABLE -> {
                return Applied.UNAVAILABLE;
            }
            default -> {
                return Applied.UNSUPPORTED;
            }
        }
    }

    private Applied applyRotation(Exchange ex, String refreshToken, RefreshOutcome outcome, String reason) {
        TokenPair rotated = outcome.tokens();
        Session before = ex.session;
        boolean unavailableBefore = ex.unavailable;
        ex.session = outcome.session();
        ex.unavailable = false;
        audit.record(Event.REFRESHED, reason + " " + outcome.via().name().toLowerCase(Locale.ROOT), ex.path,
                ex.origin.client(), refreshToken);
        String meta = ex.credentials.cookies().meta().orElse(null);
        String metaToWrite = meta;
        Duration slidingMaxAge = null;
        Optional<SessionLifetime> lifetime = ex.credentials.fromBearer() ? Optional.empty() : components.lifetime();
        if (lifetime.isPresent()) {
            SessionLifetime lt = lifetime.get();
            SessionLifetime.Verdict now = lt.check(meta, ex.session.subject());
            if (now.mustSignIn() || now.kind() != SessionLifetime.Verdict.Kind.ALIVE) {
                // Over, or the record is not this subject's (checked before the rotation without
                // a subject: a genuine record of another login must not keep this one refreshing).
                refresher.refuse(rotated);
                endSession(ex, now.mustSignIn() ? "session lifetime over" : "lifetime record of another session");
                return Applied.ENDED;
            }
            String nextMeta = now.kind() == SessionLifetime.Verdict.Kind.ALIVE
                    ? lt.touch(meta, ex.session.subject()).orElse(null) : null; // only a login starts one
            slidingMaxAge = nextMeta == null ? null : lt.slidingMaxAge(nextMeta).orElse(null);
            metaToWrite = nextMeta != null ? nextMeta : meta;
        }
        // Checked last, just before the pair is handed out: a logout may have ended the chain meanwhile.
        if (!refresher.stillLive(refreshToken, rotated)) {
            endSession(ex, "signed out during refresh");
            return Applied.ENDED;
        }
        // Tokens and meta cookie in one write, so one size check covers what the browser will keep.
        if (!writeTokens(ex, rotated.accessToken(), rotated.refreshToken(), slidingMaxAge, false, metaToWrite)) {
            ex.session = before;
            ex.unavailable = unavailableBefore;
            return Applied.UNAVAILABLE;
        }
        ex.rotated = true;
        return Applied.ROTATED;
    }

    /** Writes the lifetime meta cookie alone; {@code false} (logged) if it does not fit the cookie budget. */
    private boolean writeMeta(Exchange ex, String meta) {
        try {
            cookies.writeMeta(privately(ex), ex.credentials.cookies(), ex.secure, meta);
            return true;
        } catch (CookieTooLargeException e) {
            LOG.warn("the lifetime cookie on {} does not fit the cookie budget ({}); raise cookie-max-total-bytes",
                    ex.path, e.getMessage());
            return false;
        }
    }

    /** A definitive end: clear every session cookie, forget the tokens, continue as anonymous. */
    void endSession(Exchange ex, String reason) {
        String refreshToken = ex.credentials.refreshToken();
        if (refreshToken != null) {
            refresher.forget(refreshToken);
        }
        String token = ex.credentials.token();
        if (token != null) {
            validations.evict(token);
        }
        ex.session = null;
        ex.unavailable = false;
        if (!ex.credentials.fromBearer()) {
            clearCookies(ex, reason, refreshToken != null ? refreshToken : token);
        }
    }

    private void clearCookies(Exchange ex, String reason, String token) {
        cookies.clear(privately(ex), ex.credentials.cookies(), ex.secure);
        audit.record(Event.COOKIES_CLEARED, reason, ex.path, ex.origin.client(), token);
    }

    /**
     * Writes token cookies (sealed when configured) before the application runs; {@code false}
     * if they do not fit the cookie budget.
     */
    boolean writeTokens(Exchange ex, String access, String refresh, Duration maxAge) {
        return writeTokens(ex, access, refresh, maxAge, false, null);
    }

    /**
     * As {@link #writeTokens(Exchange, String, String, Duration)}; with {@code replacing}, the new
     * tokens replace the request's whole session (a login): a refresh cookie it carried is
     * cleared when no new refresh token comes. A {@code meta} value (the lifetime cookie) is
     * written in the same go and the same size check; {@code null} leaves it alone.
     */
    boolean writeTokens(Exchange ex, String access, String refresh, Duration maxAge, boolean replacing, String meta) {
        Optional<CookieSeal> seal = components.cookieSeal();
        String a = seal.map(s -> s.seal(access)).orElse(access);
        String r = refresh == null ? null : seal.map(s -> s.seal(refresh)).orElse(refresh);
        try {
            if (replacing) {
                cookies.replace(privately(ex), ex.credentials.cookies(), ex.secure, a, r, meta);
            } else {
                cookies.write(privately(ex), ex.credentials.cookies(), ex.secure, a, r, maxAge, meta);
            }
            return true;
        } catch (CookieTooLargeException e) {
            LOG.warn("tokens on {} do not fit the cookie budget ({}); raise cookie-max-total-bytes or shrink the tokens",
                    ex.path, e.getMessage());
            return false;
        }
    }

    /** Guests: resume a valid guest cookie, or (on a public page navigation) start a guest session. */
    private void startOrResumeGuest(Exchange ex, boolean mayStart) {
        Optional<GuestTokens> guests = components.guests();
        if (guests.isEmpty()) {
            return;
        }
        GuestTokens g = guests.get();
        Optional<String> cookie = ex.credentials.cookies().guestToken();
        if (cookie.isPresent()) {
            ValidationResult r = g.mintsLocally() ? g.verify(cookie.get()) : counted(validations.validate(cookie.get()));
            if (r instanceof ValidationResult.Valid v && v.session().isGuest()) {
                ex.session = v.session();
                return;
            }
            if (r.kind() != ValidationResult.Kind.UNAVAILABLE) {
                cookies.clearGuest(privately(ex), ex.credentials.cookies(), ex.secure);
            }
        }
        if (!mayStart) {
            return;
        }
        Optional<GuestTokens.Issued> issued = g.issue();
        if (issued.isEmpty()) {
            return;
        }
        ValidationResult r = g.mintsLocally() ? g.verify(issued.get().token()) : validations.validate(issued.get().token()).result();
        try {
            cookies.writeGuest(privately(ex), ex.credentials.cookies(), ex.secure, issued.get().token(), issued.get().maxAge());
        } catch (CookieTooLargeException e) {
            LOG.warn("a guest token does not fit the cookie budget ({})", e.getMessage());
            return;
        }
        metrics.guestMint();
        if (r instanceof ValidationResult.Valid v && v.session().isGuest()) {
            ex.session = v.session();
            audit.record(Event.GUEST_STARTED, "guest", ex.path, ex.origin.client(), issued.get().token());
        }
    }

    /** The session of a token that expired within the clock skew and was not signed out here, or {@code null}. */
    private Session lapsedWithinSkew(String token, ValidationResult result) {
        Session lapsed = result instanceof ValidationResult.Expired e ? e.lapsedWithinSkew().orElse(null) : null;
        return lapsed == null || validations.isRevoked(token) ? null : lapsed;
    }

    /**
     * Refresh when the access token is missing, expired or invalid, or (with refresh-ahead) about
     * to expire. Never on a transient validation failure: the access token may be fine.
     */
    private boolean wantsRefresh(ValidationResult result, Session session) {
        if (result == null) {
            return true;
        }
        switch (result.kind()) {
            case EXPIRED:
            case INVALID:
                return true;
            case VALID:
                Duration ahead = config.refreshAhead();
                return session == null || !ahead.isZero() && session.expiresAt()
                        .map(e -> !e.minus(ahead).isAfter(config.clock().instant())).orElse(false);
            default:
                return false;
        }
    }

    ValidationResult counted(Validations.Checked checked) {
        switch (checked.source()) {
            case CACHE -> metrics.cacheHit();
            case SHARED -> metrics.dedupWait();
            case CALLED -> metrics.validation();
            case REVOKED -> metrics.revoked(); // refused from the revocation list (before or after a validator call)
        }
        return checked.result();
    }

    RefreshOutcome counted(RefreshOutcome outcome) {
        switch (outcome.via()) {
            case GRACE -> metrics.graceHit();
            case SHARED -> metrics.dedupWait();
            case TOMBSTONE -> metrics.refreshRefused();
            case CALLED -> {
                switch (outcome.kind()) {
                    case ROTATED -> metrics.refreshOk();
                    case REFUSED -> metrics.refreshRefused();
                    case UNAVAILABLE -> metrics.refreshFailed();
                    case UNSUPPORTED -> { }
                }
            }
        }
        return outcome;
    }

    /** The exchange's response, made private first: it is about to carry a session cookie. */
    HttpServletResponse privately(Exchange ex) {
        if (!ex.wroteCookies) {
            ex.wroteCookies = true;
            if (!(ex.out instanceof PrivateCacheResponse)) {
                ex.out = keepPrivate(ex.request, ex.out);
            }
        }
        return ex.out;
    }

    static HttpServletResponse keepPrivate(HttpServletRequest request, HttpServletResponse response) {
        request.setAttribute(PRIVATE_ATTRIBUTE, Boolean.TRUE);
        return new PrivateCacheResponse(response);
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
