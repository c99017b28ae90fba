package io.github.sessiongate.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition another thread makes true (a thread has stopped, callers are parked),
 * checking it every millisecond up to a generous deadline. The deadline only bounds a broken run;
 * a passing run never waits for time to pass, only for the condition.
 */
public final class Await {
    /** Long enough for a loaded CI machine; reached only when the condition never holds. */
    public static final Duration DEADLINE = Duration.ofSeconds(20);

    private Await() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @throws AssertionError naming {@code what} and the state {@code describe} gives, at the deadline
     */
    public static void until(String what, BooleanSupplier condition, Supplier<?> describe) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not " + what + " within " + DEADLINE + ": " + describe.get());
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** As {@link #until(String, BooleanSupplier, Supplier)}, with no state to describe. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, () -> "");
    }
}
