package io.github.sessiongate;

import io.github.sessiongate.engine.SettingsChecks;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how refresh tokens are revoked at logout: a plain {@code revoke-url}, or RFC 7009 at
 * {@code oauth2.revocation-url} with the filter's {@link ClientCredentials}. Off (logout then only
 * forgets the tokens here) until one is set. Immutable, checked by {@link Builder#build()} with the
 * init-params' rules and messages; {@link #toString()} shows no secret.
 */
public final class RevokeSettings {
    /** Plain mode: the URL that takes the refresh token by POST. Not with {@link #PARAM_OAUTH2_REVOCATION_URL}. */
    public static final String PARAM_REVOKE_URL = "revoke-url";
    /** Plain mode: how the token is sent, {@value #FORMAT_FORM} or {@value #FORMAT_JSON}. */
    public static final String PARAM_REVOKE_FORMAT = "revoke-format";
    public static final String FORMAT_FORM = LoginSettings.FORMAT_FORM;
    public static final String FORMAT_JSON = LoginSettings.FORMAT_JSON;
    public static final String DEFAULT_REVOKE_FORMAT = FORMAT_FORM;
    /** Plain mode: the form field or JSON member that carries the refresh token. */
    public static final String PARAM_REVOKE_REQUEST_FIELD = "revoke-request-field";
    public static final String DEFAULT_REVOKE_REQUEST_FIELD = "refresh_token";
    /** OAuth2 mode: the RFC 7009 revocation endpoint; needs the client credentials. */
    public static final String PARAM_OAUTH2_REVOCATION_URL = "oauth2.revocation-url";

    private final URI uri;
    private final boolean json;
    private final String requestField;
    private final ClientCredentials client;

    private RevokeSettings(Builder b) {
        if (b.url != null && b.revocationUrl != null) {
            throw new ConfigException(PARAM_OAUTH2_REVOCATION_URL, "cannot be combined with " + PARAM_REVOKE_URL
                    + ": set the one your backend speaks");
        }
        String plainOnly = b.format != null ? PARAM_REVOKE_FORMAT : b.requestField != null ? PARAM_REVOKE_REQUEST_FIELD : null;
        if (b.url == null && b.revocationUrl == null) {
            if (plainOnly != null) {
                throw new ConfigException(plainOnly, "applies only with " + PARAM_REVOKE_URL);
            }
            this.uri = null;
            this.json = false;
            this.requestField = DEFAULT_REVOKE_REQUEST_FIELD;
            this.client = null;
            return;
        }
        if (b.url != null) {
            this.uri = SettingsChecks.backendUrl(PARAM_REVOKE_URL, b.url, LoginSettings.OVER_PLAIN_HTTP);
            this.json = LoginSettings.jsonFormat(PARAM_REVOKE_FORMAT, b.format);
            this.requestField = SettingsChecks.requestField(PARAM_REVOKE_REQUEST_FIELD,
                    b.requestField != null ? b.requestField : DEFAULT_REVOKE_REQUEST_FIELD);
            this.client = null;
        } else {
            if (plainOnly != null) {
                throw new ConfigException(plainOnly, "applies only with " + PARAM_REVOKE_URL + "; "
                        + PARAM_OAUTH2_REVOCATION_URL + " sends token and token_type_hint (RFC 7009)");
            }
            this.uri = SettingsChecks.backendUrl(PARAM_OAUTH2_REVOCATION_URL, b.revocationUrl, LoginSettings.OVER_PLAIN_HTTP);
            this.client = Objects.requireNonNull(b.client, "client");
            this.json = false;
            this.requestField = DEFAULT_REVOKE_REQUEST_FIELD;
        }
    }

    /** Starts revocation settings in code; off until {@link Builder#url} or {@link Builder#oauth2} is set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether a revocation backend is set (else logout revokes nothing at the backend). */
    public boolean enabled() {
        return uri != null;
    }

    /** The revocation URL; empty when off. */
    public Optional<URI> url() {
        return Optional.ofNullable(uri);
    }

    /** Whether RFC 7009 is spoken (else a plain POST to {@link #url()}). */
    public boolean oauth2() {
        return client != null;
    }

    /** Plain mode: whether the token is sent as JSON (else as a form). */
    public boolean json() {
        return json;
    }

    /** Plain mode: the field that carries the refresh token. */
    public String requestField() {
        return requestField;
    }

    /** With RFC 7009: the filter's client credentials. */
    public Optional<ClientCredentials> client() {
        return Optional.ofNullable(client);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RevokeSettings other && Objects.equals(uri, other.uri) && json == other.json
                && requestField.equals(other.requestField)
                && Objects.equals(client == null ? null : client.toString(), other.client == null ? null : other.client.toString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, json, requestField);
    }

    @Override
    public String toString() {
        return "RevokeSettings[" + (uri == null ? "off" : (client != null ? "OAUTH2 " : "PLAIN ") + uri + (json ? " json" : "")
                + (client == null ? "" : " " + client)) + "]";
    }

    /** Revocation settings in code; off until {@link #url} or {@link #oauth2} is set. Not thread-safe. */
    public static final class Builder {
        private String url;
        private String revocationUrl;
        private ClientCredentials client;
        private String format;
        private String requestField;

        private Builder() {
        }

        /** Plain revocation ({@value RevokeSettings#PARAM_REVOKE_URL}): POST of the refresh token; https, or http to loopback. */
        public Builder url(String url) {
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * RFC 7009 revocation with the filter's client credentials
         * ({@value RevokeSettings#PARAM_OAUTH2_REVOCATION_URL}).
         */
        public Builder oauth2(String revocationUrl, ClientCredentials client) {
            this.revocationUrl = Objects.requireNonNull(revocationUrl, "revocationUrl");
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** How the token is sent to {@link #url} ({@value RevokeSettings#PARAM_REVOKE_FORMAT}): {@code form} (default) or {@code json}. */
        public Builder format(String formOrJson) {
            this.format = Objects.requireNonNull(formOrJson, "formOrJson");
            return this;
        }

        /** The field that carries the refresh token ({@value RevokeSettings#PARAM_REVOKE_REQUEST_FIELD}); default {@code refresh_token}. */
        public Builder requestField(String field) {
            this.requestField = Objects.requireNonNull(field, "field");
            return this;
        }

        /** Checks the settings as a set; {@link ConfigException} names the init-param at fault. */
        public RevokeSettings build() {
            return new RevokeSettings(this);
        }
    }
}
