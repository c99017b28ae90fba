package io.github.sessiongate.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * How the demo signs users in, from the environment:
 *
 * <ul>
 *   <li>{@code SAMPLE_LOGIN} unset or {@code password}: the password form and the demo identity
 *       provider ({@link Mode#PASSWORD}), as always;</li>
 *   <li>{@code SAMPLE_LOGIN=oidc}: OpenID Connect at the demo's own mock-oauth2-server
 *       ({@link Mode#MOCK_OIDC});</li>
 *   <li>{@code SAMPLE_LOGIN=oidc} with {@code OIDC_ISSUER}, {@code OIDC_CLIENT_ID} and
 *       {@code OIDC_CLIENT_SECRET}: OpenID Connect at that provider ({@link Mode#PROVIDER_OIDC}),
 *       the access token's audience {@code OIDC_AUDIENCE} (default: the client id), its roles at
 *       the claim path {@code OIDC_ROLES_CLAIM} (default {@code roles}, the mock's).</li>
 * </ul>
 *
 * <p>An {@code OIDC_*} variable without {@code SAMPLE_LOGIN=oidc}, or an incomplete provider, is
 * refused with what to set, rather than silently running another demo. {@code toString} never
 * shows the client secret.
 */
record SignIn(Mode mode, String issuer, String clientId, String clientSecret, String audience, String rolesClaim) {
    /** The three demo modes. */
    enum Mode {
        PASSWORD, MOCK_OIDC, PROVIDER_OIDC
    }

    /** The default roles claim: the claim the in-process mock puts its roles in. */
    static final String DEFAULT_ROLES_CLAIM = MockOidcProvider.ROLES_CLAIM;

    private static final String[] OIDC_VARIABLES = {"OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_AUDIENCE",
        "OIDC_ROLES_CLAIM"};

    /** The password demo. */
    static SignIn password() {
        return new SignIn(Mode.PASSWORD, null, null, null, null, null);
    }

    /**
     * Reads {@code SAMPLE_LOGIN} and the {@code OIDC_*} variables.
     *
     * @throws IllegalArgumentException saying what to set
     */
    static SignIn from(Map<String, String> env) {
        String login = value(env, "SAMPLE_LOGIN");
        if (login == null || login.toLowerCase(Locale.ROOT).equals("password")) {
            for (String name : OIDC_VARIABLES) {
                if (value(env, name) != null) {
                    throw new IllegalArgumentException(name + " is set: run SAMPLE_LOGIN=oidc samples/run to sign in "
                            + "at that provider, or unset it for the password demo");
                }
            }
            return password();
        }
        if (!login.toLowerCase(Locale.ROOT).equals("oidc")) {
            throw new IllegalArgumentException("SAMPLE_LOGIN must be password (the default) or oidc");
        }
        String issuer = value(env, "OIDC_ISSUER");
        if (issuer == null) {
            for (String name : OIDC_VARIABLES) {
                if (value(env, name) != null) {
                    throw new IllegalArgumentException(name + " is set without OIDC_ISSUER: set OIDC_ISSUER, "
                            + "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET for your provider, or none of them for the "
                            + "demo's own mock-oauth2-server");
                }
            }
            return new SignIn(Mode.MOCK_OIDC, null, MockOidcProvider.CLIENT_ID, null, MockOidcProvider.AUDIENCE,
                    DEFAULT_ROLES_CLAIM);
        }
        String clientId = value(env, "OIDC_CLIENT_ID");
        String secret = value(env, "OIDC_CLIENT_SECRET");
        if (clientId == null || secret == null) {
            throw new IllegalArgumentException((clientId == null ? "OIDC_CLIENT_ID" : "OIDC_CLIENT_SECRET")
                    + " is required with OIDC_ISSUER: the client registered at your provider, with the redirect URI "
                    + "http://127.0.0.1:<PORT>/auth/callback");
        }
        String audience = Objects.requireNonNullElse(value(env, "OIDC_AUDIENCE"), clientId);
        String roles = Objects.requireNonNullElse(value(env, "OIDC_ROLES_CLAIM"), DEFAULT_ROLES_CLAIM);
        return new SignIn(Mode.PROVIDER_OIDC, issuer, clientId, secret, audience, roles);
    }

    /**
     * The provider's {@code jwks_uri}, from its discovery document, whose {@code issuer} must equal
     * {@code issuer} exactly (OpenID Connect Discovery 1.0, 4.3).
     *
     * @throws IOException saying what failed (the provider is down, or is not that issuer)
     */
    static String discoverJwksUri(String issuer) throws IOException {
        URI document;
        try {
            document = URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                    + "/.well-known/openid-configuration");
        } catch (IllegalArgumentException e) {
            throw new IOException("OIDC_ISSUER is not a URL");
        }
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> answer;
            try {
                answer = http.send(HttpRequest.newBuilder(document).timeout(Duration.ofSeconds(10))
                        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IOException("cannot read " + document + ": " + e, e);
            }
            if (answer.statusCode() != 200) {
                throw new IOException(document + " answered " + answer.statusCode());
            }
            Map<String, Object> json = JsonUtil.parseJson(answer.body());
            if (!issuer.equals(json.get("issuer"))) {
                throw new IOException(document + " names the issuer " + json.get("issuer") + ", not " + issuer
                        + " (OIDC_ISSUER must be exactly the provider's issuer)");
            }
            if (!(json.get("jwks_uri") instanceof String jwks)) {
                throw new IOException(document + " has no jwks_uri");
            }
            return jwks;
        } catch (JoseException | ClassCastException e) {
            throw new IOException(document + " is not a JSON object");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + document);
        } catch (IllegalArgumentException e) {
            throw new IOException("OIDC_ISSUER must be an http(s) URL");
        }
    }

    @Override
    public String toString() {
        return "SignIn[" + mode + (issuer == null ? "" : ", issuer=" + issuer) + (clientId == null ? "" : ", client_id="
                + clientId) + "]";
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
