package io.github.sessiongate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.engine.InitParamsMapping;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The part-A OpenID settings (client authentication, endpoints by hand, {@code audience},
 * {@code resource}): every bad value names its parameter, from the builder and from init-params
 * alike, and no message quotes a secret or key.
 */
class OidcClientAuthSettingsTest {
    private static final String ISSUER = "https://id.example.com/realms/main";
    private static KeyPair rsa;
    private static String pem;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsa = g.generateKeyPair();
        pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(rsa.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static OidcSettings.Builder secret() {
        return OidcSettings.builder().issuer(ISSUER).client("web", "s3cret-value");
    }

    private static OidcSettings.Builder keyed() {
        return OidcSettings.builder().issuer(ISSUER).clientId("web").clientAuth(OidcSettings.ClientAuth.PRIVATE_KEY_JWT).clientKey(pem);
    }

    private static void refused(String parameter, OidcSettings.Builder b) {
        ConfigException e = assertThrows(ConfigException.class, b::build);
        assertEquals(parameter, e.parameter(), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-value") || e.getMessage().contains("MII"), "no secret or key in: " + e.getMessage());
    }

    private static void refusedParams(String parameter, Map<String, String> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> InitParamsMapping.oidcSettings(InitParams.resolve(raw)));
        assertEquals(parameter, e.parameter(), e.getMessage());
    }

    private static Map<String, String> params(String... more) {
        Map<String, String> m = new HashMap<>(Map.of("oidc.issuer", ISSUER, "oidc.client-id", "web"));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsAreClientSecretBasicWithNothingExtra() {
        OidcSettings s = secret().build();
        assertEquals(OidcSettings.ClientAuth.CLIENT_SECRET_BASIC, s.clientAuth());
        assertEquals(OidcSettings.AssertionAudience.ISSUER, s.clientAssertionAudience());
        assertTrue(s.clientKey().isEmpty());
        assertTrue(s.audience().isEmpty());
        assertEquals(List.of(), s.resources());
        assertTrue(s.discoveryNeeded());
        assertEquals("web", s.clientId());
    }

    @Test
    void privateKeyJwtNeedsAKeyAndNoSecret() {
        OidcSettings s = keyed().build();
        assertEquals("RS256", s.clientKeyAlgorithm().orElseThrow());
        assertEquals(rsa.getPrivate(), s.clientKey().orElseThrow());
        assertEquals("web", s.clientId());
        assertTrue(s.secretCredentials().isEmpty(), "no secret to send by mistake");
        assertFalse(s.toString().contains("MII"));
        refused("oidc.client-key", OidcSettings.builder().issuer(ISSUER).clientId("web").clientAuth(OidcSettings.ClientAuth.PRIVATE_KEY_JWT));
        refused("oidc.client-secret", keyed().client("web", "s3cret-value"));
        refused("oidc.client-key", secret().clientKey(pem));
        refused("oidc.client-key-id", secret().clientKeyId("k"));
        refused("oidc.client-assertion-audience", secret().clientAssertionAudience(OidcSettings.AssertionAudience.TOKEN_ENDPOINT));
        refused("oidc.client-secret", OidcSettings.builder().issuer(ISSUER).clientId("web"));
        refused("oidc.client-key-id", keyed().clientKeyId("has space"));
    }

    @Test
    void badKeysNameTheParameterWithoutQuotingTheKey() throws Exception {
        refused("oidc.client-key", keyed().clientKey("not a key"));
        refused("oidc.client-key", keyed().clientKey(pem.replace("PRIVATE KEY", "RSA PRIVATE KEY")));
        refused("oidc.client-key", keyed().clientKey(pem.replace("PRIVATE KEY", "PUBLIC KEY")));
        refused("oidc.client-key", keyed().clientKey(pem + pem));
        refused("oidc.client-key", keyed().clientKey("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----"));
        refused("oidc.client-key", keyed().clientKey("{\"kty\":\"oct\",\"k\":\"AAAA\"}"));
        refused("oidc.client-key", keyed().clientKey(RsaJwkGenerator.generateJwk(2048).toJson()));
        refused("oidc.client-key", keyed().clientKey("file:relative/key.pem"));
        refused("oidc.client-key", keyed().clientKey("file:/no/such/key.pem"));
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        refused("oidc.client-key", keyed().clientKey(g.generateKeyPair().getPrivate()));
    }

    @Test
    void aKeyComesFromAFileOrAJwkWithItsKid(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client-key.pem");
        Files.writeString(file, pem);
        assertEquals(rsa.getPrivate(), keyed().clientKey("file:" + file).build().clientKey().orElseThrow());
        var jwk = RsaJwkGenerator.generateJwk(2048);
        jwk.setKeyId("jwk-kid");
        OidcSettings s = keyed().clientKey(jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE)).build();
        assertEquals(Optional.of("jwk-kid"), s.clientKeyId());
        assertEquals(Optional.of("mine"), keyed().clientKey(jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE))
                .clientKeyId("mine").build().clientKeyId(), "oidc.client-key-id wins over the JWK's");
    }

