package io.github.sessiongate.rotation;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs at most one call per key at a time: the first request for a key makes the call on its
 * own thread, and every request that arrives meanwhile waits for that result instead of making
 * its own. No thread is started here.
 *
 * <p>Keys are token digests, so a result is only ever shared between requests that presented the
 * same token: one user's new tokens can never reach another user's request.
 *
 * @param <V> the result type
 */
public final class SingleFlight<V> {
    private final ConcurrentHashMap<String, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

    /** A result and whether this caller waited for someone else's call. */
    public record Result<V>(V value, boolean shared) {
    }

    /**
     * @param key what the call is for (a token, or its digest): equal keys share one call
     * @param call the call; runs on this thread if no call for the key is in flight
     * @param maxWait how long a waiter waits for the leader
     * @param onTimeoutOrFailure the result for a waiter whose leader took too long or failed
     *     (given a short description)
     */
    public Result<V> run(String key, Supplier<V> call, Duration maxWait, Function<String, V> onTimeoutOrFailure) {
        Objects.requireNonNull(key, "key");
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> leader = inFlight.putIfAbsent(key, mine);
        if (leader != null) {
            return new Result<>(await(leader, maxWait, onTimeoutOrFailure), true);
        }
        try {
            V value = call.get();
            mine.complete(value);
            return new Result<>(value, false);
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** Calls now in flight. */
    public int inFlight() {
        return inFlight.size();
    }

    private static <V> V await(CompletableFuture<V> leader, Duration maxWait, Function<String, V> fallback) {
        try {
            return leader.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fallback.apply("waited " + maxWait.toMillis() + " ms for a call in flight");
        } catch (ExecutionException | CancellationException e) {
            return fallback.apply("the call in flight failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback.apply("interrupted while waiting");
        }
    }
}
