package io.github.sessiongate.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ValidationResult;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against NAV's mock-oauth2-server, a real OpenID provider: signed in with a {@code nonce}, it puts
 * that nonce into the access token too (as Keycloak did before 25). By default such a token is
 * refused as an ID token; with {@code jwt.accept-access-token-nonce} it passes, and the ID token of
 * the same sign-in still never does.
 */
class MockOAuth2NonceInteropTest {
    private static final String CLIENT_ID = "web-client";
    private static final String AUDIENCE = "orders-api";

    private MockOAuth2Server provider;
    private String issuer;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        issuer = "http://127.0.0.1:" + provider.baseUrl().port() + "/default";
    }

    @AfterEach
    void stop() {
        provider.shutdown();
    }

    @Test
    void anAccessTokenCarryingTheSignInsNonceNeedsTheOptInAndTheIdTokenNeverPasses() throws Exception {
        Map<String, Object> tokens = signInWithNonce("alice", "n-" + System.nanoTime());
        String access = (String) tokens.get("access_token");
        String id = (String) tokens.get("id_token");
        assertTrue(claims(access).containsKey("nonce"), "the provider copies the nonce into the access token");

        try (JwtTokenValidator strict = validator(false); JwtTokenValidator interop = validator(true)) {
            ValidationResult refused = strict.validate(access);
            assertEquals(ValidationResult.Reason.WRONG_TOKEN_TYPE, ((ValidationResult.Invalid) refused).reason());
            ValidationResult accepted = interop.validate(access);
            assertTrue(accepted instanceof ValidationResult.Valid v && v.session().subject().equals("alice"), accepted.toString());
            assertTrue(interop.validate(id) instanceof ValidationResult.Invalid, "an ID token never passes as an access token");
        }
    }

    private JwtTokenValidator validator(boolean acceptNonce) {
        JwtTokenValidator.Builder b = JwtTokenValidator.withJwkSetUri(URI.create(issuer + "/jwks"))
                .issuer(issuer).audience(AUDIENCE, CLIENT_ID);
        if (acceptNonce) {
            b.acceptNonceInAccessTokens(CLIENT_ID);
        }
        return b.build();
    }

    /** The code flow with a nonce, as a browser and the filter would run it; the tokens answered. */
    private Map<String, Object> signInWithNonce(String user, String nonce) throws Exception {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", user, "JWT", List.of(AUDIENCE), Map.of(), 3600));
        String redirect = "http://127.0.0.1/callback";
        HttpResponse<String> authorize = http.send(HttpRequest.newBuilder(URI.create(issuer + "/authorize?response_type=code"
                + "&client_id=" + form(CLIENT_ID) + "&redirect_uri=" + form(redirect) + "&scope=openid&state=s1&nonce="
                + form(nonce))).build(), HttpResponse.BodyHandlers.ofString());
        String location = authorize.headers().firstValue("Location").orElseThrow();
        String code = location.replaceFirst(".*[?&]code=([^&]*).*", "$1");
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(issuer + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":secret")
                        .getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + code
                        + "&redirect_uri=" + form(redirect))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        return JsonUtil.parseJson(token.body());
    }

    private static Map<String, Object> claims(String jwt) throws Exception {
        return JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
