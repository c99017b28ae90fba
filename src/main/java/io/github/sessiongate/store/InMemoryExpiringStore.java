package io.github.sessiongate.store;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded {@link ExpiringStore} in this JVM's memory. Expired entries are dropped when read and
 * swept when the store is full, at most once per second so a flood cannot make every write scan
 * the whole map. Time comes from the given clock.
 *
 * @param <V> the value type; immutable
 */
public final class InMemoryExpiringStore<V> implements ExpiringStore<V> {
    private static final long SWEEP_INTERVAL_MILLIS = 1_000;

    private record Entry<V>(V value, long expiresAtMillis) {
    }

    private final ConcurrentHashMap<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final Clock clock;
    private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE / 2);

    /**
     * @param maxEntries the bound; at least 1
     * @param clock the time source
     */
    public InMemoryExpiringStore(int maxEntries, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<V> get(String key) {
        Entry<V> e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (e.expiresAtMillis() <= clock.millis()) {
            entries.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    @Override
    public boolean put(String key, V value, Instant expiresAt) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long now = clock.millis();
        long until = expiresAt.toEpochMilli();
        if (until <= now) {
            return false;
        }
        if (entries.size() >= maxEntries && !entries.containsKey(key)) {
            sweep(now);
            if (entries.size() >= maxEntries) {
                return false;
            }
        }
        entries.put(key, new Entry<>(value, until));
        return true;
    }

    @Override
    public void remove(String key) {
        entries.remove(key);
    }

    @Override
    public int size() {
        return entries.size();
    }

    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < SWEEP_INTERVAL_MILLIS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        entries.entrySet().removeIf(e -> e.getValue().expiresAtMillis() <= now);
    }
}
