package io.github.sessiongate.audit;

import io.github.sessiongate.AuditEvent;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.ValidationResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * What one filter instance did since it started, as monotonic counters: cheap enough to bump on
 * every request ({@link LongAdder}), read by JMX ({@link JmxRegistration}), by Micrometer (the
 * {@code audit.micrometer} package, when present) or by code ({@link #snapshot()}). Besides the
 * counters: logins, logouts and refusals by reason, the {@link Latency} of validator and refresh
 * calls, and the sizes of the validation cache and the grace memo, read when asked.
 *
 * <p>Counters only grow; there is no reset, so a monitoring tool computes rates from differences
 * and {@link #getStartTime()} tells it when the series began. Each counter is exact once the
 * threads that bumped it are done; a {@link #snapshot()} taken under load reads the counters one
 * after the other, not as one atomic cut. Thread-safe; no dependencies beyond the JDK.
 */
public final class GateMetrics {
    /** A size that cannot be read on this node: the state lives in a shared store. */
    public static final int SIZE_UNKNOWN = -1;

    /** The filter's own refusals, besides a token's {@link ValidationResult.Reason}. */
    public enum Refusal {
        /** No session where one is needed: 401 or a login redirect. */
        UNAUTHENTICATED,
        /** A session without any of the roles a path rule asks for: 403. */
        MISSING_ROLE,
        /** A state-changing request the CSRF check refused: 403. */
        CSRF,
        /** A request refused with 400: the path firewall, or a back-channel logout token. */
        BAD_REQUEST
    }

    private static final ValidationResult.Reason[] TOKEN_REASONS = ValidationResult.Reason.values();
    private static final Refusal[] OWN_REASONS = Refusal.values();
    /**
     * The refusal reasons, each a lower-case word: a token's {@link ValidationResult.Reason}
     * ({@code malformed}, {@code wrong_issuer}, ...), then the filter's own {@link Refusal}s
     * ({@code unauthenticated}, {@code missing_role}, {@code csrf}, {@code bad_request}).
     */
    public static final List<String> REFUSAL_REASONS = refusalReasons();

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
    private final LongAdder loginsSucceeded = new LongAdder();
    private final LongAdder loginsFailed = new LongAdder();
    private final LongAdder logouts = new LongAdder();
    /** Indexed by {@link #REFUSAL_REASONS}: the token reasons first, then the filter's own. */
    private final LongAdder[] refusals = new LongAdder[REFUSAL_REASONS.size()];
    private final Latency validationLatency = new Latency();
    private final Latency refreshLatency = new Latency();
    private final IntSupplier validationCacheSize;
    private final IntSupplier graceMemoSize;
    private final SessionFilter.Metrics view = new View(this);

    /** Counters that start now, on the system clock. */
    public GateMetrics() {
        this(Clock.systemUTC());
    }

    /** Counters whose start time is read from {@code clock}, now; the sizes read as 0. */
    public GateMetrics(Clock clock) {
        this(clock, () -> 0, () -> 0);
    }

    /**
     * Counters whose start time is read from {@code clock}, now, with the sizes read from the
     * suppliers when asked ({@link #SIZE_UNKNOWN} where the state is not held on this node).
     *
     * @param validationCacheSize entries in the validation cache
     * @param graceMemoSize rotations remembered in the grace memo
     */
    public GateMetrics(Clock clock, IntSupplier validationCacheSize, IntSupplier graceMemoSize) {
        this.startTime = Objects.requireNonNull(clock, "clock").instant();
        this.validationCacheSize = Objects.requireNonNull(validationCacheSize, "validationCacheSize");
        this.graceMemoSize = Objects.requireNonNull(graceMemoSize, "graceMemoSize");
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    private static List<String> refusalReasons() {
        List<String> out = new ArrayList<>();
        for (ValidationResult.Reason r : TOKEN_REASONS) {
            out.add(r.name().toLowerCase(Locale.ROOT));
        }
        for (Refusal r : OWN_REASONS) {
            out.add(r.name().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(out);
    }

    /** When these counters started: the filter's init, in practice. */
    public Instant getStartTime() {
        return startTime;
    }

    // --- increments, one per counter, named after it ---

    /** A token was validated by the validator (not answered from the cache), in {@code nanos}. */
    public void validation(long nanos) {
        validations.increment();
        validationLatency.record(nanos);
    }

    /** A token's verdict was answered from the validation cache. */
    public void cacheHit() {
        cacheHits.increment();
    }

    /** A refresh succeeded and new tokens were issued. */
    public void refreshOk() {
        refreshesOk.increment();
    }

    /** A refresh call to the backend (whatever its outcome) took {@code nanos}. */
    public void refreshCall(long nanos) {
        refreshLatency.record(nanos);
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

    /** A request was denied: 401, 403 or a redirect to the login page; {@code why} is counted by reason. */
    public void denial(Refusal why) {
        denials.increment();
        refusals[TOKEN_REASONS.length + why.ordinal()].increment();
    }

    /** A presented token was refused for {@code why} (the request may still go on without a session). */
    public void tokenRefused(ValidationResult.Reason why) {
        refusals[why.ordinal()].increment();
    }

    /**
     * Counts a login flow's audit event: {@link AuditEvent.Event#LOGIN_SUCCEEDED},
     * {@link AuditEvent.Event#LOGIN_FAILED} or {@link AuditEvent.Event#LOGOUT}; any other event is
     * not counted here.
     */
    public void flowEvent(AuditEvent.Event event) {
        switch (event) {
            case LOGIN_SUCCEEDED -> loginsSucceeded.increment();
            case LOGIN_FAILED -> loginsFailed.increment();
            case LOGOUT -> logouts.increment();
            default -> {
            }
        }
    }

    /** A request was answered 503 because the validator or its backend gave no verdict. */
    public void unavailable() {
        unavailable.increment();
    }

    /** A request was answered 400 by the path firewall. */
    public void badRequest() {
        badRequests.increment();
        refusals[TOKEN_REASONS.length + Refusal.BAD_REQUEST.ordinal()].increment();
    }

    /** A state-changing request was rejected by the CSRF check. */
    public void csrfRejection() {
        csrfRejections.increment();
        refusals[TOKEN_REASONS.length + Refusal.CSRF.ordinal()].increment();
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

    /** Logins through the filter's login flow that succeeded. */
    public long getLoginsSucceeded() {
        return loginsSucceeded.sum();
    }

    /** Logins that failed: bad credentials, a provider's error, limits, outages. */
    public long getLoginsFailed() {
        return loginsFailed.sum();
    }

    /** Sessions ended: the logout endpoint and the provider's back-channel logouts. */
    public long getLogouts() {
        return logouts.sum();
    }

    /** Refusals for {@code reason}, one of {@link #REFUSAL_REASONS}; 0 for any other. */
    public long getRefusals(String reason) {
        int i = REFUSAL_REASONS.indexOf(reason);
        return i < 0 ? 0 : refusals[i].sum();
    }

    /** Every refusal reason of {@link #REFUSAL_REASONS} with its count, zeros included, in that order. A copy. */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < refusals.length; i++) {
            out.put(REFUSAL_REASONS.get(i), refusals[i].sum());
        }
        return Collections.unmodifiableMap(out);
    }

    /** Validator calls timed (cache misses: a cache hit is not a call). */
    public Latency validationLatency() {
        return validationLatency;
    }

    /** Refresh calls to the backend timed, whatever their outcome. */
    public Latency refreshLatency() {
        return refreshLatency;
    }

    /** Entries in the validation cache now; {@link #SIZE_UNKNOWN} when it lives in a shared store. */
    public int getValidationCacheSize() {
        return validationCacheSize.getAsInt();
    }

    /** Rotations the grace memo remembers now; {@link #SIZE_UNKNOWN} when it lives in a shared store. */
    public int getGraceMemoSize() {
        return graceMemoSize.getAsInt();
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
