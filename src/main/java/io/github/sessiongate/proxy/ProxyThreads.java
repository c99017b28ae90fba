package io.github.sessiongate.proxy;

import io.github.sessiongate.ProxyRoute;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every route's {@link RouteThreads}, made and owned by the filter's composition root;
 * {@link #close()} (the filter's {@code destroy()}) stops them, interrupting forwards in flight,
 * and waits a bounded time. Thread-safe.
 */
public final class ProxyThreads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyThreads.class);
    static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final Map<String, RouteThreads> byRoute;

    private ProxyThreads(Map<String, RouteThreads> byRoute) {
        this.byRoute = byRoute;
    }

    /** Threads for each route; no thread starts before a forward needs one. */
    public static ProxyThreads of(List<ProxyRoute> routes) {
        Map<String, RouteThreads> map = new LinkedHashMap<>();
        for (ProxyRoute route : routes) {
            map.put(route.name(), new RouteThreads(route));
        }
        return new ProxyThreads(Map.copyOf(map));
    }

    /** The threads of the route named {@code name}. */
    public RouteThreads of(String name) {
        RouteThreads threads = byRoute.get(name);
        if (threads == null) {
            throw new IllegalArgumentException("no proxy route " + name);
        }
        return threads;
    }

    @Override
    public void close() {
        byRoute.values().forEach(RouteThreads::shutdownNow);
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        try {
            for (Map.Entry<String, RouteThreads> e : byRoute.entrySet()) {
                long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
                if (!e.getValue().awaitTermination(left)) {
                    LOG.warn("SessionGate proxy threads of route {} did not stop within {}", e.getKey(), STOP_WAIT);
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
