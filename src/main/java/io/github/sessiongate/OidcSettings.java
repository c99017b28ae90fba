package io.github.sessiongate;

import io.github.sessiongate.engine.SettingsChecks;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * OpenID Connect sign-in (authorization code with PKCE), turned on by {@code oidc.issuer}: the
 * filter reads the provider's discovery document, sends browsers without a session to its
 * authorization endpoint, and starts the session at {@code oidc.callback-path}. It replaces the
 * password login. Immutable, checked by {@link Builder#build()} with the init-params' rules and
 * messages; {@link #toString()} never shows the client secret.
 */
public final class OidcSettings {
    /** The provider's issuer identifier; discovery reads {@code <issuer>/.well-known/openid-configuration}. */
    public static final String PARAM_ISSUER = "oidc.issuer";
    /** The client id registered at the provider. */
    public static final String PARAM_CLIENT_ID = "oidc.client-id";
    /** The client secret, sent as HTTP Basic ({@code client_secret_basic}); never logged. */
    public static final String PARAM_CLIENT_SECRET = "oidc.client-secret";
    /** The scopes asked for, space-separated; must include {@code openid}. */
    public static final String PARAM_SCOPE = "oidc.scope";
    public static final String DEFAULT_SCOPE = "openid";
    /** The redirect URI's path, to register at the provider. */
    public static final String PARAM_CALLBACK_PATH = "oidc.callback-path";
    public static final String DEFAULT_CALLBACK_PATH = "/auth/callback";
    /** How long a started sign-in may take (the login-transaction cookie's {@code Max-Age}). */
    public static final String PARAM_TRANSACTION_MAX_AGE = "oidc.transaction-max-age";
    public static final Duration DEFAULT_TRANSACTION_MAX_AGE = Duration.ofSeconds(600);
    public static final Duration MIN_TRANSACTION_MAX_AGE = Duration.ofSeconds(30);
    public static final Duration MAX_TRANSACTION_MAX_AGE = Duration.ofHours(1);

    // Extra authorization-request parameters (OIDC Core 3.1.2.1) and the ID token checks they bring.
    /** {@code prompt} sent with every authorization request: space-separated, among {@link #PROMPT_VALUES}; {@code none} alone. */
    public static final String PARAM_PROMPT = "oidc.prompt";
    /** The {@code prompt} values the filter accepts (OIDC Core 3.1.2.1; {@code create} from OIDC Prompt Create 1.0). */
    public static final Set<String> PROMPT_VALUES = Set.of("none", "login", "consent", "select_account", "create");
    /** {@code acr_values} sent with every authorization request, space-separated, in order of preference. */
    public static final String PARAM_ACR_VALUES = "oidc.acr-values";
    /** Whether the ID token's {@code acr} must be one of {@value #PARAM_ACR_VALUES} (else the request is only a wish). */
    public static final String PARAM_REQUIRE_ACR = "oidc.require-acr";
    /** {@code max_age} sent with every authorization request; the ID token's {@code auth_time} must then be within it. */
    public static final String PARAM_MAX_AGE = "oidc.max-age";
    public static final Duration MAX_MAX_AGE = Duration.ofDays(366);
    /** Whether {@code GET <login endpoint>?login_hint=...} is passed on to the provider; off by default. */
    public static final String PARAM_LOGIN_HINT_FROM_REQUEST = "oidc.login-hint-from-request";
    /** Longest {@code acr_values}, in characters. */
    static final int MAX_ACR_VALUES = 512;

    private static final String OVER_PLAIN_HTTP = "tokens and client secrets sent over plain http can be read in transit";

    private final URI issuer;
    private final ClientCredentials client;
    private final String scope;
    private final String callbackPath;
    private final Duration transactionMaxAge;
    private final Optional<String> prompt;
    private final List<String> acrValues;
    private final boolean requireAcr;
    private final Optional<Duration> maxAge;
    private final boolean loginHintFromRequest;

    private OidcSettings(Builder b) {
        if (b.issuer == null) {
            throw new ConfigException(PARAM_ISSUER, "is required for OpenID Connect sign-in");
        }
        String issuerText = b.issuer.strip();
        this.issuer = SettingsChecks.backendUrl(PARAM_ISSUER, issuerText, OVER_PLAIN_HTTP);
        if (issuer.getRawQuery() != null || issuer.getRawFragment() != null) {
            throw new ConfigException(PARAM_ISSUER, "must not have a query or fragment (OpenID Connect Discovery 1.0, 3)");
        }
        if (b.clientId == null) {
            throw new ConfigException(PARAM_CLIENT_ID, "is required with " + PARAM_ISSUER);
        }
        if (b.clientSecret == null) {
            throw new ConfigException(PARAM_CLIENT_SECRET, "is required with " + PARAM_ISSUER + " (client_secret_basic)");
        }
        this.client = credentials(b.clientId, b.clientSecret);
        String s = b.scope == null ? DEFAULT_SCOPE : b.scope.strip().replaceAll("\\s+", " ");
        if (s.isEmpty() || !s.chars().allMatch(c -> c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e))) {
            throw new ConfigException(PARAM_SCOPE, "must be scope tokens separated by spaces (RFC 6749, 3.3)");
        }
        if (!java.util.List.of(s.split(" ")).contains("openid")) {
            throw new ConfigException(PARAM_SCOPE, "must include openid, else the provider returns no ID token");
        }
        this.scope = s;
        String path = b.callbackPath == null ? DEFAULT_CALLBACK_PATH : b.callbackPath;
        if (!SettingsChecks.isPlainPath(path) || path.indexOf('?') >= 0) {
            throw new ConfigException(PARAM_CALLBACK_PATH, "must be a plain path inside the application such as "
                    + DEFAULT_CALLBACK_PATH);
        }
        this.callbackPath = path;
        this.transactionMaxAge = SettingsChecks.duration(PARAM_TRANSACTION_MAX_AGE,
                b.transactionMaxAge == null ? DEFAULT_TRANSACTION_MAX_AGE : b.transactionMaxAge,
                MIN_TRANSACTION_MAX_AGE, MAX_TRANSACTION_MAX_AGE);
        this.prompt = Optional.ofNullable(b.prompt).map(OidcSettings::prompt);
        this.acrValues = b.acrValues == null ? List.of() : acrValues(b.acrValues);
        if (b.requireAcr && acrValues.isEmpty()) {
            throw new ConfigException(PARAM_REQUIRE_ACR, "needs " + PARAM_ACR_VALUES + ": the acr values the ID token may carry");
        }
        this.requireAcr = b.requireAcr;
        if (b.maxAge != null && (b.maxAge.toNanosPart() != 0 || b.maxAge.isNegative())) {
            throw new ConfigException(PARAM_MAX_AGE, "must be whole seconds, 0 or more (max_age is sent in seconds)");
        }
        this.maxAge = Optional.ofNullable(b.maxAge).map(d -> SettingsChecks.duration(PARAM_MAX_AGE, d, Duration.ZERO,
                MAX_MAX_AGE));
        this.loginHintFromRequest = b.loginHintFromRequest;
    }

    private static boolean isToken(String v) {
        return !v.isEmpty() && v.chars().allMatch(c -> c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e));
    }

    private static String prompt(String value) {
        List<String> values = List.of(value.strip().split("\\s+"));
        if (value.isBlank() || !PROMPT_VALUES.containsAll(values) || values.size() != new HashSet<>(values).size()) {
            throw new ConfigException(PARAM_PROMPT, "must be space-separated values among " + new TreeSet<>(PROMPT_VALUES)
                    + ", each once, not '" + value + "'");
        }
        if (values.contains("none") && values.size() > 1) {
            throw new ConfigException(PARAM_PROMPT, "none must stand alone (OIDC Core 3.1.2.1)");
        }
        return String.join(" ", values);
    }

    private static List<String> acrValues(String value) {
        List<String> values = List.of(value.strip().split("\\s+"));
        if (value.isBlank() || value.length() > MAX_ACR_VALUES || !values.stream().allMatch(OidcSettings::isToken)
                || values.size() != new HashSet<>(values).size()) {
            throw new ConfigException(PARAM_ACR_VALUES, "must be distinct acr values (printable ASCII without spaces, quotes "
                    + "or backslashes) separated by spaces, at most " + MAX_ACR_VALUES + " characters");
        }
        return values;
    }

    private static ClientCredentials credentials(String id, String secret) {
        try {
            return ClientCredentials.of(id, secret);
        } catch (ConfigException e) {
            // Name our own parameter, not oauth2.*.
            String name = ClientCredentials.PARAM_OAUTH2_CLIENT_ID.equals(e.parameter()) ? PARAM_CLIENT_ID : PARAM_CLIENT_SECRET;
            throw new ConfigException(name, e.getMessage().replaceFirst("^.*?: ", ""));
        }
    }

    /** Starts OpenID Connect settings in code: {@link Builder#issuer} and {@link Builder#client} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The issuer identifier exactly as configured; discovery must answer the same. */
    public URI issuer() {
        return issuer;
    }

    /** The client id and secret, sent as HTTP Basic at the token endpoint. */
    public ClientCredentials client() {
        return client;
    }

    /** The scopes, space-separated, {@code openid} among them. */
    public String scope() {
        return scope;
    }

    /** The callback route's path inside the application. */
    public String callbackPath() {
        return callbackPath;
    }

    /** How long a started sign-in stays valid. */
    public Duration transactionMaxAge() {
        return transactionMaxAge;
    }

    /** The {@code prompt} sent, if any. */
    public Optional<String> prompt() {
        return prompt;
    }

    /** The {@code acr_values} sent, in order; empty when none is sent. */
    public List<String> acrValues() {
        return acrValues;
    }

    /** Whether the ID token's {@code acr} must be one of {@link #acrValues()}. */
    public boolean requireAcr() {
        return requireAcr;
    }

    /** The {@code max_age} sent, if any; the ID token's {@code auth_time} is then required and checked. */
    public Optional<Duration> maxAge() {
        return maxAge;
    }

    /** Whether the login endpoint passes its {@code login_hint} query parameter on to the provider. */
    public boolean loginHintFromRequest() {
        return loginHintFromRequest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OidcSettings other && issuer.equals(other.issuer) && client.clientId().equals(other.client.clientId())
                && client.clientSecret().equals(other.client.clientSecret()) && scope.equals(other.scope)
                && callbackPath.equals(other.callbackPath) && transactionMaxAge.equals(other.transactionMaxAge)
                && prompt.equals(other.prompt) && acrValues.equals(other.acrValues) && requireAcr == other.requireAcr
                && maxAge.equals(other.maxAge) && loginHintFromRequest == other.loginHintFromRequest;
    }

    @Override
    public int hashCode() {
        return Objects.hash(issuer, client.clientId(), scope, callbackPath, transactionMaxAge, prompt, acrValues, maxAge);
    }

    @Override
    public String toString() {
        return "OidcSettings[" + issuer + ", " + client + ", scope=" + scope + ", callback=" + callbackPath
                + ", transaction=" + transactionMaxAge + (prompt.isEmpty() ? "" : ", prompt=" + prompt.get())
                + (acrValues.isEmpty() ? "" : ", acr_values=" + String.join(" ", acrValues) + (requireAcr ? " (required)" : ""))
                + maxAge.map(d -> ", max_age=" + d.toSeconds()).orElse("") + (loginHintFromRequest ? ", login_hint from request" : "")
                + "]";
    }

    /** OpenID Connect settings in code. Not thread-safe. */
    public static final class Builder {
        private String issuer;
        private String clientId;
        private String clientSecret;
        private String scope;
        private String callbackPath;
        private Duration transactionMaxAge;
        private String prompt;
        private String acrValues;
        private boolean requireAcr;
        private Duration maxAge;
        private boolean loginHintFromRequest;

        private Builder() {
        }

        /** The issuer identifier ({@value OidcSettings#PARAM_ISSUER}): https, or http to loopback. */
        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /** The client id and secret ({@value OidcSettings#PARAM_CLIENT_ID}, {@value OidcSettings#PARAM_CLIENT_SECRET}). */
        public Builder client(String clientId, String clientSecret) {
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
            return this;
        }

        /** The scopes ({@value OidcSettings#PARAM_SCOPE}), default {@value OidcSettings#DEFAULT_SCOPE}. */
        public Builder scope(String scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /** The callback path ({@value OidcSettings#PARAM_CALLBACK_PATH}), default {@value OidcSettings#DEFAULT_CALLBACK_PATH}. */
        public Builder callbackPath(String path) {
            this.callbackPath = Objects.requireNonNull(path, "path");
            return this;
        }

        /** The login transaction's lifetime ({@value OidcSettings#PARAM_TRANSACTION_MAX_AGE}): 30 s to 1 h, default 600 s. */
        public Builder transactionMaxAge(Duration maxAge) {
            this.transactionMaxAge = Objects.requireNonNull(maxAge, "maxAge");
            return this;
        }

        /**
         * The {@code prompt} of every authorization request ({@value OidcSettings#PARAM_PROMPT}): space-separated
         * values among {@link OidcSettings#PROMPT_VALUES}, {@code none} alone; default: none sent.
         */
        public Builder prompt(String prompt) {
            this.prompt = Objects.requireNonNull(prompt, "prompt");
            return this;
        }

        /**
         * The {@code acr_values} of every authorization request ({@value OidcSettings#PARAM_ACR_VALUES}), space-separated,
         * preferred first; default: none sent. Without {@link #requireAcr} the provider may ignore them.
         */
        public Builder acrValues(String acrValues) {
            this.acrValues = Objects.requireNonNull(acrValues, "acrValues");
            return this;
        }

        /**
         * Whether the ID token's {@code acr} must be one of the {@link #acrValues} ({@value OidcSettings#PARAM_REQUIRE_ACR}),
         * else the sign-in is refused; default false; true needs {@link #acrValues}.
         */
        public Builder requireAcr(boolean require) {
            this.requireAcr = require;
            return this;
        }

        /**
         * The {@code max_age} of every authorization request ({@value OidcSettings#PARAM_MAX_AGE}): whole seconds from 0
         * to 366 days; default: none sent. When sent, the ID token must carry {@code auth_time} no older than this
         * (plus a 30 s skew).
         */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
            return this;
        }

        /**
         * Whether {@code GET <login endpoint>?login_hint=...} passes the hint on to the provider
         * ({@value OidcSettings#PARAM_LOGIN_HINT_FROM_REQUEST}); default false, the parameter is then ignored. A hint
         * given twice, longer than 256 UTF-8 bytes or with control characters is answered {@code 400}.
         */
        public Builder loginHintFromRequest(boolean allow) {
            this.loginHintFromRequest = allow;
            return this;
        }

        /**
         * Checks and returns the settings.
         *
         * @throws ConfigException naming the parameter at fault
         */
        public OidcSettings build() {
            return new OidcSettings(this);
        }
    }
}
