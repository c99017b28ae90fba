package io.github.sessiongate.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move by hand; never sleeps. The one test clock of every package. */
public final class MutableClock extends Clock {
    /** Where {@link #MutableClock()} starts: a fixed instant, so runs repeat. */
    public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private volatile Instant now;

    /** A clock at {@link #START}. */
    public MutableClock() {
        this(START);
    }

    public MutableClock(Instant now) {
        this.now = now;
    }

    public void advance(Duration by) {
        now = now.plus(by);
    }

    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
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
