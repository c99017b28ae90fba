package io.github.sessiongate.remote;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The filter's own OAuth2 client credentials ({@code oauth2.client-id}, {@code oauth2.client-secret},
 * {@code oauth2.client-auth}), applied as HTTP Basic or in the form body
 * (<a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1">RFC 6749, 2.3.1</a>).
 * Immutable; {@link #toString()} never shows the secret.
 *
 * <p>From code: {@code ClientCredentials.of("my-app", System.getenv("OAUTH2_CLIENT_SECRET"))}, for
 * {@link HttpTokenValidator#withIntrospection} and {@link RefreshEndpoint#oauth2}.
 */
public final class ClientCredentials {
    private final String clientId;
    private final String clientSecret;
    private final boolean basic;
    private final String authorization;

    private ClientCredentials(String clientId, String clientSecret, boolean basic) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.basic = basic;
        // RFC 6749 2.3.1: id and secret are form-encoded before Basic encoding.
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (form(clientId) + ":" + form(clientSecret)).getBytes(StandardCharsets.UTF_8));
    }

    /** How the client authenticates at the token and introspection endpoints ({@code oauth2.client-auth}). */
    public enum AuthMethod {
        /** HTTP Basic, the default ({@value RefreshEndpoint#CLIENT_SECRET_BASIC}). */
        CLIENT_SECRET_BASIC,
        /** {@code client_id} and {@code client_secret} in the form body ({@value RefreshEndpoint#CLIENT_SECRET_POST}). */
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
        java.util.Objects.requireNonNull(clientId, "clientId");
        java.util.Objects.requireNonNull(clientSecret, "clientSecret");
        java.util.Objects.requireNonNull(method, "method");
        if (clientId.isEmpty() || clientId.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ConfigException(RefreshEndpoint.PARAM_OAUTH2_CLIENT_ID, clientId.isEmpty() ? "is empty"
                    : "must not contain control characters");
        }
        if (clientSecret.isEmpty() || clientSecret.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ConfigException(RefreshEndpoint.PARAM_OAUTH2_CLIENT_SECRET, clientSecret.isEmpty() ? "is empty"
                    : "must not contain control characters");
        }
        return new ClientCredentials(clientId, clientSecret, method == AuthMethod.CLIENT_SECRET_BASIC);
    }

    /**
     * Reads the client parameters, all required, once per {@link InitParams}: refresh, login,
     * revoke and introspection share the one object ({@link InitParams#shared}).
     *
     * @param forWhat the first parameter that needs them, for the error message
     */
    static ClientCredentials read(InitParams params, String forWhat) {
        return params.shared(ClientCredentials.class, () -> readOnce(params, forWhat));
    }

    private static ClientCredentials readOnce(InitParams params, String forWhat) {
        String id = params.require(RefreshEndpoint.PARAM_OAUTH2_CLIENT_ID,
                "the client id this filter uses at " + forWhat);
        String secret = params.require(RefreshEndpoint.PARAM_OAUTH2_CLIENT_SECRET,
                "the client secret this filter uses at " + forWhat + " (e.g. ${env:OAUTH2_CLIENT_SECRET})");
        String method = params.choice(RefreshEndpoint.PARAM_OAUTH2_CLIENT_AUTH, RefreshEndpoint.DEFAULT_OAUTH2_CLIENT_AUTH,
                RefreshEndpoint.CLIENT_SECRET_BASIC, RefreshEndpoint.CLIENT_SECRET_POST);
        return of(id, secret, method.equals(RefreshEndpoint.CLIENT_SECRET_BASIC)
                ? AuthMethod.CLIENT_SECRET_BASIC : AuthMethod.CLIENT_SECRET_POST);
    }

    /** Adds the credentials: a Basic header, or {@code client_id}/{@code client_secret} form fields. */
    void apply(HttpRequest.Builder request, Map<String, String> form) {
        if (basic) {
            request.setHeader("Authorization", authorization);
        } else {
            form.put("client_id", clientId);
            form.put("client_secret", clientSecret);
        }
    }

    /** The client id (not a secret). */
    public String clientId() {
        return clientId;
    }

    String method() {
        return basic ? RefreshEndpoint.CLIENT_SECRET_BASIC : RefreshEndpoint.CLIENT_SECRET_POST;
    }

    /** {@code name=value&...}, form-encoded. */
    static String formBody(Map<String, String> form) {
        StringBuilder b = new StringBuilder();
        form.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(form(k)).append('=').append(form(v));
        });
        return b.toString();
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ClientCredentials[" + clientId + ", " + method() + ", secret=[PROTECTED]]";
    }
}
