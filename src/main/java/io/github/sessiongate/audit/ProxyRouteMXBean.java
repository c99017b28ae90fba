package io.github.sessiongate.audit;

/**
 * The management view of one API proxy route: its {@link RouteMetrics}, read-only, registered by
 * {@link JmxRegistration#registerRoute} under
 * {@code io.github.sessiongate:type=SessionGateProxy,context=<context path>,filter=<filter name>,route=<route name>}.
 * Every count is monotonic since the filter started.
 */
@Description("One SessionGate API proxy route: counters since the filter started")
public interface ProxyRouteMXBean {
    /** Forwards that got an answer from the backend, whatever its status. */
    @Description("Forwards answered by the backend, any status")
    long getForwarded();

    /** Backend answers with a 1xx or 2xx status. */
    @Description("Backend answers with a 1xx or 2xx status")
    long getStatus2xx();

    /** Backend answers with a 3xx status. */
    @Description("Backend answers with a 3xx status")
    long getStatus3xx();

    /** Backend answers with a 4xx status. */
    @Description("Backend answers with a 4xx status")
    long getStatus4xx();

    /** Backend answers with a 5xx status. */
    @Description("Backend answers with a 5xx status")
    long getStatus5xx();

    /** Backend 401 answers to a token the filter believed valid. */
    @Description("Backend 401 answers to a token the filter believed valid")
    long getBackendRefusedToken();

    /** Requests the proxy refused with 400 (a path or method it does not forward). */
    @Description("Requests refused with 400 (a path or method not forwarded)")
    long getRefused400();

    /** Requests the proxy refused with 401 (no session where the route needs one). */
    @Description("Requests refused with 401 (no session where the route needs one)")
    long getRefused401();

    /** Requests the proxy refused with 403 (a missing role of a path rule). */
    @Description("Requests refused with 403 (a role a path rule requires)")
    long getRefused403();

    /** Requests the proxy refused with 413 (a body over the route's cap). */
    @Description("Requests refused with 413 (body over the route's max-body)")
    long getRefused413();

    /** Forwards that failed with 502 (backend unreachable or a bad answer). */
    @Description("Forwards failed with 502 (backend unreachable or a bad answer)")
    long getFailed502();

    /** Requests answered 503 (the route's bulkhead full, or no verdict on the session). */
    @Description("Requests answered 503 (bulkhead full, or no verdict on the session)")
    long getFailed503();

    /** Forwards that failed with 504 (no status and headers within the route's timeout). */
    @Description("Forwards failed with 504 (no headers within the route's timeout)")
    long getFailed504();

    /** Forwards timed (until the backend's status and headers, or the failure). */
    @Description("Forwards timed, until the backend's headers or the failure")
    long getLatencyCount();

    /** Sum of the timed latencies, in milliseconds. */
    @Description("Sum of the timed latencies, milliseconds")
    long getLatencySumMillis();

    /** Largest timed latency, in milliseconds. */
    @Description("Largest timed latency, milliseconds")
    long getLatencyMaxMillis();

    /** Forwards in flight now. */
    @Description("Forwards in flight now")
    int getInFlight();
}
