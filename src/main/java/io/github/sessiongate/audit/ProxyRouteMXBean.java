package io.github.sessiongate.audit;

/**
 * The management view of one API proxy route: its {@link RouteMetrics}, read-only, registered by
 * {@link JmxRegistration#registerRoute} under
 * {@code io.github.sessiongate:type=SessionGateProxy,context=<context path>,filter=<filter name>,route=<route name>}.
 * Every count is monotonic since the filter started.
 */
public interface ProxyRouteMXBean {
    /** Forwards that got an answer from the backend, whatever its status. */
    long getForwarded();

    /** Backend answers with a 1xx or 2xx status. */
    long getStatus2xx();

    /** Backend answers with a 3xx status. */
    long getStatus3xx();

    /** Backend answers with a 4xx status. */
    long getStatus4xx();

    /** Backend answers with a 5xx status. */
    long getStatus5xx();

    /** Backend 401 answers to a token the filter believed valid. */
    long getBackendRefusedToken();

    /** Requests the proxy refused with 400 (a path or method it does not forward). */
    long getRefused400();

    /** Requests the proxy refused with 401 (no session where the route needs one). */
    long getRefused401();

    /** Requests the proxy refused with 403 (a missing role of a path rule). */
    long getRefused403();

    /** Requests the proxy refused with 413 (a body over the route's cap). */
    long getRefused413();

    /** Forwards that failed with 502 (backend unreachable or a bad answer). */
    long getFailed502();

    /** Requests answered 503 (the route's bulkhead full, or no verdict on the session). */
    long getFailed503();

    /** Forwards that failed with 504 (no status and headers within the route's timeout). */
    long getFailed504();

    /** Forwards timed (until the backend's status and headers, or the failure). */
    long getLatencyCount();

    /** Sum of the timed latencies, in milliseconds. */
    long getLatencySumMillis();

    /** Largest timed latency, in milliseconds. */
    long getLatencyMaxMillis();

    /** Forwards in flight now. */
    int getInFlight();
}
