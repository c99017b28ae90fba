package io.github.sessiongate.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Lets one occurrence through per interval and counts the ones it holds back, so that a log line or
 * audit event for a repeated fault is written once a window, saying how many were left out. A clock
 * stepped back by more than the interval reopens the window rather than silencing it. Time comes
 * from the injected clock. Thread-safe. Internal; not for application code.
 */
public final class Throttle {
    /** What {@link #pass()} answers for an occurrence held back. */
    public static final long HELD = -1;

    private final Clock clock;
    private final long intervalMillis;
    private long nextAllowed = Long.MIN_VALUE;
    private long leftOut;

    public Throttle(Clock clock, Duration interval) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.intervalMillis = interval.toMillis();
    }

    /**
     * Records one occurrence: {@link #HELD} if one passed within the interval (this one is counted as
     * left out), otherwise how many were left out since the last that passed.
     */
    public synchronized long pass() {
        long now = clock.millis();
        if (now < nextAllowed && nextAllowed - now <= intervalMillis) {
            leftOut++;
            return HELD;
        }
        nextAllowed = now + intervalMillis;
        long left = leftOut;
        leftOut = 0;
        return left;
    }
}
