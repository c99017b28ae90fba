package io.github.sessiongate;

import io.github.sessiongate.engine.ApiAccess;
import io.github.sessiongate.engine.FilterEngine;
import io.github.sessiongate.engine.Outbound;
import java.time.Clock;
import java.time.Duration;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps a user's session in HttpOnly cookies and guards the application's paths with it.
 *
 * <p>Each request passes once, forward, through these steps:
 * <ol>
 *   <li>the firewall normalises the path or answers 400 (the engine's firewall);</li>
 *   <li>the path rules say public, protected or role-gated (the {@code *-paths} and {@code role-rules} settings);</li>
 *   <li>the session cookies are read, or the bearer header if allowed;</li>
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
    /** Request attribute marking a request that has passed the filter's REQUEST steps. */
    public static final String FILTERED_ATTRIBUTE = "io.github.sessiongate.filtered";

    static {
        ApiAccess.register(new EngineHooks());
    }

    private final GateConfig preset;
    private volatile FilterEngine engine;

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
        this.engine = FilterEngine.start(preset, filterConfig);
    }

    /** The effective configuration, once {@link #init} has run. */
    public GateConfig config() {
        return started().config();
    }

    /** The filter's counters (also published over JMX), once {@link #init} has run: a read-only view. */
    public Metrics metrics() {
        return started().metrics();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
            throw new ServletException("SessionGate handles HTTP requests only");
        }
        FilterEngine e = engine;
        if (e == null) {
            throw new ServletException("SessionGate filter used before init() or after destroy()");
        }
        e.handle((HttpServletRequest) req, (HttpServletResponse) res, chain);
    }

    @Override
    public void destroy() {
        FilterEngine e = engine;
        engine = null;
        if (e != null) {
            e.close();
        }
    }

    private FilterEngine started() {
        FilterEngine e = engine;
        if (e == null) {
            throw new IllegalStateException("init() has not run");
        }
        return e;
    }

    /**
     * The filter's counters since start, read-only: callers can read them, never change them.
     * The same figures are published over JMX.
     */
    public interface Metrics {
        /** When the counters started. */
        Instant getStartTime();

        /** Tokens validated by the validator (cache misses). */
        long getValidations();

        /** Validations answered from the cache. */
        long getCacheHits();

        /** Refreshes that gave new tokens. */
        long getRefreshesOk();

        /** Refreshes the backend refused. */
        long getRefreshesRefused();

        /** Refreshes that failed for a transient reason. */
        long getRefreshesFailed();

        /** Requests that waited for another request's refresh. */
        long getDedupWaits();

        /** Requests served from the refresh grace memo. */
        long getGraceHits();

        /** Guest tokens minted. */
        long getGuestMints();

        /** Requests denied (401, 403 or a login redirect). */
        long getDenials();

        /** Requests answered 503 because a backend was unavailable. */
        long getUnavailable();

        /** Requests answered 400. */
        long getBadRequests();

        /** Requests refused by the CSRF check. */
        long getCsrfRejections();

        /** Times a security store was full. */
        long getSecurityStoreFull();

        /** State-store operations that could not be answered (Redis down or slow): each fell back to this node's memory. */
        long getStateStoreUnavailable();

        /** Tokens refused as revoked. */
        long getRevoked();

        /** Every counter by name, in a fixed order. */
        Map<String, Long> snapshot();
    }

    /** The package-private operations the engine's composition root may call; see {@link ApiAccess}. */
    private static final class EngineHooks implements ApiAccess.Hooks {
        @Override
        public void initOnce(TokenValidator validator, InitParams params, Clock clock) {
            validator.initOnce(params, clock);
        }

        @Override
        public void externalSecret(GateConfig.Builder builder, String name, String value) {
            builder.externalSecret(name, value);
        }

        @Override
        public Optional<ApiAccess.Started<BackendClient>> backendClient(GateConfig config, Outbound filterTransport) {
            if (config.givenBackendClient().isPresent()) {
                return Optional.of(new ApiAccess.Started<>(config.givenBackendClient().get(), false));
            }
            if (config.backendOrigins().isEmpty()) {
                return Optional.empty();
            }
            BackendClient.Builder b = BackendClient.builder().connectTimeout(config.backendConnectTimeout())
                    .readTimeout(config.backendReadTimeout()).over(filterTransport);
            config.backendOrigins().forEach(b::allowOrigin);
            return Optional.of(new ApiAccess.Started<>(b.build(), true));
        }

        @Override
        public Optional<javax.crypto.SecretKey> stateStoreKey(GateConfig config) {
            return config.stateStoreKey();
        }

        @Override
        public Optional<String> describeRefusal(TokenValidator validator, String token, ValidationResult.Reason reason) {
            try {
                return validator.describeRefusal(token, reason);
            } catch (RuntimeException e) {
                return Optional.empty(); // a hook that throws says nothing
            }
        }

        @Override
        public Map<String, String> heldSecrets(TokenValidator validator) {
            return validator.heldSecrets();
        }

        @Override
        public Map<String, String> externalSecrets(GateConfig config) {
            return config.externalSecrets();
        }

        @Override
        public Optional<FilterEngine> engine(SessionFilter filter) {
            return Optional.ofNullable(filter.engine);
        }
    }
}
