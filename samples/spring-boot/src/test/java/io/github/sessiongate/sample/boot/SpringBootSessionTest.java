package io.github.sessiongate.sample.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.spring.SessionGateAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample on Boot's embedded Tomcat, over real HTTP, against a fake auth backend in this JVM:
 * sign-in through the filter's {@code /auth/login}, Spring Security seeing the session (URL rules
 * and {@code @PreAuthorize} on its roles), and rotation in place.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBootSessionTest {
    private static final FakeAuthBackend AUTH = start();

    @Value("${local.server.port}")
    int port;

    @Autowired
    FilterRegistrationBean<SessionFilter> registration;

    @Autowired
    MeterRegistry meters;

    @Autowired
    FilterChainProxy springSecurity;

    @DynamicPropertySource
    static void authBackend(DynamicPropertyRegistry registry) {
        registry.add("auth.base", AUTH::base);
    }

    @AfterAll
    static void stopBackend() {
        AUTH.close();
    }

    @Test
    void theFilterIsRegisteredBeforeSpringSecurityFromTheProperties() {
        assertEquals(SessionGateAutoConfiguration.FILTER_ORDER, registration.getOrder());
        assertTrue(registration.getOrder() < -100, "before Spring Security's default filter order");
        assertEquals(AUTH.base() + "/login", registration.getInitParameters().get("login-url"));
        assertEquals("/api/*", registration.getInitParameters().get("protected-paths"));
    }

    @Test
    void theFiltersMetersAreInActuatorsRegistry() throws Exception {
        new Client(port).get("/api/me", Map.of());
        assertTrue(meters.find("sessiongate.validations").tag("filter", SessionGateAutoConfiguration.FILTER_NAME).meter() != null,
                () -> "no sessiongate.validations meter in " + meters.getMeters().stream().map(m -> m.getId().getName()).toList());
    }

    @Test
    void signInGivesCookiesThatSpringSecurityAuthenticates() throws Exception {
        Client client = new Client(port);
        HttpResponse<String> login = client.postJson("/auth/login", Map.of(),
                "{\"username\":\"alice\",\"password\":\"alice-password\"}");
        assertEquals(200, login.statusCode(), login::body);
        assertTrue(login.body().contains("\"subject\":\"alice\""), login.body());
        Map<String, String> cookies = Client.setCookies(login);

        HttpResponse<String> me = client.get("/api/me", cookies);
        assertEquals(200, me.statusCode(), me::body);
        assertTrue(me.body().contains("\"name\":\"alice\""), me.body());
        assertTrue(me.body().contains("ROLE_admin"), me.body());
    }

    @Test
    void aWrongPasswordGetsNoCookies() throws Exception {
        HttpResponse<String> login = new Client(port).postJson("/auth/login", Map.of(),
                "{\"username\":\"alice\",\"password\":\"wrong\"}");
        assertEquals(401, login.statusCode(), login::body);
        assertEquals(Map.of(), Client.setCookies(login));
    }

    @Test
    void withoutASessionTheApiAnswers401() throws Exception {
        HttpResponse<String> me = new Client(port).get("/api/me", Map.of());
        assertEquals(401, me.statusCode(), me::body);
    }

    @Test
    void preAuthorizeSeesTheSessionsRoles() throws Exception {
        Client client = new Client(port);
        HttpResponse<String> asAdmin = client.get("/api/admin", signIn(client, "alice"));
        assertEquals(200, asAdmin.statusCode(), asAdmin::body);
        assertTrue(asAdmin.body().contains("admin report"), asAdmin.body());

        HttpResponse<String> withoutRole = client.get("/api/admin", signIn(client, "bob"));
        assertEquals(403, withoutRole.statusCode(), withoutRole::body);
    }

    @Test
    void expiredAccessTokenWithRefreshCookieIsRotatedInPlace() throws Exception {
        Client client = new Client(port);
        Map<String, String> signedIn = signIn(client, "alice");
        Map.Entry<String, String> access = Client.cookie(signedIn, "sg_access");
        Map.Entry<String, String> refresh = Client.cookie(signedIn, "sg_refresh");
        Map<String, String> expired = new LinkedHashMap<>();
        expired.put(access.getKey(), AUTH.accessToken("alice", Instant.now().minusSeconds(120)));
        expired.put(refresh.getKey(), refresh.getValue());
        int refreshes = AUTH.refreshCalls();

        HttpResponse<String> me = client.get("/api/me", expired);

        assertEquals(200, me.statusCode(), me::body);
        assertTrue(me.body().contains("\"name\":\"alice\""), me.body());
        assertEquals(refreshes + 1, AUTH.refreshCalls(), "one refresh at the backend, on this request");
        Map<String, String> rotated = Client.setCookies(me);
        assertNotEquals(expired.get(access.getKey()), Client.cookie(rotated, "sg_access").getValue());
        assertNotEquals(refresh.getValue(), Client.cookie(rotated, "sg_refresh").getValue());

        HttpResponse<String> next = client.get("/api/me", Map.of(access.getKey(), Client.cookie(rotated, "sg_access").getValue()));
        assertEquals(200, next.statusCode(), "the new access cookie alone is a session: " + next.body());
    }

    @Test
    void springSecuritysCsrfFilterNeverBlocksTheFiltersOwnRoutes() throws Exception {
        Client client = new Client(port);
        HttpResponse<String> logout = client.postJson("/auth/logout", signIn(client, "bob"), "{}");
        assertTrue(logout.statusCode() == 204 || logout.statusCode() == 303, () -> logout.statusCode() + " " + logout.body());
        assertTrue(logout.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.contains("sg_access")), "the cookies are cleared");
    }

    @Test
    void insideSpringSecurityTheFiltersRoutesAreExemptFromItsCsrfCheck() throws Exception {
        assertTrue(passesSpringSecurity("/auth/logout"), "the filter's own route, without Spring's CSRF token");
        assertTrue(passesSpringSecurity("/auth/refresh"));
        assertTrue(!passesSpringSecurity("/orders"), "any other POST without Spring's CSRF token is refused (control)");
    }

    /** Whether a POST without Spring's CSRF token gets through Spring Security's chain. */
    private boolean passesSpringSecurity(String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setServletPath(path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean reached = new AtomicBoolean();
        springSecurity.doFilter(request, response, (req, res) -> reached.set(true));
        assertEquals(reached.get() ? 200 : 403, response.getStatus());
        return reached.get();
    }

    private static Map<String, String> signIn(Client client, String user) throws Exception {
        HttpResponse<String> login = client.postJson("/auth/login", Map.of(),
                "{\"username\":\"" + user + "\",\"password\":\"" + user + "-password\"}");
        assertEquals(200, login.statusCode(), login::body);
        return Client.setCookies(login);
    }

    private static FakeAuthBackend start() {
        try {
            return new FakeAuthBackend();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
