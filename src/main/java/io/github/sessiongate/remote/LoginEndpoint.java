package io.github.sessiongate.remote;

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
 * {@link RefreshEndpoint#WARNING_INTERVAL}. A 200 without a refresh token is a session without
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
public final class LoginEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoginEndpoint.class);

    /** Plain mode: the URL that takes the username and password by POST. Not with {@link #PARAM_LOGIN_GRANT}. */
    public static final String PARAM_LOGIN_URL = "login-url";
    /** Plain mode: how the credentials are sent, {@value #FORMAT_FORM} or {@value #FORMAT_JSON}. */
    public static final String PARAM_LOGIN_FORMAT = "login-format";
    public static final String FORMAT_FORM = RefreshEndpoint.FORMAT_FORM;
    public static final String FORMAT_JSON = RefreshEndpoint.FORMAT_JSON;
    public static final String DEFAULT_LOGIN_FORMAT = FORMAT_FORM;
    /** Plain mode: the form field or JSON member that carries the username. */
    public static final String PARAM_LOGIN_USERNAME_FIELD = "login-username-field";
    public static final String DEFAULT_LOGIN_USERNAME_FIELD = "username";
    /** Plain mode: the form field or JSON member that carries the password. */
    public static final String PARAM_LOGIN_PASSWORD_FIELD = "login-password-field";
    public static final String DEFAULT_LOGIN_PASSWORD_FIELD = "password";
    /**
     * {@value #GRANT_PASSWORD}: log in with the OAuth2 password grant at
     * {@link RefreshEndpoint#PARAM_OAUTH2_TOKEN_URL} (legacy; first-party backends only). No default.
     */
    public static final String PARAM_LOGIN_GRANT = "login-grant";
    public static final String GRANT_PASSWORD = "password";

    /** Longest username or password sent, in characters (UTF-16 units); a longer one is rejected. */
    public static final int MAX_CREDENTIAL_LENGTH = 1024;
    /** Plain mode: the statuses that reject the credentials. */
    public static final Set<Integer> REJECTED_STATUSES = Set.of(400, 401, 403);

    private static final Set<String> CLIENT_ERRORS = Set.of("invalid_client");

    private final RefreshEndpoint.Mode mode;
    private final URI uri;
    private final boolean json;
    private final String usernameField;
    private final String passwordField;
    private final ClientCredentials client;
    private final TokenFields fields;
    private final BackendHttp http;
    private final RateLimitedWarning credentialsRejected;
    private final RateLimitedWarning requestRejected;

    private LoginEndpoint(RefreshEndpoint.Mode mode, URI uri, boolean json, String usernameField, String passwordField,
            ClientCredentials client, TokenFields fields, Clock clock, BackendHttp http) {
        this.mode = mode;
        this.uri = uri;
        this.json = json;
        this.usernameField = usernameField;
        this.passwordField = passwordField;
        this.client = client;
        this.fields = fields;
        this.http = http;
        this.credentialsRejected = new RateLimitedWarning(LOG, clock, RefreshEndpoint.WARNING_INTERVAL,
                "The token endpoint {} rejects this filter's OAuth2 client credentials (oauth2.client-id / "
                        + "oauth2.client-secret): logins fail as unavailable; fix the credentials");
        this.requestRejected = new RateLimitedWarning(LOG, clock, RefreshEndpoint.WARNING_INTERVAL,
                "The token endpoint {} rejects the login request itself (unsupported_grant_type, unauthorized_client "
                        + "or similar): logins fail as unavailable; check that this client may use the password grant");
    }

    /**
     * The endpoint the parameters describe.
     *
     * @return empty when neither {@code login-url} nor {@code login-grant} is set (an
     *     {@code oauth2.token-url} alone configures refresh, not login)
     * @throws ConfigException naming the parameter at fault, e.g. when both are set, or when
     *     {@code login-grant=password} lacks {@code oauth2.token-url} or the client credentials
     */
    public static Optional<LoginEndpoint> fromParams(InitParams params, Clock clock) {
        return plan(params, clock).map(p -> p.apply(params.attached(HttpTransport.class).orElse(null)));
    }

    /**
     * Reads and checks the parameters now (as {@link #fromParams(InitParams, Clock)}): a
     * string-to-{@link Settings.Builder} mapping, then {@link #plan(Settings, Clock, Duration, Duration)}
     * with {@code backend-connect-timeout} and {@code backend-read-timeout}. Not for application code.
     */
    public static Optional<Function<HttpTransport, LoginEndpoint>> plan(InitParams params, Clock clock) {
        Objects.requireNonNull(params, "params");
        Settings settings = Settings.fromParams(params);
        if (!settings.enabled()) {
            return Optional.empty();
        }
        return plan(settings, clock, BackendHttp.connectTimeout(params), BackendHttp.readTimeout(params));
    }

    /** Starts login settings in code; see {@link Settings.Builder}. */
    public static Settings.Builder settings() {
        return new Settings.Builder();
    }

    /**
     * The function builds the endpoint these settings describe at each filter start, over the
     * filter's transport, or, given {@code null}, over one of its own (with {@code connect}) that
     * {@link #close()} stops. Not for application code.
     *
     * @return empty when the settings name no login backend
     */
    public static Optional<Function<HttpTransport, LoginEndpoint>> plan(Settings settings, Clock clock, Duration connect,
            Duration read) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(read, "read");
        if (!settings.enabled()) {
            return Optional.empty();
        }
        TokenFields fields = TokenFields.of(settings.accessTokenField, settings.refreshTokenField, settings.expiresInField,
                clock);
        return Optional.of(transport -> new LoginEndpoint(settings.mode, settings.uri, settings.json, settings.usernameField,
                settings.passwordField, settings.client, fields, clock, BackendHttp.over(transport, connect, read)));
    }

    /**
     * Where and how the filter logs users in: a plain {@code login-url}, or the OAuth2 password
     * grant. Immutable, checked by {@link Builder#build()} with the init-params' rules and messages.
     * {@link #toString()} shows no secret.
     */
    public static final class Settings {
        private final RefreshEndpoint.Mode mode;
        private final URI uri;
        private final boolean json;
        private final String usernameField;
        private final String passwordField;
        private final ClientCredentials client;
        private final String accessTokenField;
        private final String refreshTokenField;
        private final String expiresInField;

        private Settings(Builder b) {
            if (b.url != null && b.passwordGrant) {
                throw new ConfigException(PARAM_LOGIN_GRANT, "cannot be combined with " + PARAM_LOGIN_URL + ": set "
                        + PARAM_LOGIN_URL + " for a plain login endpoint, or " + PARAM_LOGIN_GRANT + "=" + GRANT_PASSWORD
                        + " to log in at " + RefreshEndpoint.PARAM_OAUTH2_TOKEN_URL);
            }
            String plainOnly = b.format != null ? PARAM_LOGIN_FORMAT : b.usernameField != null ? PARAM_LOGIN_USERNAME_FIELD
                    : b.passwordField != null ? PARAM_LOGIN_PASSWORD_FIELD : null;
            if (b.url == null && !b.passwordGrant) {
                if (plainOnly != null) {
                    throw new ConfigException(plainOnly, "applies only with " + PARAM_LOGIN_URL);
                }
                this.mode = null;
                this.uri = null;
                this.json = false;
                this.usernameField = DEFAULT_LOGIN_USERNAME_FIELD;
                this.passwordField = DEFAULT_LOGIN_PASSWORD_FIELD;
                this.client = null;
                this.accessTokenField = null;
                this.refreshTokenField = null;
                this.expiresInField = null;
                return;
            }
            if (b.url != null) {
                this.mode = RefreshEndpoint.Mode.PLAIN;
                this.uri = BackendHttp.checkUrl(PARAM_LOGIN_URL, b.url);
                String format = b.format == null ? DEFAULT_LOGIN_FORMAT : b.format.toLowerCase(Locale.ROOT);
                if (!format.equals(FORMAT_FORM) && !format.equals(FORMAT_JSON)) {
                    throw new ConfigException(PARAM_LOGIN_FORMAT, "must be one of " + FORMAT_FORM + ", " + FORMAT_JSON
                            + ", not '" + b.format + "'");
                }
                this.json = format.equals(FORMAT_JSON);
                this.usernameField = PostBody.fieldName(PARAM_LOGIN_USERNAME_FIELD,
                        b.usernameField != null ? b.usernameField : DEFAULT_LOGIN_USERNAME_FIELD);
                this.passwordField = PostBody.fieldName(PARAM_LOGIN_PASSWORD_FIELD,
                        b.passwordField != null ? b.passwordField : DEFAULT_LOGIN_PASSWORD_FIELD);
                if (usernameField.equals(passwordField)) {
                    throw new ConfigException(PARAM_LOGIN_PASSWORD_FIELD, "must differ from " + PARAM_LOGIN_USERNAME_FIELD
                            + " ('" + usernameField + "')");
                }
                this.client = null;
            } else {
                if (plainOnly != null) {
                    throw new ConfigException(plainOnly, "applies only with " + PARAM_LOGIN_URL + "; "
                            + PARAM_LOGIN_GRANT + "=" + GRANT_PASSWORD + " sends the grant's username and password fields");
                }
                this.mode = RefreshEndpoint.Mode.OAUTH2;
                this.uri = BackendHttp.checkUrl(RefreshEndpoint.PARAM_OAUTH2_TOKEN_URL, Objects.requireNonNull(b.tokenUrl,
                        "tokenUrl"));
                this.client = Objects.requireNonNull(b.client, "client");
                this.json = false;
                this.usernameField = DEFAULT_LOGIN_USERNAME_FIELD;
                this.passwordField = DEFAULT_LOGIN_PASSWORD_FIELD;
            }
            this.accessTokenField = b.accessTokenField;
            this.refreshTokenField = b.refreshTokenField;
            this.expiresInField = b.expiresInField;
            TokenFields.of(accessTokenField, refreshTokenField, expiresInField, Clock.systemUTC()); // checks the paths now
        }

        /** The settings of the {@code login-*} init-params (marking them read); the builder checks. */
        public static Settings fromParams(InitParams params) {
            Builder b = new Builder();
            Optional<String> url = params.get(PARAM_LOGIN_URL);
            url.ifPresent(b::url);
            boolean grant = params.get(PARAM_LOGIN_GRANT).isPresent()
                    && params.choice(PARAM_LOGIN_GRANT, GRANT_PASSWORD, GRANT_PASSWORD).equals(GRANT_PASSWORD);
            params.get(PARAM_LOGIN_FORMAT).ifPresent(b::format);
            params.get(PARAM_LOGIN_USERNAME_FIELD).ifPresent(b::usernameField);
            params.get(PARAM_LOGIN_PASSWORD_FIELD).ifPresent(b::passwordField);
            if (grant) {
                if (url.isPresent() || b.format != null || b.usernameField != null || b.passwordField != null) {
                    b.passwordGrant = true; // refused by build() before the token endpoint is read
                } else {
                    String tokenUrl = params.require(RefreshEndpoint.PARAM_OAUTH2_TOKEN_URL,
                            PARAM_LOGIN_GRANT + "=" + GRANT_PASSWORD + " logs in at the OAuth2 token endpoint");
                    BackendHttp.checkUrl(RefreshEndpoint.PARAM_OAUTH2_TOKEN_URL, tokenUrl);
                    b.passwordGrant(tokenUrl, ClientCredentials.read(params, RefreshEndpoint.PARAM_OAUTH2_TOKEN_URL));
                }
            }
            if (url.isPresent() || grant) {
                params.get(RefreshEndpoint.PARAM_FIELD_ACCESS_TOKEN).ifPresent(b::accessTokenField);
                params.get(RefreshEndpoint.PARAM_FIELD_REFRESH_TOKEN).ifPresent(b::refreshTokenField);
                params.get(RefreshEndpoint.PARAM_FIELD_EXPIRES_IN).ifPresent(b::expiresInField);
            }
            return b.build();
        }

        /** Whether a login backend is set (else the login endpoint is off). */
        public boolean enabled() {
            return mode != null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Settings other && mode == other.mode && Objects.equals(uri, other.uri) && json == other.json
                    && usernameField.equals(other.usernameField) && passwordField.equals(other.passwordField)
                    && Objects.equals(client == null ? null : client.toString(), other.client == null ? null : other.client.toString())
                    && Objects.equals(accessTokenField, other.accessTokenField)
                    && Objects.equals(refreshTokenField, other.refreshTokenField)
                    && Objects.equals(expiresInField, other.expiresInField);
        }

        @Override
        public int hashCode() {
            return Objects.hash(mode, uri, json, usernameField, passwordField);
        }

        @Override
        public String toString() {
            return "LoginEndpoint.Settings[" + (mode == null ? "off" : mode + " " + uri + (json ? " json" : "")
                    + (client == null ? "" : " " + client)) + "]";
        }

        /**
         * Login settings in code; off until {@link #url} is set. Field paths default to
         * {@code access_token}, {@code refresh_token}, {@code expires_in}. Not thread-safe.
         */
        public static final class Builder {
            private String url;
            private boolean passwordGrant;
            private String tokenUrl;
            private ClientCredentials client;
            private String format;
            private String usernameField;
            private String passwordField;
            private String accessTokenField = RefreshEndpoint.DEFAULT_FIELD_ACCESS_TOKEN;
            private String refreshTokenField = RefreshEndpoint.DEFAULT_FIELD_REFRESH_TOKEN;
            private String expiresInField = RefreshEndpoint.DEFAULT_FIELD_EXPIRES_IN;

            private Builder() {
            }

            /** Plain login ({@value LoginEndpoint#PARAM_LOGIN_URL}): POST of username and password; https, or http to loopback. */
            public Builder url(String url) {
                this.url = Objects.requireNonNull(url, "url");
                return this;
            }

            /**
             * The OAuth2 password grant at the token endpoint with the filter's client credentials
             * ({@code login-grant=password}).
             */
            public Builder passwordGrant(String tokenUrl, ClientCredentials client) {
                this.passwordGrant = true;
                this.tokenUrl = Objects.requireNonNull(tokenUrl, "tokenUrl");
                this.client = Objects.requireNonNull(client, "client");
                return this;
            }

            /** How the credentials are sent to {@link #url} ({@value LoginEndpoint#PARAM_LOGIN_FORMAT}): {@code form} (default) or {@code json}. */
            public Builder format(String formOrJson) {
                this.format = Objects.requireNonNull(formOrJson, "formOrJson");
                return this;
            }

            /** The field that carries the username ({@value LoginEndpoint#PARAM_LOGIN_USERNAME_FIELD}); default {@code username}. */
            public Builder usernameField(String field) {
                this.usernameField = Objects.requireNonNull(field, "field");
                return this;
            }

            /** The field that carries the password ({@value LoginEndpoint#PARAM_LOGIN_PASSWORD_FIELD}); default {@code password}. */
            public Builder passwordField(String field) {
                this.passwordField = Objects.requireNonNull(field, "field");
                return this;
            }

            /** Path of the access token in the answer ({@code field.access-token}); default {@code access_token}. */
            public Builder accessTokenField(String path) {
                this.accessTokenField = Objects.requireNonNull(path, "path");
                return this;
            }

            /** Path of the refresh token in the answer ({@code field.refresh-token}); default {@code refresh_token}. */
            public Builder refreshTokenField(String path) {
                this.refreshTokenField = Objects.requireNonNull(path, "path");
                return this;
            }

            /** Path of the access token's lifetime in the answer ({@code field.expires-in}); default {@code expires_in}. */
            public Builder expiresInField(String path) {
                this.expiresInField = Objects.requireNonNull(path, "path");
                return this;
            }

            /** Checks the settings as a set; {@link ConfigException} names the init-param at fault. */
            public Settings build() {
                return new Settings(this);
            }
        }
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
            return mode == RefreshEndpoint.Mode.PLAIN ? plainAnswer(response) : oauth2Answer(response);
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
        if (mode == RefreshEndpoint.Mode.OAUTH2) {
            body.put("grant_type", "password");
            body.put("username", username);
            body.put("password", password);
            client.apply(builder, body);
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
    public RefreshEndpoint.Mode mode() {
        return mode;
    }

    /** The login or token endpoint. */
    public URI uri() {
        return uri;
    }

    /** Mode and URL (without query), and the client id in OAuth2 mode; never a secret. */
    public String describe() {
        String base = "LoginEndpoint[" + (mode == RefreshEndpoint.Mode.PLAIN
                ? "plain " + (json ? FORMAT_JSON : FORMAT_FORM) : "oauth2 password grant") + " " + where();
        return base + (client != null ? ", client=" + client.clientId() + " (" + client.method() + ")" : "") + "]";
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
        return RefreshEndpoint.withoutQuery(uri);
    }
}
