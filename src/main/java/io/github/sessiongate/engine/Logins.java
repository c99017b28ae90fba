package io.github.sessiongate.engine;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.audit.GateMetrics;
import io.github.sessiongate.engine.Resolution.CookieWrite;
import io.github.sessiongate.engine.Resolution.Refresh;
import io.github.sessiongate.lifetime.SessionLifetime;
import io.github.sessiongate.login.LoginClient;
import io.github.sessiongate.login.LoginResult;
import io.github.sessiongate.login.RevocationClient;
import io.github.sessiongate.rotation.Refresher;
import io.github.sessiongate.rotation.Validations;
import io.github.sessiongate.web.Answers;
import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.web.LoginDelay;
import io.github.sessiongate.web.LoginLimiter;
import io.github.sessiongate.web.LoginRedirect;
import io.github.sessiongate.web.RequestBodies;
import io.github.sessiongate.web.SafeRedirect;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Login and logout through the filter. Login forwards the credentials to the backend's login URL
 * and sets the session cookies from its answer; logout clears every session cookie and revokes
 * the refresh token at the backend (best effort: a backend failure never keeps the cookies
 * alive). Form posts get redirects, JSON posts get JSON. No password is ever logged.
 */
final class Logins implements AutoCloseable {
    private final GateConfig config;
    private final EndpointSettings settings;
    private final Optional<LoginClient> backend;
    private final Optional<RevocationClient> revoker;
    private final Optional<SessionLifetime> lifetime;
    private final Resolver resolver;
    private final SessionWriter writer;
    private final Validations validations;
    private final Refresher refresher;
    private final AuditLog audit;
    private final GateMetrics metrics;
    private final LocationRoom locationRoom;
    private final LoginLimiter limiter;
    private final LoginDelay delay;

    Logins(Components components, Resolver resolver, SessionWriter writer, Validations validations, Refresher refresher,
            AuditLog audit, GateMetrics metrics, LocationRoom locationRoom) {
        this.config = components.config();
        this.settings = components.endpoints();
        this.backend = components.login();
        this.revoker = components.revoke();
        this.lifetime = components.lifetime();
        this.resolver = resolver;
        this.writer = writer;
        this.validations = validations;
        this.refresher = refresher;
        this.audit = audit;
        this.metrics = metrics;
        this.locationRoom = locationRoom;
        this.limiter = components.state().loginLimiter(settings);
        this.delay = new LoginDelay(LoginDelay.DEFAULT_MAX_CONCURRENT, LoginDelay.DEFAULT_MAX_PER_KEY,
                LoginDelay.Sleeper.THREAD);
    }

    /** Whether a login backend is configured (otherwise the login endpoint is off). */
    boolean canLogIn() {
        return backend.isPresent();
    }

