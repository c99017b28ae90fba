package io.github.sessiongate;

import java.time.Clock;

/**
 * For tests in other packages: starts a validator the way the composition root starts one named by
 * {@code validator-class} (its {@code init} hook, exactly once).
 */
public final class ValidatorInit {
    private ValidatorInit() {
    }

    /** Calls the validator's {@code init} once, as {@code GateConfig.fromInitParams} does. */
    public static <V extends TokenValidator> V init(V validator, InitParams params, Clock clock) {
        validator.initOnce(params, clock);
        return validator;
    }
}
