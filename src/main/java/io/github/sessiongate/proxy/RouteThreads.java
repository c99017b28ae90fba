package io.github.sessiongate.proxy;

import io.github.sessiongate.ProxyRoute;
import io.github.sessiongate.rotation.Bulkhead;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One route's bulkhead and forwarding threads: a {@link Bulkhead} of its own with
 * {@link ProxyRoute#maxConcurrency()} permits, taken without waiting (none free: 503 at once), and an executor of at most that many
 * daemon threads named {@code sessiongate-proxy-<route>-N} for forwards under the servlet async
 * API. The permit bounds the work, so the executor's queue never holds more than a task handed
 * over while a finishing thread returns to the pool. Separate from the bulkhead guarding
 * validation and refresh: a slow API never starves token refresh. Threads start on first use and
 * end after a minute idle; {@link ProxyThreads#close()} stops them. Thread-safe.
 */
public final class RouteThreads implements Executor {
    private static final long IDLE_SECONDS = 60;

    private final Bulkhead bulkhead;
    private final ThreadPoolExecutor executor;

    RouteThreads(ProxyRoute route) {
        int max = route.maxConcurrency();
        this.bulkhead = new Bulkhead(max);
        AtomicInteger count = new AtomicInteger();
        String prefix = "sessiongate-proxy-" + route.name() + "-";
        this.executor = new ThreadPoolExecutor(max, max, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(task, prefix + count.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(null);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /** Takes a permit if one is free now; {@code false} means the route is full (503). */
    public boolean tryAcquire() {
        return bulkhead.tryEnter();
    }

    /** Returns a permit taken by {@link #tryAcquire()}. */
    public void release() {
        bulkhead.leave();
    }

    /** Forwards in flight now. */
    public int inFlight() {
        return bulkhead.inUse();
    }

    /**
     * Runs a forward on one of the route's threads.
     *
     * @throws RejectedExecutionException once the threads are stopped
     */
    @Override
    public void execute(Runnable forward) {
        executor.execute(forward);
    }

    void shutdownNow() {
        executor.shutdownNow();
    }

    boolean awaitTermination(long millis) throws InterruptedException {
        return executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
