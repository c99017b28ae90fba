package io.github.sessiongate.internal;

import io.github.sessiongate.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * The one range check of every setting, shared by the typed builders (the init-param path maps
 * strings to those builders, so each bound is written once). Messages name the init-param.
 */
public final class Bounds {
    private Bounds() {
    }

    /** The value, or a {@link ConfigException} naming {@code parameter} when it is outside [min, max]. */
    public static int check(String parameter, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(parameter, "must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    /** The value, or a {@link ConfigException} naming {@code parameter} when it is outside [min, max]. */
    public static Duration check(String parameter, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, parameter);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(parameter, "must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }
}
