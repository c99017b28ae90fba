package io.github.sessiongate.engine;

import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.audit.Fingerprint;
import io.github.sessiongate.audit.GateMetrics;
import io.github.sessiongate.internal.RateLimitedWarning;
import io.github.sessiongate.login.BackChannelLogout;
import io.github.sessiongate.web.Answers;
import io.github.sessiongate.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenID Connect back-channel logout endpoint ({@code oidc.backchannel-logout-path}): the
 * provider, not a browser, posts {@code logout_token} as {@code application/x-www-form-urlencoded}
 * (§2.5). It runs right after the firewall, before the credentials step, so it never reads or writes
 * a session cookie, is never subject to the CSRF rule (there is no browser to forge for; the token's
 * signature is the defence) nor to the protected-path redirect. Answers (§2.8), each with
 * {@code Cache-Control: no-store}: {@code 200} with an empty body once the sessions are revoked;
 * {@code 400 {"error":"invalid_request"}} for any invalid request or token (a replay included);
 * {@code 503} with {@code Retry-After} when the provider's JWKS or a security store is unavailable
 * (never a {@code 400}, which would tell the provider to give up); {@code 405} with
 * {@code Allow: POST} for other methods. Log lines carry fingerprints only; a refused token's reason
 * goes to one WARN per minute however many are posted.
 */
final class BackChannelEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(FilterEngine.LOG_NAME);
    /** Largest body read: a logout token is a JWT of one or two kilobytes; 16 KiB leave room for big keys. */
    static final int MAX_BODY = 16 * 1024;
    private static final Map<String, String> INVALID = Map.of("error", "invalid_request");

    private final String path;
    private final BackChannelLogout logout;
    private final AuditLog audit;
    private final GateMetrics metrics;
    private final int retryAfterSeconds;
    private final RateLimitedWarning refused;

    BackChannelEndpoint(String path, BackChannelLogout logout, AuditLog audit, GateMetrics metrics, int retryAfterSeconds,
            Clock clock) {
        this.path = Objects.requireNonNull(path, "path");
        this.logout = Objects.requireNonNull(logout, "logout");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.retryAfterSeconds = retryAfterSeconds;
        this.refused = new RateLimitedWarning(LOG, clock, Duration.ofMinutes(1), "A back-channel logout token was refused: {}");
    }

    /** Whether the normalised path is this endpoint's (one trailing slash tolerated). */
    boolean matches(String requestPath) {
        return requestPath.equals(path) || requestPath.length() == path.length() + 1 && requestPath.endsWith("/")
                && requestPath.startsWith(path);
    }

    /** Serves one post of the provider; the response is complete when it returns. */
    void handle(HttpServletRequest request, HttpServletResponse response, String requestPath, String client) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            Answers.methodNotAllowed(response, "POST");
            return;
        }
        if (!isForm(request.getContentType())) {
            invalid(response, requestPath, client, null, "not application/x-www-form-urlencoded");
            return;
        }
        RequestBodies.Fields body = RequestBodies.read(request, MAX_BODY);
        String token = body.ok() ? body.get("logout_token").filter(t -> !t.isEmpty()).orElse(null) : null;
        if (token == null) {
            invalid(response, requestPath, client, null, body.ok() ? "no logout_token" : "body " + body.problem());
            return;
        }
        BackChannelLogout.Result result;
        try {
            result = logout.logout(token);
        } catch (RuntimeException e) {
            // A revoker or store that breaks its contract: transient for the provider, never a 500.
            LOG.warn("back-channel logout failed: {}; token {}", e.getClass().getName(), Fingerprint.of(token));
            result = new BackChannelLogout.Result(BackChannelLogout.Outcome.STORE_FULL, "failed");
        }
        switch (result.outcome()) {
            case LOGGED_OUT -> {
                audit.record(Event.LOGOUT, "back-channel logout by " + result.detail(), requestPath, client, token);
                metrics.flowEvent(Event.LOGOUT);
                response.setStatus(HttpServletResponse.SC_OK);
                response.setHeader("Cache-Control", "no-store");
                response.setContentLength(0);
            }
            case INVALID -> invalid(response, requestPath, client, token, result.detail());
            case KEYS_UNAVAILABLE, STORE_FULL -> {
                audit.record(Event.UNAVAILABLE, "back-channel logout: " + (result.outcome()
                        == BackChannelLogout.Outcome.KEYS_UNAVAILABLE ? "provider keys unavailable" : "security store full"),
                        requestPath, client, token);
                metrics.unavailable();
                Answers.unavailable(response, retryAfterSeconds);
            }
        }
    }

    private void invalid(HttpServletResponse response, String requestPath, String client, String token, String why)
            throws IOException {
        audit.record(Event.INVALID_TOKEN, "back-channel logout token refused", requestPath, client, token);
        metrics.badRequest();
        refused.warn(AuditLog.escape(why) + "; token " + Fingerprint.of(token));
        Answers.json(response, HttpServletResponse.SC_BAD_REQUEST, INVALID);
    }

    /** {@code application/x-www-form-urlencoded}, with parameters such as a charset or without. */
    static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return type.equals("application/x-www-form-urlencoded");
    }
}
