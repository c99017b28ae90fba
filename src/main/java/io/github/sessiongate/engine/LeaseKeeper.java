package io.github.sessiongate.engine;

import io.github.sessiongate.StateStore;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Renews the refresh leases this node holds while their refresh calls are in flight: each every
 * third of its TTL, by its owner only ({@link StateStore#renew}), so a call that runs long never
 * outlives its lease and lets a second node rotate the same token. One daemon thread per filter,
 * started with the first lease and stopped by {@link #close} (the filter's {@code destroy()}).
 * A renewal the store cannot answer is retried at the next turn; a lease found lost (lapsed, or
 * taken by another owner) is no longer renewed. Thread-safe.
 */
final class LeaseKeeper implements AutoCloseable {
    private final StateStore store;
    private final Duration ttl;
    private final Consumer<RuntimeException> failed;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private boolean closed;

    /** One held lease and its renewal task. */
    private static final class Kept {
        volatile StateStore.Lease lease;
        volatile ScheduledFuture<?> task;

        Kept(StateStore.Lease lease) {
            this.lease = lease;
        }
    }

    /**
     * @param store the shared store holding the leases
     * @param ttl what each renewal extends a lease to, from now
     * @param failed told of a renewal the store could not answer (rate-limited by the caller)
     */
    LeaseKeeper(StateStore store, Duration ttl, Consumer<RuntimeException> failed) {
        this.store = Objects.requireNonNull(store, "store");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.failed = Objects.requireNonNull(failed, "failed");
    }

    /**
     * Keeps the lease renewed until the returned handle runs; the handle then stops the renewals
     * (it does not release the lease). After {@link #close} nothing is renewed.
     */
    Runnable keep(StateStore.Lease lease) {
        Kept k = new Kept(lease);
        String id = lease.key() + "\n" + lease.owner();
        long every = Math.max(1, ttl.toMillis() / 3);
        synchronized (this) {
            if (closed) {
                return () -> { };
            }
            if (scheduler == null) {
                scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "sessiongate-lease-renewal");
                    t.setDaemon(true);
                    return t;
                });
            }
            kept.put(id, k);
            k.task = scheduler.scheduleWithFixedDelay(() -> renew(id, k), every, every, TimeUnit.MILLISECONDS);
        }
        return () -> {
            kept.remove(id);
            ScheduledFuture<?> task = k.task;
            if (task != null) {
                task.cancel(false);
            }
        };
    }

    /** Renews every kept lease now, as its scheduled turn would (tests, without waiting for the turn). */
    void renewAllNow() {
        kept.forEach(this::renew);
    }

    /** How many leases are kept now. */
    int kept() {
        return kept.size();
    }

    /** Whether the renewal thread is stopped (or was never started). */
    synchronized boolean stopped() {
        return scheduler == null || scheduler.isShutdown();
    }

    private void renew(String id, Kept k) {
        try {
            Optional<StateStore.Lease> renewed = store.renew(k.lease, ttl);
            if (renewed.isPresent()) {
                k.lease = renewed.get();
            } else {
                kept.remove(id); // lapsed or another owner's now: nothing of ours to keep
                ScheduledFuture<?> task = k.task;
                if (task != null) {
                    task.cancel(false);
                }
            }
        } catch (RuntimeException e) {
            failed.accept(e); // an outage: try again at the next turn
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        kept.clear();
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
