package io.github.sessiongate.engine;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.Session;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.audit.GateMetrics;
import io.github.sessiongate.engine.Resolution.Refresh;
import io.github.sessiongate.web.Answers;
import io.github.sessiongate.web.ClientTokens;
import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.EndpointSettings.Endpoint;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The filter's own endpoints for browser code, which cannot read HttpOnly cookies: session,
 * explicit refresh, client tokens and logout. Every request to them has passed the CSRF check;
 * every answer is {@code Cache-Control: no-store} and never contains a session token. Session,
 * refresh and client token run after the request's {@link Resolution}; logout ({@link Logins})
 * instead of it. The login routes are the {@link io.github.sessiongate.LoginFlow}'s, not these.
 */
final class Endpoints implements AutoCloseable {
    private final EndpointSettings settings;
    private final Optional<ClientTokens> clientTokens;
    private final Resolver resolver;
    private final SessionWriter writer;
    private final GateMetrics metrics;
    private final int retryAfterSeconds;
    private final Logins logins;

    Endpoints(Components components, Resolver resolver, SessionWriter writer, GateMetrics metrics, Logins logins) {
        GateConfig config = components.config();
        this.settings = components.endpoints();
        this.clientTokens = components.clientTokens();
        this.resolver = resolver;
        this.writer = writer;
        this.metrics = metrics;
        this.retryAfterSeconds = config.retryAfterSeconds();
        this.logins = logins;
    }

    /**
     * The endpoint at this path, if it is enabled and has what it needs. The login endpoint's path
     * belongs to the login flow, which serves it as one of its routes (or not at all).
     */
    Optional<Endpoint> match(String path) {
        Optional<Endpoint> endpoint = settings.match(path);
        return endpoint.isEmpty() || available(endpoint.get()) ? endpoint : Optional.empty(); // no predicate made per request
    }

    private boolean available(Endpoint e) {
        return switch (e) {
            case CLIENT_TOKEN -> clientTokens.isPresent();
            case LOGIN -> false;
            default -> true;
        };
    }

    /** Logout runs before (and instead of) session resolution. */
    boolean handlesWithoutSession(Endpoint e) {
        return e == Endpoint.LOGOUT;
    }

    /** Logout, before (and instead of) session resolution. */
    void handleWithoutSession(Endpoint endpoint, Exchange ex) throws IOException {
        if (endpoint != Endpoint.LOGOUT) {
            throw new IllegalArgumentException(endpoint + " needs the request's resolution");
        }
        logins.logout(ex);
    }

    /**
     * @param presented the presented access token's validation result, {@code null} for none
     * @param resolution what the request resolved to, as written
     * @param session the session it carries on with (a resumed guest session included), or {@code null}
     */
    void handle(Endpoint endpoint, Exchange ex, ValidationResult presented, Resolution resolution, Session session)
            throws IOException {
        switch (endpoint) {
            case SESSION -> session(ex, resolution, session);
            case REFRESH -> refresh(ex, presented, resolution, session);
            case CLIENT_TOKEN -> clientToken(ex, resolution, session);
            default -> handleWithoutSession(endpoint, ex);
        }
    }

    /** {@code GET} session: who is signed in, for client code. Never a token. */
    private void session(Exchange ex, Resolution resolution, Session session) throws IOException {
        if (!isGetOrHead(ex)) {
            Answers.methodNotAllowed(ex.out, "GET, HEAD");
            return;
        }
        if (resolution.noVerdict()) {
            metrics.unavailable();
            Answers.unavailable(ex.out, retryAfterSeconds);
            return;
        }
        Answers.json(ex.privately(), HttpServletResponse.SC_OK, describe(ex, session));
    }

    /** A compact JWS or JWE anywhere in a string: a base64url JSON header ({@code eyJ}) and a dot-separated part. */
    private static final java.util.regex.Pattern JWT_SHAPED = java.util.regex.Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.");

    /** The session as JSON: authenticated, guest, subject, roles, expiresAt, logoutUrl, allowed claims. */
    private Map<String, Object> describe(Exchange ex, Session s) {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean user = s != null && !s.isGuest();
        body.put("authenticated", user);
        body.put("guest", s != null && s.isGuest());
        body.put("subject", user ? s.subject() : null);
        body.put("roles", user ? new ArrayList<>(s.roles()) : new ArrayList<>());
        body.put("expiresAt", s == null ? null : s.expiresAt().map(i -> (Object) i.getEpochSecond()).orElse(null));
        body.put("logoutUrl", settings.path(Endpoint.LOGOUT).map(p -> ex.request.getContextPath() + p).orElse(null));
        Map<String, Object> claims = new LinkedHashMap<>();
        if (user) {
            for (String name : settings.sessionClaims()) {
                Object value = s.claims().get(name);
                if (value != null && !(value instanceof String str && str.equals(s.token()))) {
                    claims.put(name, value);
                }
            }
        }
        body.put("claims", claims);
        if (user) {
            Map<String, Object> login = new LinkedHashMap<>(logins.sessionDetails(s));
            // Never the token, nor anything JWT-shaped a flow might show by mistake (an ID token, a hint).
            login.values().removeIf(v -> v instanceof String str && (str.equals(s.token()) || JWT_SHAPED.matcher(str).find()));
            if (!login.isEmpty()) {
                body.put("login", login);
            }
        }
        return body;
    }

