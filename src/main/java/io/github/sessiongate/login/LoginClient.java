package io.github.sessiongate.login;

import io.github.sessiongate.remote.HttpTokenRefresher;
import io.github.sessiongate.internal.ClientAuth;
import io.github.sessiongate.internal.Json;
import io.github.sessiongate.internal.TokenFields;
import io.github.sessiongate.internal.PostBody;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.ClientCredentials;
import io.github.sessiongate.LoginSettings;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.audit.Fingerprint;
import io.github.sessiongate.internal.HttpTransport;
import io.github.sessiongate.internal.RateLimitedWarning;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trades a username and password for tokens at the backend, for {@code POST /auth/login}, in one
 * of two modes:
 *
 * <ul>
 *   <li><b>plain</b> ({@code login-url}): {@code POST} of the username and password as a form or a
 *       JSON object ({@code login-format}, {@code login-username-field},
 *       {@code login-password-field}). A 200 answer is read with the same {@code field.*} paths as
 *       a refresh answer; 400, 401 and 403 reject the credentials; anything else is
 *       "unavailable".</li>
 *   <li><b>OAuth2 password grant</b> ({@code login-grant=password}): the resource owner password
 *       credentials grant of <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.3">RFC
 *       6749, section 4.3</a> at {@code oauth2.token-url}, authenticated with the filter's client
 *       credentials ({@code oauth2.client-id}, {@code oauth2.client-secret}, as for refresh). Only
 *       {@code error=invalid_grant} (on 400 or 401) rejects. <b>This grant is legacy</b>: the
 *       <a href="https://www.rfc-editor.org/rfc/rfc9700#section-2.4">OAuth 2.0 Security BCP (RFC
 *       9700, 2.4)</a> says it must not be used, and OAuth 2.1 drops it. Use it only with a
 *       first-party backend that you run and that has no browser login of its own; otherwise log
 *       in with a redirect flow.</li>
 * </ul>
 *
 * <p><b>Only a definitive answer about the credentials rejects them</b>, because a rejection
 * counts as a failed password: timeouts, refused connections, 5xx, 429, redirects, an unparsable
 * or incomplete 200 (no usable access token, or a refresh-token member that is not a usable
 * string) are {@linkplain LoginResult.Unavailable unavailable}. An answer saying the filter's own
 * client credentials are wrong ({@code invalid_client}, or a 401 without {@code invalid_grant}),
 * or that the token endpoint refuses the request itself ({@code unsupported_grant_type},
 * {@code unauthorized_client}, ...), is also unavailable, with one WARN per
 * {@link HttpTokenRefresher#WARNING_INTERVAL}. A 200 without a refresh token is a session without
 * one (it ends when the access token expires).
 *
 * <p>Credentials that cannot be right are {@linkplain LoginResult.Rejected rejected} without a
 * backend call: a missing or blank username, a missing or empty password (some directories treat
 * an empty password as an anonymous bind that succeeds), either longer than
 * {@value #MAX_CREDENTIAL_LENGTH} characters, or either containing a control character or an
 * unpaired surrogate. The username and password are sent UTF-8 form-encoded or as JSON strings,
 * never logged (not even as a fingerprint: a username's hash is easy to guess), and never kept.
 *
 * <pre>{@code
 * <init-param><param-name>login-url</param-name>
 *   <param-value>https://auth.example.com/login</param-value></init-param>
 * <init-param><param-name>login-format</param-name><param-value>json</param-value></init-param>
 * }</pre>
 *
 * <p>Timeouts are {@code backend-connect-timeout} and {@code backend-read-timeout}; URLs must be
 * {@code https} unless the host is loopback. Thread-safe; {@link #close()} releases its HTTP
 * client and threads.
 */
public final class LoginClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoginClient.class);

    /** Longest username or password sent, in characters (UTF-16 units); a longer one is rejected. */
    public static final int MAX_CREDENTIAL_LENGTH = 1024;
    /** Plain mode: the statuses that reject the credentials. */
    public static final Set<Integer> REJECTED_STATUSES = Set.of(400, 401, 403);

    private static final Set<String> CLIENT_ERRORS = Set.of("invalid_client");

    private final HttpTokenRefresher.Mode mode;
    private final URI uri;
    private final boolean json;
    private final String usernameField;
    private final String passwordField;
    private final ClientCredentials client;
    private final TokenFields fields;
    private final BackendHttp http;
    private final RateLimitedWarning credentialsRejected;
    private final RateLimitedWarning requestRejected;

    private LoginClient(HttpTokenRefresher.Mode mode, URI uri, boolean json, String usernameField, String passwordField,
            ClientCredentials client, TokenFields fields, Clock clock, BackendHttp http) {
        this.mode = mode;
        this.uri = uri;
        this.json = json;
        this.usernameField = usernameField;
        this.passwordField = passwordField;
        this.client = client;
        this.fields = fields;
        this.http = http;
        this.credentialsRejected = new RateLimitedWarning(LOG, clock, HttpTokenRefresher.WARNING_INTERVAL,
                "The token endpoint {} rejects this filter's OAuth2 client credentials (oauth2.client-id / "
                        + "oauth2.client-secret): logins fail as unavailable; fix the credentials");
        this.requestRejected = new RateLimitedWarning(LOG, clock, HttpTokenRefresher.WARNING_INTERVAL,
                "The token endpoint {} rejects the login request itself (unsupported_grant_type, unauthorized_client "
                        + "or similar): logins fail as unavailable; check that this client may use the password grant");
    }

    /** The settings of the {@code login-*} init-params (marking them read); the builder checks. */
    public static LoginSettings settingsFrom(InitParams params) {
        LoginSettings.Builder b = LoginSettings.builder();
        Optional<String> url = params.get(LoginSettings.PARAM_LOGIN_URL);
        url.ifPresent(b::url);
        boolean grant = params.get(LoginSettings.PARAM_LOGIN_GRANT).isPresent()
                && params.choice(LoginSettings.PARAM_LOGIN_GRANT, LoginSettings.GRANT_PASSWORD, LoginSettings.GRANT_PASSWORD).equals(LoginSettings.GRANT_PASSWORD);
        params.get(LoginSettings.PARAM_LOGIN_FORMAT).ifPresent(b::format);
        params.get(LoginSettings.PARAM_LOGIN_USERNAME_FIELD).ifPresent(b::usernameField);
        params.get(LoginSettings.PARAM_LOGIN_PASSWORD_FIELD).ifPresent(b::passwordField);
        if (grant) {
            if (url.isPresent() || params.get(LoginSettings.PARAM_LOGIN_FORMAT).isPresent()
                    || params.get(LoginSettings.PARAM_LOGIN_USERNAME_FIELD).isPresent()
                    || params.get(LoginSettings.PARAM_LOGIN_PASSWORD_FIELD).isPresent()) {
                // Refused by build() for the conflict, before the token endpoint is read: these stand-ins are never used.
                b.passwordGrant("https://unset.invalid", ClientCredentials.of("unset", "unset"));
            } else {
                String tokenUrl = params.require(ClientCredentials.PARAM_OAUTH2_TOKEN_URL,
                        LoginSettings.PARAM_LOGIN_GRANT + "=" + LoginSettings.GRANT_PASSWORD + " logs in at the OAuth2 token endpoint");
                BackendHttp.checkUrl(ClientCredentials.PARAM_OAUTH2_TOKEN_URL, tokenUrl);
                b.passwordGrant(tokenUrl, ClientAuth.read(params, ClientCredentials.PARAM_OAUTH2_TOKEN_URL));
            }
        }
        if (url.isPresent() || grant) {
            params.get(LoginSettings.PARAM_FIELD_ACCESS_TOKEN).ifPresent(b::accessTokenField);
            params.get(LoginSettings.PARAM_FIELD_REFRESH_TOKEN).ifPresent(b::refreshTokenField);
            params.get(LoginSettings.PARAM_FIELD_EXPIRES_IN).ifPresent(b::expiresInField);
        }
        return b.build();
    }

    /**
     * The function builds the endpoint these settings describe at each filter start, over the
     * filter's transport, or, given {@code null}, over one of its own (with {@code connect}) that
     * {@link #close()} stops. Not for application code.
     *
     * @return empty when the settings name no login backend
     */
    public static Optional<Function<HttpTransport, LoginClient>> plan(LoginSettings settings, Clock clock, Duration connect,
            Duration read) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(read, "read");
        if (!settings.enabled()) {
            return Optional.empty();
        }
        TokenFields fields = TokenFields.of(settings.accessTokenField(), settings.refreshTokenField(), settings.expiresInField(),
                clock);
        return Optional.of(transport -> new LoginClient(settings.passwordGrant() ? HttpTokenRefresher.Mode.OAUTH2 : HttpTokenRefresher.Mode.PLAIN,
                settings.url().orElseThrow(), settings.json(), settings.usernameField(), settings.passwordField(),
                settings.client().orElse(null), fields, clock, BackendHttp.over(transport, connect, read)));
    }

    /**
     * Logs in. Never throws and never returns {@code null}: wrong credentials are
     * {@link LoginResult.Rejected}, a backend without a verdict is {@link LoginResult.Unavailable}.
     *
     * @param username as the user typed it (sent unchanged); {@code null} is rejected
     * @param password as the user typed it; {@code null} is rejected
     */
    public LoginResult login(String username, String password) {
        String unusable = unusable(username, password);
        if (unusable != null) {
            LOG.debug("login rejected without a backend call: {}", unusable);
            return LoginResult.rejected();
        }
        HttpRequest request;
        try {
            request = buildRequest(username, password);
        } catch (RuntimeException e) {
            LOG.debug("login: request not built ({})", e.getClass().getName());
            return LoginResult.unavailable("login request could not be built (" + e.getClass().getSimpleName() + ")");
        }
        BackendHttp.Response response;
        try {
            response = http.send(request);
        } catch (BackendHttp.Unreachable e) {
            LOG.debug("login at {}: no answer ({})", where(), e.getMessage());
            return LoginResult.unavailable("login endpoint: " + e.getMessage());
        }
        try {
            return mode == HttpTokenRefresher.Mode.PLAIN ? plainAnswer(response) : oauth2Answer(response);
        } catch (RuntimeException e) {
            LOG.debug("login: answer not read ({})", e.getClass().getName());
            return LoginResult.unavailable("login answer could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Why these credentials cannot be right (fixed text, never the value), or {@code null}. */
    static String unusable(String username, String password) {
        if (username == null || username.isBlank()) {
            return "blank username";
        }
        if (password == null || password.isEmpty()) {
            return "empty password";
        }
        if (username.length() > MAX_CREDENTIAL_LENGTH) {
            return "username longer than " + MAX_CREDENTIAL_LENGTH + " characters";
        }
        if (password.length() > MAX_CREDENTIAL_LENGTH) {
            return "password longer than " + MAX_CREDENTIAL_LENGTH + " characters";
        }
        if (!printable(username)) {
            return "control character or unpaired surrogate in the username";
        }
        if (!printable(password)) {
            return "control character or unpaired surrogate in the password";
        }
        return null;
    }

    /** No C0/C1 control character or DEL, no unpaired surrogate (it would be sent as '?'). */
    private static boolean printable(String s) {
        return s.codePoints().noneMatch(cp -> {
            int type = Character.getType(cp);
            return type == Character.CONTROL || type == Character.SURROGATE;
        });
    }

    private HttpRequest buildRequest(String username, String password) {
        HttpRequest.Builder builder = http.request(uri);
        Map<String, String> body = new LinkedHashMap<>();
        if (mode == HttpTokenRefresher.Mode.OAUTH2) {
            body.put("grant_type", "password");
            body.put("username", username);
            body.put("password", password);
            ClientAuth.apply(client, builder, body);
        } else {
            body.put(usernameField, username);
            body.put(passwordField, password);
        }
        return PostBody.post(builder, json, body).build();
    }

    private LoginResult plainAnswer(BackendHttp.Response response) {
        int status = response.status();
        if (status == 200) {
            return tokens(response);
        }
        if (REJECTED_STATUSES.contains(status)) {
            LOG.debug("login rejected by {} (status {})", where(), status);
            return LoginResult.rejected();
        }
        LOG.debug("login at {}: status {}, no verdict", where(), status);
        return LoginResult.unavailable("login endpoint answered " + status);
    }

    private LoginResult oauth2Answer(BackendHttp.Response response) {
        int status = response.status();
        if (status == 200) {
            return tokens(response);
        }
        if (status == 400 || status == 401) {
            String error = Json.object(response.body()).flatMap(j -> Json.string(j, "error")).orElse("");
            if (error.equals("invalid_grant")) {
                LOG.debug("login rejected by {} (invalid_grant)", where());
                return LoginResult.rejected();
            }
            if (status == 401 || CLIENT_ERRORS.contains(error)) {
                credentialsRejected.warn(where());
                return LoginResult.unavailable("token endpoint rejects the client credentials");
            }
            requestRejected.warn(where());
            return LoginResult.unavailable("token endpoint rejects the login request");
        }
        LOG.debug("login at {}: status {}, no verdict", where(), status);
        return LoginResult.unavailable("token endpoint answered " + status);
    }

    private LoginResult tokens(BackendHttp.Response response) {
        Optional<Map<String, Object>> answer = Json.object(response.body());
        if (answer.isEmpty()) {
            LOG.debug("login at {}: 200 with an unparsable answer", where());
            return LoginResult.unavailable("login answer is not a JSON object");
        }
        Optional<TokenPair> tokens = fields.read(answer.get());
        if (tokens.isEmpty()) {
            LOG.debug("login at {}: 200 with an incomplete answer", where());
            return LoginResult.unavailable("login answer lacks a usable access or refresh token");
        }
        LOG.debug("login done at {}: access token {}, refresh token {}", where(),
                Fingerprint.of(tokens.get().accessToken()),
                tokens.get().rotatedRefreshToken().map(Fingerprint::of).orElse("none"));
        return LoginResult.success(tokens.get());
    }

    /** Plain ({@code login-url}) or OAuth2 (the password grant at {@code oauth2.token-url}). */
    public HttpTokenRefresher.Mode mode() {
        return mode;
    }

    /** The login or token endpoint. */
    public URI uri() {
        return uri;
    }

    /** Mode and URL (without query), and the client id in OAuth2 mode; never a secret. */
    public String describe() {
        String base = "LoginClient[" + (mode == HttpTokenRefresher.Mode.PLAIN
                ? "plain " + (json ? LoginSettings.FORMAT_JSON : LoginSettings.FORMAT_FORM) : "oauth2 password grant") + " " + where();
        return base + (client != null ? ", client=" + client.clientId() + " (" + ClientAuth.method(client) + ")" : "") + "]";
    }

    /**
     * Later calls: logins are unavailable. Stops the HTTP threads only of a transport this object built
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
