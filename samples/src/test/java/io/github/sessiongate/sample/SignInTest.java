package io.github.sessiongate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The three demo modes from the environment, and the provider discovery of {@code OIDC_ISSUER}. */
class SignInTest {
    @Test
    void noVariablesIsThePasswordDemo() {
        assertEquals(SignIn.Mode.PASSWORD, SignIn.from(Map.of()).mode());
        assertEquals(SignIn.Mode.PASSWORD, SignIn.from(Map.of("SAMPLE_LOGIN", "password")).mode());
        assertEquals(SignIn.Mode.PASSWORD, SignIn.from(Map.of("SAMPLE_LOGIN", " ")).mode());
    }

    @Test
    void oidcAloneIsTheInProcessMock() {
        SignIn s = SignIn.from(Map.of("SAMPLE_LOGIN", "oidc"));
        assertEquals(SignIn.Mode.MOCK_OIDC, s.mode());
        assertEquals(MockOidcProvider.AUDIENCE, s.audience());
        assertEquals("roles", s.rolesClaim());
    }

    @Test
    void oidcWithAnIssuerIsThatProviderWithTheClientIdAsAudienceUnlessSet() {
        Map<String, String> env = Map.of("SAMPLE_LOGIN", "oidc", "OIDC_ISSUER", "https://id.example/realms/demo",
                "OIDC_CLIENT_ID", "demo-web", "OIDC_CLIENT_SECRET", "s3cret-value");
        SignIn s = SignIn.from(env);
        assertEquals(SignIn.Mode.PROVIDER_OIDC, s.mode());
        assertEquals("demo-web", s.audience());
        assertEquals("roles", s.rolesClaim(), "the mock's claim by default");
        assertFalse(s.toString().contains("s3cret-value"), s.toString());

        Map<String, String> more = new java.util.HashMap<>(env);
        more.put("OIDC_AUDIENCE", "orders-api");
        more.put("OIDC_ROLES_CLAIM", "realm_access.roles");
        SignIn k = SignIn.from(more);
        assertEquals("orders-api", k.audience());
        assertEquals("realm_access.roles", k.rolesClaim());
    }

    @Test
    void incompleteOrStrayVariablesAreRefusedSayingWhatToSet() {
        IllegalArgumentException noSecret = assertThrows(IllegalArgumentException.class, () -> SignIn.from(Map.of(
                "SAMPLE_LOGIN", "oidc", "OIDC_ISSUER", "https://id.example", "OIDC_CLIENT_ID", "demo-web")));
        assertTrue(noSecret.getMessage().startsWith("OIDC_CLIENT_SECRET is required"), noSecret.getMessage());
        IllegalArgumentException noIssuer = assertThrows(IllegalArgumentException.class, () -> SignIn.from(Map.of(
                "SAMPLE_LOGIN", "oidc", "OIDC_CLIENT_ID", "demo-web")));
        assertTrue(noIssuer.getMessage().contains("without OIDC_ISSUER"), noIssuer.getMessage());
        IllegalArgumentException notOidc = assertThrows(IllegalArgumentException.class, () -> SignIn.from(Map.of(
                "OIDC_ISSUER", "https://id.example")));
        assertTrue(notOidc.getMessage().contains("SAMPLE_LOGIN=oidc"), notOidc.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SignIn.from(Map.of("SAMPLE_LOGIN", "saml")));
    }

    @Test
    void discoveryGivesTheJwksUriOnlyForTheExactIssuer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/demo";
        server.createContext("/realms/demo/.well-known/openid-configuration", exchange -> {
            byte[] body = ("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/certs\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            assertEquals(issuer + "/certs", SignIn.discoverJwksUri(issuer));
            IOException other = assertThrows(IOException.class, () -> SignIn.discoverJwksUri(issuer + "/"));
            assertTrue(other.getMessage().contains("OIDC_ISSUER must be exactly"), other.getMessage());
        } finally {
            server.stop(0);
        }
        IOException down = assertThrows(IOException.class, () -> SignIn.discoverJwksUri(issuer));
        assertTrue(down.getMessage().startsWith("cannot read "), down.getMessage());
    }
}
