package io.github.sessiongate.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * A clock that tests move by hand; never sleeps. The one test clock of every package.
 *
 * <p>It either stands still ({@link #MutableClock()}, {@link #set}) or follows the system time
 * ({@link #followingSystemTime()}, {@link #followSystemTime()}), in both cases shifted by what
 * {@link #advance} and {@link #travelledBack} add. Following the system time suits a clock shared
 * with code that also meets real time (a test backend minting tokens a container's filter checks).
 */
public final class MutableClock extends Clock {
    /** Where {@link #MutableClock()} starts: a fixed instant, so runs repeat. */
    public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    /** The instant it stands at, or {@code null} while it follows the system time. */
    private volatile Instant base;
    private volatile Duration offset = Duration.ZERO;

    /** A clock standing at {@link #START}. */
    public MutableClock() {
        this(START);
    }

    /** A clock standing at {@code now}. */
    public MutableClock(Instant now) {
        this.base = now;
    }

    /** A clock that follows the system time until a test moves it. */
    public static MutableClock followingSystemTime() {
        MutableClock clock = new MutableClock();
        clock.base = null;
        return clock;
    }

    /** Moves the clock forward (or back, for a negative duration) and keeps it there. */
    public synchronized void advance(Duration by) {
        offset = offset.plus(by);
    }

    /** Makes the clock stand at {@code instant}. */
    public synchronized void set(Instant instant) {
        base = instant;
        offset = Duration.ZERO;
    }

    /** Makes the clock follow the system time again, unshifted. */
    public synchronized void followSystemTime() {
        base = null;
        offset = Duration.ZERO;
    }

    /**
     * Runs {@code action} with the clock {@code back} in the past, then moves it forward again: a
     * backend on this clock mints genuinely expired tokens through its ordinary code path.
     */
    public synchronized <T> T travelledBack(Duration back, Supplier<T> action) {
        offset = offset.minus(back);
        try {
            return action.get();
        } finally {
            offset = offset.plus(back);
        }
    }

    @Override
    public Instant instant() {
        Instant at = base;
        return (at == null ? Instant.now() : at).plus(offset);
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
