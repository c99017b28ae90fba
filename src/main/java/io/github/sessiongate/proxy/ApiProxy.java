package io.github.sessiongate.proxy;

import io.github.sessiongate.ProxyRoute;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.internal.HttpTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One filter's API proxy: a {@link Forwarder} per configured {@link ProxyRoute}, found by the
 * normalised path (prefixes never overlap, so at most one matches). The request steps decide the
 * session; the forwarders do the rest. {@link #close()} unregisters the routes' MBeans; the route
 * threads belong to the composition root. Immutable, thread-safe.
 */
public final class ApiProxy implements AutoCloseable {
    private final List<Forwarder> forwarders;

    private ApiProxy(List<Forwarder> forwarders) {
        this.forwarders = forwarders;
    }

    /**
     * The forwarders of {@code routes}, sending over {@code transport} on the threads of {@code threads}.
     *
     * @param challenge the {@code WWW-Authenticate} value of a 401
     */
    public static ApiProxy start(List<ProxyRoute> routes, ProxyThreads threads, HttpTransport transport, AuditLog audit,
            String contextPath, String filterName, String challenge, int retryAfterSeconds) {
        List<Forwarder> list = new ArrayList<>();
        for (ProxyRoute route : routes) {
            list.add(new Forwarder(route, threads.of(route.name()), transport, audit, contextPath, filterName, challenge,
                    retryAfterSeconds));
        }
        return new ApiProxy(List.copyOf(list));
    }

    /** The forwarder whose route matches the normalised {@code path}, if any. */
    public Optional<Forwarder> match(String path) {
        for (Forwarder f : forwarders) {
            if (f.route().matches(path)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The forwarders, in the routes' order. */
    public List<Forwarder> forwarders() {
        return forwarders;
    }

    @Override
    public void close() {
        forwarders.forEach(Forwarder::close);
    }
}