    void login(Exchange ex) {
        try {
            doLogin(ex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void logout(Exchange ex) {
        try {
            doLogout(ex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The body is read (and capped) before the limiter is consulted, so a client holding bodies
     * open holds no reservation; the reservation covers only the backend call. A 429 comes from
     * recorded failures only; attempts in flight are waited for (bounded), then 503.
     */
    private void doLogin(Exchange ex) throws IOException {
        if (!"POST".equals(ex.request.getMethod())) {
            Answers.methodNotAllowed(ex.out, "POST");
            return;
        }
        boolean json = RequestBodies.isJson(ex.request);
        RequestBodies.Fields fields = RequestBodies.read(ex.request, settings.loginMaxBodyBytes());
        if (!fields.ok()) {
            switch (fields.problem()) {
                case TOO_LARGE -> Answers.json(ex.out, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, Map.of("error", "too_large"));
                case UNSUPPORTED_TYPE -> Answers.json(ex.out, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                        Map.of("error", "unsupported_media_type"));
                case MALFORMED -> Answers.json(ex.out, HttpServletResponse.SC_BAD_REQUEST, Map.of("error", "bad_request"));
            }
            return;
        }
        Optional<String> from = fields.get("from").flatMap(SafeRedirect::target);
        String username = fields.get("username").orElse("");
        String password = fields.get("password").orElse("");
        String client = ex.origin.client();
        long wait = limiter.retryAfterSeconds(username, client);
        if (wait > 0) {
            tooMany(ex, client, wait);
            return;
        }
        // A username failing from many addresses is slowed, never refused; a delay that cannot be
        // served (every waiter slot taken) is a transient 503, never a skipped delay.
        if (!delay.pause(LoginLimiter.addressKey(client), limiter.delay(username))) {
            audit.record(Event.LOGIN_FAILED, "login delay slots full", ex.path, client, null);
            Answers.unavailable(ex.out, config.retryAfterSeconds());
            return;
        }
        // Attempts in flight that leave no room under a limit are waited for, as long as a request
        // waits for another's backend call; then 503, never a 429 for someone who has not failed.
        try (LoginLimiter.Ticket ticket = limiter.begin(username, client, config.backendWaitTimeout())) {
            switch (ticket.status()) {
                case LIMITED -> tooMany(ex, client, ticket.retryAfterSeconds());
                case BUSY -> {
                    audit.record(Event.LOGIN_FAILED, "login attempts in flight", ex.path, client, null);
                    Answers.unavailable(ex.out, config.retryAfterSeconds());
                }
                case FULL -> {
                    // Never fail open: an attempt the limiter cannot count would be an unlimited guess.
                    audit.record(Event.LOGIN_FAILED, "login limiter full", ex.path, client, null);
                    Answers.unavailable(ex.out, config.retryAfterSeconds());
                }
                case GRANTED -> attempt(ex, ticket, json, from, username, password);
            }
        }
    }

    private void tooMany(Exchange ex, String client, long wait) throws IOException {
        audit.record(Event.LOGIN_FAILED, "too many failures", ex.path, client, null);
        ex.out.setHeader("Retry-After", Long.toString(wait));
        Answers.json(ex.out, 429, Map.of("error", "too_many_attempts"));
    }

    private void attempt(Exchange ex, LoginLimiter.Ticket ticket, boolean json, Optional<String> from, String username,
            String password) throws IOException {
        LoginResult result = backend.orElseThrow().login(username, password);
        switch (result.kind()) {
            case SUCCESS -> succeeded(ex, ((LoginResult.Success) result).tokens(), json, from, ticket);
            case REJECTED -> {
                ticket.failed();
                audit.record(Event.LOGIN_FAILED, "invalid credentials", ex.path, ex.origin.client(), null);
                if (json) {
                    Answers.json(ex.out, HttpServletResponse.SC_UNAUTHORIZED, Map.of("error", "invalid_credentials"));
                } else {
                    Answers.seeOther(ex.out, loginPage(ex, "1", from));
                }
            }
            case UNAVAILABLE -> unavailable(ex, json, from, ((LoginResult.Unavailable) result).cause());
        }
    }

    private void succeeded(Exchange ex, TokenPair tokens, boolean json, Optional<String> from, LoginLimiter.Ticket ticket)
            throws IOException {
        ValidationResult check = resolver.check(tokens.accessToken());
        if (!(check instanceof ValidationResult.Valid valid) || valid.session().isGuest()) {
            unavailable(ex, json, from, "the backend's access token did not validate (" + check.kind() + ")");
            return;
        }
        // Link the login's refresh token to its access token (and back), so a logout of any later
        // token of this chain, or one that can read only the access cookie, ends this access token too.
        if (!refresher.rememberLogin(new TokenPair(tokens.accessToken(), tokens.refreshToken(),
                valid.session().expiresAt().orElse(tokens.accessExpiresAt())))) {
            unavailable(ex, json, from, "a security store is full"); // nothing handed out: a logout could not end it
            return;
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
        if (!writer.write(ex, new CookieWrite.Tokens(tokens.accessToken(), tokens.refreshToken(), null, meta, true))) {
            audit.record(Event.LOGIN_FAILED, "tokens too large for cookies", ex.path, ex.origin.client(), tokens.accessToken());
            if (json) {
                Answers.json(ex.out, HttpServletResponse.SC_BAD_GATEWAY, Map.of("error", "tokens_too_large"));
            } else {
                Answers.seeOther(ex.out, loginPage(ex, "too_large", from));
            }
            return;
        }
        Session session = valid.session();
        ticket.succeeded(); // this (username, address) pair only
        audit.record(Event.LOGIN_SUCCEEDED, "login", ex.path, ex.origin.client(), tokens.accessToken());
        if (json) {
            Answers.json(ex.privately(), HttpServletResponse.SC_OK, describe(session));
        } else {
            // Next to the new cookies, a long from loses its query (then itself) rather than overflow the headers.
            Answers.seeOther(ex.privately(), from.flatMap(f -> LoginRedirect.within(f, locationRoom.afterLogin(ex)))
                    .orElse(ex.request.getContextPath() + settings.loginSuccessPath()));
        }
    }

    private static Map<String, Object> describe(Session s) {
        return Map.of("authenticated", true, "subject", s.subject(), "roles", new java.util.ArrayList<>(s.roles()));
    }

    private void unavailable(Exchange ex, boolean json, Optional<String> from, String cause) throws IOException {
        audit.record(Event.LOGIN_FAILED, "backend unavailable", ex.path, ex.origin.client(), null);
        metrics.unavailable();
        if (json) {
            Answers.unavailable(ex.out, config.retryAfterSeconds());
        } else {
            Answers.seeOther(ex.out, loginPage(ex, "unavailable", from));
        }
    }

    /** Back to the login page with an error flag, keeping a safe {@code from} if it fits the budget. */
    private String loginPage(Exchange ex, String error, Optional<String> from) {
        String page = ex.request.getContextPath() + config.loginPath() + "?error=" + error;
        return page + from.flatMap(f -> LoginRedirect.encodedFrom(f, locationRoom.encodedFrom(ex, page.length() + 6)))
                .map(f -> "&from=" + f).orElse("");
    }

    private void doLogout(Exchange ex) throws IOException {
        if (!"POST".equals(ex.request.getMethod())) {
            Answers.methodNotAllowed(ex.out, "POST");
            return;
        }
        String refreshToken = ex.credentials.refreshToken();
        String token = ex.credentials.token();
        // End the whole chain before anything else: tombstones for every refresh token presented
        // (each duplicate too), the one the access token was issued with, and every ancestor and
        // descendant; revocations here of the access token and every access token minted from the
        // chain; then (best effort) the backend revokes them. A session seen valid here writes
        // security state; junk only the evictable negative cache.
        ValidationResult check = token == null ? null : resolver.check(token);
        Session live = check instanceof ValidationResult.Valid v ? v.session()
                : check instanceof ValidationResult.Expired e ? e.lapsedWithinSkew().orElse(null) : null;
        // Only a token whose signature verified and that still serves (valid, or lapsed within the
        // skew) counts: a validator outage must not let junk write security state, and a token lapsed
        // past the skew is refused everywhere anyway, its links lapsed too; it would only let an old
        // token of one's own buy backend revokes of junk.
        boolean verified = live != null;
        if (!refresher.end(ex.credentials.presentedRefreshTokens(), verified ? token : null,
                live == null ? null : live.expiresAt().orElse(null), revoker.isPresent())) {
            // A security store is full: fail closed transiently; the cookies stay, a retry ends it all.
            audit.record(Event.UNAVAILABLE, "security store full", ex.path, ex.origin.client(), refreshToken);
            metrics.unavailable();
            Answers.unavailable(ex.out, config.retryAfterSeconds());
            return;
        }
        String fingerprintOf = refreshToken != null ? refreshToken : token;
        writer.apply(ex, resolver.end(ex.credentials, "logout", Refresh.NONE));
        audit.record(Event.LOGOUT, "logout", ex.path, ex.origin.client(), fingerprintOf);
        if (wantsJson(ex)) {
            Answers.noContent(ex.privately());
        } else {
            Answers.seeOther(ex.privately(), ex.request.getContextPath() + settings.logoutRedirectPath());
        }
    }

    private static boolean wantsJson(Exchange ex) {
        String accept = ex.request.getHeader("Accept");
        boolean html = accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
        return !html && (RequestBodies.isJson(ex.request) || ex.request.getHeader("X-Requested-With") != null
                || accept != null && accept.toLowerCase(Locale.ROOT).contains("application/json"));
    }

    @Override
    public void close() {
        // The login and revoke clients belong to the filter's Components, which close them.
    }
}
