package io.github.sessiongate.sample.boot3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.spring.SessionGateAutoConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The jar's auto-configuration (compiled against Boot 4) started on Boot 3.5's embedded Tomcat 10.1:
 * the filter is registered before Spring Security, and a request with a valid session cookie is an
 * authenticated {@code SessionAuthentication} in Spring Security 6.5, roles and all.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class Boot3SessionTest {
    private static final String ISSUER = "https://auth.test";
    private static final RsaJsonWebKey KEY = key();

    @Value("${local.server.port}")
    int port;

    @Autowired
    FilterRegistrationBean<SessionFilter> registration;

    @Autowired
    FilterChainProxy springSecurity;

    @DynamicPropertySource
    static void signingKey(DynamicPropertyRegistry registry) {
        registry.add("auth.base", () -> ISSUER);
        registry.add("auth.public-key", () -> "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(KEY.getPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----");
    }

    @Test
    void runsOnBoot35() {
        assertTrue(SpringBootVersion.getVersion().startsWith("3.5."), SpringBootVersion.getVersion());
    }

    @Test
    void theFilterIsRegisteredBeforeSpringSecurity() {
        assertEquals(SessionGateAutoConfiguration.FILTER_ORDER, registration.getOrder());
        assertTrue(registration.getFilter() instanceof SessionFilter);
        assertEquals("/api/*", registration.getInitParameters().get("protected-paths"));
    }

    @Test
    void aValidSessionIsAuthenticatedInSpringSecurity() throws Exception {
        HttpResponse<String> me = get("/api/me", token("alice", List.of("admin")));
        assertEquals(200, me.statusCode(), me::body);
        assertTrue(me.body().contains("\"name\":\"alice\""), me.body());
        assertTrue(me.body().contains("\"type\":\"SessionAuthentication\""), me.body());
        assertTrue(me.body().contains("ROLE_admin"), me.body());
    }

    @Test
    void preAuthorizeSeesTheRoles() throws Exception {
        assertEquals(200, get("/api/admin", token("alice", List.of("admin"))).statusCode());
        assertEquals(403, get("/api/admin", token("bob", List.of())).statusCode());
    }

    @Test
    void withoutASessionTheApiAnswers401() throws Exception {
        assertEquals(401, get("/api/me", null).statusCode());
    }

    @Test
    void springSecuritysCsrfCheckLeavesTheFiltersRoutesAlone() throws Exception {
        assertTrue(passesSpringSecurity("/auth/logout"), "the filter's own route, without Spring's CSRF token");
        assertTrue(!passesSpringSecurity("/orders"), "any other POST without Spring's CSRF token is refused (control)");
    }

    private boolean passesSpringSecurity(String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setServletPath(path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean reached = new AtomicBoolean();
        springSecurity.doFilter(request, response, (req, res) -> reached.set(true));
        assertEquals(reached.get() ? 200 : 403, response.getStatus());
        return reached.get();
    }

    private HttpResponse<String> get(String path, String accessToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "application/json");
        if (accessToken != null) {
            request.header("Cookie", "__Host-sg_access=" + accessToken);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String subject, List<String> roles) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience("boot3-sample");
        claims.setSubject(subject);
        claims.setStringListClaim("roles", roles);
        claims.setGeneratedJwtId(); // as a provider does: two sign-ins in one second get two tokens
        claims.setIssuedAt(NumericDate.now());
        claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().plusSeconds(300).getEpochSecond()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(KEY.getPrivateKey());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static RsaJsonWebKey key() {
        try {
            return RsaJwkGenerator.generateJwk(2048);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
