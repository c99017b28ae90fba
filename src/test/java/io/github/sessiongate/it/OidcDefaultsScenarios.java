package io.github.sessiongate.it;

import static io.github.sessiongate.it.MockOidcProvider.AUDIENCE;
import static io.github.sessiongate.it.MockOidcProvider.CLIENT_ID;
import static io.github.sessiongate.it.OidcBrowser.NAVIGATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.LogCapture;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import okhttp3.mockwebserver.RecordedRequest;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 9 part A through a real container ({@link JettyOidcDefaultsTest}, {@link TomcatOidcDefaultsTest})
 * against mock-oauth2-server: the webapp {@code oidc-defaults} sets NO {@code jwt.jwks-url} and NO
 * {@code jwt.issuer}, so the access token is validated with the provider's discovered
 * {@code jwks_uri} and issuer; the client authenticates with {@code private_key_jwt} (the provider
 * receives an assertion that verifies with the client's public key) and sends {@code audience} and
 * {@code resource}. An access token for another audience is a refused sign-in whose WARN line says
 * which check failed, expected versus actual, without the token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OidcDefaultsScenarios {
    static final String CONTEXT = "/oidcdef";
    static final String ISSUER_ID = "default";
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;

    private final Teardown teardown = new Teardown();
    private MockOidcProvider provider;
    private KeyPair clientKey;
    private URI base;
    private HttpClient http;

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        clientKey = g.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(clientKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        provider = teardown.add(MockOidcProvider.start(ISSUER_ID, "sessiongate.it.oidc-defaults.")).withCookieKey()
                .property("client-key", pem);
        base = provider.serve(newContainer(), Container.Webapp.of(CONTEXT, "oidc-defaults"));
        http = provider.http();
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    /** Starts a sign-in at a page, lets the provider issue a code for {@code subject} and {@code audience}, and calls back. */
    private Response signIn(String subject, String audience) throws Exception {
        Response start = RawHttp.send(base, "GET", CONTEXT + "/app/orders", NAVIGATION);
        assertEquals(302, start.status(), start::toString);
        URI authorize = URI.create(start.header("Location").orElseThrow());
        String cookies = start.headers("set-cookie").stream().map(h -> h.split(";", 2)[0]).collect(Collectors.joining("; "));
        assertTrue(authorize.getRawQuery().contains("audience=" + AUDIENCE), authorize::toString);
        assertTrue(authorize.getRawQuery().contains("resource=https%3A%2F%2Fapi.example.com%2F"), authorize::toString);
        provider.enqueue(subject, audience);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, answer.statusCode(), answer::body);
        URI redirect = URI.create(answer.headers().firstValue("Location").orElseThrow());
        return RawHttp.send(base, "GET", redirect.getRawPath() + "?" + redirect.getRawQuery(), "Accept: text/html",
                "Sec-Fetch-Mode: navigate", "Cookie: " + cookies);
    }

    /** The form of the last token request the provider received. */
    private Map<String, List<String>> lastTokenRequest() throws Exception {
        Map<String, List<String>> form = null;
        while (true) {
            RecordedRequest r;
            try {
                r = provider.server().takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                break; // none left
            }
            if (r.getPath() != null && r.getPath().endsWith("/token")) {
                form = new java.util.LinkedHashMap<>();
                for (String pair : r.getUtf8Body().split("&")) {
                    String[] kv = pair.split("=", 2);
                    form.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                            .add(URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
                }
            }
        }
        return form;
    }

    @Test
    void signInValidatesWithTheDiscoveredKeysAndAuthenticatesWithAPrivateKey() throws Exception {
        Response done = signIn("alice", AUDIENCE);
        assertEquals(303, done.status(), () -> "signed in without jwt.jwks-url or jwt.issuer: " + done);
        String session = done.headers("set-cookie").stream().map(h -> h.split(";", 2)[0]).filter(p -> !p.endsWith("="))
                .collect(Collectors.joining("; "));
        Response page = RawHttp.send(base, "GET", CONTEXT + "/app/orders", "Accept: application/json", "Cookie: " + session);
        assertEquals(200, page.status(), page::toString);
        assertEquals("alice", Json.object(page.body()).get("sub"));

        Map<String, List<String>> form = lastTokenRequest();
        assertEquals(List.of("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), form.get("client_assertion_type"));
        assertFalse(form.containsKey("client_secret"));
        assertEquals(List.of(AUDIENCE), form.get("audience"));
        assertEquals(List.of("https://api.example.com/"), form.get("resource"));
        JsonWebSignature jws = (JsonWebSignature) JsonWebSignature.fromCompactSerialization(form.get("client_assertion").get(0));
        jws.setKey(clientKey.getPublic());
        assertTrue(jws.verifySignature(), "the assertion verifies with the client's public key");
        assertEquals("it-client-key", jws.getKeyIdHeaderValue());
        JwtClaims claims = JwtClaims.parse(jws.getPayload());
        assertEquals(CLIENT_ID, claims.getIssuer());
        assertEquals(CLIENT_ID, claims.getSubject());
        assertEquals(List.of("http://127.0.0.1:" + provider.server().baseUrl().port() + "/" + ISSUER_ID), claims.getAudience());
    }

    @Test
    void aWrongAudienceIsARefusedSignInLoggedWithExpectedAndActual() throws Exception {
        Response[] refused = new Response[1];
        String log;
        try (LogCapture capture = new LogCapture()) {
            refused[0] = signIn("mallory", "another-api");
            log = capture.text();
        }
        assertEquals(400, refused[0].status(), refused[0]::toString);
        assertEquals("access_token_invalid", Json.object(refused[0].body()).get("error"));
        assertTrue(log.contains("did not pass the filter's validator: wrong_audience: aud: expected [" + AUDIENCE
                + "], was [another-api]"), log);
        assertFalse(log.lines().filter(l -> l.contains("io.github.sessiongate")).anyMatch(l -> l.contains("eyJ")),
                "no token or JWT in the filter's log");
    }
}
