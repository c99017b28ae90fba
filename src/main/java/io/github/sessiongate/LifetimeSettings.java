package io.github.sessiongate;

import io.github.sessiongate.engine.SettingsChecks;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Server-enforced lifetime settings: immutable, checked as a set by {@link Builder#build()}
 * (bounds and rules of the init-params, same messages). Whether the key is used elsewhere is
 * checked when the filter's whole configuration is built. {@link #toString()} hides the key.
 */
public final class LifetimeSettings {
    /** Value that turns a timeout off explicitly (the same as leaving it unset). */
    public static final String OFF = "off";

    /** Longest time without activity; off by default. */
    public static final String PARAM_IDLE_TIMEOUT = "idle-timeout";
    public static final Duration MIN_IDLE_TIMEOUT = Duration.ofMinutes(1);
    public static final Duration MAX_IDLE_TIMEOUT = Duration.ofDays(30);
    /** Longest time since login, whatever the activity; off by default. */
    public static final String PARAM_ABSOLUTE_TIMEOUT = "absolute-timeout";
    public static final Duration MIN_ABSOLUTE_TIMEOUT = Duration.ofMinutes(1);
    public static final Duration MAX_ABSOLUTE_TIMEOUT = Duration.ofDays(400);
    /** Max-Age that activity re-issues on the access and refresh cookies, also enforced here; off by default. */
    public static final String PARAM_SLIDING_EXPIRY = "sliding-expiry";
    public static final Duration MIN_SLIDING_EXPIRY = Duration.ofMinutes(1);
    public static final Duration MAX_SLIDING_EXPIRY = Duration.ofDays(400);
    /** Activity is recorded (and sliding cookies re-issued) at most once per this interval. */
    public static final String PARAM_SLIDING_INTERVAL = "sliding-interval";
    public static final Duration DEFAULT_SLIDING_INTERVAL = Duration.ofMinutes(1);
    public static final Duration MIN_SLIDING_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_SLIDING_INTERVAL = Duration.ofDays(1);
    /**
     * HMAC-SHA256 key of the meta cookie: at least 32 bytes, {@code base64:} allowed; required when
     * any timeout is on; must differ from every other key of the filter.
     */
    public static final String PARAM_SIGNING_SECRET = "session-signing-secret";

    private final Duration idleTimeout;
    private final Duration absoluteTimeout;
    private final Duration slidingExpiry;
    private final Duration slidingInterval;
    private final String signingSecret;

    private LifetimeSettings(Builder b) {
        Duration idle = b.idleTimeout == null ? null
                : wholeSeconds(PARAM_IDLE_TIMEOUT, SettingsChecks.duration(PARAM_IDLE_TIMEOUT, b.idleTimeout, MIN_IDLE_TIMEOUT, MAX_IDLE_TIMEOUT));
        Duration absolute = b.absoluteTimeout == null ? null : wholeSeconds(PARAM_ABSOLUTE_TIMEOUT,
                SettingsChecks.duration(PARAM_ABSOLUTE_TIMEOUT, b.absoluteTimeout, MIN_ABSOLUTE_TIMEOUT, MAX_ABSOLUTE_TIMEOUT));
        Duration sliding = b.slidingExpiry == null ? null : wholeSeconds(PARAM_SLIDING_EXPIRY,
                SettingsChecks.duration(PARAM_SLIDING_EXPIRY, b.slidingExpiry, MIN_SLIDING_EXPIRY, MAX_SLIDING_EXPIRY));
        boolean intervalSet = b.slidingInterval != null;
        Duration interval = wholeSeconds(PARAM_SLIDING_INTERVAL, SettingsChecks.duration(PARAM_SLIDING_INTERVAL,
                intervalSet ? b.slidingInterval : DEFAULT_SLIDING_INTERVAL, MIN_SLIDING_INTERVAL, MAX_SLIDING_INTERVAL));
        String secret = b.signingSecret;
        if (idle == null && absolute == null && sliding == null) {
            if (intervalSet) {
                throw new ConfigException(PARAM_SLIDING_INTERVAL, "applies only with " + PARAM_IDLE_TIMEOUT
                        + " or " + PARAM_SLIDING_EXPIRY);
            }
            if (secret != null) {
                throw new ConfigException(PARAM_SIGNING_SECRET, "applies only with " + PARAM_IDLE_TIMEOUT + ", "
                        + PARAM_ABSOLUTE_TIMEOUT + " or " + PARAM_SLIDING_EXPIRY);
            }
        } else {
            if (idle == null && sliding == null && intervalSet) {
                throw new ConfigException(PARAM_SLIDING_INTERVAL, "applies only with " + PARAM_IDLE_TIMEOUT + " or "
                        + PARAM_SLIDING_EXPIRY + " (an absolute timeout needs no activity record)");
            }
            if (idle != null && absolute != null && idle.compareTo(absolute) >= 0) {
                throw new ConfigException(PARAM_IDLE_TIMEOUT, "must be shorter than " + PARAM_ABSOLUTE_TIMEOUT + " ("
                        + absolute + "), or it could never apply");
            }
            Duration shortestIdle = idle == null ? sliding : sliding == null ? idle : idle.compareTo(sliding) <= 0 ? idle : sliding;
            if (shortestIdle != null && interval.multipliedBy(2).compareTo(shortestIdle) > 0) {
                throw new ConfigException(PARAM_SLIDING_INTERVAL, "must be at most half of " + (shortestIdle == idle
                        ? PARAM_IDLE_TIMEOUT : PARAM_SLIDING_EXPIRY) + " (" + shortestIdle + "), not " + interval
                        + ": activity is recorded at most once per interval, so a session may be judged idle up to one "
                        + "interval early");
            }
            if (secret == null) {
                throw new ConfigException(PARAM_SIGNING_SECRET, "is required with " + PARAM_IDLE_TIMEOUT + ", "
                        + PARAM_ABSOLUTE_TIMEOUT + " or " + PARAM_SLIDING_EXPIRY + ": at least " + SettingsChecks.MIN_HMAC_KEY_BYTES
                        + " random bytes, e.g. base64: and 32 random bytes, used for nothing else");
            }
            SettingsChecks.hmacKey(PARAM_SIGNING_SECRET, secret); // form and length now
        }
        this.idleTimeout = idle;
        this.absoluteTimeout = absolute;
        this.slidingExpiry = sliding;
        this.slidingInterval = interval;
        this.signingSecret = secret;
    }

    private static Duration wholeSeconds(String name, Duration d) {
        if (d.getNano() != 0) {
            throw new ConfigException(name, "must be whole seconds, not " + d);
        }
        return d;
    }

    /** Whether any timeout is on (else the filter keeps no lifetime record). */
    public boolean enabled() {
        return idleTimeout != null || absoluteTimeout != null || slidingExpiry != null;
    }

    /** The key as configured, for the filter's check that no key serves two purposes; never log it. */
    public Optional<String> signingSecret() {
        return Optional.ofNullable(signingSecret);
    }

    /** Longest time without activity, if on. */
    public Optional<Duration> idleTimeout() {
        return Optional.ofNullable(idleTimeout);
    }

    /** Longest time since login, if on. */
    public Optional<Duration> absoluteTimeout() {
        return Optional.ofNullable(absoluteTimeout);
    }

    /** The Max-Age activity re-issues, if on. */
    public Optional<Duration> slidingExpiry() {
        return Optional.ofNullable(slidingExpiry);
    }

    /** Activity is recorded at most this often. */
    public Duration slidingInterval() {
        return slidingInterval;
    }

    /** Starts the settings in code. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LifetimeSettings other && Objects.equals(idleTimeout, other.idleTimeout)
                && Objects.equals(absoluteTimeout, other.absoluteTimeout)
                && Objects.equals(slidingExpiry, other.slidingExpiry)
                && slidingInterval.equals(other.slidingInterval)
                && Objects.equals(signingSecret, other.signingSecret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(idleTimeout, absoluteTimeout, slidingExpiry, slidingInterval);
    }

    @Override
    public String toString() {
        return "LifetimeSettings[idle=" + idleTimeout + ", absolute=" + absoluteTimeout + ", sliding="
                + slidingExpiry + ", interval=" + slidingInterval + (signingSecret == null ? "" : ", key=[PROTECTED]") + "]";
    }

    /**
     * Lifetime settings in code. Every timeout is off by default; set at least one to turn the
     * lifetime on, and then {@link #signingSecret}. Not thread-safe.
     */
    public static final class Builder {
        private Duration idleTimeout;
        private Duration absoluteTimeout;
        private Duration slidingExpiry;
        private Duration slidingInterval;
        private String signingSecret;

        private Builder() {
        }

        /** Longest time without activity ({@value LifetimeSettings#PARAM_IDLE_TIMEOUT}): whole seconds, 1 minute to 30 days. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Longest time since login ({@value LifetimeSettings#PARAM_ABSOLUTE_TIMEOUT}): whole seconds, 1 minute to 400 days. */
        public Builder absoluteTimeout(Duration timeout) {
            this.absoluteTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Max-Age that activity re-issues ({@value LifetimeSettings#PARAM_SLIDING_EXPIRY}): whole seconds, 1 minute to 400 days. */
        public Builder slidingExpiry(Duration expiry) {
            this.slidingExpiry = Objects.requireNonNull(expiry, "expiry");
            return this;
        }

        /**
         * Activity recorded at most this often ({@value LifetimeSettings#PARAM_SLIDING_INTERVAL}); default
         * 1 minute, whole seconds, 1 second to 1 day and at most half the shortest idle limit; only with
         * an idle timeout or sliding expiry.
         */
        public Builder slidingInterval(Duration interval) {
            this.slidingInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * HMAC key of the lifetime record ({@value LifetimeSettings#PARAM_SIGNING_SECRET}): at least
         * 32 bytes, {@code base64:} allowed, used for nothing else; required with any timeout.
         */
        public Builder signingSecret(String secret) {
            this.signingSecret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** Checks the settings as a set; {@link ConfigException} names the init-param at fault. */
        public LifetimeSettings build() {
            return new LifetimeSettings(this);
        }
    }
}
