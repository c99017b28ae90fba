package io.github.sessiongate;

import io.github.sessiongate.engine.SettingsChecks;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

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

    private static final String OVER_PLAIN_HTTP = "tokens and client secrets sent over plain http can be read in transit";

    private final URI issuer;
    private final ClientCredentials client;
    private final String scope;
    private final String callbackPath;
    private final Duration transactionMaxAge;

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

    @Override
    public boolean equals(Object o) {
        return o instanceof OidcSettings other && issuer.equals(other.issuer) && client.clientId().equals(other.client.clientId())
                && client.clientSecret().equals(other.client.clientSecret()) && scope.equals(other.scope)
                && callbackPath.equals(other.callbackPath) && transactionMaxAge.equals(other.transactionMaxAge);
    }

    @Override
    public int hashCode() {
        return Objects.hash(issuer, client.clientId(), scope, callbackPath, transactionMaxAge);
    }

    @Override
    public String toString() {
        return "OidcSettings[" + issuer + ", " + client + ", scope=" + scope + ", callback=" + callbackPath
                + ", transaction=" + transactionMaxAge + "]";
    }

    /** OpenID Connect settings in code. Not thread-safe. */
    public static final class Builder {
        private String issuer;
        private String clientId;
        private String clientSecret;
        private String scope;
        private String callbackPath;
        private Duration transactionMaxAge;

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
         * Checks and returns the settings.
         *
         * @throws ConfigException naming the parameter at fault
         */
        public OidcSettings build() {
            return new OidcSettings(this);
        }
    }
}
