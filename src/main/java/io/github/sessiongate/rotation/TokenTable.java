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

    /**
     * A token as a key: its sampled hash, computed once. A held key is a whole token string; a probe
     * may be a region of a longer string (the {@code Cookie} header), so a lookup copies nothing.
     */
    static final class Key implements Comparable<Key> {
        private final String source;
        private final int from;
        private final int length;
        private final int hash;

        Key(String token) {
            this(token, 0, token.length());
        }

        /** A whole token whose hash is known (a probe equal to it computed it). */
        private Key(String token, int hash) {
            this.source = token;
            this.from = 0;
            this.length = token.length();
            this.hash = hash;
        }

        private Key(String source, int from, int to) {
            this.source = source;
            this.from = from;
            this.length = to - from;
            this.hash = hash(source, from, to);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.length == length && sameCharacters(k);
        }

        /**
         * Every character compared. A region against a whole token is {@link String#indexOf(String, int)}
         * at the region's start: the JDK's vectorised search, several times faster than
         * {@link String#regionMatches(int, String, int, int)}'s loop, found there exactly when the
         * region is the token (same length).
         */
        private boolean sameCharacters(Key k) {
            if (k.source == source && k.from == from) {
                return true;
            }
            if (k.from == 0 && k.length == k.source.length()) {
                return source.indexOf(k.source, from) == from;
            }
            if (from == 0 && length == source.length()) {
                return k.source.indexOf(source, k.from) == k.from;
            }
            return source.regionMatches(from, k.source, k.from, length);
        }

        @Override
        public int compareTo(Key o) {
            int n = Math.min(length, o.length);
            for (int i = 0; i < n; i++) {
                int d = source.charAt(from + i) - o.source.charAt(o.from + i);
                if (d != 0) {
                    return d;
                }
            }
            return length - o.length;
        }
    }

    /** Slots of {@link #handedOut}: a power of two. */
    private static final int HANDED_OUT = 128;

    private final ConcurrentHashMap<Key, ValidationCache.Entry> map = new ConcurrentHashMap<>();
    /**
     * Keys of the tokens {@link #held} recently handed out, by the string's identity: the request then
     * looks up that same string ({@link #get}) without hashing it again or making a key. Racy by
     * design: a slot holds an immutable key of some token or none, and a slot of another token only
     * means the hash is computed. Keeps at most {@value #HANDED_OUT} token strings reachable a little longer.
     */
    private final Key[] handedOut = new Key[HANDED_OUT];
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
        Key recent = handedOut[slotOf(token)];
        Key key = recent != null && recent.source == token ? recent : new Key(token);
        ValidationCache.Entry e = map.get(key);
        if (e != null && e.until <= now) {
            map.remove(key, e);
            return null;
        }
        return e;
    }

    /**
     * The held token equal to {@code source[from, to)} (every character compared), live or not:
     * the string a request can take instead of copying its token; {@code null} when none is held.
     */
    String held(String source, int from, int to) {
        Key probe = new Key(source, from, to);
        ValidationCache.Entry e = map.get(probe);
        if (e == null) {
            return null;
        }
        String token = e.session().token();
        int slot = slotOf(token);
        Key recent = handedOut[slot];
        if (recent == null || recent.source != token) {
            handedOut[slot] = new Key(token, probe.hash); // equal characters: the same hash
        }
        return token;
    }

    private static int slotOf(String token) {
        return System.identityHashCode(token) & (HANDED_OUT - 1);
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
        return hash(token, 0, token.length());
    }

    /** The sampled hash of {@code token[from, to)}: the same for equal characters wherever they lie. */
    private static int hash(String token, int from, int to) {
        int n = to - from;
        int tail = to - Math.min(n, TAIL);
        int h = n;
        for (int i = from; i < tail; i += STRIDE) {
            h = 31 * h + token.charAt(i);
        }
        int a = 0;
        int b = 0;
        int i = tail;
        for (; i + 1 < to; i += 2) {
            a = 31 * a + token.charAt(i);
            b = 31 * b + token.charAt(i + 1);
        }
        if (i < to) {
            a = 31 * a + token.charAt(i);
        }
        return h * 961 + a * 31 + b;
    }
}
