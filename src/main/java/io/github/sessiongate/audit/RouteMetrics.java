package io.github.sessiongate.audit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * One API proxy route's counters and latency ({@link ProxyRouteMXBean} over JMX): monotonic,
 * cheap to bump on every request, thread-safe.
 */
public final class RouteMetrics implements ProxyRouteMXBean {
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder[] byClass = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder backendRefusedToken = new LongAdder();
    private final LongAdder refused400 = new LongAdder();
    private final LongAdder refused401 = new LongAdder();
    private final LongAdder refused403 = new LongAdder();
    private final LongAdder refused413 = new LongAdder();
    private final LongAdder failed502 = new LongAdder();
    private final LongAdder failed503 = new LongAdder();
    private final LongAdder failed504 = new LongAdder();
    private final Latency latency = new Latency();
    private final IntSupplier inFlight;

    /** @param inFlight reads the forwards in flight now (the route's bulkhead) */
    public RouteMetrics(IntSupplier inFlight) {
        this.inFlight = inFlight;
    }

    /** The backend answered with {@code status}. */
    public void answered(int status) {
        forwarded.increment();
        int index = status < 300 ? 0 : status < 400 ? 1 : status < 500 ? 2 : 3;
        byClass[index].increment();
    }

    /** The backend answered 401 to a token the filter believed valid. */
    public void backendRefusedToken() {
        backendRefusedToken.increment();
    }

    /** The proxy refused the request with {@code status} (400, 401, 403, 413) or failed it (502, 503, 504). */
    public void refusedOrFailed(int status) {
        switch (status) {
            case 400 -> refused400.increment();
            case 401 -> refused401.increment();
            case 403 -> refused403.increment();
            case 413 -> refused413.increment();
            case 502 -> failed502.increment();
            case 503 -> failed503.increment();
            case 504 -> failed504.increment();
            default -> throw new IllegalArgumentException("not a proxy refusal: " + status);
        }
    }

    /** One forward took {@code nanos} until the backend's headers (or its failure). */
    public void latency(long nanos) {
        latency.record(nanos);
    }

    @Override
    public long getForwarded() {
        return forwarded.sum();
    }

    @Override
    public long getStatus2xx() {
        return byClass[0].sum();
    }

    @Override
    public long getStatus3xx() {
        return byClass[1].sum();
    }

    @Override
    public long getStatus4xx() {
        return byClass[2].sum();
    }

    @Override
    public long getStatus5xx() {
        return byClass[3].sum();
    }

    @Override
    public long getBackendRefusedToken() {
        return backendRefusedToken.sum();
    }

    @Override
    public long getRefused400() {
        return refused400.sum();
    }

    @Override
    public long getRefused401() {
        return refused401.sum();
    }

    @Override
    public long getRefused403() {
        return refused403.sum();
    }

    @Override
    public long getRefused413() {
        return refused413.sum();
    }

    @Override
    public long getFailed502() {
        return failed502.sum();
    }

    @Override
    public long getFailed503() {
        return failed503.sum();
    }

    @Override
    public long getFailed504() {
        return failed504.sum();
    }

    @Override
    public long getLatencyCount() {
        return latency.count();
    }

    @Override
    public long getLatencySumMillis() {
        return TimeUnit.NANOSECONDS.toMillis(latency.sumNanos());
    }

    @Override
    public long getLatencyMaxMillis() {
        return TimeUnit.NANOSECONDS.toMillis(latency.maxNanos());
    }

    @Override
    public int getInFlight() {
        return inFlight.getAsInt();
    }
}
