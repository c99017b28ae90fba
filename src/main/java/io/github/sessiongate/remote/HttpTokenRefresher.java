package io.github.sessiongate.remote;

import io.github.sessiongate.internal.ClientAuth;
import io.github.sessiongate.internal.Json;
import io.github.sessiongate.internal.TokenFields;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.ClientCredentials;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.LoginSettings;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenRefresher;
import io.github.sessiongate.audit.Fingerprint;
import io.github.sessiongate.internal.RateLimitedWarning;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jose4j.json.JsonUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trades a refresh token for new tokens at a backend, in one of two modes:
 *
 * <ul>
 *   <li><b>plain</b> ({@code refresh-url}): {@code POST} of the refresh token as a form field or
 *       a JSON member ({@code refresh-format}, {@code refresh-request-field}). A 200 answer is read
 *       with the {@code field.*} paths; a status listed in {@code refresh-refused-statuses}
 *       (default 401) is a definitive refusal; anything else is "unavailable".</li>
 *   <li><b>OAuth2</b> ({@code oauth2.token-url}): the refresh grant of
 *       <a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749, section 6</a>,
 *       authenticated with the filter's client credentials ({@code oauth2.client-id},
 *       {@code oauth2.client-secret}, HTTP Basic or {@code client_secret_post}). Only
 *       {@code error=invalid_grant} (on 400 or 401) refuses.</li>
 * </ul>
 *
 * <p><b>Only a definitive answer about the user's token refuses</b>, because a refusal signs the
 * user out: timeouts, refused connections, 5xx, 429, redirects, an unparsable or incomplete 200
 * (no access token, or a refresh-token member that is not a usable string: keeping the old one
 * after a rotation would trip the backend's reuse detection) are all
 * {@linkplain RefreshResult#unavailable(String) unavailable}. An answer that says the filter's own
 * client credentials are wrong ({@code invalid_client}, {@code unauthorized_client}, or any 401
 * without {@code invalid_grant}) is also unavailable, with one WARN per
 * {@link #WARNING_INTERVAL}: one rotated client secret must never sign every user out.
 *
 * <pre>{@code
 * <init-param><param-name>oauth2.token-url</param-name>
 *   <param-value>https://idp.example.com/oauth2/token</param-value></init-param>
 * <init-param><param-name>oauth2.client-id</param-name><param-value>my-app</param-value></init-param>
 * <init-param><param-name>oauth2.client-secret</param-name>
 *   <param-value>${env:OAUTH2_CLIENT_SECRET}</param-value></init-param>
 * }</pre>
 *
 * <p>URLs must be {@code https} unless the host is loopback. Nothing here logs a token or a
 * secret: per-request decisions are logged at DEBUG with the token's {@link Fingerprint}.
 * Thread-safe; {@link #close()} releases its HTTP client and threads.
 */
public final class HttpTokenRefresher implements TokenRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTokenRefresher.class);

    /** Plain mode: the URL that takes a refresh token by POST. */
    public static final String PARAM_REFRESH_URL = "refresh-url";
    /** Plain mode: how the refresh token is sent, {@value #FORMAT_FORM} or {@value #FORMAT_JSON}. */
    public static final String PARAM_REFRESH_FORMAT = "refresh-format";
    public static final String FORMAT_FORM = "form";
    public static final String FORMAT_JSON = "json";
    public static final String DEFAULT_REFRESH_FORMAT = FORMAT_FORM;
    /** Plain mode: the form field or JSON member that carries the refresh token. */
    public static final String PARAM_REFRESH_REQUEST_FIELD = "refresh-request-field";
    public static final String DEFAULT_REFRESH_REQUEST_FIELD = "refresh_token";
    /** Plain mode: statuses that refuse the refresh token for good (4xx only; never 408 or 429). */
    public static final String PARAM_REFRESH_REFUSED_STATUSES = "refresh-refused-statuses";
    public static final List<Integer> DEFAULT_REFRESH_REFUSED_STATUSES = List.of(401);




    /** At most one WARN per this interval about rejected client credentials or a rejected request. */
    public static final Duration WARNING_INTERVAL = Duration.ofSeconds(60);


    private static final Pattern FORM_FIELD = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Set<String> CLIENT_ERRORS = Set.of("invalid_client", "unauthorized_client");
    private static final List<String> REFRESH_ONLY = List.of(
            PARAM_REFRESH_FORMAT, PARAM_REFRESH_REQUEST_FIELD, PARAM_REFRESH_REFUSED_STATUSES,
            LoginSettings.PARAM_FIELD_ACCESS_TOKEN, LoginSettings.PARAM_FIELD_REFRESH_TOKEN, LoginSettings.PARAM_FIELD_EXPIRES_IN);

    /** The two protocols. */
    public enum Mode { PLAIN, OAUTH2 }

    /**
     * A small strategy for backends whose refresh exchange does not fit the parameters. Both
     * methods have defaults; implementations must be thread-safe and must not log tokens.
     */
    public interface Hooks {
        /** The defaults: nothing added, answers read with the {@code field.*} paths. */
        Hooks DEFAULT = new Hooks() {
        };

        /**
         * Adjusts each refresh request before it is sent, e.g. adds a header. Default: nothing.
         * Called on request threads.
         */
        default void customize(HttpRequest.Builder request) {
        }

        /**
         * Reads the tokens from a 200 answer. Default: {@code byFields}, the reading configured
         * with {@code field.access-token}, {@code field.refresh-token} and {@code field.expires-in}.
         *
         * @param json the whole answer, immutable
         * @param byFields the default reading, to delegate to or adjust
         * @return the tokens, or empty when the answer is incomplete (then "unavailable", never refused)
         */
        default Optional<TokenPair> toTokens(Map<String, Object> json, Function<Map<String, Object>, Optional<TokenPair>> byFields) {
            return byFields.apply(json);
        }
    }

    private final Mode mode;
    private final URI uri;
    private final boolean json;
    private final String requestField;
    private final Set<Integer> refusedStatuses;
    private final ClientCredentials client;
    private final Hooks hooks;
    private final BackendHttp http;
    private final boolean ownsHttp;
    private final RateLimitedWarning credentialsRejected;
    private final RateLimitedWarning requestRejected;
    private final Function<Map<String, Object>, Optional<TokenPair>> byFields;

    private HttpTokenRefresher(Mode mode, URI uri, boolean json, String requestField, Set<Integer> refusedStatuses,
            ClientCredentials client, TokenFields fields, Hooks hooks, Clock clock, BackendHttp http, boolean ownsHttp) {
        this.mode = mode;
        this.uri = uri;
        this.json = json;
        this.requestField = requestField;
        this.refusedStatuses = refusedStatuses;
        this.client = client;
        this.byFields = fields::read;
        this.hooks = hooks;
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.credentialsRejected = new RateLimitedWarning(LOG, clock, WARNING_INTERVAL,
                "The token endpoint {} rejects this filter's OAuth2 client credentials (oauth2.client-id / "
                        + "oauth2.client-secret): refreshes fail as unavailable and nobody is signed out; fix the credentials");
        this.requestRejected = new RateLimitedWarning(LOG, clock, WARNING_INTERVAL,
                "The token endpoint {} rejects the refresh request itself (invalid_request, unsupported_grant_type "
                        + "or similar): refreshes fail as unavailable; check that this client may use the refresh_token grant");
    }

    /**
     * The endpoint the parameters describe, with {@link Hooks#DEFAULT}.
     *
     * @return empty when neither {@code refresh-url} nor {@code oauth2.token-url} is set
     * @throws ConfigException naming the parameter at fault, e.g. when both are set
     */
    public static Optional<HttpTokenRefresher> fromParams(InitParams params, Clock clock) {
        return fromParams(params, clock, Hooks.DEFAULT);
    }

    /** As {@link #fromParams(InitParams, Clock)}, with hooks for an odd backend. */
    public static Optional<HttpTokenRefresher> fromParams(InitParams params, Clock clock, Hooks hooks) {
        return fromParams(params, clock, hooks, null);
    }

    /**
     * @param shared an HTTP client to use and not close, or {@code null} to build one from the
     *     timeout parameters (then closed by {@link #close()})
     */
    static Optional<HttpTokenRefresher> fromParams(InitParams params, Clock clock, Hooks hooks, BackendHttp shared) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(hooks, "hooks");
        Optional<String> plainUrl = params.get(PARAM_REFRESH_URL);
        Optional<String> tokenUrl = params.get(ClientCredentials.PARAM_OAUTH2_TOKEN_URL);
        if (plainUrl.isPresent() && tokenUrl.isPresent()) {
            throw new ConfigException(ClientCredentials.PARAM_OAUTH2_TOKEN_URL, "cannot be combined with " + PARAM_REFRESH_URL
                    + ": set the one your backend speaks");
        }
        if (plainUrl.isEmpty() && tokenUrl.isEmpty()) {
            for (String name : REFRESH_ONLY) {
                if (params.get(name).isPresent()) {
                    throw new ConfigException(name, "applies only with " + PARAM_REFRESH_URL + " or " + ClientCredentials.PARAM_OAUTH2_TOKEN_URL);
                }
            }
            return Optional.empty();
        }
        Builder b = plainUrl.isPresent() ? new Builder(Mode.PLAIN, BackendHttp.checkUrl(PARAM_REFRESH_URL, plainUrl.get()), null)
                : new Builder(Mode.OAUTH2, BackendHttp.checkUrl(ClientCredentials.PARAM_OAUTH2_TOKEN_URL, tokenUrl.get()), null);
        params.get(PARAM_REFRESH_FORMAT).ifPresent(v -> b.format(params.choice(PARAM_REFRESH_FORMAT,
                DEFAULT_REFRESH_FORMAT, FORMAT_FORM, FORMAT_JSON).equals(FORMAT_JSON) ? Format.JSON : Format.FORM));
        params.get(PARAM_REFRESH_REQUEST_FIELD).ifPresent(b::requestField);
        List<String> refused = params.list(PARAM_REFRESH_REFUSED_STATUSES);
        if (!refused.isEmpty()) {
            b.refusedStatuses(refused.stream().map(HttpTokenRefresher::status).toList());
        }
        if (b.mode == Mode.OAUTH2) {
            b.plainOnlyCheck(); // before the client credentials, as ever
            b.client = ClientAuth.read(params, ClientCredentials.PARAM_OAUTH2_TOKEN_URL);
        }
        params.get(LoginSettings.PARAM_FIELD_ACCESS_TOKEN).ifPresent(b::accessTokenField);
        params.get(LoginSettings.PARAM_FIELD_REFRESH_TOKEN).ifPresent(b::refreshTokenField);
        params.get(LoginSettings.PARAM_FIELD_EXPIRES_IN).ifPresent(b::expiresInField);
        b.clock(clock).hooks(hooks);
        b.http = shared != null ? shared : BackendHttp.fromParams(params);
        b.ownsHttp = shared == null;
        return Optional.of(b.build());
    }

    private static int status(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(PARAM_REFRESH_REFUSED_STATUSES, "must list HTTP statuses such as 401, not '" + v + "'");
        }
    }

    /**
     * Plain mode ({@code refresh-url}): POST of the refresh token as a form field or JSON member.
     *
     * @throws ConfigException naming {@code refresh-url} unless https, or http to a loopback host
     */
    public static Builder plain(URI refreshUrl) {
        return new Builder(Mode.PLAIN, BackendHttp.checkUrl(PARAM_REFRESH_URL,
                Objects.requireNonNull(refreshUrl, "refreshUrl").toString()), null);
    }

    /**
     * OAuth2 mode ({@code oauth2.token-url}): the refresh grant, authenticated as {@code client}.
     *
     * @throws ConfigException naming {@code oauth2.token-url} unless https, or http to a loopback host
     */
    public static Builder oauth2(URI tokenUrl, ClientCredentials client) {
        return new Builder(Mode.OAUTH2, BackendHttp.checkUrl(ClientCredentials.PARAM_OAUTH2_TOKEN_URL,
                Objects.requireNonNull(tokenUrl, "tokenUrl").toString()), Objects.requireNonNull(client, "client"));
    }

    /** How plain mode sends the refresh token ({@code refresh-format}). */
    public enum Format {
        /** A form field ({@value HttpTokenRefresher#FORMAT_FORM}), the default. */
        FORM,
        /** A JSON member ({@value HttpTokenRefresher#FORMAT_JSON}). */
        JSON
    }

    /**
     * The settings of a {@link HttpTokenRefresher}, each method named after its init-param and
     * checking the same bounds with the same messages. Not thread-safe.
     */
    public static final class Builder {
        private final Mode mode;
        private final URI uri;
        private ClientCredentials client;
        private Format format = Format.FORM;
        private String requestField = DEFAULT_REFRESH_REQUEST_FIELD;
        private Set<Integer> refusedStatuses = Set.copyOf(DEFAULT_REFRESH_REFUSED_STATUSES);
        /** The plain-only settings that were set, in order: refused in OAuth2 mode. */
        private final Set<String> plainOnlySet = new LinkedHashSet<>();
        private String accessTokenField = LoginSettings.DEFAULT_FIELD_ACCESS_TOKEN;
        private String refreshTokenField = LoginSettings.DEFAULT_FIELD_REFRESH_TOKEN;
        private String expiresInField = LoginSettings.DEFAULT_FIELD_EXPIRES_IN;
        private Duration connectTimeout = GateConfig.DEFAULT_BACKEND_CONNECT_TIMEOUT;
        private Duration readTimeout = GateConfig.DEFAULT_BACKEND_READ_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private Hooks hooks = Hooks.DEFAULT;
        private BackendHttp http;
        private boolean ownsHttp = true;

        private Builder(Mode mode, URI uri, ClientCredentials client) {
            this.mode = mode;
            this.uri = uri;
            this.client = client;
        }

        /** {@code refresh-format}, plain mode only. Default {@link Format#FORM}. */
        public Builder format(Format format) {
            this.format = Objects.requireNonNull(format, "format");
            plainOnlySet.add(PARAM_REFRESH_FORMAT);
            return this;
        }

        /**
         * {@code refresh-request-field}, plain mode only: the form field or JSON member carrying
         * the token. Default {@code refresh_token}.
         *
         * @throws ConfigException naming the parameter unless 1 to 64 letters, digits, '_', '.', ':' or '-'
         */
        public Builder requestField(String field) {
            if (!FORM_FIELD.matcher(Objects.requireNonNull(field, "field")).matches()) {
                throw new ConfigException(PARAM_REFRESH_REQUEST_FIELD, "must be a field name of letters, digits, "
                        + "'_', '.', ':' or '-', not '" + field + "'");
            }
            this.requestField = field;
            plainOnlySet.add(PARAM_REFRESH_REQUEST_FIELD);
            return this;
        }

        /**
         * {@code refresh-refused-statuses}, plain mode only: statuses that refuse the token for
         * good. Default 401.
         *
         * @throws ConfigException naming the parameter for anything but a 4xx other than 408 and 429
         */
        public Builder refusedStatuses(Collection<Integer> statuses) {
            Set<Integer> checked = new LinkedHashSet<>();
            for (int status : statuses) {
                if (status < 400 || status > 499 || status == 408 || status == 429) {
                    throw new ConfigException(PARAM_REFRESH_REFUSED_STATUSES, "may list only 4xx statuses other than 408 "
                            + "and 429, not " + status + ": a transient failure must never sign users out");
                }
                checked.add(status);
            }
            if (checked.isEmpty()) {
                throw new ConfigException(PARAM_REFRESH_REFUSED_STATUSES, "must list at least one status");
            }
            this.refusedStatuses = Set.copyOf(checked);
            plainOnlySet.add(PARAM_REFRESH_REFUSED_STATUSES);
            return this;
        }

        /** As {@link #refusedStatuses(Collection)}. */
        public Builder refusedStatuses(Integer... statuses) {
            return refusedStatuses(List.of(statuses));
        }

        /** {@code field.access-token}: path of the access token in a 200 answer. Default {@code access_token}. */
        public Builder accessTokenField(String path) {
            this.accessTokenField = Json.fieldPath(LoginSettings.PARAM_FIELD_ACCESS_TOKEN, Objects.requireNonNull(path, "path"));
            return this;
        }

        /** {@code field.refresh-token}: path of the rotated refresh token. Default {@code refresh_token}. */
        public Builder refreshTokenField(String path) {
            this.refreshTokenField = Json.fieldPath(LoginSettings.PARAM_FIELD_REFRESH_TOKEN, Objects.requireNonNull(path, "path"));
            return this;
        }

        /** {@code field.expires-in}: path of the access token's lifetime in seconds. Default {@code expires_in}. */
        public Builder expiresInField(String path) {
            this.expiresInField = Json.fieldPath(LoginSettings.PARAM_FIELD_EXPIRES_IN, Objects.requireNonNull(path, "path"));
            return this;
        }

        /** {@code backend-connect-timeout}. Default 2 s, from 50 ms to 60 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = BackendHttp.checkTimeout(GateConfig.PARAM_BACKEND_CONNECT_TIMEOUT, timeout);
            return this;
        }

        /** {@code backend-read-timeout}. Default 2 s, from 50 ms to 60 s. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = BackendHttp.checkTimeout(GateConfig.PARAM_BACKEND_READ_TIMEOUT, timeout);
            return this;
        }

        /** The time source for {@code expires_in} and the rate-limited warnings. Default {@code Clock.systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** For a backend whose refresh exchange does not fit the settings. Default {@link Hooks#DEFAULT}. */
        public Builder hooks(Hooks hooks) {
            this.hooks = Objects.requireNonNull(hooks, "hooks");
            return this;
        }

        /**
         * A ready endpoint with an HTTP client of its own, which {@link HttpTokenRefresher#close()} stops.
         *
         * @throws ConfigException naming a plain-mode parameter set in OAuth2 mode
         */
        public HttpTokenRefresher build() {
            plainOnlyCheck();
            TokenFields fields = TokenFields.of(accessTokenField, refreshTokenField, expiresInField, clock);
            BackendHttp h = http != null ? http : new BackendHttp(connectTimeout, readTimeout);
            return new HttpTokenRefresher(mode, uri, format == Format.JSON, requestField, refusedStatuses, client, fields,
                    hooks, clock, h, http == null || ownsHttp);
        }

        private void plainOnlyCheck() {
            if (mode == Mode.OAUTH2 && !plainOnlySet.isEmpty()) {
                throw new ConfigException(plainOnlySet.iterator().next(), "applies only with " + PARAM_REFRESH_URL
                        + "; with " + ClientCredentials.PARAM_OAUTH2_TOKEN_URL + " only error=invalid_grant refuses");
            }
        }
    }

    /**
     * Trades the refresh token. Never throws for a backend failure and never returns {@code null};
     * only a definitive refusal of the token is {@link RefreshResult.Refused}.
     */
    @Override
    public RefreshResult refresh(String refreshToken) {
        Objects.requireNonNull(refreshToken, "refreshToken");
        String fingerprint = Fingerprint.of(refreshToken);
        HttpRequest request;
        try {
            request = buildRequest(refreshToken);
        } catch (RuntimeException e) {
            LOG.debug("refresh {}: request not built ({})", fingerprint, e.getClass().getName());
            return RefreshResult.unavailable("refresh request could not be built (" + e.getClass().getSimpleName() + ")");
        }
        BackendHttp.Response response;
        try {
            response = http.send(request);
        } catch (BackendHttp.Unreachable e) {
            LOG.debug("refresh {} at {}: no answer ({})", fingerprint, where(), e.getMessage());
            return RefreshResult.unavailable("refresh endpoint: " + e.getMessage());
        }
        try {
            return mode == Mode.PLAIN ? plainAnswer(response, fingerprint) : oauth2Answer(response, fingerprint);
        } catch (RuntimeException e) {
            LOG.debug("refresh {}: answer not read ({})", fingerprint, e.getClass().getName());
            return RefreshResult.unavailable("refresh answer could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private HttpRequest buildRequest(String refreshToken) {
        HttpRequest.Builder builder = http.request(uri);
        String body;
        String contentType;
        if (mode == Mode.PLAIN && json) {
            body = JsonUtil.toJson(Map.of(requestField, refreshToken));
            contentType = "application/json";
        } else {
            Map<String, String> form = new LinkedHashMap<>();
            if (mode == Mode.OAUTH2) {
                form.put("grant_type", "refresh_token");
                form.put("refresh_token", refreshToken);
                ClientAuth.apply(client, builder, form);
            } else {
                form.put(requestField, refreshToken);
            }
            body = ClientAuth.formBody(form);
            contentType = "application/x-www-form-urlencoded";
        }
        builder.header("Content-Type", contentType)
                .header("Cache-Control", "no-store")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        hooks.customize(builder);
        return builder.build();
    }

    private RefreshResult plainAnswer(BackendHttp.Response response, String fingerprint) {
        int status = response.status();
        if (status == 200) {
            return tokens(response, fingerprint);
        }
        if (refusedStatuses.contains(status)) {
            LOG.debug("refresh {} refused by {} (status {})", fingerprint, where(), status);
            return RefreshResult.refused();
        }
        LOG.debug("refresh {} at {}: status {}, no verdict", fingerprint, where(), status);
        return RefreshResult.unavailable("refresh endpoint answered " + status);
    }

    private RefreshResult oauth2Answer(BackendHttp.Response response, String fingerprint) {
        int status = response.status();
        if (status == 200) {
            return tokens(response, fingerprint);
        }
        if (status == 400 || status == 401) {
            String error = Json.object(response.body()).flatMap(j -> Json.string(j, "error")).orElse("");
            if (error.equals("invalid_grant")) {
                LOG.debug("refresh {} refused by {} (invalid_grant)", fingerprint, where());
                return RefreshResult.refused();
            }
            if (status == 401 || CLIENT_ERRORS.contains(error)) {
                credentialsRejected.warn(where());
                return RefreshResult.unavailable("token endpoint rejects the client credentials");
            }
            requestRejected.warn(where());
            return RefreshResult.unavailable("token endpoint rejects the refresh request");
        }
        LOG.debug("refresh {} at {}: status {}, no verdict", fingerprint, where(), status);
        return RefreshResult.unavailable("token endpoint answered " + status);
    }

    private RefreshResult tokens(BackendHttp.Response response, String fingerprint) {
        Optional<Map<String, Object>> answer = Json.object(response.body());
        if (answer.isEmpty()) {
            LOG.debug("refresh {} at {}: 200 with an unparsable answer", fingerprint, where());
            return RefreshResult.unavailable("refresh answer is not a JSON object");
        }
        Optional<TokenPair> tokens = hooks.toTokens(answer.get(), byFields);
        if (tokens == null || tokens.isEmpty()) {
            LOG.debug("refresh {} at {}: 200 with an incomplete answer", fingerprint, where());
            return RefreshResult.unavailable("refresh answer lacks a usable access or refresh token");
        }
        LOG.debug("refresh {} done at {}: new access token {}, refresh token {}", fingerprint, where(),
                Fingerprint.of(tokens.get().accessToken()),
                tokens.get().rotatedRefreshToken().map(Fingerprint::of).orElse("kept"));
        return RefreshResult.refreshed(tokens.get());
    }

    /** Plain or OAuth2. */
    public Mode mode() {
        return mode;
    }

    /** The refresh or token endpoint. */
    public URI uri() {
        return uri;
    }

    /** Mode and URL (without query), and the client id in OAuth2 mode; never a secret. */
    /** {@code oauth2.client-secret} in OAuth2 mode. */
    @Override
    public java.util.Map<String, String> heldSecrets() {
        return client == null ? java.util.Map.of() : java.util.Map.of(ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET, client.clientSecret());
    }

    @Override
    public String describe() {
        String base = "HttpTokenRefresher[" + (mode == Mode.PLAIN ? "plain " + (json ? FORMAT_JSON : FORMAT_FORM) : "oauth2")
                + " " + where();
        return base + (client != null ? ", client=" + client.clientId() + " (" + ClientAuth.method(client) + ")" : "") + "]";
    }

    /**
     * Later calls: refreshes are unavailable. Stops the HTTP threads only of a transport this object built
     * itself (standalone use); the filter's shared transport is the filter's to stop.
     */
    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    private String where() {
        return BackendHttp.withoutQuery(uri);
    }
}
