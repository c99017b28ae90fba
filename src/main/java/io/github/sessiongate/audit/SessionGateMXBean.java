package io.github.sessiongate.audit;

import java.util.Map;

/**
 * The management view of one filter instance: its {@link GateMetrics}, read-only, as registered by
 * {@link JmxRegistration} under
 * {@code io.github.sessiongate:type=SessionGate,context=<context path>,filter=<filter name>}.
 *
 * <p>Counts are monotonic since {@link #getStartTime()}; see the matching {@link GateMetrics}
 * getter for what each counts. Sizes are read when asked. An MXBean, so any JMX client (jconsole,
 * Jolokia, a Prometheus JMX exporter) reads it without SessionGate's classes; every attribute
 * carries a {@link Description}.
 *
 * <p><b>Refusals by reason</b> are one attribute, {@link #getRefusals()}, a {@code Map<String, Long>}
 * that JMX shows as {@code TabularData} with one row per reason, every reason always present (zeros
 * included), so a reason that never happened still reads 0. Chosen over one attribute per reason
 * because the set of reasons grows with the validators' reasons without changing this interface;
 * over an ad-hoc {@code CompositeData} because the MXBean mapping gives it a fixed open type.
 * JConsole shows it as a table, Jolokia as a JSON object ({@code .../Refusals}), and the Prometheus
 * JMX exporter as one series per row with the reason as its {@code key} label.
 *
 * <p><b>Latencies</b> are count, sum and maximum since the start (no histogram, nothing to size):
 * a mean over any interval is the difference of the sums over the difference of the counts.
 */
@Description("One SessionGate filter: counters since it started, latencies and state sizes")
public interface SessionGateMXBean {
    /** When the counters started, in milliseconds since the epoch (as {@code RuntimeMXBean}). */
    @Description("When the counters started, milliseconds since the epoch")
    long getStartTime();

    /** Tokens validated by the validator. */
    @Description("Tokens validated by the validator (cache misses)")
    long getValidations();

    /** Verdicts answered from the validation cache. */
    @Description("Verdicts answered from the validation cache")
    long getCacheHits();

    /** Successful refreshes. */
    @Description("Refreshes that issued new tokens")
    long getRefreshesOk();

    /** Definitively refused refreshes. */
    @Description("Refreshes definitively refused (the refresh token is no good)")
    long getRefreshesRefused();

    /** Refreshes without a verdict (backend failed or unreachable). */
    @Description("Refreshes without a verdict: the backend failed, timed out or was unreachable")
    long getRefreshesFailed();

    /** Requests that waited for another request's validation or refresh. */
    @Description("Requests that shared another request's validation or refresh of the same token")
    long getDedupWaits();

    /** Requests served from the rotation grace memo. */
    @Description("Requests served from the rotation grace memo (a refresh that just happened)")
    long getGraceHits();

    /** Guest sessions minted. */
    @Description("Guest sessions minted")
    long getGuestMints();

    /** Requests denied: 401, 403 or a login redirect. */
    @Description("Requests denied: 401, 403 or a redirect to the login page")
    long getDenials();

    /** Requests answered 503. */
    @Description("Requests answered 503: no verdict from the validator or its backend, or a store full")
    long getUnavailable();

    /** Requests answered 400 by the path firewall. */
    @Description("Requests answered 400 by the path firewall or the back-channel logout endpoint")
    long getBadRequests();

    /** Requests rejected by the CSRF check. */
    @Description("State-changing requests refused by the CSRF check")
    long getCsrfRejections();

    /** Times security state could not be recorded because its store was full (503 or an unrecorded rotation). */
    @Description("Times security state could not be recorded because its store was full")
    long getSecurityStoreFull();

    /**
     * State-store operations that could not be answered (Redis down, slow or refusing) and were
     * answered from this node's memory instead: non-zero and growing means an outage.
     */
    @Description("Shared-store operations answered from this node's memory instead (store down or slow)")
    long getStateStoreUnavailable();

    /** Access tokens refused from the revocation list (signed out on this node), without a validator call. */
    @Description("Access tokens refused from the revocation list or a session marker, without a validator call")
    long getRevoked();

    /** Logins through the filter's login flow that succeeded. */
    @Description("Logins that succeeded (password or OpenID Connect flow)")
    long getLoginsSucceeded();

    /** Logins that failed. */
    @Description("Logins that failed: bad credentials, provider errors, login limits, outages")
    long getLoginsFailed();

    /** Sessions ended through the logout endpoint or a provider's back-channel logout. */
    @Description("Sessions ended through the logout endpoint or a provider's back-channel logout")
    long getLogouts();

    /** Refusals by reason: see the interface's description; keys are {@link GateMetrics#REFUSAL_REASONS}. */
    @Description("Refusals by reason: refused tokens by validation reason (the request may go on without a session),"
            + " and the filter's own refusals (unauthenticated, missing_role, csrf, bad_request)")
    Map<String, Long> getRefusals();

    /** Validator calls timed. */
    @Description("Validator calls timed (cache misses)")
    long getValidationLatencyCount();

    /** Sum of the validator calls' times, milliseconds. */
    @Description("Sum of the validator calls' times, milliseconds")
    long getValidationLatencySumMillis();

    /** Longest validator call since the start, milliseconds. */
    @Description("Longest validator call since the filter started, milliseconds")
    long getValidationLatencyMaxMillis();

    /** Refresh calls timed. */
    @Description("Refresh calls to the backend timed, whatever their outcome")
    long getRefreshLatencyCount();

    /** Sum of the refresh calls' times, milliseconds. */
    @Description("Sum of the refresh calls' times, milliseconds")
    long getRefreshLatencySumMillis();

    /** Longest refresh call since the start, milliseconds. */
    @Description("Longest refresh call since the filter started, milliseconds")
    long getRefreshLatencyMaxMillis();

    /** Entries in the validation cache now; -1 when it lives in a shared store. */
    @Description("Entries in this node's validation cache now; -1 when the cache lives in a shared store")
    int getValidationCacheSize();

    /** Rotations the grace memo remembers now; -1 when it lives in a shared store. */
    @Description("Rotations the grace memo remembers now; -1 when it lives in a shared store")
    int getGraceMemoSize();
}
