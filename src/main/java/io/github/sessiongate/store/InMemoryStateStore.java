package io.github.sessiongate.store;

import io.github.sessiongate.StateStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default {@link StateStore}: this JVM's memory, bounded per {@link EntryClass}, not shared.
 * A full store evicts {@link EntryClass#CACHE CACHE} entries (an eighth at a time, spread over the
 * whole table, so a flood costs amortised constant time and chains stay short) and refuses a new {@link EntryClass#SECURITY SECURITY} entry with
 * {@link WriteResult#FULL}; expired entries are dropped when read and swept when full, at most once
 * a second. Time comes from the given clock. It is never unavailable.
 *
 * <p>Besides bytes it holds objects ({@link #getLocal}, {@link #putLocal}): the engine keeps its
 * immutable values here as they are, so a cache hit costs a map lookup and no decoding. Bytes
 * given to {@link #put} are copied, and copies are returned.
 */
public final class InMemoryStateStore implements StateStore {
    private static final long SWEEP_INTERVAL_MILLIS = 1_000;

    /** A value (bytes, or an engine object) and until when it lives. */
    private record Entry(Object value, long expiresAtMillis) {
        boolean liveAt(long now) {
            return expiresAtMillis > now;
        }
    }

    private final Clock clock;
    private final Region cache;
    private final Region security;

    /**
     * @param cacheMaxEntries {@link EntryClass#CACHE} entries held at most; at least 1
     * @param securityMaxEntries {@link EntryClass#SECURITY} entries (leases included) held at most; at least 1
     * @param clock the time source
     */
    public InMemoryStateStore(int cacheMaxEntries, int securityMaxEntries, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cache = new Region(cacheMaxEntries, true);
        this.security = new Region(securityMaxEntries, false);
    }

    /** Not shared: each node has its own. */
    @Override
    public boolean sharedAcrossNodes() {
        return false;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return getLocal(key).filter(byte[].class::isInstance).map(v -> ((byte[]) v).clone());
    }

    @Override
    public Map<String, byte[]> getAll(Collection<String> keys) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String key : keys) {
            get(key).ifPresent(v -> out.put(key, v));
        }
        return out;
    }

    @Override
    public WriteResult put(String key, byte[] value, Duration ttl, EntryClass entryClass) {
        return putLocal(key, Objects.requireNonNull(value, "value").clone(), ttl, entryClass);
    }

    @Override
    public WriteResult putIfAbsent(String key, byte[] value, Duration ttl, EntryClass entryClass) {
        Objects.requireNonNull(key, "key");
        byte[] copy = Objects.requireNonNull(value, "value").clone();
        long now = clock.millis();
        long until = until(now, ttl);
        Region region = region(entryClass);
        other(entryClass).dropExpired(key, now);
        if (other(entryClass).map.containsKey(key)) {
            return WriteResult.EXISTS;
        }
        if (!region.makeRoomFor(key, now)) {
            return WriteResult.FULL;
        }
        boolean[] stored = {false};
        region.map.compute(key, (k, e) -> {
            if (e != null && e.liveAt(now)) {
                return e;
            }
            stored[0] = true;
            return new Entry(copy, until);
        });
        return stored[0] ? WriteResult.STORED : WriteResult.EXISTS;
    }

    @Override
    public void delete(String key) {
        cache.map.remove(key);
        security.map.remove(key);
    }

    @Override
    public OptionalLong increment(String key, long delta, Duration ttl, EntryClass entryClass) {
        Objects.requireNonNull(key, "key");
        long now = clock.millis();
        long until = until(now, ttl);
        Region region = region(entryClass);
        other(entryClass).map.remove(key);
        if (!region.makeRoomFor(key, now)) {
            return OptionalLong.empty();
        }
        long[] count = {0};
        region.map.compute(key, (k, e) -> {
            if (e == null || !e.liveAt(now) || !(e.value() instanceof byte[] digits)) {
                count[0] = delta;
                return new Entry(digits(delta), until);
            }
            count[0] = parse(digits) + delta;
            return new Entry(digits(count[0]), e.expiresAtMillis());
        });
        return OptionalLong.of(count[0]);
    }

    @Override
    public Optional<Lease> lease(String key, String owner, Duration ttl) {
        Objects.requireNonNull(owner, "owner");
        byte[] mine = owner.getBytes(StandardCharsets.UTF_8);
        long until = until(clock.millis(), ttl);
        return putIfAbsent(key, mine, ttl, EntryClass.SECURITY) == WriteResult.STORED
                ? Optional.of(new Lease(key, owner, Instant.ofEpochMilli(until))) : Optional.empty();
    }

    @Override
    public Optional<Lease> renew(Lease lease, Duration ttl) {
        long now = clock.millis();
        long until = until(now, ttl);
        byte[] owner = lease.owner().getBytes(StandardCharsets.UTF_8);
        boolean[] renewed = {false};
        security.map.computeIfPresent(lease.key(), (k, e) -> {
            if (e.liveAt(now) && e.value() instanceof byte[] b && java.util.Arrays.equals(b, owner)) {
                renewed[0] = true;
                return new Entry(b, until);
            }
            return e;
        });
        return renewed[0] ? Optional.of(new Lease(lease.key(), lease.owner(), Instant.ofEpochMilli(until))) : Optional.empty();
    }

    @Override
    public boolean release(Lease lease) {
        long now = clock.millis();
        byte[] owner = lease.owner().getBytes(StandardCharsets.UTF_8);
        boolean[] released = {false};
        security.map.computeIfPresent(lease.key(), (k, e) -> {
            if (e.liveAt(now) && e.value() instanceof byte[] b && java.util.Arrays.equals(b, owner)) {
                released[0] = true;
                return null;
            }
            return e;
        });
        return released[0];
    }

    /**
     * The live value under the key as stored: bytes, or an object {@link #putLocal} stored.
     * An expired entry is dropped.
     */
    public Optional<Object> getLocal(String key) {
        long now = clock.millis();
        Entry e = security.map.get(key);
        if (e == null) {
            e = cache.map.get(key);
        }
        if (e == null) {
            return Optional.empty();
        }
        if (!e.liveAt(now)) {
            security.map.remove(key, e);
            cache.map.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    /** As {@link #put}, of an immutable object kept as it is: nothing is copied or encoded. */
    public WriteResult putLocal(String key, Object value, Duration ttl, EntryClass entryClass) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long now = clock.millis();
        long until = until(now, ttl);
        Region region = region(entryClass);
        other(entryClass).map.remove(key);
        if (!region.makeRoomFor(key, now)) {
            return WriteResult.FULL;
        }
        region.map.put(key, new Entry(value, until));
        return WriteResult.STORED;
    }

    /**
     * Whether {@code count} new {@code entryClass} entries would be taken now (a check, not a
     * reservation). A cache region always has room for as many as it can hold.
     */
    public boolean hasRoom(EntryClass entryClass, int count) {
        return region(entryClass).hasRoom(count, clock.millis());
    }

    /** Entries of the class held now, live or not yet swept. */
    public int size(EntryClass entryClass) {
        return region(entryClass).map.size();
    }

    private Region region(EntryClass entryClass) {
        return Objects.requireNonNull(entryClass, "entryClass") == EntryClass.CACHE ? cache : security;
    }

    private Region other(EntryClass entryClass) {
        return entryClass == EntryClass.CACHE ? security : cache;
    }

    private static long until(long now, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        long millis = Math.max(1, ttl.toMillis());
        return now + millis < now ? Long.MAX_VALUE : now + millis;
    }

    private static byte[] digits(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private static long parse(byte[] digits) {
        try {
            return Long.parseLong(new String(digits, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0; // a value that is no counter counts from zero, as a fresh one
        }
    }

    /** The entries of one class and their bound. */
    private final class Region {
        final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();
        final int max;
        final boolean evicting;
        final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE / 2);

        Region(int max, boolean evicting) {
            if (max < 1) {
                throw new IllegalArgumentException("max entries must be at least 1");
            }
            this.max = max;
            this.evicting = evicting;
        }

        void dropExpired(String key, long now) {
            Entry e = map.get(key);
            if (e != null && !e.liveAt(now)) {
                map.remove(key, e);
            }
        }

        /** Whether a write of {@code key} fits, after sweeping and (cache only) evicting. */
        boolean makeRoomFor(String key, long now) {
            if (map.size() < max || map.containsKey(key)) {
                return true;
            }
            sweep(now);
            if (evicting && map.size() >= max) {
                SpreadEviction.dropAnEighth(map.keySet().iterator(), max);
            }
            return map.size() < max;
        }

        boolean hasRoom(int count, long now) {
            if (evicting) {
                return count <= max;
            }
            if (map.size() + count <= max) {
                return true;
            }
            sweep(now);
            return map.size() + count <= max;
        }

        private void sweep(long now) {
            long last = lastSweep.get();
            if (now - last < SWEEP_INTERVAL_MILLIS || !lastSweep.compareAndSet(last, now)) {
                return;
            }
            map.entrySet().removeIf(e -> !e.getValue().liveAt(now));
        }
    }
}
