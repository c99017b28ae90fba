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
 */
final class ClientCredentials {
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
        if (id.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ConfigException(RefreshEndpoint.PARAM_OAUTH2_CLIENT_ID, "must not contain control characters");
        }
        if (secret.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ConfigException(RefreshEndpoint.PARAM_OAUTH2_CLIENT_SECRET, "must not contain control characters");
        }
        String method = params.choice(RefreshEndpoint.PARAM_OAUTH2_CLIENT_AUTH, RefreshEndpoint.DEFAULT_OAUTH2_CLIENT_AUTH,
                RefreshEndpoint.CLIENT_SECRET_BASIC, RefreshEndpoint.CLIENT_SECRET_POST);
        return new ClientCredentials(id, secret, method.equals(RefreshEndpoint.CLIENT_SECRET_BASIC));
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

    String clientId() {
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
