package io.github.sessiongate.engine;

import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.remote.LoginEndpoint;
import io.github.sessiongate.remote.LoginResult;
import io.github.sessiongate.remote.RevokeEndpoint;
import io.github.sessiongate.web.Answers;
import io.github.sessiongate.web.EndpointSettings;
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
    private final Gate gate;
    private final EndpointSettings settings;
    private final Optional<LoginEndpoint> backend;
    private final Optional<RevokeEndpoint> revoker;
    private final LoginLimiter limiter;
    private final LoginDelay delay;

    Logins(Gate gate) {
        this.gate = gate;
        this.settings = gate.components.endpoints();
        this.backend = gate.components.login();
        this.revoker = gate.components.revoke();
        this.limiter = gate.components.state().loginLimiter(settings);
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
            gate.audit.record(Event.LOGIN_FAILED, "login delay slots full", ex.path, client, null);
            Answers.unavailable(ex.out, gate.config.retryAfterSeconds());
            return;
        }
        // Attempts in flight that leave no room under a limit are waited for, as long as a request
        // waits for another's backend call; then 503, never a 429 for someone who has not failed.
        try (LoginLimiter.Ticket ticket = limiter.begin(username, client, gate.config.backendWaitTimeout())) {
            switch (ticket.status()) {
                case LIMITED -> tooMany(ex, client, ticket.retryAfterSeconds());
                case BUSY -> {
                    gate.audit.record(Event.LOGIN_FAILED, "login attempts in flight", ex.path, client, null);
                    Answers.unavailable(ex.out, gate.config.retryAfterSeconds());
                }
                case FULL -> {
                    // Never fail open: an attempt the limiter cannot count would be an unlimited guess.
                    gate.audit.record(Event.LOGIN_FAILED, "login limiter full", ex.path, client, null);
                    Answers.unavailable(ex.out, gate.config.retryAfterSeconds());
                }
                case GRANTED -> attempt(ex, ticket, json, from, username, password);
            }
        }
    }

    private void tooMany(Exchange ex, String client, long wait) throws IOException {
        gate.audit.record(Event.LOGIN_FAILED, "too many failures", ex.path, client, null);
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
                gate.audit.record(Event.LOGIN_FAILED, "invalid credentials", ex.path, ex.origin.client(), null);
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
        ValidationResult check = gate.counted(gate.validations.validate(tokens.accessToken()));
        if (!(check instanceof ValidationResult.Valid valid) || valid.session().isGuest()) {
            unavailable(ex, json, from, "the backend's access token did not validate (" + check.kind() + ")");
            return;
        }
        // Link the login's refresh token to its access token (and back), so a logout of any later
        // token of this chain, or one that can read only the access cookie, ends this access token too.
        if (!gate.refresher.rememberLogin(new TokenPair(tokens.accessToken(), tokens.refreshToken(),
                valid.session().expiresAt().orElse(tokens.accessExpiresAt())))) {
            unavailable(ex, json, from, "a security store is full"); // nothing handed out: a logout could not end it
            return;
        }
        // A login replaces the whole session: nothing of a previous one (another user's refresh
        // cookie, say) may survive to be refreshed into later.
        String oldRefresh = ex.credentials.refreshToken();
        if (oldRefresh != null) {
            gate.refresher.forget(oldRefresh);
        }
        if (ex.credentials.fromCookie()) {
            gate.validations.evict(ex.credentials.token());
        }
        // The lifetime cookie of the new session goes with the tokens, in one size check.
        String meta = gate.components.lifetime().map(lt -> lt.start(valid.session().subject())).orElse(null);
        if (!gate.writeTokens(ex, tokens.accessToken(), tokens.refreshToken(), null, true, meta)) {
            gate.audit.record(Event.LOGIN_FAILED, "tokens too large for cookies", ex.path, ex.origin.client(), tokens.accessToken());
            if (json) {
                Answers.json(ex.out, HttpServletResponse.SC_BAD_GATEWAY, Map.of("error", "tokens_too_large"));
            } else {
                Answers.seeOther(ex.out, loginPage(ex, "too_large", from));
            }
            return;
        }
        ex.session = valid.session();
        ticket.succeeded(); // this (username, address) pair only
        gate.audit.record(Event.LOGIN_SUCCEEDED, "login", ex.path, ex.origin.client(), tokens.accessToken());
        if (json) {
            Answers.json(gate.privately(ex), HttpServletResponse.SC_OK, describe(ex));
        } else {
            // Next to the new cookies, a long from loses its query (then itself) rather than overflow the headers.
            Answers.seeOther(gate.privately(ex), from.flatMap(f -> LoginRedirect.within(f, gate.maxTargetAfterLogin(ex)))
                    .orElse(ex.request.getContextPath() + settings.loginSuccessPath()));
        }
    }

    private Map<String, Object> describe(Exchange ex) {
        Session s = ex.session;
        return Map.of("authenticated", true, "subject", s.subject(), "roles", new java.util.ArrayList<>(s.roles()));
    }

    private void unavailable(Exchange ex, boolean json, Optional<String> from, String cause) throws IOException {
        gate.audit.record(Event.LOGIN_FAILED, "backend unavailable", ex.path, ex.origin.client(), null);
        gate.metrics.unavailable();
        if (json) {
            Answers.unavailable(ex.out, gate.config.retryAfterSeconds());
        } else {
            Answers.seeOther(ex.out, loginPage(ex, "unavailable", from));
        }
    }

    /** Back to the login page with an error flag, keeping a safe {@code from} if it fits the budget. */
    private String loginPage(Exchange ex, String error, Optional<String> from) {
        String page = ex.request.getContextPath() + gate.config.loginPath() + "?error=" + error;
        return page + from.flatMap(f -> LoginRedirect.encodedFrom(f, gate.maxEncodedFrom(ex, page.length() + 6)))
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
        ValidationResult check = token == null ? null : gate.counted(gate.validations.validate(token));
        Session live = check instanceof ValidationResult.Valid v ? v.session()
                : check instanceof ValidationResult.Expired e ? e.lapsedWithinSkew().orElse(null) : null;
        // Only a token whose signature verified and that still serves (valid, or lapsed within the
        // skew) counts: a validator outage must not let junk write security state, and a token lapsed
        // past the skew is refused everywhere anyway, its links lapsed too; it would only let an old
        // token of one's own buy backend revokes of junk.
        boolean verified = live != null;
        if (!gate.refresher.end(ex.credentials.presentedRefreshTokens(), verified ? token : null,
                live == null ? null : live.expiresAt().orElse(null), revoker.isPresent())) {
            // A security store is full: fail closed transiently; the cookies stay, a retry ends it all.
            gate.audit.record(Event.UNAVAILABLE, "security store full", ex.path, ex.origin.client(), refreshToken);
            gate.metrics.unavailable();
            Answers.unavailable(ex.out, gate.config.retryAfterSeconds());
            return;
        }
        String fingerprintOf = refreshToken != null ? refreshToken : token;
        gate.endSession(ex, "logout");
        gate.audit.record(Event.LOGOUT, "logout", ex.path, ex.origin.client(), fingerprintOf);
        if (wantsJson(ex)) {
            Answers.noContent(gate.privately(ex));
        } else {
            Answers.seeOther(gate.privately(ex), ex.request.getContextPath() + settings.logoutRedirectPath());
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