    @Test
    void endpointsByHandAreCheckedLikeDiscoveredOnes() {
        OidcSettings s = secret().endpoint(OidcSettings.PARAM_TOKEN_ENDPOINT, "https://id.example.com/token").build();
        assertEquals(Optional.of(URI.create("https://id.example.com/token")), s.endpoint(OidcSettings.PARAM_TOKEN_ENDPOINT));
        assertTrue(s.discoveryNeeded());
        for (String p : List.of(OidcSettings.PARAM_AUTHORIZATION_ENDPOINT, OidcSettings.PARAM_TOKEN_ENDPOINT, OidcSettings.PARAM_JWKS_URI,
                OidcSettings.PARAM_END_SESSION_ENDPOINT, OidcSettings.PARAM_REVOCATION_ENDPOINT)) {
            refused(p, secret().endpoint(p, "http://id.example.com/x"));
            refused(p, secret().endpoint(p, "http://127.0.0.1:8080/x")); // plain http under an https issuer
            refused(p, secret().endpoint(p, "ftp://id.example.com/x"));
            refused(p, secret().endpoint(p, "https://user:pw@id.example.com/x"));
        }
        assertEquals(URI.create("http://127.0.0.1:9/t"), OidcSettings.builder().issuer("http://127.0.0.1:9/r").client("web", "s")
                .endpoint(OidcSettings.PARAM_TOKEN_ENDPOINT, "http://127.0.0.1:9/t").build()
                .endpoint(OidcSettings.PARAM_TOKEN_ENDPOINT).orElseThrow(), "http to loopback under a loopback issuer");
        assertThrows(IllegalArgumentException.class, () -> secret().endpoint("oidc.scope", "https://x"));
    }

    @Test
    void audienceAndResourceAreChecked() {
        OidcSettings s = secret().audience(" https://api.example.com ").resource("https://a.example/", "urn:x:y", "https://a.example/")
                .build();
        assertEquals(Optional.of("https://api.example.com"), s.audience());
        assertEquals(List.of(URI.create("https://a.example/"), URI.create("urn:x:y")), s.resources(), "in order, once each");
        refused("oidc.audience", secret().audience("two values"));
        refused("oidc.audience", secret().audience(" "));
        refused("oidc.resource", secret().resource("/relative"));
        refused("oidc.resource", secret().resource("https://a.example/#frag"));
        refused("oidc.resource", secret().resource("https://a example/"));
    }

    @Test
    void initParamsMapToTheSameSettings() {
        Map<String, String> raw = params("oidc.client-auth", "private_key_jwt", "oidc.client-key", pem, "oidc.client-key-id", "k1",
                "oidc.client-assertion-audience", "token-endpoint", "oidc.token-endpoint", "https://id.example.com/token",
                "oidc.audience", "orders", "oidc.resource", "https://a.example/ urn:x:y");
        OidcSettings fromParams = InitParamsMapping.oidcSettings(InitParams.resolve(raw)).orElseThrow();
        assertEquals(keyed().clientKeyId("k1").clientAssertionAudience(OidcSettings.AssertionAudience.TOKEN_ENDPOINT)
                .endpoint(OidcSettings.PARAM_TOKEN_ENDPOINT, "https://id.example.com/token").audience("orders")
                .resource("https://a.example/", "urn:x:y").build(), fromParams);
        assertEquals(OidcSettings.ClientAuth.CLIENT_SECRET_POST, InitParamsMapping.oidcSettings(InitParams.resolve(params(
                "oidc.client-secret", "s3cret-value", "oidc.client-auth", "client_secret_post"))).orElseThrow().clientAuth());
        refusedParams("oidc.client-auth", params("oidc.client-secret", "s3cret-value", "oidc.client-auth", "tls_client_auth"));
        refusedParams("oidc.client-assertion-audience", params("oidc.client-auth", "private_key_jwt", "oidc.client-key", pem,
                "oidc.client-assertion-audience", "resource"));
        refusedParams("oidc.client-key", params("oidc.client-auth", "private_key_jwt"));
        refusedParams("oidc.client-secret", params("oidc.client-auth", "client_secret_post"));
        refusedParams("oidc.jwks-uri", params("oidc.client-secret", "s", "oidc.jwks-uri", "http://keys.example.com/"));
        refusedParams("oidc.resource", params("oidc.client-secret", "s", "oidc.resource", "not-absolute"));
        assertEquals(Optional.of("k"), InitParamsMapping.oidcSettings(InitParams.resolve(params("oidc.client-auth", "private_key_jwt",
                "oidc.client-key", "${env:KEY}", "oidc.client-key-id", "k"), n -> n.equals("KEY") ? pem : null, n -> null))
                .orElseThrow().clientKeyId(), "the key through ${env:...}");
    }

    @Test
    void clientSecretPostCarriesItsOwnMethod() {
        OidcSettings s = OidcSettings.builder().issuer(ISSUER).client("web", "s3cret-value")
                .clientAuth(OidcSettings.ClientAuth.CLIENT_SECRET_POST).build();
        assertEquals(ClientCredentials.AuthMethod.CLIENT_SECRET_POST, s.secretCredentials().orElseThrow().authMethod());
        assertFalse(s.toString().contains("s3cret-value"));
    }
}
