package io.github.sessiongate;

import io.github.sessiongate.engine.SettingsChecks;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how the filter logs users in at a backend: a plain {@code login-url} that takes a
 * username and password by POST, or the OAuth2 password grant at {@code oauth2.token-url} with the
 * filter's {@link ClientCredentials}. Off (the login endpoint answers 404) until one is set.
 * Immutable, checked by {@link Builder#build()} with the init-params' rules and messages;
 * {@link #toString()} shows no secret.
 */
public final class LoginSettings {
    /** Plain mode: the URL that takes the username and password by POST. Not with {@link #PARAM_LOGIN_GRANT}. */
    public static final String PARAM_LOGIN_URL = "login-url";
    /** Plain mode: how the credentials are sent, {@value #FORMAT_FORM} or {@value #FORMAT_JSON}. */
    public static final String PARAM_LOGIN_FORMAT = "login-format";
    public static final String FORMAT_FORM = "form";
    public static final String FORMAT_JSON = "json";
    public static final String DEFAULT_LOGIN_FORMAT = FORMAT_FORM;
    /** Plain mode: the form field or JSON member that carries the username. */
    public static final String PARAM_LOGIN_USERNAME_FIELD = "login-username-field";
    public static final String DEFAULT_LOGIN_USERNAME_FIELD = "username";
    /** Plain mode: the form field or JSON member that carries the password. */
    public static final String PARAM_LOGIN_PASSWORD_FIELD = "login-password-field";
    public static final String DEFAULT_LOGIN_PASSWORD_FIELD = "password";
    /**
     * {@value #GRANT_PASSWORD}: log in with the OAuth2 password grant at {@code oauth2.token-url},
     * with the filter's client credentials. Not with {@link #PARAM_LOGIN_URL}.
     */
    public static final String PARAM_LOGIN_GRANT = "login-grant";
    public static final String GRANT_PASSWORD = "password";
    /** Path of the access token in a token answer (login and refresh). */
    public static final String PARAM_FIELD_ACCESS_TOKEN = "field.access-token";
    public static final String DEFAULT_FIELD_ACCESS_TOKEN = "access_token";
    /** Path of the refresh token in a token answer; absent in a refresh answer means "keep the old one". */
    public static final String PARAM_FIELD_REFRESH_TOKEN = "field.refresh-token";
    public static final String DEFAULT_FIELD_REFRESH_TOKEN = "refresh_token";
    /** Path of the access token's lifetime in seconds in a token answer. */
    public static final String PARAM_FIELD_EXPIRES_IN = "field.expires-in";
    public static final String DEFAULT_FIELD_EXPIRES_IN = "expires_in";

    /** Why a backend URL must be https (or http to loopback), for the refusal. */
    static final String OVER_PLAIN_HTTP = "tokens and client secrets sent over plain http can be read in transit";

    private final URI uri;
    private final boolean passwordGrant;
    private final boolean json;
    private final String usernameField;
    private final String passwordField;
    private final ClientCredentials client;
    private final String accessTokenField;
    private final String refreshTokenField;
    private final String expiresInField;

    private LoginSettings(Builder b) {
        if (b.url != null && b.passwordGrant) {
            throw new ConfigException(PARAM_LOGIN_GRANT, "cannot be combined with " + PARAM_LOGIN_URL + ": set "
                    + PARAM_LOGIN_URL + " for a plain login endpoint, or " + PARAM_LOGIN_GRANT + "=" + GRANT_PASSWORD
                    + " to log in at " + ClientCredentials.PARAM_OAUTH2_TOKEN_URL);
        }
        String plainOnly = b.format != null ? PARAM_LOGIN_FORMAT : b.usernameField != null ? PARAM_LOGIN_USERNAME_FIELD
                : b.passwordField != null ? PARAM_LOGIN_PASSWORD_FIELD : null;
        this.usernameField = b.url == null ? DEFAULT_LOGIN_USERNAME_FIELD : SettingsChecks.requestField(
                PARAM_LOGIN_USERNAME_FIELD, b.usernameField != null ? b.usernameField : DEFAULT_LOGIN_USERNAME_FIELD);
        this.passwordField = b.url == null ? DEFAULT_LOGIN_PASSWORD_FIELD : SettingsChecks.requestField(
                PARAM_LOGIN_PASSWORD_FIELD, b.passwordField != null ? b.passwordField : DEFAULT_LOGIN_PASSWORD_FIELD);
        this.accessTokenField = b.accessTokenField;
        this.refreshTokenField = b.refreshTokenField;
        this.expiresInField = b.expiresInField;
        if (b.url == null && !b.passwordGrant) {
            if (plainOnly != null) {
                throw new ConfigException(plainOnly, "applies only with " + PARAM_LOGIN_URL);
            }
            this.uri = null;
            this.passwordGrant = false;
            this.json = false;
            this.client = null;
            return;
        }
        if (b.url != null) {
            this.uri = SettingsChecks.backendUrl(PARAM_LOGIN_URL, b.url, OVER_PLAIN_HTTP);
            this.json = jsonFormat(PARAM_LOGIN_FORMAT, b.format);
            if (usernameField.equals(passwordField)) {
                throw new ConfigException(PARAM_LOGIN_PASSWORD_FIELD, "must differ from " + PARAM_LOGIN_USERNAME_FIELD
                        + " ('" + usernameField + "')");
            }
            this.passwordGrant = false;
            this.client = null;
        } else {
            if (plainOnly != null) {
                throw new ConfigException(plainOnly, "applies only with " + PARAM_LOGIN_URL + "; "
                        + PARAM_LOGIN_GRANT + "=" + GRANT_PASSWORD + " sends the grant's username and password fields");
            }
            this.uri = SettingsChecks.backendUrl(ClientCredentials.PARAM_OAUTH2_TOKEN_URL,
                    Objects.requireNonNull(b.tokenUrl, "tokenUrl"), OVER_PLAIN_HTTP);
            this.passwordGrant = true;
            this.client = Objects.requireNonNull(b.client, "client");
            this.json = false;
        }
        SettingsChecks.jsonPath(PARAM_FIELD_ACCESS_TOKEN, accessTokenField);
        SettingsChecks.jsonPath(PARAM_FIELD_REFRESH_TOKEN, refreshTokenField);
        SettingsChecks.jsonPath(PARAM_FIELD_EXPIRES_IN, expiresInField);
    }

    /**
     * Whether a backend POST's format ({@value #FORMAT_FORM} when unset, or {@value #FORMAT_JSON})
     * asks for JSON.
     *
     * @throws ConfigException naming {@code parameter} for any other format
     */
    static boolean jsonFormat(String parameter, String format) {
        String f = format == null ? FORMAT_FORM : format.toLowerCase(Locale.ROOT);
        if (!f.equals(FORMAT_FORM) && !f.equals(FORMAT_JSON)) {
            throw new ConfigException(parameter, "must be one of " + FORMAT_FORM + ", " + FORMAT_JSON + ", not '" + format + "'");
        }
        return f.equals(FORMAT_JSON);
    }

    /** Starts login settings in code; off until {@link Builder#url} or {@link Builder#passwordGrant} is set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether a login backend is set (else the login endpoint is off). */
    public boolean enabled() {
        return uri != null;
    }

    /** The login URL, or the token endpoint with the password grant; empty when off. */
    public Optional<URI> url() {
        return Optional.ofNullable(uri);
    }

    /** Whether the OAuth2 password grant is used (else a plain POST to {@link #url()}). */
    public boolean passwordGrant() {
        return passwordGrant;
    }

    /** Plain mode: whether the credentials are sent as JSON (else as a form). */
    public boolean json() {
        return json;
    }

    /** Plain mode: the field that carries the username. */
    public String usernameField() {
        return usernameField;
    }

    /** Plain mode: the field that carries the password. */
    public String passwordField() {
        return passwordField;
    }

    /** With the password grant: the filter's client credentials. */
    public Optional<ClientCredentials> client() {
        return Optional.ofNullable(client);
    }

    /** Path of the access token in the answer. */
    public String accessTokenField() {
        return accessTokenField;
    }

    /** Path of the refresh token in the answer. */
    public String refreshTokenField() {
        return refreshTokenField;
    }

    /** Path of the access token's lifetime in the answer. */
    public String expiresInField() {
        return expiresInField;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoginSettings other && Objects.equals(uri, other.uri) && passwordGrant == other.passwordGrant
                && json == other.json && usernameField.equals(other.usernameField) && passwordField.equals(other.passwordField)
                && Objects.equals(client == null ? null : client.toString(), other.client == null ? null : other.client.toString())
                && accessTokenField.equals(other.accessTokenField) && refreshTokenField.equals(other.refreshTokenField)
                && expiresInField.equals(other.expiresInField);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, passwordGrant, json, usernameField, passwordField);
    }

    @Override
    public String toString() {
        return "LoginSettings[" + (uri == null ? "off" : (passwordGrant ? "OAUTH2 " : "PLAIN ") + uri + (json ? " json" : "")
                + (client == null ? "" : " " + client)) + "]";
    }

    /**
     * Login settings in code; off until {@link #url} or {@link #passwordGrant} is set. Field paths
     * default to {@code access_token}, {@code refresh_token}, {@code expires_in}. Not thread-safe.
     */
    public static final class Builder {
        private String url;
        private boolean passwordGrant;
        private String tokenUrl;
        private ClientCredentials client;
        private String format;
        private String usernameField;
        private String passwordField;
        private String accessTokenField = DEFAULT_FIELD_ACCESS_TOKEN;
        private String refreshTokenField = DEFAULT_FIELD_REFRESH_TOKEN;
        private String expiresInField = DEFAULT_FIELD_EXPIRES_IN;

        private Builder() {
        }

        /** Plain login ({@value LoginSettings#PARAM_LOGIN_URL}): POST of username and password; https, or http to loopback. */
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

        /** How the credentials are sent to {@link #url} ({@value LoginSettings#PARAM_LOGIN_FORMAT}): {@code form} (default) or {@code json}. */
        public Builder format(String formOrJson) {
            this.format = Objects.requireNonNull(formOrJson, "formOrJson");
            return this;
        }

        /** The field that carries the username ({@value LoginSettings#PARAM_LOGIN_USERNAME_FIELD}); default {@code username}. */
        public Builder usernameField(String field) {
            this.usernameField = Objects.requireNonNull(field, "field");
            return this;
        }

        /** The field that carries the password ({@value LoginSettings#PARAM_LOGIN_PASSWORD_FIELD}); default {@code password}. */
        public Builder passwordField(String field) {
            this.passwordField = Objects.requireNonNull(field, "field");
            return this;
        }

        /** Path of the access token in the answer ({@value LoginSettings#PARAM_FIELD_ACCESS_TOKEN}); default {@code access_token}. */
        public Builder accessTokenField(String path) {
            this.accessTokenField = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Path of the refresh token in the answer ({@value LoginSettings#PARAM_FIELD_REFRESH_TOKEN}); default {@code refresh_token}. */
        public Builder refreshTokenField(String path) {
            this.refreshTokenField = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Path of the access token's lifetime in the answer ({@value LoginSettings#PARAM_FIELD_EXPIRES_IN}); default {@code expires_in}. */
        public Builder expiresInField(String path) {
            this.expiresInField = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Checks the settings as a set; {@link ConfigException} names the init-param at fault. */
        public LoginSettings build() {
            return new LoginSettings(this);
        }
    }
}
