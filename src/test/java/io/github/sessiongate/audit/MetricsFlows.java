package io.github.sessiongate.audit;

import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.Cookie;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A filter started from init-params against a {@link FakeAuthBackend}, in a fake servlet context
 * with attributes, and the real request flows the metrics tests count: login, a failed login,
 * a page with the session, a refresh, a forged token, a CSRF refusal, logout.
 */
final class MetricsFlows implements AutoCloseable {
    static final String ORIGIN = "http://localhost:8080";
    static final String CONTEXT_PATH = "/shop";
    private static final AtomicInteger FILTERS = new AtomicInteger();

    final FakeAuthBackend backend = FakeAuthBackend.started();
    final String filterName = "metrics-" + FILTERS.incrementAndGet() + "-" + System.nanoTime();
    final Map<String, Object> contextAttributes = new ConcurrentHashMap<>();
    final Map<String, String> params = new LinkedHashMap<>();
    SessionFilter filter;

    MetricsFlows() {
        params.put("jwt.jwks-url", backend.jwksUrl());
        params.put("jwt.issuer", backend.issuer());
        params.put("jwt.audience", backend.audience());
        params.put("login-url", backend.url(FakeAuthBackend.LOGIN));
        params.put("refresh-url", backend.url(FakeAuthBackend.REFRESH));
        params.put("revoke-url", backend.url(FakeAuthBackend.REVOKE));
        params.put("protected-paths", "/app/*");
    }

    /** Starts the filter with {@link #params}; {@link ServletException} as the filter throws it. */
    MetricsFlows start() throws Exception {
        filter = new SessionFilter();
        filter.init(filterConfig());
        return this;
    }

    /** Starts the filter with settings from code, in the same fake context. */
    MetricsFlows start(io.github.sessiongate.GateConfig preset) throws Exception {
        filter = new SessionFilter(preset);
        filter.init(filterConfig());
        return this;
    }

    InMemoryResponse run(InMemoryRequest request) throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        FilterChain chain = (req, res) -> { };
        filter.doFilter(request.build(), response.servlet(), chain);
        return response;
    }

    /** A successful login; its session cookies. */
    List<Cookie> login() throws Exception {
        InMemoryResponse r = run(InMemoryRequest.post("/auth/login").header("Origin", ORIGIN)
                .body("application/x-www-form-urlencoded", "username=alice&password=alice-password"));
        if (r.status() >= 400) {
            throw new AssertionError("login answered " + r.status() + ": " + r.body());
        }
        return r.cookies().stream().filter(c -> c.getMaxAge() != 0 && !c.getValue().isEmpty()).toList();
    }

    /** A login with a wrong password. */
    InMemoryResponse failedLogin() throws Exception {
        return run(InMemoryRequest.post("/auth/login").header("Origin", ORIGIN)
                .body("application/x-www-form-urlencoded", "username=alice&password=wrong"));
    }

    InMemoryResponse withCookies(InMemoryRequest request, List<Cookie> cookies) throws Exception {
        for (Cookie c : cookies) {
            request.cookie(c.getName(), c.getValue());
        }
        return run(request);
    }

    /** Every flow once: login ok and failed, a page, a refresh, a forged token, a CSRF refusal, logout. */
    void everyFlow() throws Exception {
        logout(everyFlowButLogout());
    }

    /** As {@link #everyFlow()}, without the logout; the session's cookies. */
    List<Cookie> everyFlowButLogout() throws Exception {
        List<Cookie> session = login();
        failedLogin();
        expect(200, withCookies(InMemoryRequest.get("/app/page"), session));
        // Only the refresh cookie: the filter refreshes in place.
        List<Cookie> refreshOnly = session.stream().filter(c -> c.getName().contains("refresh")).toList();
        if (refreshOnly.isEmpty()) {
            throw new AssertionError("no refresh cookie among " + session.stream().map(Cookie::getName).toList());
        }
        expect(200, withCookies(InMemoryRequest.get("/app/page"), refreshOnly));
        String accessName = session.stream().map(Cookie::getName).filter(n -> n.contains("access")).findFirst().orElseThrow();
        expect(401, run(InMemoryRequest.get("/app/page").cookie(accessName, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")));
        expect(403, withCookies(InMemoryRequest.post("/app/change").header("Origin", "https://evil.example"), session));
        return session;
    }

    /** Logs the session out. */
    void logout(List<Cookie> session) throws Exception {
        InMemoryResponse out = withCookies(InMemoryRequest.post("/auth/logout").header("Origin", ORIGIN), session);
        if (out.status() >= 400) {
            throw new AssertionError("logout answered " + out.status() + ": " + out.body());
        }
    }

    private static void expect(int status, InMemoryResponse r) {
        if (r.status() != status) {
            throw new AssertionError("expected " + status + ", got " + r.status() + ": " + r.body());
        }
    }

    /** The container's view: {@link #filterName}, {@link #params}, a context at {@link #CONTEXT_PATH} with {@link #contextAttributes}. */
    FilterConfig filterConfig() {
        ServletContext context = (ServletContext) Proxy.newProxyInstance(MetricsFlows.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getContextPath" -> CONTEXT_PATH;
                    case "getAttribute" -> contextAttributes.get((String) args[0]);
                    case "setAttribute" -> args[1] == null ? contextAttributes.remove((String) args[0])
                            : contextAttributes.put((String) args[0], args[1]);
                    case "removeAttribute" -> contextAttributes.remove((String) args[0]);
                    case "getAttributeNames" -> Collections.enumeration(contextAttributes.keySet());
                    case "getClassLoader" -> MetricsFlows.class.getClassLoader();
                    case "toString" -> "ServletContext[" + CONTEXT_PATH + "]";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        return (FilterConfig) Proxy.newProxyInstance(MetricsFlows.class.getClassLoader(), new Class<?>[] {FilterConfig.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getFilterName" -> filterName;
                    case "getInitParameter" -> params.get((String) args[0]);
                    case "getInitParameterNames" -> Collections.enumeration(params.keySet());
                    case "getServletContext" -> context;
                    case "toString" -> "FilterConfig[" + filterName + "]";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("FilterConfig." + m.getName());
                });
    }

    @Override
    public void close() {
        if (filter != null) {
            filter.destroy();
        }
        backend.close();
    }
}
