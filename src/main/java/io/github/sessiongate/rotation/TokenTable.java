package io.github.sessiongate.rotation;

import io.github.sessiongate.store.SpreadEviction;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process validation cache's table: {@link ValidationCache.Entry entries} keyed by the token
 * string itself, so a hit costs no digest (a SHA-256 of a 750-character token and its hex cost
 * more than the rest of a warm request). The key is the cached session's own
 * {@link io.github.sessiongate.Session#token() token} string: the entry holds the token once.
 *
 * <p><b>Bound.</b> At most {@code max} entries, as the in-memory state store's cache region: a full
 * table first drops expired entries (at most once a second), then every eighth entry in iteration
 * order (spread over the hash table, so the survivors never crowd into a few buckets). Expired
 * entries are also dropped when read.
 *
 * <p><b>Hash.</b> A token's hash reads its length, its last 64 characters (a JWT's signature, which
 * tells any two tokens apart) and every eighth character before them, so it costs a tenth of
 * {@link String#hashCode()} on a 750-character token (Java 17 hashes one character at a time). Only
 * valid tokens enter; tokens alike in every sampled character share a bucket, where keys are
 * ordered (a tree bin), never compared one by one. Equality is always the whole token. Thread-safe.
 */
final class TokenTable {
    private static final long SWEEP_INTERVAL_MILLIS = 1_000;
    /** Characters at the end of the token that are all hashed. */
    private static final int TAIL = 64;
    /** Before the tail, one character in this many is hashed. */
    private static final int STRIDE = 8;

    /** A token as a key: its sampled hash, computed once. */
    static final class Key implements Comparable<Key> {
        final String token;
        private final int hash;

        Key(String token) {
            this.token = token;
            this.hash = hash(token);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.token.equals(token);
        }

        @Override
        public int compareTo(Key o) {
            return token.compareTo(o.token);
        }
    }

    private final ConcurrentHashMap<Key, ValidationCache.Entry> map = new ConcurrentHashMap<>();
    private final int max;
    private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE / 2);

    /** @param max entries held at most; at least 1 */
    TokenTable(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max entries must be at least 1");
        }
        this.max = max;
    }

    /** The entry for the token, if held and live at {@code now} (epoch millis); an expired one is dropped. */
    ValidationCache.Entry get(String token, long now) {
        Key key = new Key(token);
        ValidationCache.Entry e = map.get(key);
        if (e != null && e.until <= now) {
            map.remove(key, e);
            return null;
        }
        return e;
    }

    /** Holds the entry under its session's token, making room first when full. */
    void put(ValidationCache.Entry entry, long now) {
        Key key = new Key(entry.session().token());
        makeRoomFor(key, now);
        map.put(key, entry);
    }

    /** Forgets the token. */
    void remove(String token) {
        if (!map.isEmpty()) {
            map.remove(new Key(token));
        }
    }

    /** Entries held now, live or not yet swept. */
    int size() {
        return map.size();
    }

    private void makeRoomFor(Key key, long now) {
        if (map.size() < max || map.containsKey(key)) {
            return;
        }
        long last = lastSweep.get();
        if (now - last >= SWEEP_INTERVAL_MILLIS && lastSweep.compareAndSet(last, now)) {
            map.values().removeIf(e -> e.until <= now);
        }
        if (map.size() >= max) {
            SpreadEviction.dropAnEighth(map.keySet().iterator(), max);
        }
    }

    static int hash(String token) {
        int n = token.length();
        int tail = Math.max(0, n - TAIL);
        int h = n;
        for (int i = 0; i < tail; i += STRIDE) {
            h = 31 * h + token.charAt(i);
        }
        int a = 0;
        int b = 0;
        int i = tail;
        for (; i + 1 < n; i += 2) {
            a = 31 * a + token.charAt(i);
            b = 31 * b + token.charAt(i + 1);
        }
        if (i < n) {
            a = 31 * a + token.charAt(i);
        }
        return h * 961 + a * 31 + b;
    }
}
