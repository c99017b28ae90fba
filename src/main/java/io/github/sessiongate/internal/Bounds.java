package io.github.sessiongate.internal;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Range checks shared by the typed builders and their init-param mappings, so each bound is written
 * once (in the builder) and both paths refuse a bad value with the same message naming the parameter.
 */
public final class Bounds {
    private static final Duration ANY_MIN = Duration.ofSeconds(Long.MIN_VALUE);
    private static final Duration ANY_MAX = Duration.ofSeconds(Long.MAX_VALUE);

    private Bounds() {
    }

    /**
     * @return {@code value}, when it is within {@code [min, max]}
     * @throws ConfigException naming {@code parameter} otherwise
     */
    public static Duration duration(String parameter, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, parameter);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(parameter, "must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    /** The parameter as a duration, parsed but not range-checked: the builder the value goes to checks it. */
    public static Optional<Duration> duration(InitParams params, String parameter) {
        return Optional.ofNullable(params.duration(parameter, null, ANY_MIN, ANY_MAX));
    }

    /**
     * @return {@code value}, when it is within {@code [min, max]}
     * @throws ConfigException naming {@code parameter} otherwise
     */
    public static int number(String parameter, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(parameter, "must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }
}
