package io.github.sessiongate;

import java.util.Objects;

/**
 * The filter's own OAuth2 client credentials ({@code oauth2.client-id}, {@code oauth2.client-secret},
 * {@code oauth2.client-auth}), applied as HTTP Basic or in the form body
 * (<a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1">RFC 6749, 2.3.1</a>).
 * Immutable; {@link #toString()} never shows the secret.
 *
 * <p>From code: {@code ClientCredentials.of("my-app", System.getenv("OAUTH2_CLIENT_SECRET"))}, for
 * {@code HttpTokenValidator.withIntrospection}, {@code HttpTokenRefresher.oauth2} and the login and
 * revoke settings.
 */
public final class ClientCredentials {
    /** The OAuth2 token endpoint the filter's client refreshes (and, with the password grant, logs in) at. */
    public static final String PARAM_OAUTH2_TOKEN_URL = "oauth2.token-url";
    /** The filter's OAuth2 client id at the token, introspection and revocation endpoints. */
    public static final String PARAM_OAUTH2_CLIENT_ID = "oauth2.client-id";
    /** The filter's OAuth2 client secret; never logged. */
    public static final String PARAM_OAUTH2_CLIENT_SECRET = "oauth2.client-secret";
    /** How the client authenticates: {@value #CLIENT_SECRET_BASIC} or {@value #CLIENT_SECRET_POST}. */
    public static final String PARAM_OAUTH2_CLIENT_AUTH = "oauth2.client-auth";
    public static final String CLIENT_SECRET_BASIC = "client_secret_basic";
    public static final String CLIENT_SECRET_POST = "client_secret_post";
    public static final String DEFAULT_OAUTH2_CLIENT_AUTH = CLIENT_SECRET_BASIC;

    private final String clientId;
    private final String clientSecret;
    private final AuthMethod method;

    private ClientCredentials(String clientId, String clientSecret, AuthMethod method) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.method = method;
    }

    /** How the client authenticates at the token and introspection endpoints ({@code oauth2.client-auth}). */
    public enum AuthMethod {
        /** HTTP Basic, the default ({@value ClientCredentials#CLIENT_SECRET_BASIC}). */
        CLIENT_SECRET_BASIC,
        /** {@code client_id} and {@code client_secret} in the form body ({@value ClientCredentials#CLIENT_SECRET_POST}). */
        CLIENT_SECRET_POST
    }

    /**
     * {@code oauth2.client-id} and {@code oauth2.client-secret}, sent as HTTP Basic.
     *
     * @throws ConfigException naming the parameter when a value is empty or holds a control character
     */
    public static ClientCredentials of(String clientId, String clientSecret) {
        return of(clientId, clientSecret, AuthMethod.CLIENT_SECRET_BASIC);
    }

    /**
     * As {@link #of(String, String)}, with {@code oauth2.client-auth}.
     *
     * @throws ConfigException naming the parameter when a value is empty or holds a control character
     */
    public static ClientCredentials of(String clientId, String clientSecret, AuthMethod method) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(method, "method");
        if (clientId.isEmpty() || clientId.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ConfigException(PARAM_OAUTH2_CLIENT_ID, clientId.isEmpty() ? "is empty"
                    : "must not contain control characters");
        }
        if (clientSecret.isEmpty() || clientSecret.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ConfigException(PARAM_OAUTH2_CLIENT_SECRET, clientSecret.isEmpty() ? "is empty"
                    : "must not contain control characters");
        }
        return new ClientCredentials(clientId, clientSecret, method);
    }

    /** The client id (not a secret). */
    public String clientId() {
        return clientId;
    }

    /** The client secret, for the request that authenticates the client; never log it. */
    public String clientSecret() {
        return clientSecret;
    }

    /** How the client authenticates. */
    public AuthMethod authMethod() {
        return method;
    }

    @Override
    public String toString() {
        return "ClientCredentials[" + clientId + ", " + (method == AuthMethod.CLIENT_SECRET_BASIC ? CLIENT_SECRET_BASIC : CLIENT_SECRET_POST) + ", secret=[PROTECTED]]";
    }
}
