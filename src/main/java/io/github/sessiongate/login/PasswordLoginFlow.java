package io.github.sessiongate.login;

import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.web.LoginDelay;
import io.github.sessiongate.web.LoginLimiter;
import io.github.sessiongate.web.LoginRedirect;
import io.github.sessiongate.web.RequestBodies;
import io.github.sessiongate.web.SafeRedirect;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The password login, the default {@link LoginFlow}: {@code login-endpoint} takes a username and
 * password (form or JSON), forwards them to the backend through the {@link LoginClient} and starts
 * the session from its answer; a page without a session is redirected to {@code login-path} with
 * {@code from}; logout revokes through the {@link RevocationClient}. Form posts get redirects, JSON
 * posts get JSON. No password is ever logged.
 *
 * <p>Failed logins are limited per (username, client address) pair and per address, and a
 * username failing from many addresses is slowed ({@link LoginLimiter}, {@link LoginDelay}).
 * Thread-safe. Holds no resource of its own: the clients are the composition root's.
 */
public final class PasswordLoginFlow implements LoginFlow {
    private final EndpointSettings settings;
    private final String loginPath;
    private final Optional<LoginClient> backend;
    private final Optional<RevocationClient> revoker;
    private final Duration backendWaitTimeout;
    private final List<Route> routes;
    private final int maxEncodedFrom;
    private final LoginLimiter limiter;
    private final LoginDelay delay;

    /**
     * @param settings the endpoint settings: the login route's path, body limit, failure limits and success path
     * @param loginPath the login page ({@code login-path}), the entry point
     * @param backend the login client; without one the flow serves no route (its path goes to the application)
     * @param revoker the revocation client, if refresh tokens are revoked at logout
     * @param backendWaitTimeout how long an attempt waits for room under a limit before a 503
     * @param limiter the login limiter, whose failure counts live in the filter's shared state
     */
    public PasswordLoginFlow(EndpointSettings settings, String loginPath, Optional<LoginClient> backend,
            Optional<RevocationClient> revoker, Duration backendWaitTimeout, LoginLimiter limiter) {
        this(settings, loginPath, backend, revoker, backendWaitTimeout, limiter, new LoginDelay(
                LoginDelay.DEFAULT_MAX_CONCURRENT, LoginDelay.DEFAULT_MAX_PER_KEY, LoginDelay.Sleeper.THREAD));
    }

