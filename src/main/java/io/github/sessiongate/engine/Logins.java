package io.github.sessiongate.engine;

import io.github.sessiongate.AuditEvent;
import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.EndpointSettings.Endpoint;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.LoginFlow.SessionStart;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.audit.GateMetrics;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.cookie.CookieKind;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.cookie.ProviderFactsValue;
import io.github.sessiongate.cookie.CookieTooLargeException;
import io.github.sessiongate.engine.Resolution.CookieWrite;
import io.github.sessiongate.engine.Resolution.Refresh;
import io.github.sessiongate.internal.CompactJws;
import io.github.sessiongate.internal.Json;
import io.github.sessiongate.lifetime.SessionLifetime;
import io.github.sessiongate.rotation.Refresher;
import io.github.sessiongate.rotation.Revocations;
import io.github.sessiongate.rotation.Validations;
import io.github.sessiongate.web.Answers;
import io.github.sessiongate.web.RequestBodies;
import io.github.sessiongate.web.ResponseBudget;
import io.github.sessiongate.web.SafeRedirect;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's side of the {@link LoginFlow}: routes requests to the flow's routes, gives the flow
 * its {@link LoginFlow.Context} over the request (starting a session through the resolver and the
 * writer), sends a browser without a session to the flow's entry point, and serves the generic
 * logout: end the whole token chain, clear the cookies, then the flow's logout step.
 */
