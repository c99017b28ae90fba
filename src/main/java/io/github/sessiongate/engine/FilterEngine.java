package io.github.sessiongate.engine;

import io.github.sessiongate.BackendClient;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.Session;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.web.PrivateCacheResponse;
import io.github.sessiongate.web.SessionRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link SessionFilter} starts: maps init-params (or takes the given settings), builds the
 * running components, serves each dispatch and releases everything at {@link #close()}. The one
 * engine type the API package names; not for application code (the package is not exported).
 */
public final class FilterEngine implements AutoCloseable {
    /** The engine logs its decisions under the filter's name, where operators look for them. */
    static final String LOG_NAME = "io.github.sessiongate.SessionFilter";
    private static final Logger LOG = LoggerFactory.getLogger(LOG_NAME);

    private final RequestSteps steps;
    private final ServletContext context;
    /** The Micrometer meters over the counters, if bound; removed at {@link #close()}. */
    private final AutoCloseable meters;

    private FilterEngine(RequestSteps steps, ServletContext context, AutoCloseable meters) {
        this.steps = steps;
        this.context = context;
        this.meters = meters;
    }

    /**
     * Starts the filter's engine.
     *
     * @param preset the settings from code, or null to read the init-params of {@code filterConfig}
     * @param filterConfig the container's filter config; may be null outside a container
     * @throws ServletException naming the filter and the bad parameter when the settings are refused
     */
    public static FilterEngine start(GateConfig preset, FilterConfig filterConfig) throws ServletException {
        return start(preset, filterConfig, null);
    }

    /** As {@link #start(GateConfig, FilterConfig)}, the back-channel logout revoking through {@code revoker} (tests). */
    static FilterEngine start(GateConfig preset, FilterConfig filterConfig, io.github.sessiongate.login.BackChannelLogout.Revoker revoker)
            throws ServletException {
        String name = filterConfig == null ? "sessiongate" : filterConfig.getFilterName();
        Components components;
        try {
            components = preset != null ? Components.fromConfig(preset, revoker)
                    : Components.fromInitParams(initParams(filterConfig), Clock.systemUTC());
        } catch (ConfigException e) {
            throw new ServletException("SessionGate filter '" + name + "' cannot start: " + e.getMessage(), e);
        }
        ServletContext context = filterConfig == null ? null : filterConfig.getServletContext();
        RequestSteps steps = null;
        AutoCloseable meters;
        try {
            String contextPath = context == null ? "" : context.getContextPath();
            steps = new RequestSteps(components, contextPath, name);
            meters = MicrometerChoice.bind(components.config(), steps.metrics,
                    context == null ? null : context.getAttribute(MicrometerChoice.REGISTRY_CLASS), contextPath, name);
        } catch (ConfigException e) { // e.g. a login flow's route on the path of an endpoint
            closeAfterFailure(steps, components);
            throw new ServletException("SessionGate filter '" + name + "' cannot start: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAfterFailure(steps, components);
            throw e;
        }
        if (context != null) {
            components.backendClient().ifPresent(client -> context.setAttribute(BackendClient.CONTEXT_ATTRIBUTE, client));
        }
        LOG.info("SessionGate filter '{}' ready: {}{}", name, components.config().describe(), components.describe());
        Slf4jProviderCheck.report(LoggerFactory.getILoggerFactory(), context, name); // else that line went nowhere
        return new FilterEngine(steps, context, meters);
    }

    /** A start that failed: what was made is closed (the steps close the components too). */
    private static void closeAfterFailure(RequestSteps steps, Components components) {
        if (steps != null) {
            steps.close();
        } else {
            components.close();
        }
    }

    /** Whether a request to this decided path is answered here, never handed to the chain ({@link ApiAccess#answersItself}). */
    boolean answersItself(String path) {
        return steps.answersItself(path);
    }

    /** The effective settings. */
    public GateConfig config() {
        return steps.config;
    }

    /** The counters, read-only. */
    public SessionFilter.Metrics metrics() {
        return steps.metrics.readOnly();
    }

    /** One dispatch: REQUEST (and a first ASYNC) runs every step; any other re-attaches the known session. */
    public void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        DispatcherType type = request.getDispatcherType();
        if (type == DispatcherType.REQUEST
                || request.getAttribute(SessionFilter.FILTERED_ATTRIBUTE) == null && type == DispatcherType.ASYNC) {
            steps.handle(request, response, chain);
        } else {
            HttpServletResponse out = request.getAttribute(Exchange.PRIVATE_ATTRIBUTE) != null ? new PrivateCacheResponse(response) : response;
            chain.doFilter(withKnownSession(request, steps.config.authorizationHeaderView()), out);
        }
    }

    /** Releases the context attribute this engine set and every component it started. */
    @Override
    public void close() {
        if (context != null && steps.components.backendClient().isPresent()
                && context.getAttribute(BackendClient.CONTEXT_ATTRIBUTE) == steps.components.backendClient().get()) {
            context.removeAttribute(BackendClient.CONTEXT_ATTRIBUTE);
        }
        try {
            meters.close();
        } catch (Exception e) {
            LOG.warn("removing the Micrometer meters failed: {}", e.toString());
        }
        steps.close();
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
