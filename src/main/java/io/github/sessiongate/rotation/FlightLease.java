package io.github.sessiongate.rotation;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The cross-node half of single flight: before a node asks the backend to rotate a refresh token
 * it takes a lease on the token's digest, so two nodes never rotate the same token at once (a
 * backend with reuse detection would take the second for theft). {@link SingleFlight} still
 * de-duplicates within the node, so one lease is asked for per token and node.
 */
@FunctionalInterface
public interface FlightLease {
    /** A held lease; {@link #close()} releases it (only if still held by this owner), never throws. */
    @FunctionalInterface
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Nothing to release: for one node, or a store that could not answer. */
    Held NOTHING = () -> { };

    /** For a single node: in-process de-duplication is the whole of single flight. */
    FlightLease LOCAL = key -> Optional.of(NOTHING);

    /**
     * The lease on {@code key} (a {@link TokenKey}), or empty when another node holds it now (or a
     * full store cannot take it: {@link #attempt} tells the two apart). A store
     * that cannot answer gives {@link #NOTHING}: the refresh goes ahead on this node's own
     * de-duplication, never fails for the store.
     */
    Optional<Held> acquire(String key);

    /** Why {@link #attempt} got no lease, or that it got one. */
    enum Answer {
        /** The lease is this caller's (or the store could not answer and the refresh goes ahead without it). */
        ACQUIRED,
        /** Another node holds the lease now: wait for its rotation. */
        HELD,
        /** The store is full of entries it may not evict and cannot take the lease: fail closed, as for any security state. */
        FULL
    }

    /**
     * What {@link #attempt} found.
     *
     * @param answer which case
     * @param held the lease to release when {@link Answer#ACQUIRED}, else {@link #NOTHING}
     */
    record Attempt(Answer answer, Held held) {
        /** Another node holds the lease. */
        public static final Attempt HELD_ELSEWHERE = new Attempt(Answer.HELD, NOTHING);
        /** The full store cannot take the lease. */
        public static final Attempt STORE_FULL = new Attempt(Answer.FULL, NOTHING);

        public Attempt {
            java.util.Objects.requireNonNull(answer, "answer");
            java.util.Objects.requireNonNull(held, "held");
        }

        /** The lease, held by this caller. */
        public static Attempt acquired(Held held) {
            return new Attempt(Answer.ACQUIRED, held);
        }
    }

    /**
     * As {@link #acquire}, telling a lease held by another node from a store too full to take it.
     * Default: empty from {@link #acquire} is {@link Answer#HELD}.
     */
    default Attempt attempt(String key) {
        return acquire(key).map(Attempt::acquired).orElse(Attempt.HELD_ELSEWHERE);
    }

    /**
     * Waits, at most {@code maxWait}, for another node's rotation of {@code key} to show: {@code done}
     * is asked now and again while that node holds the lease (its pair lands in the shared grace
     * memo). Default, for one node: one look, no wait.
     *
     * @return what {@code done} gave, or empty when nothing showed in time (or the lease ended without it)
     */
    default <T> Optional<T> awaitOther(String key, Supplier<Optional<T>> done, Duration maxWait) {
        return done.get();
    }
}
