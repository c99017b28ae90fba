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
import io.github.sessiongate.internal.ClientAuth;
import io.github.sessiongate.internal.Json;
import io.github.sessiongate.internal.TokenFields;
import io.github.sessiongate.web.LoginRedirect;
import io.github.sessiongate.web.RequestOrigin;
import io.github.sessiongate.web.SafeRedirect;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
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
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID Connect sign-in, the authorization code flow with PKCE (OIDC Core 3.1, RFC 7636), on the
 * {@link LoginFlow} seam. A page without a session, or a {@code GET} of the login endpoint, is sent
 * to the provider's authorization endpoint with a fresh state, nonce and S256 code challenge kept
 * in a sealed login-transaction cookie; the callback checks state (constant time) and {@code iss},
 * exchanges the code with the verifier and HTTP Basic client authentication, validates the ID token
 * (signature through the discovered JWKS, {@code iss}, {@code aud}, {@code azp}, {@code exp},
 * {@code iat}, {@code nonce}, {@code at_hash}) and starts the session from the access and refresh
 * tokens, which the filter's validator validates as any other.
 *
 * <p>The provider's endpoints come from discovery ({@code <issuer>/.well-known/openid-configuration},
 * whose {@code issuer} must equal the configured one exactly), read when first needed and cached:
 * a provider that is down never fails start-up; the requests that need it get {@code 503} until it
 * answers, retried at most every {@link #RETRY_DISCOVERY} (see {@link OidcDiscovery}); the ID token checks are
 * {@link IdTokenCheck}'s. Refusals are {@code 400} JSON
 * ({@code {"error": ...}}) without a session cookie, except a provider error in a browser's
 * top-level navigation, which answers {@code 303} to {@code login-path} with
 * {@code error=provider_error&provider_error=<code>}; only an unreachable provider or a 5xx gives
 * {@code 503}. No code, token, verifier or state is ever logged. Thread-safe.
 */
public final class OidcLoginFlow implements LoginFlow {
    private static final Logger LOG = LoggerFactory.getLogger(OidcLoginFlow.class);
    /** How long after a failed discovery or JWKS download the next request tries again. */
    public static final Duration RETRY_DISCOVERY = OidcDiscovery.RETRY;
    /** Longest {@code from} kept in a login transaction; a longer one sends the user home after sign-in. */
    static final int MAX_FROM = 512;
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

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
    /** The login page ({@code login-path}): a browser lands there after a provider error. */
    private final String loginPath;

    /** As the full constructor, with the default {@code login-path}. */
    public OidcLoginFlow(OidcSettings settings, EndpointSettings endpoints, RequestOrigin.Resolver origins, BackendHttp http,
            Clock clock) {
        this(settings, endpoints, origins, http, clock, io.github.sessiongate.GateConfig.DEFAULT_LOGIN_PATH);
    }

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
        this.discovery = new OidcDiscovery(issuer, http, clock);
        this.idTokens = new IdTokenCheck(settings, discovery, clock);
        List<Route> r = new ArrayList<>();
        r.add(new Route(settings.callbackPath(), Csrf.OWN_DEFENCE));
        endpoints.path(EndpointSettings.Endpoint.LOGIN).filter(p -> !p.equals(settings.callbackPath()))
                .ifPresent(p -> r.add(new Route(p, Csrf.OWN_DEFENCE)));
        this.routes = List.copyOf(r);
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
        return "oidc{" + issuer + ", client_id=" + settings.client().clientId() + ", callback=" + settings.callbackPath() + "}";
    }

    @Override
    public Map<String, Object> sessionDetails(Session session) {
        return Map.of("flow", "oidc", "provider", issuer);
    }

    /** A {@code 302} to the provider's authorization endpoint, the transaction saved; {@code 503} while discovery fails. */
    @Override
    public void enter(Context context) throws IOException {
        String query = context.request().getQueryString();
        String target = context.request().getContextPath() + context.path() + (query == null ? "" : "?" + query);
        start(context, context.safeTarget(target));
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
            start(context, single(context, "from").flatMap(context::safeTarget));
        }
    }

    // ------------------------------------------------------------------ the authorization request

    private void start(Context context, Optional<String> from) throws IOException {
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
        OidcTransaction tx = new OidcTransaction(state, nonce, verifier, clock.instant(), redirectUri, kept);
        if (context.saveLoginTransaction(tx.encode(true)) < 0 && context.saveLoginTransaction(tx.encode(false)) < 0) {
            context.audit(Event.LOGIN_FAILED, "oidc: login transaction does not fit the cookie budget", null);
            context.json(HttpServletResponse.SC_BAD_REQUEST, Map.of("error", "login_too_large"));
            return;
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", settings.client().clientId());
        q.put("redirect_uri", redirectUri);
        q.put("scope", settings.scope());
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", OidcText.b64(sha256(verifier)));
        q.put("code_challenge_method", "S256");
        context.redirect(HttpServletResponse.SC_FOUND, OidcText.withQuery(p.get().authorization(), q));
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
        if (error.isPresent() || context.request().getParameterValues("error") != null) {
            String code = error.filter(e -> ERROR_CODE.matcher(e).matches()).orElse("invalid");
            if ("navigate".equals(context.request().getHeader("Sec-Fetch-Mode"))) {
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
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", pending.redirectUri());
        form.put("code_verifier", pending.verifier());
        HttpRequest.Builder request = http.request(p.token()).header("Content-Type", "application/x-www-form-urlencoded");
        ClientAuth.apply(settings.client(), request, form);
        BackendHttp.Response answer;
        try {
            answer = http.send(request.POST(HttpRequest.BodyPublishers.ofString(ClientAuth.formBody(form))).build());
        } catch (BackendHttp.Unreachable e) {
            LOG.warn("OpenID token endpoint {} unreachable: {}", BackendHttp.withoutQuery(p.token()), e.getMessage());
            unavailable(context, "token endpoint unreachable");
            return;
        }
        Map<String, Object> json = Json.object(answer.body()).orElse(Map.of());
        if (answer.status() >= 500) {
            LOG.warn("OpenID token endpoint {} answered {}", BackendHttp.withoutQuery(p.token()), answer.status());
            unavailable(context, "token endpoint " + answer.status());
            return;
        }
        if (answer.status() != 200) {
            String error = Json.string(json, "error").filter(e -> ERROR_CODE.matcher(e).matches()).orElse("status " + answer.status());
            LOG.warn("OpenID code exchange refused by {}: {} ({}); code {}", BackendHttp.withoutQuery(p.token()), error,
                    Json.string(json, "error_description").map(OidcText::printable).orElse("no description"),
                    Fingerprint.of(code));
            refuse(context, tx, "code_refused", null);
            return;
        }
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
        SessionStart start = context.startSession(tokens, Optional.of(new ProviderFacts(id.issuer(), id.subject(), id.sid(),
                Optional.of(idToken))));
        switch (start.outcome()) {
            case STARTED -> {
                context.clearLoginTransaction(tx.slot());
                context.audit(Event.LOGIN_SUCCEEDED, "oidc", tokens.accessToken());
                String home = context.request().getContextPath() + endpoints.loginSuccessPath();
                Optional<String> from = pending.from().isEmpty() ? Optional.empty() : context.safeTarget(pending.from());
                context.redirect(HttpServletResponse.SC_SEE_OTHER, from.flatMap(f -> LoginRedirect.within(f,
                        Math.min(SafeRedirect.MAX_LENGTH, context.locationRoom()))).orElse(home));
            }
            case TOKEN_NOT_VALID -> {
                // The provider and the filter disagree (audience, issuer): a refused sign-in, not an outage.
                LOG.warn("OpenID sign-in: the access token from {} did not pass the filter's validator (check jwt.issuer, "
                        + "jwt.audience and jwt.accept-access-token-nonce); token {}", issuer, Fingerprint.of(tokens.accessToken()));
                if (tokens.refreshToken() != null) {
                    revoker().ifPresent(r -> r.revoke(tokens.refreshToken())); // issued for nothing
                }
                refuse(context, tx, "access_token_invalid", null);
            }
            case VALIDATOR_UNAVAILABLE -> {
                context.clearLoginTransaction(tx.slot()); // the code is spent: a retry starts a new sign-in
                unavailable(context, "validator unavailable");
            }
            case STATE_FULL -> {
                context.clearLoginTransaction(tx.slot());
                unavailable(context, "security store full");
            }
            case TOO_LARGE -> {
                context.clearLoginTransaction(tx.slot());
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
     * sign in again; the login page never goes back to the provider by itself.
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

    /** The provider's end-session endpoint with {@code client_id} and {@code post_logout_redirect_uri}, when discovered. */
    @Override
    public Optional<String> logoutLocation(Context context, Optional<ProviderFacts> ended) {
        OidcDiscovery.Provider p = discovery.known();
        if (p == null || p.endSession().isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("client_id", settings.client().clientId());
        q.put("post_logout_redirect_uri", origins.resolve(context.request()).origin() + context.request().getContextPath()
                + endpoints.logoutRedirectPath());
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
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        HttpRequest.Builder request = http.request(p.get().token()).header("Content-Type", "application/x-www-form-urlencoded");
        ClientAuth.apply(settings.client(), request, form);
        BackendHttp.Response answer;
        try {
            answer = http.send(request.POST(HttpRequest.BodyPublishers.ofString(ClientAuth.formBody(form))).build());
        } catch (BackendHttp.Unreachable e) {
            return RefreshResult.unavailable("token endpoint " + e.getMessage());
        }
        Map<String, Object> json = Json.object(answer.body()).orElse(Map.of());
        if (answer.status() == 200) {
            return TokenFields.of("access_token", "refresh_token", "expires_in", clock).read(json)
                    .map(RefreshResult::refreshed).orElseGet(() -> RefreshResult.unavailable("token endpoint answer incomplete"));
        }
        if (answer.status() == 400 && Json.string(json, "error").filter("invalid_grant"::equals).isPresent()) {
            return RefreshResult.refused();
        }
        return RefreshResult.unavailable("token endpoint answered " + answer.status());
    }

    /** RFC 7009 at the discovered {@code revocation_endpoint}, best effort. */
    @Override
    public Optional<Revoker> revoker() {
        return Optional.of(token -> {
            OidcDiscovery.Provider p = discovery.known();
            if (p == null || p.revocation().isEmpty()) {
                return;
            }
            Map<String, String> form = new LinkedHashMap<>();
            form.put("token", token);
            form.put("token_type_hint", "refresh_token");
            HttpRequest.Builder request = http.request(p.revocation().get())
                    .header("Content-Type", "application/x-www-form-urlencoded");
            ClientAuth.apply(settings.client(), request, form);
            try {
                BackendHttp.Response r = http.send(request.POST(HttpRequest.BodyPublishers.ofString(ClientAuth.formBody(form))).build());
                if (r.status() != 200) {
                    LOG.debug("OpenID revocation answered {} for {}", r.status(), Fingerprint.of(token));
                }
            } catch (BackendHttp.Unreachable e) {
                LOG.debug("OpenID revocation unreachable ({}) for {}", e.getMessage(), Fingerprint.of(token));
            }
        });
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
