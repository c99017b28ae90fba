package io.github.sessiongate;

import io.github.sessiongate.audit.GateMetrics;
import io.github.sessiongate.path.PathRules;
import io.github.sessiongate.path.RequestPaths;
import io.github.sessiongate.web.PrivateCacheResponse;
import io.github.sessiongate.web.SessionRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a user's session in HttpOnly cookies and guards the application's paths with it.
 *
 * <p>Each request passes once, forward, through these steps:
 * <ol>
 *   <li>the firewall normalises the path or answers 400 ({@link RequestPaths});</li>
 *   <li>the path rules say public, protected or role-gated ({@link PathRules});</li>
 *   <li>the session cookies are read ({@link CookieCodec}), or the bearer header if allowed;</li>
 *   <li>the token is validated ({@link TokenValidator});</li>
 *   <li>the decision: a protected path without a session redirects a browser to the login page
 *       ({@code from=} set) and answers anything else 401; a missing role is 403; no verdict
 *       (validator unavailable) is 503 and clears nothing;</li>
 *   <li>the application runs with the request wrapped: {@code getUserPrincipal()},
 *       {@code isUserInRole()} and {@link Session#from} see the session.</li>
 * </ol>
 *
 * <p>Minimal web.xml:
 * <pre>{@code
 * <filter>
 *   <filter-name>sessiongate</filter-name>
 *   <filter-class>io.github.sessiongate.SessionFilter</filter-class>
 *   <async-supported>true</async-supported>
 *   <init-param><param-name>public-paths</param-name><param-value>/ /static/*</param-value></init-param>
 *   <init-param><param-name>jwt.jwks-url</param-name><param-value>https://idp.example/jwks.json</param-value></init-param>
 *   <init-param><param-name>jwt.issuer</param-name><param-value>https://idp.example</param-value></init-param>
 *   <init-param><param-name>jwt.audience</param-name><param-value>my-app</param-value></init-param>
 * </filter>
 * <filter-mapping>
 *   <filter-name>sessiongate</filter-name>
 *   <url-pattern>/*</url-pattern>
 *   <dispatcher>REQUEST</dispatcher>
 *   <dispatcher>ASYNC</dispatcher>
 *   <dispatcher>ERROR</dispatcher>
 * </filter-mapping>
 * }</pre>
 *
 * <p><b>Dispatcher types.</b> REQUEST runs every step. FORWARD, INCLUDE, ERROR and ASYNC
 * dispatches of a request that already passed run no rule again (the original request was
 * decided; the application chose the dispatch) and re-attach the session, so error pages and
 * async continuations see the same user. An ASYNC dispatch of a request the filter never saw runs
 * every step.
 *
 * <p><b>Threading.</b> One instance serves every request thread; all state is immutable after
 * {@link #init}. {@link #destroy()} closes what {@code init} started: the validator, the outbound clients and
 * their one HTTP transport, so that an undeploy leaves no thread behind.
 */
public final class SessionFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFilter.class);

    /** Request attribute marking a request that has passed the filter's REQUEST steps. */
    public static final String FILTERED_ATTRIBUTE = "io.github.sessiongate.filtered";

    private final GateConfig preset;
    private volatile Gate gate;
    private volatile ServletContext context;

    /** For web.xml: settings come from init-params. */
    public SessionFilter() {
        this.preset = null;
    }

    /** For {@code ServletContext.addFilter}: settings come from the config; init-params are ignored. */
    public SessionFilter(GateConfig config) {
        this.preset = Objects.requireNonNull(config, "config");
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        String name = filterConfig == null ? "sessiongate" : filterConfig.getFilterName();
        Components components;
        try {
            components = preset != null ? Components.fromConfig(preset)
                    : Components.fromInitParams(initParams(filterConfig), Clock.systemUTC());
        } catch (ConfigException e) {
            throw new ServletException("SessionGate filter '" + name + "' cannot start: " + e.getMessage(), e);
        }
        this.context = filterConfig == null ? null : filterConfig.getServletContext();
        try {
            this.gate = new Gate(components, context == null ? "" : context.getContextPath(), name);
        } catch (RuntimeException e) {
            components.close();
            throw e;
        }
        if (context != null) {
            components.backendClient().ifPresent(client -> context.setAttribute(BackendClient.CONTEXT_ATTRIBUTE, client));
        }
        LOG.info("SessionGate filter '{}' ready: {}{}", name, components.config().describe(), components.describe());
    }

    /** The effective configuration, once {@link #init} has run. */
    public GateConfig config() {
        Gate g = gate;
        if (g == null) {
            throw new IllegalStateException("init() has not run");
        }
        return g.config;
    }

    /** The filter's counters (also published over JMX), once {@link #init} has run. */
    public GateMetrics metrics() {
        Gate g = gate;
        if (g == null) {
            throw new IllegalStateException("init() has not run");
        }
        return g.metrics;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
            throw new ServletException("SessionGate handles HTTP requests only");
        }
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        Gate g = gate;
        if (g == null) {
            throw new ServletException("SessionGate filter used before init() or after destroy()");
        }
        DispatcherType type = request.getDispatcherType();
        if (type == DispatcherType.REQUEST || request.getAttribute(FILTERED_ATTRIBUTE) == null && type == DispatcherType.ASYNC) {
            g.handle(request, response, chain);
        } else {
            HttpServletResponse out = request.getAttribute(Gate.PRIVATE_ATTRIBUTE) != null ? new PrivateCacheResponse(response) : response;
            chain.doFilter(withKnownSession(request, g.config.authorizationHeaderView()), out);
        }
    }

    @Override
    public void destroy() {
        Gate g = gate;
        gate = null;
        if (g != null) {
            if (context != null && g.components.backendClient().isPresent()
                    && context.getAttribute(BackendClient.CONTEXT_ATTRIBUTE) == g.components.backendClient().get()) {
                context.removeAttribute(BackendClient.CONTEXT_ATTRIBUTE);
            }
            g.close();
        }
    }

    private static HttpServletRequest withKnownSession(HttpServletRequest request, boolean authorizationView) {
        return Session.from(request)
                .<HttpServletRequest>map(s -> new SessionRequest(request, s, authorizationView))
                .orElse(request);
    }

    private static Map<String, String> initParams(FilterConfig fc) {
        Map<String, String> params = new LinkedHashMap<>();
        if (fc != null) {
            for (String name : Collections.list(fc.getInitParameterNames())) {
                params.put(name, fc.getInitParameter(name));
            }
        }
        return params;
    }
}