    /** With the limiter and the delay given, for tests. */
    PasswordLoginFlow(EndpointSettings settings, String loginPath, Optional<LoginClient> backend,
            Optional<RevocationClient> revoker, Duration backendWaitTimeout, LoginLimiter limiter, LoginDelay delay) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.loginPath = Objects.requireNonNull(loginPath, "loginPath");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.revoker = Objects.requireNonNull(revoker, "revoker");
        this.backendWaitTimeout = Objects.requireNonNull(backendWaitTimeout, "backendWaitTimeout");
        this.routes = backend.isEmpty() ? List.of() : settings.path(EndpointSettings.Endpoint.LOGIN)
                .map(p -> List.of(new Route(p, Csrf.ENDPOINT_RULE))).orElse(List.of());
        this.maxEncodedFrom = LoginRedirect.maxEncodedFrom(settings.loginMaxBodyBytes());
        this.limiter = limiter;
        this.delay = delay;
    }

    /** The login endpoint, when a login backend is configured and the endpoint is on. */
    @Override
    public List<Route> routes() {
        return routes;
    }

    /** A {@code 302} to {@code login-path?from=...}, {@code from} kept as long as the response leaves room. */
    @Override
    public void enter(Context context) throws IOException {
        String contextPath = context.request().getContextPath();
        String login = contextPath + loginPath;
        context.redirect(HttpServletResponse.SC_FOUND, LoginRedirect.location(contextPath, loginPath, context.path(),
                context.request().getQueryString(), encodedFrom(context, 3 * login.length() + "?from=".length())));
    }

    @Override
    public Optional<Revoker> revoker() {
        return revoker.map(r -> r::revoke);
    }

    @Override
    public String describe() {
        return "password" + backend.map(b -> "{" + b.describe() + "}").orElse("{no login backend}");
    }

    /**
     * The body is read (and capped) before the limiter is consulted, so a client holding bodies
     * open holds no reservation; the reservation covers only the backend call. A 429 comes from
     * recorded failures only; attempts in flight are waited for (bounded), then 503.
     */
    @Override
    public void handle(Route route, Context context) throws IOException {
        if (!"POST".equals(context.request().getMethod())) {
            context.methodNotAllowed("POST");
            return;
        }
        boolean json = RequestBodies.isJson(context.request());
        RequestBodies.Fields fields = RequestBodies.read(context.request(), settings.loginMaxBodyBytes());
        if (!fields.ok()) {
            switch (fields.problem()) {
                case TOO_LARGE -> context.json(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, Map.of("error", "too_large"));
                case UNSUPPORTED_TYPE -> context.json(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                        Map.of("error", "unsupported_media_type"));
                case MALFORMED -> context.json(HttpServletResponse.SC_BAD_REQUEST, Map.of("error", "bad_request"));
            }
            return;
        }
        Optional<String> from = fields.get("from").flatMap(context::safeTarget);
        String username = fields.get("username").orElse("");
        String password = fields.get("password").orElse("");
        String client = context.clientAddress();
        long wait = limiter.retryAfterSeconds(username, client);
        if (wait > 0) {
            tooMany(context, wait);
            return;
        }
        // A username failing from many addresses is slowed, never refused; a delay that cannot be
        // served (every waiter slot taken) is a transient 503, never a skipped delay.
        if (!delay.pause(LoginLimiter.addressKey(client), limiter.delay(username))) {
            context.audit(Event.LOGIN_FAILED, "login delay slots full", null);
            context.unavailable();
            return;
        }
        // Attempts in flight that leave no room under a limit are waited for, as long as a request
        // waits for another's backend call; then 503, never a 429 for someone who has not failed.
        try (LoginLimiter.Ticket ticket = limiter.begin(username, client, backendWaitTimeout)) {
            switch (ticket.status()) {
                case LIMITED -> tooMany(context, ticket.retryAfterSeconds());
                case BUSY -> {
                    context.audit(Event.LOGIN_FAILED, "login attempts in flight", null);
                    context.unavailable();
                }
                case FULL -> {
                    // Never fail open: an attempt the limiter cannot count would be an unlimited guess.
                    context.audit(Event.LOGIN_FAILED, "login limiter full", null);
                    context.unavailable();
                }
                case GRANTED -> attempt(context, ticket, json, from, username, password);
            }
        }
    }

    private static void tooMany(Context context, long wait) throws IOException {
        context.audit(Event.LOGIN_FAILED, "too many failures", null);
        context.header("Retry-After", Long.toString(wait));
        context.json(429, Map.of("error", "too_many_attempts"));
    }

    private void attempt(Context context, LoginLimiter.Ticket ticket, boolean json, Optional<String> from, String username,
            String password) throws IOException {
        LoginResult result = backend.orElseThrow().login(username, password);
        switch (result.kind()) {
            case SUCCESS -> succeeded(context, ((LoginResult.Success) result).tokens(), json, from, ticket);
            case REJECTED -> {
                ticket.failed();
                context.audit(Event.LOGIN_FAILED, "invalid credentials", null);
                if (json) {
                    context.json(HttpServletResponse.SC_UNAUTHORIZED, Map.of("error", "invalid_credentials"));
                } else {
                    context.redirect(HttpServletResponse.SC_SEE_OTHER, loginPage(context, "1", from));
                }
            }
            case UNAVAILABLE -> unavailable(context, json, from);
        }
    }

    private void succeeded(Context context, TokenPair tokens, boolean json, Optional<String> from, LoginLimiter.Ticket ticket)
            throws IOException {
        SessionStart start = context.startSession(tokens, Optional.empty());
        switch (start.outcome()) {
            case TOKEN_NOT_VALID, VALIDATOR_UNAVAILABLE, STATE_FULL -> unavailable(context, json, from);
            case TOO_LARGE -> {
                context.audit(Event.LOGIN_FAILED, "tokens too large for cookies", tokens.accessToken());
                if (json) {
                    context.json(HttpServletResponse.SC_BAD_GATEWAY, Map.of("error", "tokens_too_large"));
                } else {
                    context.redirect(HttpServletResponse.SC_SEE_OTHER, loginPage(context, "too_large", from));
                }
            }
            case STARTED -> {
                Session session = start.session().orElseThrow();
                ticket.succeeded(); // this (username, address) pair only
                context.audit(Event.LOGIN_SUCCEEDED, "login", tokens.accessToken());
                if (json) {
                    Map<String, Object> body = new java.util.LinkedHashMap<>(); // the documented order, every time
                    body.put("authenticated", true);
                    body.put("subject", session.subject());
                    body.put("roles", new ArrayList<>(session.roles()));
                    context.json(HttpServletResponse.SC_OK, body);
                } else {
                    // Next to the new cookies, a long from loses its query (then itself) rather than overflow the headers.
                    context.redirect(HttpServletResponse.SC_SEE_OTHER,
                            from.flatMap(f -> LoginRedirect.within(f, Math.min(SafeRedirect.MAX_LENGTH, context.locationRoom())))
                                    .orElse(context.request().getContextPath() + settings.loginSuccessPath()));
                }
            }
        }
    }

    private void unavailable(Context context, boolean json, Optional<String> from) throws IOException {
        context.audit(Event.LOGIN_FAILED, "backend unavailable", null);
        context.countUnavailable();
        if (json) {
            context.unavailable();
        } else {
            context.redirect(HttpServletResponse.SC_SEE_OTHER, loginPage(context, "unavailable", from));
        }
    }

    /** Back to the login page with an error flag, keeping a safe {@code from} if it fits the budget. */
    private String loginPage(Context context, String error, Optional<String> from) {
        String page = context.request().getContextPath() + loginPath + "?error=" + error;
        return page + from.flatMap(f -> LoginRedirect.encodedFrom(f, encodedFrom(context, page.length() + 6)))
                .map(f -> "&from=" + f).orElse("");
    }

    /**
     * How long a percent-encoded {@code from} may be after {@code prefixLength} characters of
     * {@code Location}: what the login endpoint accepts back, and what the response leaves room for.
     */
    private int encodedFrom(Context context, int prefixLength) {
        return Math.max(0, Math.min(maxEncodedFrom, context.locationRoom() - prefixLength));
    }
}
