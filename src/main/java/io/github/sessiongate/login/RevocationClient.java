package io.github.sessiongate.login;

import io.github.sessiongate.remote.HttpTokenRefresher;
import io.github.sessiongate.internal.ClientAuth;
import io.github.sessiongate.internal.Json;
import io.github.sessiongate.internal.PostBody;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.ClientCredentials;
import io.github.sessiongate.RevokeSettings;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.audit.Fingerprint;
import io.github.sessiongate.internal.HttpTransport;
import io.github.sessiongate.internal.RateLimitedWarning;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes a refresh token at the backend on logout, best effort, in one of two modes:
 *
 * <ul>
 *   <li><b>plain</b> ({@code revoke-url}): {@code POST} of the refresh token as a form field or a
 *       JSON member ({@code revoke-format}, {@code revoke-request-field}).</li>
 *   <li><b>OAuth2</b> ({@code oauth2.revocation-url}): token revocation as in
 *       <a href="https://www.rfc-editor.org/rfc/rfc7009">RFC 7009</a>,
 *       {@code token=...&token_type_hint=refresh_token}, authenticated with the filter's client
 *       credentials ({@code oauth2.client-id}, {@code oauth2.client-secret},
 *       {@code oauth2.client-auth}, as for refresh).</li>
 * </ul>
 *
 * <p>Any 2xx answer counts as revoked (RFC 7009 answers 200 for an unknown or already revoked
 * token too); anything else, including a timeout or a refused connection, is {@code false},
 * logged at DEBUG with the token's {@link Fingerprint}. An answer that the filter's own client
 * credentials are wrong ({@code invalid_client}, {@code unauthorized_client}, or any 401) gets one
 * WARN per {@link HttpTokenRefresher#WARNING_INTERVAL}, as does an OAuth2 endpoint that refuses the
 * request itself (a 400 such as {@code unsupported_token_type}).
 *
 * <p><b>A failed revocation never keeps the user signed in:</b> the caller clears the session
 * cookies whatever {@link #revoke} returns. The only cost of a failure is that the refresh token
 * stays valid at the backend until it expires. There are no retries; {@link #revoke} blocks for at
 * most {@code backend-connect-timeout} + {@code backend-read-timeout}, so a caller that must not
 * wait may run it off the request thread.
 *
 * <pre>{@code
 * <init-param><param-name>oauth2.revocation-url</param-name>
 *   <param-value>https://idp.example.com/oauth2/revoke</param-value></init-param>
 * }</pre>
 *
 * <p>URLs must be {@code https} unless the host is loopback. Nothing here logs a token or a secret.
 * Thread-safe; {@link #close()} releases its HTTP client and threads.
 */
public final class RevocationClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationClient.class);

    private static final Set<String> CLIENT_ERRORS = Set.of("invalid_client", "unauthorized_client");

    private final HttpTokenRefresher.Mode mode;
    private final URI uri;
    private final boolean json;
    private final String requestField;
    private final ClientCredentials client;
    private final BackendHttp http;
    private final RateLimitedWarning credentialsRejected;
    private final RateLimitedWarning requestRejected;

    private RevocationClient(HttpTokenRefresher.Mode mode, URI uri, boolean json, String requestField,
            ClientCredentials client, Clock clock, BackendHttp http) {
        this.mode = mode;
        this.uri = uri;
        this.json = json;
        this.requestField = requestField;
        this.client = client;
        this.http = http;
        this.credentialsRejected = new RateLimitedWarning(LOG, clock, HttpTokenRefresher.WARNING_INTERVAL,
                "The revocation endpoint {} rejects this filter's OAuth2 client credentials (oauth2.client-id / "
                        + "oauth2.client-secret): refresh tokens are not revoked at logout (users are still signed out); "
                        + "fix the credentials");
        this.requestRejected = new RateLimitedWarning(LOG, clock, HttpTokenRefresher.WARNING_INTERVAL,
                "The revocation endpoint {} rejects the revocation request itself (unsupported_token_type, "
                        + "invalid_request or similar): refresh tokens are not revoked at logout (users are still signed out)");
    }

    /** The settings of the {@code revoke-*} and {@code oauth2.revocation-url} init-params (marking them read). */
    public static RevokeSettings settingsFrom(InitParams params) {
        RevokeSettings.Builder b = RevokeSettings.builder();
        Optional<String> plainUrl = params.get(RevokeSettings.PARAM_REVOKE_URL);
        Optional<String> revocationUrl = params.get(RevokeSettings.PARAM_OAUTH2_REVOCATION_URL);
        Optional<String> format = params.get(RevokeSettings.PARAM_REVOKE_FORMAT);
        Optional<String> requestField = params.get(RevokeSettings.PARAM_REVOKE_REQUEST_FIELD);
        plainUrl.ifPresent(b::url);
        format.ifPresent(b::format);
        requestField.ifPresent(b::requestField);
        if (revocationUrl.isPresent()) {
            if (plainUrl.isEmpty() && format.isEmpty() && requestField.isEmpty()) {
                BackendHttp.checkUrl(RevokeSettings.PARAM_OAUTH2_REVOCATION_URL, revocationUrl.get());
                b.oauth2(revocationUrl.get(), ClientAuth.read(params, RevokeSettings.PARAM_OAUTH2_REVOCATION_URL));
            } else {
                // Refused by build() for the combination, before the credentials are read: the stand-in is never used.
                b.oauth2(revocationUrl.get(), ClientCredentials.of("unset", "unset"));
            }
        }
        return b.build();
    }

    /**
     * The function builds the endpoint these settings describe at each filter start, over the
     * filter's transport, or, given {@code null}, over one of its own (with {@code connect}) that
     * {@link #close()} stops. Not for application code.
     *
     * @return empty when the settings name no revocation backend
     */
    public static Optional<Function<HttpTransport, RevocationClient>> plan(RevokeSettings settings, Clock clock, Duration connect,
            Duration read) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(read, "read");
        if (!settings.enabled()) {
            return Optional.empty();
        }
        return Optional.of(transport -> new RevocationClient(settings.oauth2() ? HttpTokenRefresher.Mode.OAUTH2 : HttpTokenRefresher.Mode.PLAIN,
                settings.url().orElseThrow(), settings.json(), settings.requestField(), settings.client().orElse(null), clock, BackendHttp.over(transport, connect, read)));
    }

    /**
     * Asks the backend to revoke the refresh token. Never throws. A token that cannot have come from
     * this filter's cookie ({@code null}, empty, too long, or not cookie-safe) is not sent.
     *
     * @return {@code true} on a 2xx answer; {@code false} otherwise. Either way the caller clears
     *     the session cookies: {@code false} only means the token may stay valid at the backend
     *     until it expires
     */
    public boolean revoke(String refreshToken) {
        String fingerprint = Fingerprint.of(refreshToken);
        if (!Json.isCookieSafeToken(refreshToken)) {
            LOG.debug("revoke {}: not sent (no usable refresh token)", fingerprint);
            return false;
        }
        HttpRequest request;
        try {
            request = buildRequest(refreshToken);
        } catch (RuntimeException e) {
            LOG.debug("revoke {}: request not built ({})", fingerprint, e.getClass().getName());
            return false;
        }
        BackendHttp.Response response;
        try {
            response = http.send(request);
        } catch (BackendHttp.Unreachable e) {
            LOG.debug("revoke {} at {}: no answer ({}), not revoked", fingerprint, where(), e.getMessage());
            return false;
        }
        try {
            return answer(response, fingerprint);
        } catch (RuntimeException e) {
            LOG.debug("revoke {}: answer not read ({})", fingerprint, e.getClass().getName());
            return false;
        }
    }

    private HttpRequest buildRequest(String refreshToken) {
        HttpRequest.Builder builder = http.request(uri);
        Map<String, String> body = new LinkedHashMap<>();
        if (mode == HttpTokenRefresher.Mode.OAUTH2) {
            body.put("token", refreshToken);
            body.put("token_type_hint", "refresh_token");
            ClientAuth.apply(client, builder, body);
        } else {
            body.put(requestField, refreshToken);
        }
        return PostBody.post(builder, json, body).build();
    }

    private boolean answer(BackendHttp.Response response, String fingerprint) {
        int status = response.status();
        if (status >= 200 && status <= 299) {
            LOG.debug("revoke {} done at {} (status {})", fingerprint, where(), status);
            return true;
        }
        if (mode == HttpTokenRefresher.Mode.OAUTH2 && (status == 400 || status == 401)) {
            String error = Json.object(response.body()).flatMap(j -> Json.string(j, "error")).orElse("");
            if (status == 401 || CLIENT_ERRORS.contains(error)) {
                credentialsRejected.warn(where());
            } else {
                requestRejected.warn(where());
            }
        }
        LOG.debug("revoke {} at {}: status {}, not revoked", fingerprint, where(), status);
        return false;
    }

    /** Plain ({@code revoke-url}) or OAuth2 ({@code oauth2.revocation-url}). */
    public HttpTokenRefresher.Mode mode() {
        return mode;
    }

    /** The revocation endpoint. */
    public URI uri() {
        return uri;
    }

    /** Mode and URL (without query), and the client id in OAuth2 mode; never a secret. */
    public String describe() {
        String base = "RevocationClient[" + (mode == HttpTokenRefresher.Mode.PLAIN
                ? "plain " + (json ? RevokeSettings.FORMAT_JSON : RevokeSettings.FORMAT_FORM) : "oauth2") + " " + where();
        return base + (client != null ? ", client=" + client.clientId() + " (" + ClientAuth.method(client) + ")" : "") + "]";
    }

    /**
     * Later calls: revocations return false. Stops the HTTP threads only of a transport this object built
     * itself (standalone use); the filter's shared transport is the filter's to stop.
     */
    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return describe();
    }

    private String where() {
        return BackendHttp.withoutQuery(uri);
    }
}