final class Logins {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FilterEngine.LOG_NAME);
    private final LoginFlow flow;
    private final Map<String, LoginFlow.Route> routes;
    private final EndpointSettings settings;
    private final boolean revokes;
    private final Optional<SessionLifetime> lifetime;
    private final Resolver resolver;
    private final SessionWriter writer;
    private final Validations validations;
    private final Refresher refresher;
    private final CookieCodec cookies;
    private final AuditLog audit;
    private final GateMetrics metrics;
    private final int retryAfterSeconds;
    private final TokenValidator validator;
    /** Seals the provider facts (and the login transactions, in the codec); empty when the flow keeps no transactions. */
    private final Optional<CookieSeal> flowSeal;
    /** The login transactions' Max-Age: {@code oidc.transaction-max-age}, else the kind's default. */
    private final Duration transactionMaxAge;

    /**
     * Bytes of {@code cookie-max-total-bytes} a login keeps free per pending sign-in it must leave room
     * for: a sealed OpenID login transaction with a {@code from} of about 100 characters (one with a
     * short {@code from} takes about 460).
     */
    static final int TRANSACTION_ROOM = 600;
    /** Pending sign-ins (other tabs) a login keeps room for before it keeps the ID token. */
    static final int TRANSACTIONS_KEPT = 2;

    Logins(LoginFlow flow, Components components, Resolver resolver, SessionWriter writer, Validations validations,
            Refresher refresher, CookieCodec cookies, AuditLog audit, GateMetrics metrics) {
        this.flow = flow;
        this.settings = components.endpoints();
        this.routes = routeTable(flow, settings);
        this.revokes = flow.revoker().isPresent();
        this.lifetime = components.lifetime();
        this.resolver = resolver;
        this.writer = writer;
        this.validations = validations;
        this.refresher = refresher;
        this.cookies = cookies;
        this.audit = audit;
        this.metrics = metrics;
        this.retryAfterSeconds = components.config().retryAfterSeconds();
        this.validator = components.config().validator();
        this.flowSeal = components.flowSeal();
        this.transactionMaxAge = components.config().oidc().map(OidcSettings::transactionMaxAge)
                .orElse(CookieKind.LOGIN_TRANSACTION_MAX_AGE);
    }

    /** The flow's routes by path; each a plain path, none on a path of the filter's own endpoints. */
    private static Map<String, LoginFlow.Route> routeTable(LoginFlow flow, EndpointSettings settings) {
        Map<String, LoginFlow.Route> table = new LinkedHashMap<>();
        for (LoginFlow.Route route : flow.routes()) {
            String path = route.path();
            if (!SettingsChecks.isPlainPath(path) || path.contains("?") || path.contains("*") || path.contains(";")
                    || path.length() > 1 && path.endsWith("/")) {
                throw new ConfigException("loginFlow", "route '" + path + "' must be a plain path inside the application");
            }
            Optional<Endpoint> own = settings.match(path).filter(e -> e != Endpoint.LOGIN);
            if (own.isPresent() || table.put(path, route) != null) {
                throw new ConfigException("loginFlow", "route '" + path + "' is already served"
                        + own.map(e -> " by " + e.parameter()).orElse(""));
            }
        }
        return Map.copyOf(table);
    }

    /** The paths of the flow's routes. */
    java.util.Set<String> paths() {
        return routes.keySet();
    }

    /** The flow's route at this normalised path, if any (a trailing slash is tolerated). */
    Optional<LoginFlow.Route> match(String path) {
        LoginFlow.Route route = routes.get(path);
        if (route == null && path.length() > 1 && path.endsWith("/")) {
            route = routes.get(path.substring(0, path.length() - 1));
        }
        return Optional.ofNullable(route);
    }

    /** Serves one of the flow's routes, instead of session resolution. */
    void handle(LoginFlow.Route route, Exchange ex) throws IOException {
        flow.handle(route, new FlowContext(ex));
    }

    /** The flow's entry point, for a page navigation without a session. */
    void enter(Exchange ex) throws IOException {
        flow.enter(new FlowContext(ex));
    }

    /** What the session endpoint shows about the flow, for a user's session; empty adds nothing. */
    Map<String, Object> sessionDetails(Session session) {
        return flow.sessionDetails(session);
    }

    /**
     * Logout: ends the whole chain first (tombstones, revocations; the flow revokes at its issuer,
     * best effort), clears every session cookie, then answers: {@code 204} for JSON, else a
     * {@code 303} to the flow's logout location or {@code logout-redirect-path}.
     */
    void logout(Exchange ex) throws IOException {
        if (!"POST".equals(ex.request.getMethod())) {
            Answers.methodNotAllowed(ex.out, "POST");
            return;
        }
        String refreshToken = ex.credentials.refreshToken();
        String token = ex.credentials.token();
        // End the whole chain before anything else: tombstones for every refresh token presented
        // (each duplicate too), the one the access token was issued with, and every ancestor and
        // descendant; revocations here of the access token and every access token minted from the
        // chain; then (best effort) the issuer revokes them. A session seen valid here writes
        // security state; junk only the evictable negative cache.
        ValidationResult check = token == null ? null : resolver.check(token);
        Session live = check instanceof ValidationResult.Valid v ? v.session()
                : check instanceof ValidationResult.Expired e ? e.lapsedWithinSkew().orElse(null) : null;
        // Only a token whose signature verified and that still serves (valid, or lapsed within the
        // skew) counts: a validator outage must not let junk write security state, and a token lapsed
        // past the skew is refused everywhere anyway, its links lapsed too; it would only let an old
        // token of one's own buy backend revokes of junk.
        boolean verified = live != null;
        // Read before the cookies are cleared; only facts bound to this session's subject serve (never a
        // planted facts cookie of another user). The subject is the live session's, else that of an access
        // token the validator found expired (its signature checked; the usual case after a few idle
        // minutes); without either, whose facts they are cannot be told and the provider gets no hint.
        String subject = live != null ? live.subject()
                : check instanceof ValidationResult.Expired ? lapsedSubject(token).orElse(null) : null;
        Optional<LoginFlow.ProviderFacts> ended = subject == null ? Optional.empty() : providerFacts(ex, subject);
        // No sid marker here: a provider session may outlive this logout (its end-session page asks
        // first, or is down), and a new sign-in riding it would carry the same sid and be refused on
        // every request until the marker lapsed. The chain's tombstones and revocations below reach
        // every node; only the provider's back-channel logout marks a sid.
        if (!refresher.end(ex.credentials.presentedRefreshTokens(), verified ? token : null,
                live == null ? null : live.expiresAt().orElse(null), revokes)) {
            // A security store is full: fail closed transiently; the cookies stay, a retry ends it all.
            audit.record(Event.UNAVAILABLE, "security store full", ex.path, ex.client(), refreshToken);
            metrics.unavailable();
            Answers.unavailable(ex.out, retryAfterSeconds);
            return;
        }
        String fingerprintOf = refreshToken != null ? refreshToken : token;
        writer.apply(ex, resolver.end(ex.credentials, "logout", Refresh.NONE, true));
        audit.record(Event.LOGOUT, "logout", ex.path, ex.client(), fingerprintOf);
        metrics.flowEvent(Event.LOGOUT);
        if (wantsJson(ex.request)) {
            // A script reads this body: the flow gets the facts without the ID token, so the URL carries
            // client_id and logout_hint, never id_token_hint. No location: 204 as ever.
            Optional<LoginFlow.ProviderFacts> hint = ended.map(f -> new LoginFlow.ProviderFacts(f.issuer(), f.subject(),
                    f.sessionId(), Optional.empty()));
            Optional<String> location = flow.logoutLocation(new FlowContext(ex), hint)
                    .flatMap(l -> checkedLocation(l, ResponseBudget.locationRoom(ex.credentials.cookies().setCookieBytes())));
            if (location.isPresent()) {
                Answers.json(ex.privately(), 200, Map.of("location", location.get()));
            } else {
                Answers.noContent(ex.privately());
            }
        } else {
            String fallback = ex.request.getContextPath() + settings.logoutRedirectPath();
            String location = flow.logoutLocation(new FlowContext(ex), ended)
                    .map(l -> checkedLocation(l, ResponseBudget.locationRoom(ex.credentials.cookies().setCookieBytes()))
                            .orElseGet(() -> {
                                LOG.warn("the login flow's logout location was refused (not a path of this application or an "
                                        + "absolute https URL, or too long); sending the browser to {}", fallback);
                                return fallback;
                            }))
                    .orElse(fallback);
            Answers.seeOther(ex.privately(), location);
        }
    }

    /** The {@code sub} of a JWT the validator called expired; empty for an opaque token or none. */
    private static Optional<String> lapsedSubject(String token) {
        if (token == null || !CompactJws.isCanonical(token)) {
            return Optional.empty();
        }
        int from = token.indexOf('.') + 1;
        try {
            String payload = new String(Base64.getUrlDecoder().decode(token.substring(from, token.indexOf('.', from))),
                    StandardCharsets.UTF_8);
            return Json.object(payload).flatMap(claims -> Json.string(claims, "sub"));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The provider facts the request's facts cookie carried, if it opens under the flow seal and is
     * bound to a session of {@code sessionSubject}; else empty, never an error.
     */
    private Optional<LoginFlow.ProviderFacts> providerFacts(Exchange ex, String sessionSubject) {
        if (flowSeal.isEmpty() || !cookies.configured(CookieKind.PROVIDER_FACTS)) {
            return Optional.empty();
        }
        return ex.credentials.cookies().value(CookieKind.PROVIDER_FACTS)
                .flatMap(v -> ProviderFactsValue.openFor(v, flowSeal.get(), sessionSubject));
    }

    /**
     * Writes a login's cookies, with the provider facts when the flow gave some: with the ID token
     * when the cookies leave room for {@value #TRANSACTIONS_KEPT} pending sign-ins (those the request
     * carried count), else {@code iss}, {@code sub} and {@code sid} only, else none; bound to the
     * session's subject, so a logout uses them only next to a session of that subject.
     *
     * @return false when even the tokens alone do not fit
     */
    private boolean writeLogin(Exchange ex, TokenPair tokens, String meta, Optional<LoginFlow.ProviderFacts> facts,
            String sessionSubject) {
        if (flowSeal.isEmpty() || !cookies.configured(CookieKind.PROVIDER_FACTS)) {
            return writer.write(ex, new CookieWrite.Tokens(tokens.accessToken(), tokens.refreshToken(), null, meta, true));
        }
        List<String> choices = new ArrayList<>();
        if (facts.isPresent()) {
            LoginFlow.ProviderFacts f = facts.get();
            if (f.idToken().isPresent()) {
                choices.add(ProviderFactsValue.seal(f, sessionSubject, flowSeal.get()));
            }
            choices.add(ProviderFactsValue.seal(new LoginFlow.ProviderFacts(f.issuer(), f.subject(), f.sessionId(),
                    Optional.empty()), sessionSubject, flowSeal.get()));
        }
        // Pending sign-ins the browser keeps take their room already (the codec counts them; one this
        // login completed and cleared does not); room is kept for the others up to TRANSACTIONS_KEPT.
        int pending = cookies.keptMembers(ex.credentials.cookies(), CookieKind.LOGIN_TRANSACTION);
        int headroom = Math.max(0, TRANSACTIONS_KEPT - pending) * TRANSACTION_ROOM;
        for (int i = 0; i < choices.size(); i++) {
            if (writer.writeLogin(ex, tokens, meta, choices.get(i), i == 0 && facts.get().idToken().isPresent() ? headroom : 0,
                    false)) {
                if (i > 0 && facts.get().idToken().isPresent()) {
                    LOG.debug("the ID token does not fit the cookie budget next to the tokens; the provider logout "
                            + "uses client_id and logout_hint");
                }
                return true;
            }
        }
        return writer.writeLogin(ex, tokens, meta, null, 0, true);
    }

    /** The headers a flow may set itself; cookies, caching and Location stay the filter's. */
    private static final java.util.Set<String> FLOW_HEADERS = java.util.Set.of("retry-after", "www-authenticate", "allow");
    private static final int MAX_FLOW_HEADER = 512;

    /**
     * A location a flow may send the browser to: a path on this origin (not {@code //host}),
     * or an absolute https URL (http only to a loopback host) without user info, and no control
     * character anywhere; empty otherwise, or when longer than {@code room}.
     */
    static Optional<String> checkedLocation(String location, int room) {
        if (location == null || location.isEmpty() || location.length() > room
                || location.chars().anyMatch(c -> c < 0x21 || c >= 0x7f)) {
            return Optional.empty();
        }
        if (location.startsWith("/")) {
            // A path of this origin; "//host" and "/\\host" would be another host's.
            return location.startsWith("//") || location.startsWith("/\\") ? Optional.empty() : Optional.of(location);
        }
        try {
            java.net.URI uri = new java.net.URI(location);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean secure = scheme.equals("https")
                    || scheme.equals("http") && uri.getHost() != null && io.github.sessiongate.internal.Hosts.isLoopback(uri.getHost());
            return secure && uri.getHost() != null && uri.getRawUserInfo() == null ? Optional.of(location) : Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static boolean wantsJson(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        boolean html = accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
        return !html && (RequestBodies.isJson(request) || request.getHeader("X-Requested-With") != null
                || accept != null && accept.toLowerCase(Locale.ROOT).contains("application/json"));
    }

    /** The flow's view of one exchange. Confined to the request's thread. */
    private final class FlowContext implements LoginFlow.Context {
        private final Exchange ex;

        FlowContext(Exchange ex) {
            this.ex = ex;
        }

        @Override
        public HttpServletRequest request() {
            return ex.request;
        }

        @Override
        public String path() {
            return ex.path;
        }

        @Override
        public String clientAddress() {
            return ex.client();
        }

        @Override
        public Optional<String> safeTarget(String raw) {
            return raw == null ? Optional.empty() : SafeRedirect.target(raw);
        }

        @Override
        public int locationRoom() {
            return ResponseBudget.locationRoom(ex.credentials.cookies().setCookieBytes());
        }

        /** Why a sign-in's fresh token was refused, for the flow's WARN line: the reason, and the validator's detail. */
        private Optional<String> refusal(ValidationResult check, String token) {
            if (check instanceof ValidationResult.Invalid invalid) {
                String reason = invalid.reason().name().toLowerCase(java.util.Locale.ROOT);
                return Optional.of(ApiAccess.hooks().describeRefusal(validator, token, invalid.reason())
                        .map(d -> reason + ": " + d).orElse(reason));
            }
            if (check instanceof ValidationResult.Expired) {
                return Optional.of("expired on arrival (check the clocks of this server and the provider)");
            }
            return Optional.of("a guest's token");
        }

        /**
         * Starts the session of a sign-in's tokens. A backend that mints tokens without a {@code jti}
         * hands a sign-in the very string a logout here revoked within the same second: that
         * revocation is lifted for the new session ({@link Revocations#liftReissued}), so the sign-in
         * starts it instead of answering 503, and restored if no session starts after all.
         */
        @Override
        public SessionStart startSession(TokenPair tokens, Optional<LoginFlow.ProviderFacts> facts) {
            Revocations revocations = validations.revocations();
            boolean lifted = revocations.liftReissued(tokens.accessToken());
            SessionStart start = null;
            try {
                start = start(tokens, facts);
                return start;
            } finally {
                if (lifted && (start == null || start.outcome() != SessionStart.Outcome.STARTED)
                        && !revocations.revoke(tokens.accessToken(), null)) {
                    metrics.securityStoreFull(); // nothing handed out all the same; say that the revocation is not kept
                }
            }
        }

        private SessionStart start(TokenPair tokens, Optional<LoginFlow.ProviderFacts> facts) {
            ValidationResult check = resolver.check(tokens.accessToken());
            if (check instanceof ValidationResult.Unavailable) {
                return new SessionStart(SessionStart.Outcome.VALIDATOR_UNAVAILABLE, Optional.empty());
            }
            if (!(check instanceof ValidationResult.Valid valid) || valid.session().isGuest()) {
                return new SessionStart(SessionStart.Outcome.TOKEN_NOT_VALID, Optional.empty(), refusal(check, tokens.accessToken()));
            }
            // Link the login's refresh token to its access token (and back), so a logout of any later
            // token of this chain, or one that can read only the access cookie, ends this access token too.
            if (!refresher.rememberLogin(new TokenPair(tokens.accessToken(), tokens.refreshToken(),
                    valid.session().expiresAt().orElse(tokens.accessExpiresAt())))) {
                return new SessionStart(SessionStart.Outcome.STATE_FULL, Optional.empty()); // nothing handed out
            }
            // A login replaces the whole session: nothing of a previous one (another user's refresh
            // cookie, say) may survive to be refreshed into later.
            String oldRefresh = ex.credentials.refreshToken();
            if (oldRefresh != null) {
                refresher.forget(oldRefresh);
            }
            if (ex.credentials.fromCookie()) {
                validations.evict(ex.credentials.token());
            }
            // The lifetime cookie of the new session goes with the tokens, in one size check.
            String meta = lifetime.map(lt -> lt.start(valid.session().subject())).orElse(null);
            if (!writeLogin(ex, tokens, meta, facts, valid.session().subject())) {
                return new SessionStart(SessionStart.Outcome.TOO_LARGE, Optional.empty());
            }
            ex.privately();
            return new SessionStart(SessionStart.Outcome.STARTED, Optional.of(valid.session()));
        }

        @Override
        public List<LoginFlow.Transaction> loginTransactions() {
            if (!cookies.configured(CookieKind.LOGIN_TRANSACTION)) {
                return List.of();
            }
            List<LoginFlow.Transaction> pending = new ArrayList<>();
            for (var member : ex.credentials.cookies().members(CookieKind.LOGIN_TRANSACTION)) {
                cookies.open(CookieKind.LOGIN_TRANSACTION, member.value())
                        .ifPresent(v -> pending.add(new LoginFlow.Transaction(member.slot(), v)));
            }
            return pending;
        }

        @Override
        public int saveLoginTransaction(String value) {
            requireTransactions();
            try {
                return cookies.writeMember(ex.privately(), ex.credentials.cookies(), ex.secure, CookieKind.LOGIN_TRANSACTION,
                        value, transactionMaxAge);
            } catch (CookieTooLargeException tooLarge) {
                // Other tabs' pending sign-ins take the room: give them up for this one, then try once more.
                for (var member : ex.credentials.cookies().members(CookieKind.LOGIN_TRANSACTION)) {
                    cookies.clearMember(ex.out, ex.credentials.cookies(), ex.secure, CookieKind.LOGIN_TRANSACTION, member.slot());
                }
                try {
                    return cookies.writeMember(ex.out, ex.credentials.cookies(), ex.secure, CookieKind.LOGIN_TRANSACTION,
                            value, transactionMaxAge);
                } catch (CookieTooLargeException stillTooLarge) {
                    return -1;
                }
            }
        }

        @Override
        public void clearLoginTransaction(int slot) {
            requireTransactions();
            cookies.clearMember(ex.privately(), ex.credentials.cookies(), ex.secure, CookieKind.LOGIN_TRANSACTION, slot);
        }

        private void requireTransactions() {
            if (!cookies.configured(CookieKind.LOGIN_TRANSACTION)) {
                throw new IllegalStateException("the login flow does not use login transactions");
            }
        }

        @Override
        public void audit(AuditEvent.Event event, String detail, String token) {
            metrics.flowEvent(event); // the flow reports its logins here: counted for any flow, built in or not
            audit.record(event, detail, ex.path, ex.client(), token);
        }

        @Override
        public void countUnavailable() {
            metrics.unavailable();
        }

        @Override
        public void header(String name, String value) {
            if (name == null || !FLOW_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("a login flow may set only " + FLOW_HEADERS + ", not " + name);
            }
            if (value == null || value.length() > MAX_FLOW_HEADER || value.chars().anyMatch(c -> c < 0x20 || c >= 0x7f)) {
                throw new IllegalArgumentException("header " + name + " needs 1 to " + MAX_FLOW_HEADER
                        + " printable ASCII characters");
            }
            ex.out.setHeader(name, value);
        }

        @Override
        public void json(int status, Map<String, ?> body) throws IOException {
            Answers.json(ex.out, status, body);
        }

        @Override
        public void redirect(int status, String location) {
            checkedLocation(location, locationRoom()).orElseThrow(() -> new IllegalArgumentException(
                    "a login flow redirects to a path of this application or an absolute https URL (http only to "
                            + "loopback) without control characters, within the response's room"));
            if (status == 303) {
                Answers.seeOther(ex.out, location);
            } else if (status == 302) {
                Answers.redirect(ex.out, location);
            } else {
                throw new IllegalArgumentException("a login flow redirects with 302 or 303, not " + status);
            }
        }

        @Override
        public void noContent() {
            Answers.noContent(ex.out);
        }

        @Override
        public void unavailable() throws IOException {
            Answers.unavailable(ex.out, retryAfterSeconds);
        }

        @Override
        public void methodNotAllowed(String allow) throws IOException {
            Answers.methodNotAllowed(ex.out, allow);
        }
    }
}
