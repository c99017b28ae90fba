package io.github.sessiongate.it;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * The system clock, or the system clock moved back for the span of one call: a test backend given
 * this clock mints tokens that are genuinely expired ({@code iat} and {@code exp} in the past,
 * signed with its real key) through its ordinary code path, then goes on issuing current ones.
 * Nobody sleeps to make a token expire. Only test threads move it, one call at a time.
 */
final class OffsetClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    /** Runs {@code action} with the clock {@code back} in the past, then restores the system time. */
    synchronized <T> T travelledBack(Duration back, Supplier<T> action) {
        offset = back.negated();
        try {
            return action.get();
        } finally {
            offset = Duration.ZERO;
        }
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
