package io.github.sessiongate.audit;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How long one kind of call took, as count, sum and maximum since the filter started: enough for a
 * mean over any interval (the differences of sum and count) and the worst case, with no histogram
 * to size. Lock-free and allocation-free: two {@link LongAdder} bumps, and a compare-and-set only
 * when a new maximum is seen. Thread-safe.
 */
public final class Latency {
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();
    private final AtomicLong maxNanos = new AtomicLong();

    /** One call took {@code nanos} (a negative figure, from a clock that stepped back, counts as 0). */
    public void record(long nanos) {
        long n = Math.max(0, nanos);
        count.increment();
        sumNanos.add(n);
        if (n > maxNanos.get()) {
            maxNanos.accumulateAndGet(n, Math::max);
        }
    }

    /** Calls timed. */
    public long count() {
        return count.sum();
    }

    /** Sum of the timed calls, nanoseconds. */
    public long sumNanos() {
        return sumNanos.sum();
    }

    /** Longest timed call, nanoseconds; 0 before the first. */
    public long maxNanos() {
        return maxNanos.get();
    }
}
