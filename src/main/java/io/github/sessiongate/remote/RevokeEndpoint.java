package io.github.sessiongate.remote;

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
import java.util.List;
import java.util.Map;
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
 * WARN per {@link RefreshEndpoint#WARNING_INTERVAL}, as does an OAuth2 endpoint that refuses the
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
public final class RevokeEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RevokeEndpoint.class);

    /** Plain mode: the URL that takes the refresh token by POST. Not with {@link #PARAM_OAUTH2_REVOCATION_URL}. */
    public static final String PARAM_REVOKE_URL = "revoke-url";
    /** Plain mode: how the token is sent, {@value #FORMAT_FORM} or {@value #FORMAT_JSON}. */
    public static final String PARAM_REVOKE_FORMAT = "revoke-format";
    public static final String FORMAT_FORM = RefreshEndpoint.FORMAT_FORM;
    public static final String FORMAT_JSON = RefreshEndpoint.FORMAT_JSON;
    public static final String DEFAULT_REVOKE_FORMAT = FORMAT_FORM;
    /** Plain mode: the form field or JSON member that carries the refresh token. */
    public static final String PARAM_REVOKE_REQUEST_FIELD = "revoke-request-field";
    public static final String DEFAULT_REVOKE_REQUEST_FIELD = "refresh_token";
    /** OAuth2 mode: the RFC 7009 revocation endpoint; needs the client credentials. */
    public static final String PARAM_OAUTH2_REVOCATION_URL = "oauth2.revocation-url";

    private static final Set<String> CLIENT_ERRORS = Set.of("invalid_client", "unauthorized_client");
    private static final List<String> PLAIN_ONLY = List.of(PARAM_REVOKE_FORMAT, PARAM_REVOKE_REQUEST_FIELD);

    private final RefreshEndpoint.Mode mode;
    private final URI uri;
    private final boolean json;
    private final String requestField;
    private final ClientCredentials client;
    private final BackendHttp http;
    private final RateLimitedWarning credentialsRejected;
    private final RateLimitedWarning requestRejected;

    private RevokeEndpoint(RefreshEndpoint.Mode mode, URI uri, boolean json, String requestField,
            ClientCredentials client, Clock clock, BackendHttp http) {
        this.mode = mode;
        this.uri = uri;
        this.json = json;
        this.requestField = requestField;
        this.client = client;
        this.http = http;
        this.credentialsRejected = new RateLimitedWarning(LOG, clock, RefreshEndpoint.WARNING_INTERVAL,
                "The revocation endpoint {} rejects this filter's OAuth2 client credentials (oauth2.client-id / "
                        + "oauth2.client-secret): refresh tokens are not revoked at logout (users are still signed out); "
                        + "fix the credentials");
        this.requestRejected = new RateLimitedWarning(LOG, clock, RefreshEndpoint.WARNING_INTERVAL,
                "The revocation endpoint {} rejects the revocation request itself (unsupported_token_type, "
                        + "invalid_request or similar): refresh tokens are not revoked at logout (users are still signed out)");
    }

    /**
     * The endpoint the parameters describe.
     *
     * @return empty when neither {@code revoke-url} nor {@code oauth2.revocation-url} is set
     * @throws ConfigException naming the parameter at fault, e.g. when both are set
     */
    public static Optional<RevokeEndpoint> fromParams(InitParams params, Clock clock) {
        return plan(params, clock).map(p -> p.apply(params.transport().orElse(null)));
    }

    /**
     * Reads and checks the parameters now (as {@link #fromParams(InitParams, Clock)}); the function
     * builds the endpoint at each filter start over the filter's transport, or, given {@code null},
     * over one of its own that {@link #close()} stops. Not for application code.
     */
    public static Optional<Function<HttpTransport, RevokeEndpoint>> plan(InitParams params, Clock clock) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(clock, "clock");
        Optional<String> plainUrl = params.get(PARAM_REVOKE_URL);
        Optional<String> revocationUrl = params.get(PARAM_OAUTH2_REVOCATION_URL);
        if (plainUrl.isPresent() && revocationUrl.isPresent()) {
            throw new ConfigException(PARAM_OAUTH2_REVOCATION_URL, "cannot be combined with " + PARAM_REVOKE_URL
                    + ": set the one your backend speaks");
        }
        if (plainUrl.isEmpty() && revocationUrl.isEmpty()) {
            for (String name : PLAIN_ONLY) {
                if (params.get(name).isPresent()) {
                    throw new ConfigException(name, "applies only with " + PARAM_REVOKE_URL);
                }
            }
            return Optional.empty();
        }
        RefreshEndpoint.Mode mode;
        URI uri;
        boolean json = false;
        String requestField = DEFAULT_REVOKE_REQUEST_FIELD;
        ClientCredentials client = null;
        if (plainUrl.isPresent()) {
            mode = RefreshEndpoint.Mode.PLAIN;
            uri = BackendHttp.checkUrl(PARAM_REVOKE_URL, plainUrl.get());
            json = params.choice(PARAM_REVOKE_FORMAT, DEFAULT_REVOKE_FORMAT, FORMAT_FORM, FORMAT_JSON).equals(FORMAT_JSON);
            requestField = PostBody.fieldName(PARAM_REVOKE_REQUEST_FIELD,
                    params.get(PARAM_REVOKE_REQUEST_FIELD).orElse(DEFAULT_REVOKE_REQUEST_FIELD));
        } else {
            for (String name : PLAIN_ONLY) {
                if (params.get(name).isPresent()) {
                    throw new ConfigException(name, "applies only with " + PARAM_REVOKE_URL + "; "
                            + PARAM_OAUTH2_REVOCATION_URL + " sends token and token_type_hint (RFC 7009)");
                }
            }
            mode = RefreshEndpoint.Mode.OAUTH2;
            uri = BackendHttp.checkUrl(PARAM_OAUTH2_REVOCATION_URL, revocationUrl.get());
            client = ClientCredentials.read(params, PARAM_OAUTH2_REVOCATION_URL);
        }
        Duration connect = BackendHttp.connectTimeout(params);
        Duration read = BackendHttp.readTimeout(params);
        RefreshEndpoint.Mode m = mode;
        URI u = uri;
        boolean j = json;
        String field = requestField;
        ClientCredentials c = client;
        return Optional.of(transport -> new RevokeEndpoint(m, u, j, field, c, clock,
                BackendHttp.over(transport, connect, read)));
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
        if (mode == RefreshEndpoint.Mode.OAUTH2) {
            body.put("token", refreshToken);
            body.put("token_type_hint", "refresh_token");
            client.apply(builder, body);
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
        if (mode == RefreshEndpoint.Mode.OAUTH2 && (status == 400 || status == 401)) {
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
    public RefreshEndpoint.Mode mode() {
        return mode;
    }

    /** The revocation endpoint. */
    public URI uri() {
        return uri;
    }

    /** Mode and URL (without query), and the client id in OAuth2 mode; never a secret. */
    public String describe() {
        String base = "RevokeEndpoint[" + (mode == RefreshEndpoint.Mode.PLAIN
                ? "plain " + (json ? FORMAT_JSON : FORMAT_FORM) : "oauth2") + " " + where();
        return base + (client != null ? ", client=" + client.clientId() + " (" + client.method() + ")" : "") + "]";
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
        return RefreshEndpoint.withoutQuery(uri);
    }
}
