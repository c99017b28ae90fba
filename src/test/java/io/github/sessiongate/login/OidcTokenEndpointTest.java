package io.github.sessiongate.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.TestOidcProvider;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OidcTokenEndpoint} against a provider in this JVM that records every request: each client
 * authentication method on the wire ({@code client_secret_basic} header, {@code client_secret_post}
 * fields, a {@code private_key_jwt} assertion checked with the public key: {@code iss}, {@code sub},
 * {@code aud}, {@code jti} fresh per request, {@code exp} at most 60 s ahead), {@code audience} and
 * {@code resource} on the code exchange and on refresh (no {@code scope} on refresh), the log lines
 * of refused requests (the provider's error and description, never a code or token), and endpoints
 * set by hand winning over discovery (none fetched when all three are set).
 */
class OidcTokenEndpointTest {
    private static final String CODE = "the-authorization-code-0123456789";
    private static final String REFRESH = "the-refresh-token-0123456789";

    private final MutableClock clock = new MutableClock();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> tokenAnswer = new AtomicReference<>();
    private final AtomicInteger tokenStatus = new AtomicInteger(200);
    private TestOidcProvider server;
    private String issuer;
    private URI token;
    private OidcDiscovery.Provider provider;

    /** One request as the provider saw it. */
    record Request(String path, String authorization, Map<String, List<String>> form) {
        String one(String name) {
            List<String> v = form.get(name);
            assertTrue(v != null && v.size() == 1, () -> name + " once in " + form);
            return v.get(0);
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = TestOidcProvider.start().endpoint("token_endpoint", "/discovered-token")
                .endpoint("revocation_endpoint", "/discovered-revoke");
        issuer = server.issuer();
        token = URI.create(issuer + "/token");
        provider = new OidcDiscovery.Provider(URI.create(issuer + "/auth"), token, URI.create(issuer + "/jwks"), Optional.empty(),
                Optional.of(URI.create(issuer + "/revoke")), false);
        tokenAnswer.set("{\"token_type\":\"Bearer\",\"access_token\":\"at\",\"refresh_token\":\"rt2\",\"expires_in\":300,\"id_token\":\"x\"}");
        for (String path : List.of("/token", "/revoke")) {
            server.handle(path, ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                requests.add(new Request(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Authorization"), parse(body)));
                byte[] out = (path.endsWith("token") ? tokenAnswer.get() : "").getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(path.endsWith("token") ? tokenStatus.get() : 200, out.length == 0 ? -1 : out.length);
                ex.getResponseBody().write(out);
                ex.close();
            });
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Map<String, List<String>> parse(String body) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            form.computeIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private OidcSettings.Builder settings() {
        return OidcSettings.builder().issuer(issuer).client("web", "s3cret:value");
    }

    private OidcTokenEndpoint endpoint(OidcSettings s) {
        return new OidcTokenEndpoint(s, server.http(), clock);
    }

    private static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void clientSecretBasicIsTheDefaultWithAudienceAndEveryResourceOnTheExchange() {
        OidcTokenEndpoint.Answer a = endpoint(settings().audience("https://api.example.com")
                .resource("https://api.example.com/", "urn:example:orders").build())
                .exchange(provider, CODE, "http://app/cb", "verifier-1");
        assertInstanceOf(OidcTokenEndpoint.Tokens.class, a);
        Request r = requests.get(0);
        assertEquals("Basic " + Base64.getEncoder().encodeToString("web:s3cret%3Avalue".getBytes(StandardCharsets.UTF_8)),
                r.authorization(), "RFC 6749 2.3.1: form-encoded before Basic");
        assertEquals("authorization_code", r.one("grant_type"));
        assertEquals(CODE, r.one("code"));
        assertEquals("http://app/cb", r.one("redirect_uri"));
        assertEquals("verifier-1", r.one("code_verifier"));
        assertEquals("https://api.example.com", r.one("audience"));
        assertEquals(List.of("https://api.example.com/", "urn:example:orders"), r.form().get("resource"));
        assertFalse(r.form().containsKey("client_secret"));
        assertFalse(r.form().containsKey("client_assertion"));
    }

    @Test
    void clientSecretPostSendsIdAndSecretInTheBodyOnly() {
        OidcTokenEndpoint e = endpoint(settings().clientAuth(OidcSettings.ClientAuth.CLIENT_SECRET_POST).build());
        e.exchange(provider, CODE, "http://app/cb", "v");
        e.refresh(provider, REFRESH);
        e.revoke(URI.create(issuer + "/revoke"), REFRESH);
        assertEquals(3, requests.size());
        for (Request r : requests) {
            assertNull(r.authorization(), "no Basic header with client_secret_post");
            assertEquals("web", r.one("client_id"));
            assertEquals("s3cret:value", r.one("client_secret"));
        }
        assertEquals(REFRESH, requests.get(2).one("token"));
        assertEquals("refresh_token", requests.get(2).one("token_type_hint"));
    }

    @Test
    void privateKeyJwtSignsAFreshAssertionForTheIssuer() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        OidcTokenEndpoint e = endpoint(OidcSettings.builder().issuer(issuer).clientId("web")
                .clientAuth(OidcSettings.ClientAuth.PRIVATE_KEY_JWT).clientKey(pem(pair)).clientKeyId("key-1").build());
        e.exchange(provider, CODE, "http://app/cb", "v");
        clock.advance(Duration.ofSeconds(1));
        assertInstanceOf(RefreshResult.Refreshed.class, e.refresh(provider, REFRESH));
        List<String> jtis = new ArrayList<>();
        for (Request r : requests) {
            assertNull(r.authorization());
            assertFalse(r.form().containsKey("client_secret"));
            assertEquals("web", r.one("client_id"));
            assertEquals("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", r.one("client_assertion_type"));
            JsonWebSignature jws = (JsonWebSignature) JsonWebSignature.fromCompactSerialization(r.one("client_assertion"));
            jws.setKey(pair.getPublic());
            assertTrue(jws.verifySignature(), "signed with the client's key");
            assertEquals(AlgorithmIdentifiers.RSA_USING_SHA256, jws.getAlgorithmHeaderValue());
            assertEquals("key-1", jws.getKeyIdHeaderValue());
            JwtClaims c = JwtClaims.parse(jws.getPayload());
            assertEquals("web", c.getIssuer());
            assertEquals("web", c.getSubject());
            assertEquals(List.of(issuer), c.getAudience(), "aud: the issuer identifier by default");
            long ahead = c.getExpirationTime().getValue() - clock.instant().getEpochSecond();
            assertTrue(ahead > 0 && ahead <= 60, "exp at most 60 s ahead: " + ahead);
            assertTrue(c.getJwtId().length() >= 22, "jti of 128 bits");
            jtis.add(c.getJwtId());
        }
        assertEquals(2, jtis.size());
        assertNotEquals(jtis.get(0), jtis.get(1), "a new jti for every request");
    }

    @Test
    void anEcJwkSignsWithItsCurvesAlgorithmAndCanNameTheEndpointAsAudience() throws Exception {
        EllipticCurveJsonWebKey jwk = EcJwkGenerator.generateJwk(EllipticCurves.P384);
        jwk.setKeyId("ec-1");
        OidcTokenEndpoint e = endpoint(OidcSettings.builder().issuer(issuer).clientId("web")
                .clientAuth(OidcSettings.ClientAuth.PRIVATE_KEY_JWT)
                .clientKey(jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE))
                .clientAssertionAudience(OidcSettings.AssertionAudience.TOKEN_ENDPOINT).build());
        e.exchange(provider, CODE, "http://app/cb", "v");
        URI revoke = URI.create(issuer + "/revoke");
        e.revoke(revoke, REFRESH);
        for (Request r : requests) {
            JsonWebSignature jws = (JsonWebSignature) JsonWebSignature.fromCompactSerialization(r.one("client_assertion"));
            jws.setKey(jwk.getPublicKey());
            assertTrue(jws.verifySignature());
            assertEquals(AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, jws.getAlgorithmHeaderValue());
            assertEquals("ec-1", jws.getKeyIdHeaderValue(), "the JWK's kid by default");
            String expected = r.path().endsWith("token") ? token.toString() : revoke.toString();
            assertEquals(List.of(expected), JwtClaims.parse(jws.getPayload()).getAudience());
        }
    }

    @Test
    void refreshCarriesAudienceAndResourceButNoScope() {
        endpoint(settings().scope("openid offline_access").audience("orders").resource("https://api.example.com/").build())
                .refresh(provider, REFRESH);
        Request r = requests.get(0);
        assertEquals("refresh_token", r.one("grant_type"));
        assertEquals(REFRESH, r.one("refresh_token"));
        assertEquals("orders", r.one("audience"));
        assertEquals("https://api.example.com/", r.one("resource"));
        assertFalse(r.form().containsKey("scope"), "scope omitted: as originally granted (RFC 6749 6)");
    }

    @Test
    void aRefusedRequestLogsTheProvidersErrorAndDescriptionButNoCodeOrToken() throws Exception {
        OidcTokenEndpoint e = endpoint(settings().build());
        tokenStatus.set(400);
        tokenAnswer.set("{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\\u0007 (bad secret)\"}");
        String log = LogCapture.during(() -> {
            assertEquals(new OidcTokenEndpoint.Refused("code_refused"), e.exchange(provider, CODE, "http://app/cb", "v"));
            assertInstanceOf(RefreshResult.Unavailable.class, e.refresh(provider, REFRESH), "a misconfiguration signs nobody out");
            tokenAnswer.set("{\"error\":\"invalid_grant\",\"error_description\":\"Token is not active\"}");
            assertInstanceOf(RefreshResult.Refused.class, e.refresh(provider, REFRESH));
        });
        assertTrue(log.contains("OpenID code exchange refused by " + token + ": invalid_client (Client authentication failed? (bad secret))"),
                log);
        assertTrue(log.contains("OpenID refresh failed at " + token + ": invalid_client (Client authentication failed? (bad secret))"),
                log);
        assertTrue(log.contains("OpenID refresh refused by " + token + ": invalid_grant (Token is not active)"), log);
        assertFalse(log.contains(CODE), "never the code");
        assertFalse(log.contains(REFRESH), "never the refresh token");
        assertFalse(log.contains("s3cret"), "never the secret");
    }

    @Test
    void aServerErrorIsUnavailableNotARefusal() {
        tokenStatus.set(503);
        tokenAnswer.set("{}");
        assertEquals(new OidcTokenEndpoint.Unavailable("token endpoint 503"),
                endpoint(settings().build()).exchange(provider, CODE, "http://app/cb", "v"));
    }

    @Test
    void endpointsByHandWinOverDiscovery() {
        OidcSettings s = settings().endpoint(OidcSettings.PARAM_TOKEN_ENDPOINT, issuer + "/token").build();
        OidcDiscovery d = new OidcDiscovery(s, server.http(), clock);
        OidcDiscovery.Provider p = d.provider().orElseThrow();
        assertEquals(token, p.token(), "the token endpoint set by hand");
        assertEquals(URI.create(issuer + "/auth"), p.authorization(), "the rest discovered");
        assertEquals(URI.create(issuer + "/discovered-revoke"), p.revocation().orElseThrow());
        assertEquals(1, server.discoveryHits());
    }

    @Test
    void withAuthorizationTokenAndJwksByHandDiscoveryIsNeverFetched() {
        OidcSettings s = settings().endpoint(OidcSettings.PARAM_AUTHORIZATION_ENDPOINT, issuer + "/a")
                .endpoint(OidcSettings.PARAM_TOKEN_ENDPOINT, issuer + "/token").endpoint(OidcSettings.PARAM_JWKS_URI, issuer + "/k")
                .endpoint(OidcSettings.PARAM_REVOCATION_ENDPOINT, issuer + "/revoke").build();
        assertFalse(s.discoveryNeeded());
        OidcDiscovery.Provider p = new OidcDiscovery(s, server.http(), clock).provider().orElseThrow();
        assertEquals(List.of(URI.create(issuer + "/a"), token, URI.create(issuer + "/k")), List.of(p.authorization(), p.token(), p.jwks()));
        assertEquals(URI.create(issuer + "/revoke"), p.revocation().orElseThrow());
        assertTrue(p.endSession().isEmpty(), "not set, not discovered");
        assertFalse(p.issParameterSupported());
        assertEquals(0, server.discoveryHits(), "no discovery at all");
    }

    @Test
    void anEcPemKeyOnP256SignsEs256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        OidcSettings s = OidcSettings.builder().issuer(issuer).clientId("web").clientAuth(OidcSettings.ClientAuth.PRIVATE_KEY_JWT)
                .clientKey(pem(pair)).build();
        assertEquals(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, s.clientKeyAlgorithm().orElseThrow());
        endpoint(s).refresh(provider, REFRESH);
        JsonWebSignature jws = (JsonWebSignature) JsonWebSignature.fromCompactSerialization(requests.get(0).one("client_assertion"));
        jws.setKey(pair.getPublic());
        assertTrue(jws.verifySignature());
        assertNull(jws.getKeyIdHeaderValue(), "no kid unless one is known");
    }

    @Test
    void aCodeExchangeThatIsNotBearerIsRefusedAndItsRefreshTokenRevoked() throws Exception {
        tokenAnswer.set("{\"token_type\":\"DPoP\",\"access_token\":\"at\",\"refresh_token\":\"rt2\",\"id_token\":\"x\"}");
        String log = LogCapture.during(() -> assertEquals(new OidcTokenEndpoint.Refused("token_type_unsupported"),
                endpoint(settings().build()).exchange(provider, CODE, "http://app/cb", "v")));
        assertTrue(log.contains("OpenID code exchange at " + token + ": token_type expected Bearer, was DPoP"), log);
        assertEquals(2, requests.size());
        assertEquals("/realm/revoke", requests.get(1).path());
        assertEquals("rt2", requests.get(1).one("token"));
    }

    @Test
    void aRefreshThatIsNotBearerKeepsTheSessionAndRevokesTheNewRefreshToken() throws Exception {
        tokenAnswer.set("{\"access_token\":\"at\",\"refresh_token\":\"rt2\",\"expires_in\":300}");
        String log = LogCapture.during(() -> assertInstanceOf(RefreshResult.Unavailable.class,
                endpoint(settings().build()).refresh(provider, REFRESH), "unavailable: the session is kept"));
        assertTrue(log.contains("OpenID refresh at " + token + ": token_type expected Bearer, was absent"), log);
        assertEquals(2, requests.size());
        assertEquals("rt2", requests.get(1).one("token"), "the refresh token issued with it is revoked");
        assertFalse(log.contains(REFRESH) || log.contains("rt2"), log);
    }

    @Test
    void withTokenRequestScopeTheExchangeAndRefreshCarryTheScope() {
        OidcTokenEndpoint e = endpoint(settings().scope("openid offline_access api://orders/.default").tokenRequestScope(true).build());
        e.exchange(provider, CODE, "http://app/cb", "v");
        e.refresh(provider, REFRESH);
        assertEquals(2, requests.size());
        for (Request r : requests) {
            assertEquals("openid offline_access api://orders/.default", r.one("scope"), r.one("grant_type"));
        }
    }
}
