package io.github.sessiongate.remote;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.internal.ClientAuth;
import io.github.sessiongate.internal.Json;
import io.github.sessiongate.internal.LogText;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.ClientCredentials;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenRefresher;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.audit.Fingerprint;
import io.github.sessiongate.internal.JsonValues;
import io.github.sessiongate.internal.RateLimitedWarning;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates access tokens by asking a backend, in one of two modes:
 *
 * <ul>
 *   <li><b>validate URL</b> ({@code validate-url}): {@code GET} with
 *       {@code Authorization: Bearer <token>}. 200 is a valid session read from the JSON answer
 *       ({@code field.subject}, {@code field.roles}, {@code field.expires-at}; the whole object
 *       becomes the session's claims); 401 and 403 refuse the token
 *       ({@link Reason#REJECTED_BY_BACKEND}); anything else is "unavailable".</li>
 *   <li><b>OAuth2 introspection</b> ({@code oauth2.introspection-url},
 *       <a href="https://www.rfc-editor.org/rfc/rfc7662">RFC 7662</a>): {@code POST
 *       token=...&token_type_hint=access_token} authenticated with the filter's client credentials
 *       ({@code oauth2.client-id}, {@code oauth2.client-secret}). {@code "active": false} refuses
 *       the token; {@code "active": true} is a session read as above (a {@code token_type} of
 *       {@code refresh_token} is refused as {@link Reason#WRONG_TOKEN_TYPE}); an answer that the
 *       client credentials are wrong is "unavailable" with one WARN per minute.</li>
 * </ul>
 *
 * <p>A 200 answer without a subject, or that is not a JSON object, is "unavailable", never a
 * refusal: only a definitive answer about the user's token may clear their cookies. A session
 * whose {@code field.expires-at} has passed (on the filter's clock) is reported as expired.
 * Refresh goes through a {@link HttpTokenRefresher} when {@code refresh-url} or
 * {@code oauth2.token-url} is set, else it is unsupported. Timeouts:
 * {@code backend-connect-timeout}, {@code backend-read-timeout} (see {@link HttpTokenRefresher}).
 *
 * <pre>{@code
 * <init-param><param-name>validator-class</param-name>
 *   <param-value>io.github.sessiongate.remote.HttpTokenValidator</param-value></init-param>
 * <init-param><param-name>validate-url</param-name>
 *   <param-value>https://auth.example.com/me</param-value></init-param>
 * <init-param><param-name>refresh-url</param-name>
 *   <param-value>https://auth.example.com/refresh</param-value></init-param>
 * }</pre>
 *
 * <p>From code: {@code HttpTokenValidator.withValidateUrl(URI.create("https://auth.example.com/me"))
 * .refresher(HttpTokenRefresher.plain(URI.create("https://auth.example.com/refresh")).build()).build()};
 * each builder method is named after its init-param and checks the same values.
 *
 * <p><b>Extension:</b> subclass it (keeping a public no-argument constructor) and override the
 * documented hooks: {@link #validateRequest(String)}, {@link #toSession(Map, String)},
 * {@link #refreshHooks()} and {@link #readParams(InitParams)}. The template methods are final.
 * One HTTP client with its own daemon threads is built in {@link #init} and released by
 * {@link #close()}. URLs must be https except for loopback hosts. Nothing here logs a token or a
 * secret.
 */
public class HttpTokenValidator extends TokenValidator {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTokenValidator.class);

    /** Validate-URL mode: GET with the bearer token; exclusive with {@link #PARAM_OAUTH2_INTROSPECTION_URL}. */
    public static final String PARAM_VALIDATE_URL = "validate-url";
    /** Introspection mode (RFC 7662); needs {@code oauth2.client-id} and {@code oauth2.client-secret}. */
    public static final String PARAM_OAUTH2_INTROSPECTION_URL = "oauth2.introspection-url";
    /** Path of the subject in the answer (member name, or dotted for nested objects). */
    public static final String PARAM_FIELD_SUBJECT = "field.subject";
    public static final String DEFAULT_FIELD_SUBJECT = "sub";
    /** Path of the roles: an array of strings or a space-separated string (so {@code scope} works). */
    public static final String PARAM_FIELD_ROLES = "field.roles";
    public static final String DEFAULT_FIELD_ROLES = "roles";
    /** Path of the expiry, in epoch seconds; absent means the backend does not say. */
    public static final String PARAM_FIELD_EXPIRES_AT = "field.expires-at";
    public static final String DEFAULT_FIELD_EXPIRES_AT = "exp";

    private static final Set<String> CLIENT_ERRORS = Set.of("invalid_client", "unauthorized_client");

    /** Settings after {@link #start}; immutable except the client's lifecycle. */
    private record Config(boolean introspection, URI uri, ClientCredentials client, String subjectField,
            String rolesField, String expiresAtField, BackendHttp http, TokenRefresher refresh,
            RateLimitedWarning credentialsRejected) {
    }

    private volatile Config config;
    private volatile Clock clock = Clock.systemUTC();
    private volatile boolean closed;

    /**
     * For the container ({@code validator-class}), which then calls {@link #init} once; from code,
     * use {@link #withValidateUrl} or {@link #withIntrospection}, whose {@link Builder#build()}
     * returns a ready validator.
     */
    public HttpTokenValidator() {
    }

    /**
     * Validate-URL mode ({@code validate-url}): GET with the bearer token.
     *
     * @throws ConfigException naming {@code validate-url} unless https, or http to a loopback host
     */
    public static Builder withValidateUrl(URI validateUrl) {
        return new Builder(false, BackendHttp.checkUrl(PARAM_VALIDATE_URL,
                Objects.requireNonNull(validateUrl, "validateUrl").toString()), null);
    }

    /**
     * OAuth2 introspection mode ({@code oauth2.introspection-url}, RFC 7662), authenticated as {@code client}.
     *
     * @throws ConfigException naming {@code oauth2.introspection-url} unless https, or http to a loopback host
     */
    public static Builder withIntrospection(URI introspectionUrl, ClientCredentials client) {
        return new Builder(true, BackendHttp.checkUrl(PARAM_OAUTH2_INTROSPECTION_URL,
                Objects.requireNonNull(introspectionUrl, "introspectionUrl").toString()),
                Objects.requireNonNull(client, "client"));
    }

    /**
     * Builds a configured validator from code, with the same parameter names as web.xml: a thin
     * mapping onto {@link Builder}.
     *
     * @throws ConfigException naming the parameter at fault, or one this validator does not know
     */
    public static HttpTokenValidator fromParams(Map<String, String> params, Clock clock) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(clock, "clock");
        InitParams resolved = InitParams.resolve(params);
        HttpTokenValidator validator = new HttpTokenValidator();
        validator.init(resolved, clock);
        Set<String> unread = resolved.unread();
        if (!unread.isEmpty()) {
            validator.close();
            throw new ConfigException(unread.iterator().next(), "is not a parameter of "
                    + HttpTokenValidator.class.getSimpleName() + " (check the spelling)");
        }
        return validator;
    }

    /**
     * Maps the parameters onto a {@link Builder} (the refresh endpoint with {@link #refreshHooks()},
     * over the filter's transport), starts this validator from it, then calls
     * {@link #readParams(InitParams)}.
     */
    @Override
    protected final void init(InitParams params, Clock clock) {
        Optional<String> validateUrl = params.get(PARAM_VALIDATE_URL);
        Optional<String> introspectionUrl = params.get(PARAM_OAUTH2_INTROSPECTION_URL);
        if (validateUrl.isPresent() == introspectionUrl.isPresent()) {
            throw new ConfigException(validateUrl.isPresent() ? PARAM_OAUTH2_INTROSPECTION_URL : PARAM_VALIDATE_URL,
                    "set exactly one of " + PARAM_VALIDATE_URL + " and " + PARAM_OAUTH2_INTROSPECTION_URL
                            + (validateUrl.isPresent() ? "; both are set" : "; neither is set"));
        }
        Builder b = introspectionUrl.isPresent()
                ? new Builder(true, BackendHttp.checkUrl(PARAM_OAUTH2_INTROSPECTION_URL, introspectionUrl.get()),
                        ClientAuth.read(params, PARAM_OAUTH2_INTROSPECTION_URL))
                : new Builder(false, BackendHttp.checkUrl(PARAM_VALIDATE_URL, validateUrl.get()), null);
        params.get(PARAM_FIELD_SUBJECT).ifPresent(b::subjectField);
        params.get(PARAM_FIELD_ROLES).ifPresent(b::rolesField);
        params.get(PARAM_FIELD_EXPIRES_AT).ifPresent(b::expiresAtField);
        b.clock(clock);
        BackendHttp http = BackendHttp.fromParams(params);
        b.http = http;
        try {
            HttpTokenRefresher.fromParams(params, clock, Objects.requireNonNull(refreshHooks(), "refreshHooks()"), http)
                    .ifPresent(b::refresher);
            start(b);
            readParams(params);
        } catch (RuntimeException | Error e) {
            config = null;
            http.close();
            throw e;
        }
    }

    /** Installs the builder's settings; the validator is ready after this. */
    private void start(Builder b) {
        if (config != null || closed) {
            throw new IllegalStateException(getClass().getSimpleName() + " is already started");
        }
        this.clock = b.clock;
        BackendHttp http = b.http != null ? b.http : new BackendHttp(b.connectTimeout, b.readTimeout);
        RateLimitedWarning warning = new RateLimitedWarning(LOG, b.clock, HttpTokenRefresher.WARNING_INTERVAL,
                "The introspection endpoint {} rejects this filter's OAuth2 client credentials (oauth2.client-id / "
                        + "oauth2.client-secret): validations fail as unavailable and nobody is signed out; fix the credentials");
        this.config = new Config(b.introspection, b.uri, b.client, b.subjectField, b.rolesField, b.expiresAtField,
                http, b.refresher, warning);
        LOG.info("{} ready", describe());
    }

    /**
     * The settings of an {@link HttpTokenValidator}, each method named after its init-param and
     * checking the same values with the same messages. Not thread-safe.
     */
    public static final class Builder {
        private final boolean introspection;
        private final URI uri;
        private final ClientCredentials client;
        private String subjectField = DEFAULT_FIELD_SUBJECT;
        private String rolesField = DEFAULT_FIELD_ROLES;
        private String expiresAtField = DEFAULT_FIELD_EXPIRES_AT;
        private Duration connectTimeout = GateConfig.DEFAULT_BACKEND_CONNECT_TIMEOUT;
        private Duration readTimeout = GateConfig.DEFAULT_BACKEND_READ_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private TokenRefresher refresher;
        /** The filter's transport (init-params path); {@code null}: one of the validator's own. */
        private BackendHttp http;

        private Builder(boolean introspection, URI uri, ClientCredentials client) {
            this.introspection = introspection;
            this.uri = uri;
            this.client = client;
        }

        /** {@code field.subject}: path of the subject in the answer. Default {@code sub}. */
        public Builder subjectField(String path) {
            this.subjectField = Json.fieldPath(PARAM_FIELD_SUBJECT, Objects.requireNonNull(path, "path"));
            return this;
        }

        /** {@code field.roles}: path of the roles (array or space-separated string). Default {@code roles}. */
        public Builder rolesField(String path) {
            this.rolesField = Json.fieldPath(PARAM_FIELD_ROLES, Objects.requireNonNull(path, "path"));
            return this;
        }

        /** {@code field.expires-at}: path of the expiry in epoch seconds. Default {@code exp}. */
        public Builder expiresAtField(String path) {
            this.expiresAtField = Json.fieldPath(PARAM_FIELD_EXPIRES_AT, Objects.requireNonNull(path, "path"));
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

        /** The time source for {@code field.expires-at}. Default {@code Clock.systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where refreshes go ({@code refresh-url} or {@code oauth2.token-url}), e.g.
         * {@code HttpTokenRefresher.plain(uri).build()}; the validator closes it. Default: none,
         * refresh is {@linkplain RefreshResult#unsupported() unsupported}.
         */
        public Builder refresher(TokenRefresher refresher) {
            this.refresher = Objects.requireNonNull(refresher, "refresher");
            return this;
        }

        /** A ready validator with an HTTP client of its own, which {@link HttpTokenValidator#close()} stops. */
        public HttpTokenValidator build() {
            return build(HttpTokenValidator::new);
        }

        /**
         * A ready subclass (for its {@link #validateRequest} or {@link #toSession} hooks), e.g.
         * {@code build(TenantValidator::new)}; the supplier returns a new, unstarted instance.
         * {@link HttpTokenValidator#readParams} and {@link HttpTokenValidator#refreshHooks} belong
         * to the init-param path and are not called here (give {@link HttpTokenRefresher.Builder#hooks}).
         */
        public <V extends HttpTokenValidator> V build(Supplier<V> constructor) {
            V validator = Objects.requireNonNull(constructor.get(), "constructor.get()");
            ((HttpTokenValidator) validator).start(this);
            return validator;
        }
    }

    /**
     * Hook: reads a subclass's own parameters (anything not read fails start-up as unknown).
     * Called once at the end of {@link #init}, before any validation. Default: nothing.
     *
     * @throws ConfigException naming the parameter on a bad value
     */
    protected void readParams(InitParams params) {
    }

    /**
     * Hook: the hooks of the refresh endpoint, for a backend whose refresh exchange does not fit
     * the parameters. Called once during {@link #init}. Default: {@link HttpTokenRefresher.Hooks#DEFAULT}.
     */
    protected HttpTokenRefresher.Hooks refreshHooks() {
        return HttpTokenRefresher.Hooks.DEFAULT;
    }

    /**
     * Hook: the request that validates one token, e.g. to add a header with
     * {@code super.validateRequest(token).header("X-Api-Key", key)}. Default: in validate-URL mode
     * {@code GET validate-url} with {@code Authorization: Bearer <token>}; in introspection mode
     * {@code POST oauth2.introspection-url} with {@code token} and
     * {@code token_type_hint=access_token}, authenticated as the client. Both have
     * {@code Accept: application/json} and the read timeout. Must be thread-safe (request threads
     * call it concurrently) and must not log the token.
     *
     * <p>Mind that in validate-URL mode a 401 or 403 answer refuses the <em>user's</em> token: a
     * credential added here must not be able to cause one.
     */
    protected HttpRequest.Builder validateRequest(String token) {
        Config c = requireConfig();
        HttpRequest.Builder builder = c.http().request(c.uri());
        if (!c.introspection()) {
            return builder.header("Authorization", "Bearer " + token).GET();
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        form.put("token_type_hint", "access_token");
        ClientAuth.apply(c.client(), builder, form);
        return builder.header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(ClientAuth.formBody(form)));
    }

    /**
     * Hook: the session a positive answer describes. Default: subject from {@code field.subject}
     * (a non-blank string, else {@code null}), roles from {@code field.roles} (an array of strings
     * or a space-separated string), expiry from {@code field.expires-at} (epoch seconds, else
     * none), and the whole answer as claims. Must be thread-safe; called only for 200 answers
     * (introspection: {@code active: true}).
     *
     * @param json the whole answer, immutable
     * @param token the access token, for {@link Session#builder}
     * @return the session, or {@code null} when the answer lacks what a session needs: the result
     *     is then "unavailable", never a refusal
     */
    protected Session toSession(Map<String, Object> json, String token) {
        Config c = requireConfig();
        Optional<String> subject = Json.string(json, c.subjectField());
        if (subject.isEmpty()) {
            return null;
        }
        OptionalLong exp = Json.seconds(JsonValues.at(json, c.expiresAtField()));
        return Session.builder(subject.get(), token)
                .roles(JsonValues.roles(JsonValues.at(json, c.rolesField())))
                .claims(json)
                .expiresAt(exp.isPresent() ? Instant.ofEpochSecond(exp.getAsLong()) : null)
                .build();
    }

    /** Asks the backend. Never throws on a backend failure: that is "unavailable". */
    @Override
    protected final ValidationResult doValidate(String token) {
        Config c = config;
        if (c == null) {
            return ValidationResult.unavailable(closed ? "HttpTokenValidator is closed" : "HttpTokenValidator is not configured");
        }
        String fingerprint = Fingerprint.of(token);
        HttpRequest request = validateRequest(token).build();
        BackendHttp.Response response;
        try {
            response = c.http().send(request);
        } catch (BackendHttp.Unreachable e) {
            LOG.debug("token {}: no answer from {} ({})", fingerprint, where(c), e.getMessage());
            return ValidationResult.unavailable((c.introspection() ? "introspection" : "validation")
                    + " endpoint: " + e.getMessage());
        }
        return c.introspection() ? introspectionAnswer(c, response, token, fingerprint)
                : validateAnswer(c, response, token, fingerprint);
    }

    private ValidationResult validateAnswer(Config c, BackendHttp.Response response, String token, String fingerprint) {
        int status = response.status();
        if (status == 200) {
            return session(c, response, token, fingerprint);
        }
        if (status == 401 || status == 403) {
            LOG.debug("token {} refused by {} (status {})", fingerprint, where(c), status);
            return ValidationResult.invalid(Reason.REJECTED_BY_BACKEND);
        }
        LOG.debug("token {}: {} answered {}, no verdict", fingerprint, where(c), status);
        return ValidationResult.unavailable("validation endpoint answered " + status);
    }

    private ValidationResult introspectionAnswer(Config c, BackendHttp.Response response, String token,
            String fingerprint) {
        int status = response.status();
        if (status == 200) {
            Optional<Map<String, Object>> json = Json.object(response.body());
            Object active = json.map(j -> j.get("active")).orElse(null);
            if (Boolean.FALSE.equals(active)) {
                LOG.debug("token {} inactive at {}", fingerprint, where(c));
                return ValidationResult.invalid(Reason.REJECTED_BY_BACKEND);
            }
            if (!Boolean.TRUE.equals(active)) {
                LOG.debug("token {}: introspection answer without a boolean active", fingerprint);
                return ValidationResult.unavailable("introspection answer lacks a boolean active");
            }
            if (json.get().get("token_type") instanceof String type && type.strip().equalsIgnoreCase("refresh_token")) {
                LOG.debug("token {} is a refresh token", fingerprint);
                // The backend's own answer says so: its token_type names the claim, for the audit log.
                return ValidationResult.invalid(Reason.WRONG_TOKEN_TYPE, "introspection token_type " + LogText.quoted(type));
            }
            return session(c, json.get(), token, fingerprint);
        }
        if (status == 400 || status == 401 || status == 403) {
            String error = Json.object(response.body()).flatMap(j -> Json.string(j, "error")).orElse("");
            if (status != 400 || CLIENT_ERRORS.contains(error)) {
                // The token travels in the body: a 401 or 403 is about the client, never the user's token.
                c.credentialsRejected().warn(where(c));
                return ValidationResult.unavailable("introspection endpoint rejects the client credentials");
            }
        }
        LOG.debug("token {}: {} answered {}, no verdict", fingerprint, where(c), status);
        return ValidationResult.unavailable("introspection endpoint answered " + status);
    }

    private ValidationResult session(Config c, BackendHttp.Response response, String token, String fingerprint) {
        Optional<Map<String, Object>> json = Json.object(response.body());
        if (json.isEmpty()) {
            LOG.debug("token {}: 200 from {} is not a JSON object", fingerprint, where(c));
            return ValidationResult.unavailable("validation answer is not a JSON object");
        }
        return session(c, json.get(), token, fingerprint);
    }

    private ValidationResult session(Config c, Map<String, Object> json, String token, String fingerprint) {
        Session session = toSession(json, token);
        if (session == null) {
            LOG.debug("token {}: answer from {} lacks a subject", fingerprint, where(c));
            return ValidationResult.unavailable("validation answer lacks a subject");
        }
        Optional<Instant> expiresAt = session.expiresAt();
        if (expiresAt.isPresent() && !clock.instant().isBefore(expiresAt.get())) {
            LOG.debug("token {} expired", fingerprint);
            return ValidationResult.expired();
        }
        LOG.debug("token {} valid", fingerprint);
        return ValidationResult.valid(session);
    }

    /** Through the {@link HttpTokenRefresher} when one is configured; else unsupported. */
    @Override
    protected final RefreshResult doRefresh(String refreshToken) {
        Config c = config;
        if (c == null) {
            return RefreshResult.unavailable(closed ? "HttpTokenValidator is closed" : "HttpTokenValidator is not configured");
        }
        return c.refresh() == null ? RefreshResult.unsupported() : c.refresh().refresh(refreshToken);
    }

    /** {@code oauth2.client-secret} of introspection, and the refresher's. */
    @Override
    protected java.util.Map<String, String> heldSecrets() {
        Config c = config;
        java.util.Map<String, String> held = new java.util.LinkedHashMap<>();
        if (c != null && c.refresh() != null) {
            held.putAll(c.refresh().heldSecrets());
        }
        if (c != null && c.client() != null) {
            held.put(ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET, c.client().clientSecret());
        }
        return held;
    }

    /** Mode and URLs (without query), client id; never a secret. */
    @Override
    public String describe() {
        Config c = config;
        if (c == null) {
            return getClass().getSimpleName() + (closed ? "[closed]" : "[not configured]");
        }
        return getClass().getSimpleName() + "[" + (c.introspection() ? "introspection=" : "validate-url=") + where(c)
                + (c.client() != null ? ", client=" + c.client().clientId() : "")
                + ", refresh=" + (c.refresh() == null ? "none" : c.refresh().describe()) + "]";
    }

    /**
     * Later calls: validations and refreshes are unavailable. Stops the HTTP threads only of a transport this object built
     * itself (standalone use); the filter's shared transport is the filter's to stop.
     */
    @Override
    public void close() {
        closed = true;
        Config c = config;
        config = null;
        if (c != null) {
            if (c.refresh() != null) {
                c.refresh().close();
            }
            c.http().close();
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    private Config requireConfig() {
        Config c = config;
        if (c == null) {
            throw new IllegalStateException(closed ? "closed" : "not configured");
        }
        return c;
    }

    private static String where(Config c) {
        return BackendHttp.withoutQuery(c.uri());
    }
}
