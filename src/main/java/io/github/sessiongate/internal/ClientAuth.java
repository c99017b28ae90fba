package io.github.sessiongate.internal;

import io.github.sessiongate.ClientCredentials;
import io.github.sessiongate.InitParams;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * How the filter's {@link ClientCredentials} go on a request to the token, introspection or
 * revocation endpoint (<a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1">RFC 6749,
 * 2.3.1</a>), and their one reading from init-params.
 */
public final class ClientAuth {
    private ClientAuth() {
    }

    /**
     * Reads the client parameters, all required, once per {@link InitParams}: refresh, login,
     * revoke and introspection share the one object ({@link InitParams#shared}).
     *
     * @param forWhat the first parameter that needs them, for the error message
     */
    public static ClientCredentials read(InitParams params, String forWhat) {
        return params.shared(ClientCredentials.class, () -> readOnce(params, forWhat));
    }

    private static ClientCredentials readOnce(InitParams params, String forWhat) {
        String id = params.require(ClientCredentials.PARAM_OAUTH2_CLIENT_ID,
                "the client id this filter uses at " + forWhat);
        String secret = params.require(ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET,
                "the client secret this filter uses at " + forWhat + " (e.g. ${env:OAUTH2_CLIENT_SECRET})");
        String method = params.choice(ClientCredentials.PARAM_OAUTH2_CLIENT_AUTH, ClientCredentials.DEFAULT_OAUTH2_CLIENT_AUTH,
                ClientCredentials.CLIENT_SECRET_BASIC, ClientCredentials.CLIENT_SECRET_POST);
        return ClientCredentials.of(id, secret, method.equals(ClientCredentials.CLIENT_SECRET_BASIC)
                ? ClientCredentials.AuthMethod.CLIENT_SECRET_BASIC : ClientCredentials.AuthMethod.CLIENT_SECRET_POST);
    }

    /** Adds the credentials: a Basic header, or {@code client_id}/{@code client_secret} form fields. */
    public static void apply(ClientCredentials client, HttpRequest.Builder request, Map<String, String> form) {
        if (client.authMethod() == ClientCredentials.AuthMethod.CLIENT_SECRET_BASIC) {
            // RFC 6749 2.3.1: id and secret are form-encoded before Basic encoding.
            request.setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (form(client.clientId()) + ":" + form(client.clientSecret())).getBytes(StandardCharsets.UTF_8)));
        } else {
            form.put("client_id", client.clientId());
            form.put("client_secret", client.clientSecret());
        }
    }

    /** The init-param value of the client's authentication method. */
    public static String method(ClientCredentials client) {
        return client.authMethod() == ClientCredentials.AuthMethod.CLIENT_SECRET_BASIC
                ? ClientCredentials.CLIENT_SECRET_BASIC : ClientCredentials.CLIENT_SECRET_POST;
    }

    /** {@code name=value&...}, form-encoded. */
    public static String formBody(Map<String, String> form) {
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
}
