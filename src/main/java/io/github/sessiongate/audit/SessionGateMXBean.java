package io.github.sessiongate.audit;

/**
 * The management view of one filter instance: its {@link GateMetrics} counters, read-only, as
 * registered by {@link JmxRegistration} under
 * {@code io.github.sessiongate:type=SessionGate,context=<context path>,filter=<filter name>}.
 *
 * <p>Every attribute is a monotonic count since {@link #getStartTime()}; see the matching
 * {@link GateMetrics} getter for what it counts. An MXBean, so any JMX client (jconsole, Jolokia,
 * a Prometheus JMX exporter) reads it without SessionGate's classes.
 */
public interface SessionGateMXBean {
    /** When the counters started, in milliseconds since the epoch (as {@code RuntimeMXBean}). */
    long getStartTime();

    /** Tokens validated by the validator. */
    long getValidations();

    /** Verdicts answered from the validation cache. */
    long getCacheHits();

    /** Successful refreshes. */
    long getRefreshesOk();

    /** Definitively refused refreshes. */
    long getRefreshesRefused();

    /** Refreshes without a verdict (backend failed or unreachable). */
    long getRefreshesFailed();

    /** Requests that waited for another request's validation or refresh. */
    long getDedupWaits();

    /** Requests served from the rotation grace memo. */
    long getGraceHits();

    /** Guest sessions minted. */
    long getGuestMints();

    /** Requests denied: 401, 403 or a login redirect. */
    long getDenials();

    /** Requests answered 503. */
    long getUnavailable();

    /** Requests answered 400 by the path firewall. */
    long getBadRequests();

    /** Requests rejected by the CSRF check. */
    long getCsrfRejections();

    /** Times security state could not be recorded because its store was full (503 or an unrecorded rotation). */
    long getSecurityStoreFull();

    /**
     * State-store operations that could not be answered (Redis down, slow or refusing) and were
     * answered from this node's memory instead: non-zero and growing means an outage.
     */
    long getStateStoreUnavailable();

    /** Access tokens refused from the revocation list (signed out on this node), without a validator call. */
    long getRevoked();
}
