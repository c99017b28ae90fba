package io.github.sessiongate.audit;

import io.github.sessiongate.SessionFilter;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one filter instance did since it started, as monotonic counters: cheap enough to bump on
 * every request ({@link LongAdder}), read by JMX ({@link JmxRegistration}) or by code
 * ({@link #snapshot()}).
 *
 * <p>Counters only grow; there is no reset, so a monitoring tool computes rates from differences
 * and {@link #getStartTime()} tells it when the series began. Each counter is exact once the
 * threads that bumped it are done; a {@link #snapshot()} taken under load reads the counters one
 * after the other, not as one atomic cut. Thread-safe; no dependencies beyond the JDK.
 */
public final class GateMetrics {
    private final Instant startTime;

    private final LongAdder validations = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder refreshesOk = new LongAdder();
    private final LongAdder refreshesRefused = new LongAdder();
    private final LongAdder refreshesFailed = new LongAdder();
    private final LongAdder dedupWaits = new LongAdder();
    private final LongAdder graceHits = new LongAdder();
    private final LongAdder guestMints = new LongAdder();
    private final LongAdder denials = new LongAdder();
    private final LongAdder unavailable = new LongAdder();
    private final LongAdder badRequests = new LongAdder();
    private final LongAdder csrfRejections = new LongAdder();
    private final LongAdder securityStoreFull = new LongAdder();
    private final LongAdder stateStoreUnavailable = new LongAdder();
    private final LongAdder revoked = new LongAdder();
    private final SessionFilter.Metrics view = new View(this);

    /** Counters that start now, on the system clock. */
    public GateMetrics() {
        this(Clock.systemUTC());
    }

    /** Counters whose start time is read from {@code clock}, now. */
    public GateMetrics(Clock clock) {
        this.startTime = Objects.requireNonNull(clock, "clock").instant();
    }

    /** When these counters started: the filter's init, in practice. */
    public Instant getStartTime() {
        return startTime;
    }

    // --- increments, one per counter, named after it ---

    /** A token was validated by the validator (not answered from the cache). */
    public void validation() {
        validations.increment();
    }

    /** A token's verdict was answered from the validation cache. */
    public void cacheHit() {
        cacheHits.increment();
    }

    /** A refresh succeeded and new tokens were issued. */
    public void refreshOk() {
        refreshesOk.increment();
    }

    /** A refresh was definitively refused (the refresh token is no good). */
    public void refreshRefused() {
        refreshesRefused.increment();
    }

    /** A refresh gave no verdict: the backend failed, timed out or was unreachable. */
    public void refreshFailed() {
        refreshesFailed.increment();
    }

    /**
     * A request waited for another request's validation or refresh of the same token instead of
     * calling the backend itself.
     */
    public void dedupWait() {
        dedupWaits.increment();
    }

    /** A request was served from the rotation grace memo (a refresh that just happened). */
    public void graceHit() {
        graceHits.increment();
    }

    /** A guest session was minted. */
    public void guestMint() {
        guestMints.increment();
    }

    /** A request was denied: 401, 403 or a redirect to the login page. */
    public void denial() {
        denials.increment();
    }

    /** A request was answered 503 because the validator or its backend gave no verdict. */
    public void unavailable() {
        unavailable.increment();
    }

    /** A request was answered 400 by the path firewall. */
    public void badRequest() {
        badRequests.increment();
    }

    /** A state-changing request was rejected by the CSRF check. */
    public void csrfRejection() {
        csrfRejections.increment();
    }

    /**
     * Security state (a tombstone, a revocation, a rotation chain) could not be recorded because
     * its store was full: the request failed closed with 503, or a rotation went unrecorded.
     */
    public void securityStoreFull() {
        securityStoreFull.increment();
    }

    /**
     * The shared state store could not answer one operation (Redis down, slow or refusing): it
     * was answered from this node's memory instead, with per-node guarantees only.
     */
    public void stateStoreUnavailable() {
        stateStoreUnavailable.increment();
    }

    /** An access token was refused from this node's revocation list (signed out here), with no validator call. */
    public void revoked() {
        revoked.increment();
    }

    // --- getters ---

    /** Tokens validated by the validator. */
    public long getValidations() {
        return validations.sum();
    }

    /** Verdicts answered from the validation cache. */
    public long getCacheHits() {
        return cacheHits.sum();
    }

    /** Successful refreshes. */
    public long getRefreshesOk() {
        return refreshesOk.sum();
    }

    /** Definitively refused refreshes. */
    public long getRefreshesRefused() {
        return refreshesRefused.sum();
    }

    /** Refreshes without a verdict. */
    public long getRefreshesFailed() {
        return refreshesFailed.sum();
    }

    /** Requests that waited for another request's validation or refresh. */
    public long getDedupWaits() {
        return dedupWaits.sum();
    }

    /** Requests served from the rotation grace memo. */
    public long getGraceHits() {
        return graceHits.sum();
    }

    /** Guest sessions minted. */
    public long getGuestMints() {
        return guestMints.sum();
    }

    /** Requests denied (401, 403, login redirects). */
    public long getDenials() {
        return denials.sum();
    }

    /** Requests answered 503. */
    public long getUnavailable() {
        return unavailable.sum();
    }

    /** Requests answered 400 by the firewall. */
    public long getBadRequests() {
        return badRequests.sum();
    }

    /** Requests rejected by the CSRF check. */
    public long getCsrfRejections() {
        return csrfRejections.sum();
    }

    /** Times security state could not be recorded because its store was full. */
    public long getSecurityStoreFull() {
        return securityStoreFull.sum();
    }

    /** State-store operations that could not be answered and fell back to this node's memory. */
    public long getStateStoreUnavailable() {
        return stateStoreUnavailable.sum();
    }

    /** Access tokens refused from the revocation list: signed out on this node. */
    public long getRevoked() {
        return revoked.sum();
    }

    /**
     * Every counter by name, in a fixed order: {@code validations, cacheHits, refreshesOk,
     * refreshesRefused, refreshesFailed, dedupWaits, graceHits, guestMints, denials, unavailable,
     * badRequests, csrfRejections, securityStoreFull, stateStoreUnavailable, revoked}. Unmodifiable; a copy, not a view.
     */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("validations", getValidations());
        out.put("cacheHits", getCacheHits());
        out.put("refreshesOk", getRefreshesOk());
        out.put("refreshesRefused", getRefreshesRefused());
        out.put("refreshesFailed", getRefreshesFailed());
        out.put("dedupWaits", getDedupWaits());
        out.put("graceHits", getGraceHits());
        out.put("guestMints", getGuestMints());
        out.put("denials", getDenials());
        out.put("unavailable", getUnavailable());
        out.put("badRequests", getBadRequests());
        out.put("csrfRejections", getCsrfRejections());
        out.put("securityStoreFull", getSecurityStoreFull());
        out.put("stateStoreUnavailable", getStateStoreUnavailable());
        out.put("revoked", getRevoked());
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "GateMetrics" + snapshot();
    }

    /** A read-only view of these counters, for {@code SessionFilter.metrics()}: it can read them, never change them. */
    public SessionFilter.Metrics readOnly() {
        return view;
    }

    private static final class View implements SessionFilter.Metrics {
        private final GateMetrics counters;

        View(GateMetrics counters) {
            this.counters = counters;
        }

        @Override
        public Instant getStartTime() {
            return counters.getStartTime();
        }

        @Override
        public long getValidations() {
            return counters.getValidations();
        }

        @Override
        public long getCacheHits() {
            return counters.getCacheHits();
        }

        @Override
        public long getRefreshesOk() {
            return counters.getRefreshesOk();
        }

        @Override
        public long getRefreshesRefused() {
            return counters.getRefreshesRefused();
        }

        @Override
        public long getRefreshesFailed() {
            return counters.getRefreshesFailed();
        }

        @Override
        public long getDedupWaits() {
            return counters.getDedupWaits();
        }

        @Override
        public long getGraceHits() {
            return counters.getGraceHits();
        }

        @Override
        public long getGuestMints() {
            return counters.getGuestMints();
        }

        @Override
        public long getDenials() {
            return counters.getDenials();
        }

        @Override
        public long getUnavailable() {
            return counters.getUnavailable();
        }

        @Override
        public long getBadRequests() {
            return counters.getBadRequests();
        }

        @Override
        public long getCsrfRejections() {
            return counters.getCsrfRejections();
        }

        @Override
        public long getSecurityStoreFull() {
            return counters.getSecurityStoreFull();
        }

        @Override
        public long getStateStoreUnavailable() {
            return counters.getStateStoreUnavailable();
        }

        @Override
        public long getRevoked() {
            return counters.getRevoked();
        }

        @Override
        public Map<String, Long> snapshot() {
            return counters.snapshot();
        }

        @Override
        public String toString() {
            return counters.toString();
        }
    }
}