    /** {@code POST} refresh: an explicit refresh for single-page apps, with the same single flight and grace. */
    private void refresh(Exchange ex, ValidationResult presented, Resolution resolution, Session session) throws IOException {
        if (!"POST".equals(ex.request.getMethod())) {
            Answers.methodNotAllowed(ex.out, "POST");
            return;
        }
        String refreshToken = ex.credentials.refreshToken();
        if (refreshToken == null) {
            if (resolution.noVerdict()) {
                metrics.unavailable();
                Answers.unavailable(ex.out, retryAfterSeconds);
            } else {
                unauthenticated(ex);
            }
            return;
        }
        // The resolution already refreshed if the access token needed it (its outcome stands: refreshing
        // again would double the backend call, the counters and the audit); otherwise refresh now,
        // with the same decision on the outcome as rotation in place: a last tombstone check before
        // anything is written, tokens and lifetime cookie together, the presented access token revoked on refusal.
        if (!resolution.rotated()) {
            Refresh applied = resolution.refresh();
            if (applied == Refresh.NONE) {
                if (!resolver.lifetimeAllowsRefresh(ex.credentials, session)) {
                    // No live lifetime record: no refresh (as in place). Ambiguous cookies clear nothing.
                    if (!ex.credentials.cookies().hasDuplicates()) {
                        writer.apply(ex, resolver.end(ex.credentials, "no lifetime record to refresh with", Refresh.ENDED));
                    }
                    unauthenticated(ex);
                    return;
                }
                Resolution explicit = writer.apply(ex, resolver.applyRefresh(ex.credentials, presented,
                        resolver.refresh(ex.credentials), "explicit", ex.where(), () -> new Resolution.NoVerdict(Refresh.UNAVAILABLE)));
                applied = explicit.refresh();
                session = explicit.sessionOrNull();
            }
            switch (applied) {
                case ROTATED -> { }
                case ENDED -> {
                    unauthenticated(ex);
                    return;
                }
                case UNAVAILABLE, REFRESHED_TOKEN_REFUSED, FAILED_CLOSED -> {
                    metrics.unavailable();
                    Answers.unavailable(ex.out, retryAfterSeconds);
                    return;
                }
                default -> {
                    Answers.json(ex.out, HttpServletResponse.SC_NOT_IMPLEMENTED, Map.of("error", "refresh_unsupported"));
                    return;
                }
            }
        }
        if (session == null || session.isGuest()) {
            unauthenticated(ex);
            return;
        }
        Answers.json(ex.privately(), HttpServletResponse.SC_OK, describe(ex, session));
    }

    private static void unauthenticated(Exchange ex) throws IOException {
        Answers.json(ex.out, HttpServletResponse.SC_UNAUTHORIZED, Map.of("error", "unauthenticated"));
    }

    /** {@code GET} or {@code POST} client token: a short-lived JWT a browser SDK may hold. */
    private void clientToken(Exchange ex, Resolution resolution, Session s) throws IOException {
        String method = ex.request.getMethod();
        if (!"GET".equals(method) && !"POST".equals(method)) {
            Answers.methodNotAllowed(ex.out, "GET, POST");
            return;
        }
        if (resolution.noVerdict()) {
            metrics.unavailable();
            Answers.unavailable(ex.out, retryAfterSeconds);
            return;
        }
        ClientTokens tokens = clientTokens.orElseThrow();
        String binding = null;
        if (s != null) {
            binding = tokens.bindingOf(s.token()); // the current (possibly just-rotated) access token

        }
        String token = tokens.mint(s, binding);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("tokenType", "Bearer");
        body.put("expiresIn", tokens.ttl().toSeconds());
        Answers.json(ex.privately(), HttpServletResponse.SC_OK, body);
    }

    private static boolean isGetOrHead(Exchange ex) {
        String m = ex.request.getMethod();
        return "GET".equals(m) || "HEAD".equals(m);
    }

    @Override
    public void close() {
        // Nothing of its own: the login flow's clients belong to the filter's Components.
    }
}
