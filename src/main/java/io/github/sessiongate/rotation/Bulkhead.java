package io.github.sessiongate.rotation;

import java.util.concurrent.Semaphore;

/**
 * Bounds the backend calls in flight across all tokens. Past the bound a call is refused at once
 * (the request gets 503) rather than queued, so a flood of distinct junk tokens can neither tie
 * up every request thread nor hammer the backend.
 */
public final class Bulkhead {
    private final Semaphore permits;
    private final int capacity;

    /** @param capacity calls allowed at once; at least 1 */
    public Bulkhead(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.permits = new Semaphore(capacity);
    }

    /** Takes a permit if one is free; never waits. */
    public boolean tryEnter() {
        return permits.tryAcquire();
    }

    /** Returns a permit taken by {@link #tryEnter()}. */
    public void leave() {
        permits.release();
    }

    /** Calls in flight now. */
    public int inUse() {
        return capacity - permits.availablePermits();
    }

    public int capacity() {
        return capacity;
    }
}
