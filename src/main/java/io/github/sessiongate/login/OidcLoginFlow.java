package io.github.sessiongate.login;

import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenRefresher;
import io.github.sessiongate.audit.Fingerprint;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.internal.Json;
import io.github.sessiongate.internal.TokenFields;
import io.github.sessiongate.web.LoginRedirect;
import io.github.sessiongate.web.RequestOrigin;
import io.github.sessiongate.web.SafeRedirect;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID Connect sign-in, the authorization code flow with PKCE (OIDC Core 3.1, RFC 7636), on the
 * {@link LoginFlow} seam. A page without a session, or a {@code GET} of the login endpoint, is sent
 * to the provider's authorization endpoint with a fresh state, nonce and S256 code challenge kept
 * in a sealed login-transaction cookie; the callback checks state (constant time) and {@code iss},
 * exchanges the code with the verifier and the client authentication ({@link OidcTokenEndpoint}), validates the ID token
 * (signature through the discovered JWKS, {@code iss}, {@code aud}, {@code azp}, {@code exp},
 * {@code iat}, {@code nonce}, {@code at_hash}, and {@code acr} and {@code auth_time} when configured)
 * and starts the session from the access and refresh
 * tokens, which the filter's validator validates as any other.
 *
 * <p>The provider's endpoints come from discovery ({@code <issuer>/.well-known/openid-configuration},
 * whose {@code issuer} must equal the configured one exactly) unless set by hand (which wins; with the
 * authorization, token and JWKS endpoints all set, discovery is never fetched), read when first needed and cached:
 * a provider that is down never fails start-up; the requests that need it get {@code 503} until it
 * answers, retried at most every {@link #RETRY_DISCOVERY} (see {@link OidcDiscovery}); the ID token checks are
 * {@link IdTokenCheck}'s. Refusals are {@code 400} JSON
 * ({@code {"error": ...}}) without a session cookie, except a provider error in a browser's
 * top-level navigation, which answers {@code 303} to {@code login-path} with
 * {@code error=provider_error&provider_error=<code>} (unless {@code login-path} is the login route or
 * the callback, where landing would start a new sign-in by itself); only an unreachable provider or a 5xx gives
 * {@code 503}. A code exchange whose {@code token_type} is absent or not {@code Bearer} (case-insensitive)
 * is refused ({@code token_type_unsupported}); such a refresh keeps the session ("unavailable", see
 * {@link OidcTokenEndpoint}). The authorization request carries each parameter
 * once, never {@code response_mode}, plus the configured {@code prompt}, {@code acr_values},
 * {@code max_age} and, when allowed, the login route's {@code login_hint}. No code, token, verifier
 * or state is ever logged. Thread-safe.
 *
 * <p>The session start hands the filter the ID token's {@code iss}, {@code sub} and {@code sid} and
 * the ID token itself ({@link ProviderFacts}; not an ID token over {@value #MAX_KEPT_ID_TOKEN} characters);
 * the filter keeps them sealed with the session, and
 * {@link #logoutLocation} turns them into the RP-initiated logout's {@code id_token_hint} or
 * {@code logout_hint}.
 */
public final class OidcLoginFlow implements LoginFlow {
    private static final Logger LOG = LoggerFactory.getLogger(OidcLoginFlow.class);
    /** How long after a failed discovery or JWKS download the next request tries again. */
    public static final Duration RETRY_DISCOVERY = OidcDiscovery.RETRY;
    /** Longest {@code from} kept in a login transaction; a longer one sends the user home after sign-in. */
    static final int MAX_FROM = 512;
    /**
     * Longest ID token, in characters, handed to the filter with the session's facts; a longer one is
     * left out (no {@code id_token_hint} at logout, {@code logout_hint} instead): the cookie budget
     * could not hold it anyway, and the facts' encoding has a 64 kB limit per field.
     */
    static final int MAX_KEPT_ID_TOKEN = 16 * 1024;

    private final OidcSettings settings;
    private final EndpointSettings endpoints;
    private final RequestOrigin.Resolver origins;
    private final BackendHttp http;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final List<Route> routes;
    private final String issuer;
    private final OidcDiscovery discovery;
    private final IdTokenCheck idTokens;
    private final OidcTokenEndpoint tokenEndpoint;
    /** The login page ({@code login-path}): a browser lands there after a provider error. */
    private final String loginPath;
    /**
     * Whether {@code login-path} is one of this flow's routes (say {@code /auth/login}): landing there
     * would start a new sign-in at once (with {@code prompt=none}, a redirect loop), so a provider
     * error then answers the {@code 400} JSON instead.
     */
    private final boolean loginPathIsARoute;

    /**
     * @param settings the OpenID Connect settings
     * @param endpoints the filter's endpoints: the login route (a {@code GET} starts a sign-in), the success and logout paths
     * @param origins resolves the origin of {@code redirect_uri} ({@code public-origin}, else the request through trusted proxies)
     * @param http the filter's transport with the backend timeouts; not closed here
     * @param loginPath the login page ({@code login-path}), where a browser lands after a provider error
     */
    public OidcLoginFlow(OidcSettings settings, EndpointSettings endpoints, RequestOrigin.Resolver origins, BackendHttp http,
            Clock clock, String loginPath) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.origins = Objects.requireNonNull(origins, "origins");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.loginPath = Objects.requireNonNull(loginPath, "loginPath");
        this.issuer = settings.issuer().toString();
        this.discovery = new OidcDiscovery(settings, http, clock);
        this.tokenEndpoint = new OidcTokenEndpoint(settings, http, clock);
        this.idTokens = new IdTokenCheck(settings, discovery, clock);
        List<Route> r = new ArrayList<>();
        r.add(new Route(settings.callbackPath(), Csrf.OWN_DEFENCE));
        endpoints.path(EndpointSettings.Endpoint.LOGIN).filter(p -> !p.equals(settings.callbackPath()))
                .ifPresent(p -> r.add(new Route(p, Csrf.OWN_DEFENCE)));
        this.routes = List.copyOf(r);
        String page = loginPath.length() > 1 && loginPath.endsWith("/") ? loginPath.substring(0, loginPath.length() - 1) : loginPath;
        this.loginPathIsARoute = routes.stream().anyMatch(route -> route.path().equals(page));
        if (loginPathIsARoute) {
            LOG.warn("login-path {} is a route of the OpenID sign-in: a provider error answers 400 JSON instead of landing "
                    + "there, which would start a new sign-in at once; set login-path to a page that offers to sign in again",
                    loginPath);
        }
    }

    @Override
    public List<Route> routes() {
        return routes;
    }

    @Override
    public boolean usesLoginTransactions() {
        return true;
    }

    @Override
    public String describe() {
        return "oidc{" + issuer + ", client_id=" + settings.clientId() + ", client-auth=" + settings.clientAuth().value()
                + ", callback=" + settings.callbackPath() + "}";
    }

    /**
     * {@code flow}, {@code provider} (the issuer) and, once discovered, the provider's bare
     * {@code end_session_endpoint}: never with {@code id_token_hint}, never a token.
     */
    @Override
    public Map<String, Object> sessionDetails(Session session) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("flow", "oidc");
        details.put("provider", issuer);
        OidcDiscovery.Provider p = discovery.known();
        if (p != null) {
            p.endSession().ifPresent(e -> details.put("end_session_endpoint", e.toString()));
        }
        return details;
    }

    /** A {@code 302} to the provider's authorization endpoint, the transaction saved; {@code 503} while discovery fails. */
    @Override
    public void enter(Context context) throws IOException {
        String query = context.request().getQueryString();
        String target = context.request().getContextPath() + context.path() + (query == null ? "" : "?" + query);
        start(context, context.safeTarget(target), Optional.empty());
    }

    @Override
    public void handle(Route route, Context context) throws IOException {
        if (!"GET".equals(context.request().getMethod())) {
            context.methodNotAllowed("GET");
            return;
        }
        if (route.path().equals(settings.callbackPath())) {
            callback(context);
        } else {
            Optional<String> hint = Optional.empty();
            if (settings.loginHintFromRequest() && context.request().getParameterValues("login_hint") != null) {
                hint = single(context, "login_hint").filter(OidcText::isLoginHint);
                if (hint.isEmpty()) {
                    LOG.debug("OpenID sign-in not started: login_hint given twice, too long or with control characters");
                    context.json(HttpServletResponse.SC_BAD_REQUEST, Map.of("error", "login_hint_invalid"));
                    return;
                }
            }
            start(context, single(context, "from").flatMap(context::safeTarget), hint);
        }
    }

    // ------------------------------------------------------------------ the authorization request

    /** @param loginHint the login route's {@code login_hint}, checked, when {@code oidc.login-hint-from-request} allows it */
    private void start(Context context, Optional<String> from, Optional<String> loginHint) throws IOException {
        Optional<OidcDiscovery.Provider> p = discovery.provider();
        if (p.isEmpty()) {
            unavailable(context, "discovery unavailable");
            return;
        }
        String state = randomToken(32);
        String nonce = randomToken(32);
        String verifier = randomToken(48); // 64 characters, RFC 7636 4.1
        String redirectUri = origins.resolve(context.request()).origin() + context.request().getContextPath()
                + settings.callbackPath();
        // A long from would crowd out the other tabs' sign-ins: past MAX_FROM it is dropped (home instead).
        String kept = from.filter(f -> f.length() <= MAX_FROM).orElse("");
        OidcTransaction tx = new OidcTransaction(state, nonce, verifier, clock.instant(), redirectUri, kept, settings.maxAge());
        int slot = context.saveLoginTransaction(tx.encode(true));
        if (slot < 0) {
            slot = context.saveLoginTransaction(tx.encode(false));
        }
        if (slot < 0) {
            context.audit(Event.LOGIN_FAILED, "oidc: login transaction does not fit the cookie budget", null);
            context.json(HttpServletResponse.SC_BAD_REQUEST, Map.of("error", "login_too_large"));
            return;
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", settings.clientId());
        q.put("redirect_uri", redirectUri);
        q.put("scope", settings.scope());
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", OidcText.b64(sha256(verifier)));
        q.put("code_challenge_method", "S256");
        // The configured extras (OIDC Core 3.1.2.1), each once; max_age is kept in the transaction for the auth_time check.
        settings.prompt().ifPresent(v -> q.put("prompt", v));
        if (!settings.acrValues().isEmpty()) {
            q.put("acr_values", String.join(" ", settings.acrValues()));
        }
        settings.maxAge().ifPresent(d -> q.put("max_age", Long.toString(d.toSeconds())));
        loginHint.ifPresent(h -> q.put("login_hint", h));
        // Audience (Auth0) and resource indicators (RFC 8707; resource may repeat).
        settings.audience().ifPresent(a -> q.put("audience", a));
        StringBuilder location = new StringBuilder(OidcText.withQuery(p.get().authorization(), q));
        for (URI r : settings.resources()) {
            location.append("&resource=").append(URLEncoder.encode(r.toString(), StandardCharsets.UTF_8));
        }
        if (location.length() > context.locationRoom()) {
            // Never a 500 for a long hint or redirect_uri: the request is refused and its transaction given up.
            context.clearLoginTransaction(slot);
            context.audit(Event.LOGIN_FAILED, "oidc: authorization request does not fit the response", null);
            context.json(HttpServletResponse.SC_BAD_REQUEST, Map.of("error", "login_too_large"));
            return;
        }
        context.redirect(HttpServletResponse.SC_FOUND, location.toString());
    }

    // ------------------------------------------------------------------ the callback

    private void callback(Context context) throws IOException {
        Optional<String> state = single(context, "state");
        Optional<Transaction> found = state.flatMap(s -> find(context, s));
        if (found.isEmpty()) {
            refuse(context, null, state.isEmpty() ? "missing_state" : context.loginTransactions().isEmpty()
                    ? "login_transaction_missing" : "state_mismatch", null);
            return;
        }
        Transaction tx = found.get();
        OidcTransaction pending = OidcTransaction.parse(tx.value()).orElse(null);
        if (pending == null) {
            refuse(context, tx, "login_transaction_invalid", null);
            return;
        }
        Instant now = clock.instant();
        if (now.isAfter(pending.issuedAt().plus(settings.transactionMaxAge())) || pending.issuedAt().isAfter(now.plus(IdTokenCheck.SKEW))) {
            refuse(context, tx, "login_transaction_expired", null);
            return;
        }
        // RFC 9207 2.4: the issuer first, error responses included (a mix-up attacker's error is not ours).
        Optional<OidcDiscovery.Provider> p = discovery.provider();
        if (p.isEmpty()) {
            unavailable(context, "discovery unavailable");
            return;
        }
        String[] iss = context.request().getParameterValues("iss");
        if (iss != null ? iss.length != 1 || !iss[0].equals(issuer) : p.get().issParameterSupported()) {
            refuse(context, tx, "issuer_mismatch", null);
            return;
        }
        Optional<String> error = single(context, "error");
        if (context.request().getParameterValues("error") != null) {
            String code = error.filter(e -> OidcText.ERROR_CODE.matcher(e).matches()).orElse("invalid");
            if ("navigate".equals(context.request().getHeader("Sec-Fetch-Mode")) && !loginPathIsARoute) {
                providerErrorPage(context, tx, code);
            } else {
                refuse(context, tx, "provider_error", code);
            }
            return;
        }
        Optional<String> code = single(context, "code");
        if (code.isEmpty()) {
            refuse(context, tx, "missing_code", null);
            return;
        }
        exchange(context, tx, pending, p.get(), code.get());
    }

    private void exchange(Context context, Transaction tx, OidcTransaction pending, OidcDiscovery.Provider p, String code) throws IOException {
        OidcTokenEndpoint.Answer answer = tokenEndpoint.exchange(p, code, pending.redirectUri(), pending.verifier());
        if (answer instanceof OidcTokenEndpoint.Unavailable u) {
            unavailable(context, u.why());
            return;
        }
        if (answer instanceof OidcTokenEndpoint.Refused r) {
            refuse(context, tx, r.reason(), null);
            return;
        }
        Map<String, Object> json = ((OidcTokenEndpoint.Tokens) answer).json();
        Optional<TokenPair> tokens = TokenFields.of("access_token", "refresh_token", "expires_in", clock).read(json);
        Optional<String> idToken = Json.string(json, "id_token");
        if (tokens.isEmpty() || idToken.isEmpty()) {
            LOG.warn("OpenID token endpoint {} answered 200 without {}", BackendHttp.withoutQuery(p.token()),
                    idToken.isEmpty() ? "an id_token" : "a usable access_token");
            refuse(context, tx, "token_response_invalid", null);
            return;
        }
        IdTokenCheck.IdToken checked;
        try {
            checked = idTokens.validate(p, idToken.get(), pending, tokens.get().accessToken());
        } catch (OidcDiscovery.Unavailable e) {
            context.clearLoginTransaction(tx.slot()); // the code is spent: a retry starts a new sign-in
            unavailable(context, "jwks unavailable");
            return;
        } catch (IdTokenCheck.Refused e) {
            LOG.warn("OpenID ID token refused: {}", e.getMessage());
            refuse(context, tx, "id_token_invalid", null);
            return;
        }
        started(context, tx, pending, tokens.get(), checked, idToken.get());
    }

    private void started(Context context, Transaction tx, OidcTransaction pending, TokenPair tokens, IdTokenCheck.IdToken id, String idToken)
            throws IOException {
        // The code is spent whatever comes next: clear the transaction first, so that the session's
        // cookies are budgeted without it (the codec counts what this response already cleared as gone).
        context.clearLoginTransaction(tx.slot());
        // An ID token past MAX_KEPT_ID_TOKEN is not kept (the cookie budget would drop it anyway): logout then
        // sends logout_hint instead of id_token_hint.
        Optional<String> kept = idToken.length() <= MAX_KEPT_ID_TOKEN ? Optional.of(idToken) : Optional.empty();
        if (kept.isEmpty()) {
            LOG.debug("OpenID ID token of {} characters not kept with the session (over {})", idToken.length(), MAX_KEPT_ID_TOKEN);
        }
        SessionStart start = context.startSession(tokens, Optional.of(new ProviderFacts(id.issuer(), id.subject(), id.sid(), kept)));
        switch (start.outcome()) {
            case STARTED -> {
                context.audit(Event.LOGIN_SUCCEEDED, "oidc", tokens.accessToken());
                String home = context.request().getContextPath() + endpoints.loginSuccessPath();
                Optional<String> from = pending.from().isEmpty() ? Optional.empty() : context.safeTarget(pending.from());
                context.redirect(HttpServletResponse.SC_SEE_OTHER, from.flatMap(f -> LoginRedirect.within(f,
                        Math.min(SafeRedirect.MAX_LENGTH, context.locationRoom()))).orElse(home));
            }
            case TOKEN_NOT_VALID -> {
                // The provider and the filter disagree (audience, issuer): a refused sign-in, not an outage.
                // Which check failed, expected versus actual: a wrong audience must not look like an outage.
                LOG.warn("OpenID sign-in refused: the access token from {} did not pass the filter's validator: {}; token {}", issuer,
                        start.refusal().orElse("refused (check jwt.issuer, jwt.audience and jwt.accept-access-token-nonce)"),
                        Fingerprint.of(tokens.accessToken()));
                if (tokens.refreshToken() != null) {
                    revoker().ifPresent(r -> r.revoke(tokens.refreshToken())); // issued for nothing
                }
                refuse(context, null, "access_token_invalid", null);
            }
            case VALIDATOR_UNAVAILABLE -> {
                unavailable(context, "validator unavailable");
            }
            case STATE_FULL -> {
                unavailable(context, "security store full");
            }
            case TOO_LARGE -> {
                if (tokens.refreshToken() != null) {
                    revoker().ifPresent(r -> r.revoke(tokens.refreshToken())); // issued for nothing
                }
                context.audit(Event.LOGIN_FAILED, "tokens too large for cookies", tokens.accessToken());
                context.json(HttpServletResponse.SC_BAD_GATEWAY, Map.of("error", "tokens_too_large"));
            }
        }
    }

    /** A refused callback: its transaction cleared (when known), audited, {@code 400} JSON; no session cookie. */
    private static void refuse(Context context, Transaction tx, String reason, String providerError) throws IOException {
        if (tx != null) {
            context.clearLoginTransaction(tx.slot());
        }
        context.audit(Event.LOGIN_FAILED, "oidc callback: " + reason + (providerError == null ? "" : " " + providerError), null);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", reason);
        if (providerError != null) {
            body.put("provider_error", providerError);
        }
        context.json(HttpServletResponse.SC_BAD_REQUEST, body);
    }

    /**
     * A provider error in a browser's top-level navigation: refused as {@link #refuse} does, but
     * answered {@code 303} to the login page with {@code error=provider_error} and the provider's
     * code (a plain token, checked above), so the application can say what happened and offer to
     * sign in again; the login page never goes back to the provider by itself. Not used when
     * {@code login-path} is one of this flow's routes ({@link #loginPathIsARoute}).
     */
    private void providerErrorPage(Context context, Transaction tx, String code) throws IOException {
        context.clearLoginTransaction(tx.slot());
        context.audit(Event.LOGIN_FAILED, "oidc callback: provider_error " + code, null);
        context.redirect(HttpServletResponse.SC_SEE_OTHER, context.request().getContextPath() + loginPath
                + "?error=provider_error&provider_error=" + code);
    }

    private static void unavailable(Context context, String reason) throws IOException {
        context.audit(Event.UNAVAILABLE, "oidc: " + reason, null);
        context.countUnavailable();
        context.unavailable();
    }

    /** The transaction whose state equals {@code state}, compared in constant time. */
    private static Optional<Transaction> find(Context context, String state) {
        byte[] wanted = state.getBytes(StandardCharsets.UTF_8);
        Transaction match = null;
        for (Transaction t : context.loginTransactions()) {
            Optional<OidcTransaction> p = OidcTransaction.parse(t.value());
            if (p.isPresent() && MessageDigest.isEqual(wanted, p.get().state().getBytes(StandardCharsets.UTF_8))) {
                match = t;
            }
        }
        return Optional.ofNullable(match);
    }

    /** A query parameter given exactly once. */
    private static Optional<String> single(Context context, String name) {
        String[] values = context.request().getParameterValues(name);
        return values != null && values.length == 1 ? Optional.of(values[0]) : Optional.empty();
    }

    // ------------------------------------------------------------------ logout, refresh, revoke

    /**
     * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2): the provider's end-session
     * endpoint, discovered now if this node has not yet (a provider that is down then gives a local
     * logout only), with {@code client_id}, {@code id_token_hint} when the ended session's
     * facts kept the ID token, else {@code logout_hint} (the {@code sub}) when they kept the facts,
     * {@code post_logout_redirect_uri} ({@code logout-redirect-path} on this origin, to register at the
     * provider) and a random {@code state}. Facts of another issuer are not used. The {@code state} is
     * not checked on return: the page it lands on is a plain page that acts on nothing, so there is
     * no request to forge; it is sent because some providers expect it.
     */
    @Override
    public Optional<String> logoutLocation(Context context, Optional<ProviderFacts> ended) {
        // provider(), not known(): after a restart, or on a node that never signed anyone in, this
        // logout is the first thing that needs discovery (retried at most every RETRY_DISCOVERY).
        OidcDiscovery.Provider p = discovery.provider().orElse(null);
        if (p == null || p.endSession().isEmpty()) {
            return Optional.empty();
        }
        Optional<ProviderFacts> ours = ended.filter(f -> f.issuer().equals(issuer));
        Map<String, String> q = new LinkedHashMap<>();
        q.put("client_id", settings.clientId());
        ours.flatMap(ProviderFacts::idToken).ifPresentOrElse(id -> q.put("id_token_hint", id),
                () -> ours.ifPresent(f -> q.put("logout_hint", f.subject())));
        q.put("post_logout_redirect_uri", origins.resolve(context.request()).origin() + context.request().getContextPath()
                + endpoints.logoutRedirectPath());
        q.put("state", randomToken(16));
        return Optional.of(OidcText.withQuery(p.endSession().get(), q));
    }

    /** Refreshes at the discovered token endpoint with the client credentials (RFC 6749 6). */
    @Override
    public Optional<TokenRefresher> refresher() {
        return Optional.of(new TokenRefresher() {
            @Override
            public RefreshResult refresh(String refreshToken) {
                return refreshAt(refreshToken);
            }

            @Override
            public String describe() {
                return "oidc-refresh{" + issuer + "}";
            }
        });
    }

    private RefreshResult refreshAt(String refreshToken) {
        Optional<OidcDiscovery.Provider> p = discovery.provider();
        if (p.isEmpty()) {
            return RefreshResult.unavailable("OpenID discovery unavailable");
        }
        return tokenEndpoint.refresh(p.get(), refreshToken);
    }

    /** RFC 7009 at the discovered {@code revocation_endpoint}, best effort. */
    @Override
    public Optional<Revoker> revoker() {
        return Optional.of(token -> {
            OidcDiscovery.Provider p = discovery.provider().orElse(null); // discovered if this node has not yet
            if (p == null || p.revocation().isEmpty()) {
                return;
            }
            tokenEndpoint.revoke(p.revocation().get(), token);
        });
    }

    /**
     * The back-channel logout over this flow's provider (its discovery and JWKS cache shared with
     * sign-in): checks logout tokens, records their {@code jti} in {@code replays}, and revokes through
     * {@code revoker}.
     */
    public BackChannelLogout backChannelLogout(BackChannelLogout.Replays replays, BackChannelLogout.Revoker revoker) {
        return new BackChannelLogout(settings, discovery, clock, replays, revoker);
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return OidcText.b64(b);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
