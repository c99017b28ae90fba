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
     * The lease on {@code key} (a {@link TokenKey}), or empty when another node holds it now. A store
     * that cannot answer gives {@link #NOTHING}: the refresh goes ahead on this node's own
     * de-duplication, never fails for the store.
     */
    Optional<Held> acquire(String key);

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
