package io.github.sessiongate.engine;

import io.github.sessiongate.Session;
import io.github.sessiongate.web.Answers;
import io.github.sessiongate.web.ClientTokens;
import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.EndpointSettings.Endpoint;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The filter's own endpoints for browser code, which cannot read HttpOnly cookies: session,
 * explicit refresh, client tokens, login and logout. Every request to them has passed the CSRF
 * check; every answer is {@code Cache-Control: no-store} and never contains a session token.
 */
final class Endpoints implements AutoCloseable {
    private final Gate gate;
    private final EndpointSettings settings;
    private final Optional<ClientTokens> clientTokens;
    private final Logins logins;

    Endpoints(Gate gate) {
        this.gate = gate;
        this.settings = gate.components.endpoints();
        this.clientTokens = gate.components.clientTokens();
        this.logins = new Logins(gate);
    }

    /** The endpoint at this path, if it is enabled and has what it needs. */
    Optional<Endpoint> match(String path) {
        return settings.match(path).filter(this::available);
    }

    private boolean available(Endpoint e) {
        return switch (e) {
            case CLIENT_TOKEN -> clientTokens.isPresent();
            case LOGIN -> logins.canLogIn();
            default -> true;
        };
    }

    /** Login and logout run before (and instead of) session resolution. */
    boolean handlesWithoutSession(Endpoint e) {
        return e == Endpoint.LOGIN || e == Endpoint.LOGOUT;
    }

    void handle(Endpoint endpoint, Exchange ex) throws IOException {
        try {
            switch (endpoint) {
                case SESSION -> session(ex);
                case REFRESH -> refresh(ex);
                case CLIENT_TOKEN -> clientToken(ex);
                case LOGIN -> logins.login(ex);
                case LOGOUT -> logins.logout(ex);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** {@code GET} session: who is signed in, for client code. Never a token. */
    private void session(Exchange ex) throws IOException {
        if (!isGetOrHead(ex)) {
            Answers.methodNotAllowed(ex.out, "GET, HEAD");
            return;
        }
        if (ex.unavailable) {
            gate.metrics.unavailable();
            Answers.unavailable(ex.out, gate.config.retryAfterSeconds());
            return;
        }
        Answers.json(gate.privately(ex), HttpServletResponse.SC_OK, describe(ex));
    }

    /** The session as JSON: authenticated, guest, subject, roles, expiresAt, logoutUrl, allowed claims. */
    Map<String, Object> describe(Exchange ex) {
        Session s = ex.session;
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
        return body;
    }

    /** {@code POST} refresh: an explicit refresh for single-page apps, with the same single flight and grace. */
    private void refresh(Exchange ex) throws IOException {
        if (!"POST".equals(ex.request.getMethod())) {
            Answers.methodNotAllowed(ex.out, "POST");
            return;
        }
        String refreshToken = ex.credentials.refreshToken();
        if (refreshToken == null) {
            if (ex.unavailable) {
                gate.metrics.unavailable();
                Answers.unavailable(ex.out, gate.config.retryAfterSeconds());
            } else {
                Answers.json(ex.out, HttpServletResponse.SC_UNAUTHORIZED, Map.of("error", "unauthenticated"));
            }
            return;
        }
        // resolve() already refreshed if the access token needed it (its outcome stands: refreshing
        // again would double the backend call, the counters and the audit); otherwise refresh now,
        // with the same application of the outcome as rotation in place: a last tombstone check before
        // anything is written, tokens and lifetime cookie together, the presented access token revoked on refusal.
        if (!ex.rotated) {
            if (ex.refreshApplied == null && !gate.lifetimeAllowsRefresh(ex)) {
                // No live lifetime record: no refresh (as in place). Ambiguous cookies clear nothing.
                if (!ex.credentials.cookies().hasDuplicates()) {
                    gate.endSession(ex, "no lifetime record to refresh with");
                }
                Answers.json(ex.out, HttpServletResponse.SC_UNAUTHORIZED, Map.of("error", "unauthenticated"));
                return;
            }
            Gate.Applied applied = ex.refreshApplied != null ? ex.refreshApplied
                    : gate.applyRefresh(ex, gate.counted(gate.refresher.refresh(refreshToken)), "explicit");
            switch (applied) {
                case ROTATED -> { }
                case ENDED -> {
                    Answers.json(ex.out, HttpServletResponse.SC_UNAUTHORIZED, Map.of("error", "unauthenticated"));
                    return;
                }
                case UNAVAILABLE, FAILED_CLOSED -> {
                    gate.metrics.unavailable();
                    Answers.unavailable(ex.out, gate.config.retryAfterSeconds());
                    return;
                }
                case UNSUPPORTED -> {
                    Answers.json(ex.out, HttpServletResponse.SC_NOT_IMPLEMENTED, Map.of("error", "refresh_unsupported"));
                    return;
                }
            }
        }
        if (ex.session == null || ex.session.isGuest()) {
            Answers.json(ex.out, HttpServletResponse.SC_UNAUTHORIZED, Map.of("error", "unauthenticated"));
            return;
        }
        Answers.json(gate.privately(ex), HttpServletResponse.SC_OK, describe(ex));
    }

    /** {@code GET} or {@code POST} client token: a short-lived JWT a browser SDK may hold. */
    private void clientToken(Exchange ex) throws IOException {
        String method = ex.request.getMethod();
        if (!"GET".equals(method) && !"POST".equals(method)) {
            Answers.methodNotAllowed(ex.out, "GET, POST");
            return;
        }
        if (ex.unavailable) {
            gate.metrics.unavailable();
            Answers.unavailable(ex.out, gate.config.retryAfterSeconds());
            return;
        }
        ClientTokens tokens = clientTokens.orElseThrow();
        Session s = ex.session;
        String binding = null;
        if (s != null) {
            binding = tokens.bindingOf(s.token()); // the current (possibly just-rotated) access token

        }
        String token = tokens.mint(s, binding);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("tokenType", "Bearer");
        body.put("expiresIn", tokens.ttl().toSeconds());
        Answers.json(gate.privately(ex), HttpServletResponse.SC_OK, body);
    }

    private static boolean isGetOrHead(Exchange ex) {
        String m = ex.request.getMethod();
        return "GET".equals(m) || "HEAD".equals(m);
    }

    @Override
    public void close() {
        logins.close();
    }
}
