package io.github.sessiongate.sample;

import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Adds the shared-state init-params to the {@value #FILTER} filter of web.xml (or web-oidc.xml)
 * when the demo runs as several nodes: the Redis store, its sealing key and its URL. This is the
 * one place the demo names them; in your own web.xml they are plain {@code <init-param>}s:
 *
 * <pre>{@code
 * <init-param><param-name>state-store</param-name><param-value>redis</param-value></init-param>
 * <init-param><param-name>state-store-key</param-name><param-value>${env:SESSIONGATE_STATE_KEY}</param-value></init-param>
 * <init-param><param-name>redis.url</param-name><param-value>redis://redis.internal:6379</param-value></init-param>
 * }</pre>
 *
 * <p>Added from code (a container initializer runs after the descriptor is read and before any
 * filter starts) so that the one-node demo's descriptors stay free of Redis. The values are
 * {@code ${sys:...}} references that {@link SampleMain} sets in-process: no secret in a descriptor
 * or on a command line.
 */
final class SharedStateParams implements ServletContainerInitializer {
    /** The filter's name in both descriptors. */
    static final String FILTER = "sessiongate";

    /** The init-param naming the shared store, and its value: the Redis store. */
    static final String STATE_STORE_PARAM = "state-store";
    static final String STATE_STORE_VALUE = "redis";

    /** System properties the values refer to; {@link SampleMain} sets them. */
    static final String STATE_STORE_KEY_PROPERTY = "sample.state-store-key";
    static final String REDIS_URL_PROPERTY = "sample.redis.url";

    /** What the demo's nodes write to Redis goes under this prefix (several apps can share one). */
    static final String KEY_PREFIX = "sessiongate-demo:";

    /** The init-params, in the order they would appear in web.xml. */
    static Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(STATE_STORE_PARAM, STATE_STORE_VALUE);
        p.put("state-store-key", "${sys:" + STATE_STORE_KEY_PROPERTY + "}");
        p.put("redis.url", "${sys:" + REDIS_URL_PROPERTY + "}");
        p.put("redis.key-prefix", KEY_PREFIX);
        // The library's defaults (50 ms connect, 100 ms per command) suit a Redis next to the
        // servers; a laptop running two JVMs, a build and a browser stalls longer now and then,
        // and a timeout would make that request fall back to this node's own state.
        p.put("redis.connect-timeout", "1s");
        p.put("redis.command-timeout", "1s");
        return p;
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        FilterRegistration filter = context.getFilterRegistration(FILTER);
        if (filter == null) {
            throw new ServletException("no filter named " + FILTER + " in the webapp's descriptor");
        }
        for (Map.Entry<String, String> p : params().entrySet()) {
            if (!filter.setInitParameter(p.getKey(), p.getValue())) {
                throw new ServletException("the descriptor already sets " + p.getKey() + "; the demo adds it itself");
            }
        }
    }
}
