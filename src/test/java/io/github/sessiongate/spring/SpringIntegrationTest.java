package io.github.sessiongate.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.GateConfigTest;
import io.github.sessiongate.Session;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.testing.InMemoryRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * The Spring pieces without a container: properties to init-params, the session to an
 * {@code Authentication}, and the filter's endpoints as Spring Security sees them. The samples
 * (samples/spring-boot on Boot 4, samples/spring-boot-3 on Boot 3.5) run them in a real application.
 */
class SpringIntegrationTest {
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
    private final List<SessionFilter> started = new ArrayList<>();

    @AfterEach
    void clear() {
        holder.clearContext();
        started.forEach(SessionFilter::destroy);
    }

    @Test
    void sessiongatePropertiesAreTheInitParamsOfTheSameName() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("sessiongate.jwt.jwks-url", "https://idp.example/jwks");
        props.put("sessiongate.protected-paths", "/api/* /admin/*");
        props.put("idp", "https://idp.example");
        props.put("sessiongate.jwt.issuer", "${idp}");
        props.put("sessiongate.guest-secret", "${env:GUEST_SECRET}");
        props.put("sessiongate.cookie-domain", "prefix-${sys:domain}");
        props.put("unrelated.jwt.issuer", "x");

        Map<String, String> params = InitParamsBinding.from(environment(props));

        assertEquals(Map.of("jwt.jwks-url", "https://idp.example/jwks", "protected-paths", "/api/* /admin/*",
                "jwt.issuer", "https://idp.example", "guest-secret", "${env:GUEST_SECRET}",
                "cookie-domain", "prefix-${sys:domain}"), params,
                "Spring placeholders resolved; the filter's own ${env:} and ${sys:} left for the filter");
    }

    @Test
    void noSessiongatePropertiesAreNoInitParams() {
        assertEquals(Map.of(), InitParamsBinding.from(environment(Map.of("server.port", "8080"))));
    }

    @Test
    void theSessionBecomesAnAuthenticationWithRolePrefixedAuthorities() throws Exception {
        Session session = Session.builder("alice", "the-access-token-value").roles(Set.of("admin", "user")).build();
        HttpServletRequest request = InMemoryRequest.get("/api/me").build();
        request.setAttribute(Session.REQUEST_ATTRIBUTE, session);

        Authentication seen = authenticationInChain(request);

        SessionAuthentication auth = (SessionAuthentication) seen;
        assertTrue(auth.isAuthenticated());
        assertEquals("alice", auth.getPrincipal());
        assertEquals("alice", auth.getName());
        assertEquals(List.of("ROLE_admin", "ROLE_user"), auth.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList());
        assertNull(auth.getCredentials(), "the token is never the credentials");
        assertSame(session, auth.session());
        assertFalse(auth.toString().contains("the-access-token-value"), auth.toString());
    }

    @Test
    void noSessionAGuestOrAnEarlierAuthenticationIsLeftAlone() throws Exception {
        assertNull(authenticationInChain(InMemoryRequest.get("/").build()), "no session: anonymous to Spring");

        HttpServletRequest guest = InMemoryRequest.get("/").build();
        guest.setAttribute(Session.REQUEST_ATTRIBUTE, Session.builder("anon:1", "guest-token").guest(true).build());
        assertNull(authenticationInChain(guest), "a guest stays anonymous to Spring");

        HttpServletRequest withSession = InMemoryRequest.get("/").build();
        withSession.setAttribute(Session.REQUEST_ATTRIBUTE, Session.builder("alice", "token").build());
        Authentication earlier = new TestingAuthenticationToken("bob", null, "ROLE_x");
        holder.getContext().setAuthentication(earlier);
        assertSame(earlier, authenticationInChain(withSession), "an authentication already made is kept");
    }

    @Test
    void theFiltersEndpointsAreFoundOnceItHasStarted() throws Exception {
        SessionFilter bean = new SessionFilter(GateConfig.builder().validator(new GateConfigTest.RecordingValidator()).build());
        SessionFilter registered = new SessionFilter(GateConfig.builder().validator(new GateConfigTest.RecordingValidator())
                .endpoints(io.github.sessiongate.EndpointSettings.builder()
                        .path(io.github.sessiongate.EndpointSettings.Endpoint.SESSION, "/me/session").build())
                .build());
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.registerBean("bean", SessionFilter.class, () -> bean);
            context.registerBean("registration", FilterRegistrationBean.class, () -> new FilterRegistrationBean<>(registered));
            context.refresh();
            GateEndpoints endpoints = new GateEndpoints(context);
            assertEquals(List.of(bean, registered), GateEndpoints.filters(context));

            assertFalse(endpoints.matches(InMemoryRequest.post("/auth/logout").build()), "not started: nothing known yet");
            start(bean);
            assertFalse(endpoints.matches(InMemoryRequest.post("/auth/logout").build()), "one of two not started: asks again");
            start(registered);

            assertTrue(endpoints.matches(InMemoryRequest.post("/auth/logout").build()));
            assertTrue(endpoints.matches(InMemoryRequest.get("/auth/session").build()));
            assertTrue(endpoints.matches(InMemoryRequest.get("/me/session").build()), "the second filter's own path");
            assertFalse(endpoints.matches(InMemoryRequest.post("/api/orders").build()));
            assertFalse(endpoints.matches(InMemoryRequest.post("/auth/logout/x").build()));
        }
    }

    private void start(SessionFilter filter) throws Exception {
        filter.init(null);
        started.add(filter);
    }

    private Authentication authenticationInChain(HttpServletRequest request) throws Exception {
        AtomicReference<Authentication> seen = new AtomicReference<>();
        new SessionAuthenticationFilter(holder).doFilter(request, null,
                (req, res) -> seen.set(holder.getContext().getAuthentication()));
        return seen.get();
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
