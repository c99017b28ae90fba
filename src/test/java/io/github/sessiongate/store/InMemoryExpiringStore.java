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
 * <p>Two classes: the constructor makes a <b>security</b> store, which refuses a new key when
 * full and never drops a live entry; {@link #evicting} makes a <b>cache</b> store, which drops
 * some live entry to take a new one, so a flood of distinct keys can fill it but never make it
 * refuse.
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
    private final boolean evicting;

    /**
     * A security store: refuses new keys when full, never evicts a live entry.
     *
     * @param maxEntries the bound; at least 1
     * @param clock the time source
     */
    public InMemoryExpiringStore(int maxEntries, Clock clock) {
        this(maxEntries, clock, false);
    }

    private InMemoryExpiringStore(int maxEntries, Clock clock, boolean evicting) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.evicting = evicting;
    }

    /**
     * A cache store: when full (after a sweep of expired entries) it evicts an arbitrary live entry
     * to take the new one. For state whose loss costs only work, never security.
     *
     * @param maxEntries the bound; at least 1
     * @param clock the time source
     */
    public static <V> InMemoryExpiringStore<V> evicting(int maxEntries, Clock clock) {
        return new InMemoryExpiringStore<>(maxEntries, clock, true);
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
            if (evicting && entries.size() >= maxEntries) {
                evictSome();
            }
            if (entries.size() >= maxEntries) {
                return false;
            }
        }
        entries.put(key, new Entry<>(value, until));
        return true;
    }

    @Override
    public boolean hasRoom(int count) {
        if (evicting) {
            return count <= maxEntries;
        }
        if (entries.size() + count <= maxEntries) {
            return true;
        }
        sweep(clock.millis());
        return entries.size() + count <= maxEntries;
    }

    /** Whether this is a cache store that evicts rather than refuses. */
    public boolean isEvicting() {
        return evicting;
    }

    @Override
    public void remove(String key) {
        entries.remove(key);
    }

    @Override
    public int size() {
        return entries.size();
    }

    /**
     * Drops an eighth of the entries (at least one) in one pass: one scan pays for many puts, so a
     * flood costs amortised constant time per entry.
     */
    private void evictSome() {
        int toDrop = Math.max(1, maxEntries / 8);
        var it = entries.keySet().iterator();
        while (toDrop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < SWEEP_INTERVAL_MILLIS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        entries.entrySet().removeIf(e -> e.getValue().expiresAtMillis() <= now);
    }
}
