package io.github.sessiongate.web;

import io.github.sessiongate.EndpointSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Limits password guessing at the login endpoint. Three counts of failed logins, each over a fixed
 * window that starts at its first counted failure:
 * <ul>
 *   <li><b>per (username, client address) pair</b>: after {@code maxFailures} failures within the
 *       window that pair gets 429 with {@code Retry-After}. A success clears that pair only, so an
 *       attacker's own successful logins never reset what it counted against someone else;</li>
 *   <li><b>per client address</b>, across all usernames: a higher ceiling ({@code maxAddressFailures})
 *       against password spraying; reaching it gives that address 429;</li>
 *   <li><b>per username</b>, across all addresses: never a 429 (anyone could lock a victim out
 *       that way), only a {@linkplain #delay growing delay} before the backend is asked.</li>
 * </ul>
 * Usernames are {@linkplain #normaliseUsername normalised} (NFKC, case-folded, trimmed, stripped of
 * default-ignorable code points), and an
 * IPv6 client is {@linkplain #addressKey reduced to its /64}, so trivial respellings count as one.
 * Behind NAT, or a proxy missing from {@code trusted-proxies}, one address is many users: they
 * share the address ceiling.
 *
 * <p>An attempt is {@linkplain #begin reserved} only around the backend call, after the body has
 * been read, so a client holding request bodies open holds no reservation at all. A 429 is decided
 * on recorded failures only: attempts in flight never lock out anyone who has not failed. They still
 * count toward the room left, so that failures plus attempts in flight never exceed either limit and
 * a burst of parallel guesses gets no more than the limit: an attempt that would overfill a limit
 * <em>waits</em> (bounded in time, and at most {@code maxWaiting} at once) for attempts of its pair
 * or address to end, then is checked again; still no room at the end of the wait, or too many
 * waiting already, it is refused transiently ({@link Status#BUSY}: 503 with {@code Retry-After}, no
 * failure recorded).
 *
 * <p>Bounded: at most {@code maxTracked} entries (keys are 128-bit digests, never usernames). An
 * entry with no live failures and no attempt in flight is dropped at once. When the table is full,
 * expired entries go first, then per-username entries (they only drive the delay), then per-pair
 * entries (the address ceiling still bounds that address); per-address entries with failures and
 * entries with attempts in flight are never evicted. If an attempt still cannot be recorded it is
 * refused ({@link Status#FULL}, answered 503 with {@code Retry-After}): the limiter never fails open,
 * because an attempt it cannot count would be an unlimited guess. Thread-safe (one lock: each
 * operation is O(1) except the sweep of a full table, at most once a second); the window's time from
 * the clock, waits through the {@link Waiter} seam.
 */
public final class LoginLimiter {
    /** The default per-address ceiling is this many times the per-pair limit. */
    public static final int ADDRESS_FACTOR = EndpointSettings.LOGIN_ADDRESS_FACTOR;
    /** Entries tracked by the filter's limiter (about 110 bytes each as measured: two small objects and a map node). */
    public static final int DEFAULT_MAX_TRACKED = 100_000;
    /** The username delay once it has as many failures (across addresses) as a pair may have; it doubles with each more. */
    public static final Duration FIRST_DELAY = Duration.ofMillis(250);
    /** Attempts that may wait for room at once, across all pairs and addresses; more are {@link Status#BUSY}. */
    public static final int DEFAULT_MAX_WAITING = 16;

    /** What {@link #begin} decided. */
    public enum Status {
        /** The attempt may go to the backend; close the ticket when it is done. */
        GRANTED,
        /** Too many recorded failures: 429 with {@link Ticket#retryAfterSeconds}. */
        LIMITED,
        /**
         * Attempts in flight fill the room left and did not end within the wait (or too many wait
         * already): transient, 503 with {@code Retry-After}; nothing recorded.
         */
        BUSY,
        /** The table is full of entries that must not be evicted: 503 with {@link Ticket#retryAfterSeconds}. */
        FULL
    }

    /** How an attempt waits for room; a seam for tests, which never sleep. */
    @FunctionalInterface
    public interface Waiter {
        /** {@link Condition#awaitNanos}. */
        Waiter CONDITION = Condition::awaitNanos;

        /**
         * Waits on the condition (its lock held) until signalled or the time is up; returns the
         * nanoseconds left, as {@link Condition#awaitNanos} does (0 or less: the time is up).
         */
        long await(Condition released, long nanos) throws InterruptedException;
    }

    /**
     * Failure counts shared with other nodes (a {@code StateStore}), so that a guesser spreading
     * attempts over nodes meets the same limits. On top of this node's table, which alone holds
     * attempts in flight: a limit applies when either count reaches it. Keys are digests. Calls are
     * made outside the limiter's lock; an implementation never throws (a store that cannot answer
     * reads as no failures, and the local counts still hold).
     */
    public interface SharedCounts {
        /** None: one node. */
        SharedCounts NONE = new SharedCounts() {
            @Override
            public Map<String, Long> failures(java.util.Collection<String> keys) {
                return Map.of();
            }

            @Override
            public void failed(java.util.Collection<String> keys, Duration window) {
            }

            @Override
            public void cleared(String key) {
            }
        };

        /** The shared failure counts of these keys within their windows, in one round trip; absent keys have none. */
        Map<String, Long> failures(java.util.Collection<String> keys);

        /** Counts one failure for each key; a new count lives for {@code window}. */
        void failed(java.util.Collection<String> keys, Duration window);

        /** Forgets the key's failures (a success of the pair). */
        void cleared(String key);
    }

    private enum Kind { PAIR, ADDRESS, USER }

    private record Key(Kind kind, long hi, long lo) {
        /** The key as shared with other nodes: its kind and digest, never a username or address. */
        String shared() {
            return kind.name().charAt(0) + Long.toHexString(hi) + ":" + Long.toHexString(lo);
        }
    }

    private static final class Entry {
        long start;
        int failures;
        int inFlight;
    }

    private final int maxFailures;
    private final int maxAddressFailures;
    private final long windowMillis;
    private final Duration maxDelay;
    private final int maxTracked;
    private final Clock clock;
    private final int maxWaiting;
    private final Waiter waiter;
    private final SharedCounts shared;
    private final Map<Key, Entry> table = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a reservation ends. */
    private final Condition released = lock.newCondition();
    private int waiting;
    private long noSweepBefore = Long.MIN_VALUE;

    /**
     * @param maxFailures failures a (username, address) pair may have within the window; 0 disables the limiter
     * @param maxAddressFailures failures an address may have across all usernames within the window
     * @param window how long failures are counted
     * @param maxDelay the longest delay for a username under attack; zero for none
     * @param maxTracked entries tracked at most
     * @param clock the time source
     */
    public LoginLimiter(int maxFailures, int maxAddressFailures, Duration window, Duration maxDelay, int maxTracked,
            Clock clock) {
        this(maxFailures, maxAddressFailures, window, maxDelay, maxTracked, clock, DEFAULT_MAX_WAITING, Waiter.CONDITION);
    }

    /**
     * @param maxFailures failures a (username, address) pair may have within the window; 0 disables the limiter
     * @param maxAddressFailures failures an address may have across all usernames within the window
     * @param window how long failures are counted
     * @param maxDelay the longest delay for a username under attack; zero for none
     * @param maxTracked entries tracked at most
     * @param clock the time source of the window
     * @param maxWaiting attempts that may wait for room at once
     * @param waiter how an attempt waits for room
     */
    public LoginLimiter(int maxFailures, int maxAddressFailures, Duration window, Duration maxDelay, int maxTracked,
            Clock clock, int maxWaiting, Waiter waiter) {
        this(maxFailures, maxAddressFailures, window, maxDelay, maxTracked, clock, maxWaiting, waiter, SharedCounts.NONE);
    }

    /** As the constructor above, with failure counts shared across nodes on top of this node's. */
    public LoginLimiter(int maxFailures, int maxAddressFailures, Duration window, Duration maxDelay, int maxTracked,
            Clock clock, int maxWaiting, Waiter waiter, SharedCounts shared) {
        this.shared = Objects.requireNonNull(shared, "shared");
        if (maxFailures > 0 && maxAddressFailures < maxFailures) {
            throw new IllegalArgumentException("the address ceiling must be at least the pair limit");
        }
        this.maxFailures = maxFailures;
        this.maxAddressFailures = maxAddressFailures;
        this.windowMillis = window.toMillis();
        this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
        this.maxTracked = Math.max(3, maxTracked);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxWaiting = Math.max(0, maxWaiting);
        this.waiter = Objects.requireNonNull(waiter, "waiter");
    }

    /**
     * Seconds this pair (or its address) must wait before it may try because of its recorded
     * failures, or 0; reserves nothing. Lets the caller refuse before it {@linkplain #delay delays};
     * {@link #begin} checks again atomically.
     */
    public long retryAfterSeconds(String username, String client) {
        if (maxFailures <= 0) {
            return 0;
        }
        Key pair = key(Kind.PAIR, username, client);
        Key address = key(Kind.ADDRESS, username, client);
        Map<Key, Long> remote = sharedFailures(pair, address);
        lock.lock();
        try {
            return limited(clock.millis(), pair, address, remote);
        } finally {
            lock.unlock();
        }
    }

    /**
     * How long to wait before asking the backend about this username: zero until the username has
     * {@code maxFailures} failures within the window across all addresses, then {@link #FIRST_DELAY},
     * doubling with each further failure, never more than {@code maxDelay}. A delay, never a refusal;
     * {@link LoginDelay} serves it without tying up threads unboundedly.
     */
    public Duration delay(String username) {
        if (maxFailures <= 0 || maxDelay.isZero()) {
            return Duration.ZERO;
        }
        long failures;
        Key user = key(Kind.USER, username, "");
        long remote = sharedFailures(user).getOrDefault(user, 0L);
        lock.lock();
        try {
            Entry e = live(user, clock.millis());
            failures = Math.max(remote, e == null ? 0 : e.failures);
        } finally {
            lock.unlock();
        }
        if (failures < maxFailures) {
            return Duration.ZERO;
        }
        int doublings = (int) Math.min(30, failures - maxFailures);
        Duration d = FIRST_DELAY.multipliedBy(1L << doublings);
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }

    /** {@link #begin(String, String, Duration)} without waiting: no room now is {@link Status#BUSY} at once. */
    public Ticket begin(String username, String client) {
        return begin(username, client, Duration.ZERO);
    }

    /**
     * Reserves an attempt for this username from this client, atomically with the check: the
     * ticket is {@link Status#GRANTED} (call {@link Ticket#failed} or {@link Ticket#succeeded} as the
     * backend answers, and always {@link Ticket#close}), {@link Status#LIMITED} (recorded failures
     * only), {@link Status#BUSY} or {@link Status#FULL}. When attempts in flight leave no room under a
     * limit, waits up to {@code maxWait} for them to end and checks again (the checks are the same
     * after the wait: the failures they recorded may give 429); an interrupt ends the wait as
     * {@link Status#BUSY}, the interrupt kept.
     */
    public Ticket begin(String username, String client, Duration maxWait) {
        if (maxFailures <= 0) {
            return new Ticket(Status.GRANTED, 0, null);
        }
        Key[] keys = {key(Kind.PAIR, username, client), key(Kind.ADDRESS, username, client), key(Kind.USER, username, "")};
        long nanos = Math.max(0, maxWait.toNanos());
        boolean counted = false;
        Map<Key, Long> remote = sharedFailures(keys); // one round trip, before the lock
        lock.lock();
        try {
            while (true) {
                long now = clock.millis();
                long wait = limited(now, keys[0], keys[1], remote);
                if (wait > 0) {
                    return new Ticket(Status.LIMITED, wait, null);
                }
                if (room(now, keys[0], keys[1], remote)) {
                    return reserve(now, keys);
                }
                if (nanos <= 0) {
                    return new Ticket(Status.BUSY, 1, null);
                }
                if (!counted) {
                    if (waiting >= maxWaiting) {
                        return new Ticket(Status.BUSY, 1, null);
                    }
                    waiting++;
                    counted = true;
                }
                try {
                    nanos = waiter.await(released, nanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Ticket(Status.BUSY, 1, null);
                }
            }
        } finally {
            if (counted) {
                waiting--;
            }
            lock.unlock();
        }
    }

    /** Attempts waiting for room now (for tests and monitoring). */
    public int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** Records the attempt in flight for every key, or {@link Status#FULL}. Under the lock. */
    private Ticket reserve(long now, Key[] keys) {
        int missing = 0;
        for (Key k : keys) {
            missing += table.containsKey(k) ? 0 : 1;
        }
        if (table.size() + missing > maxTracked) {
            sweep(now, missing);
            if (table.size() + missing > maxTracked) {
                return new Ticket(Status.FULL, 1, null);
            }
        }
        for (Key k : keys) {
            table.computeIfAbsent(k, x -> new Entry()).inFlight++;
        }
        return new Ticket(Status.GRANTED, 0, keys);
    }

    /** Entries tracked now (for tests and monitoring). */
    public int size() {
        lock.lock();
        try {
            return table.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The username as it is counted: stripped of {@linkplain #isDefaultIgnorable default-ignorable
     * code points} (invisible: zero width space, soft hyphen, variation selectors, ...),
     * NFKC-normalised, case-folded with {@link Locale#ROOT}, and stripped of leading and trailing
     * white space, so {@code "ＡＬＩＣＥ "} and {@code "ali\u200Bce"} count as {@code "alice"}. The
     * ignorables go before normalising (one between a letter and its combining mark would keep them
     * from composing) and again after (NFKC maps U+FFA0 to U+3164, both ignorable).
     */
    public static String normaliseUsername(String username) {
        String s = withoutIgnorables(username == null ? "" : username);
        s = Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return withoutIgnorables(Normalizer.normalize(s, Normalizer.Form.NFKC)).strip();
    }

    /**
     * Ranges of the Unicode property {@code Default_Ignorable_Code_Point} (DerivedCoreProperties.txt,
     * Unicode 14 to 16; Java's regular expressions have no such property), inclusive pairs.
     */
    private static final int[] DEFAULT_IGNORABLE = {
        0x00AD, 0x00AD, // soft hyphen
        0x034F, 0x034F, // combining grapheme joiner
        0x061C, 0x061C, // Arabic letter mark
        0x115F, 0x1160, // Hangul choseong and jungseong fillers
        0x17B4, 0x17B5, // Khmer inherent vowels
        0x180B, 0x180F, // Mongolian free variation selectors, vowel separator
        0x200B, 0x200F, // zero width space, (non-)joiner, directional marks
        0x202A, 0x202E, // directional embeddings and overrides
        0x2060, 0x206F, // word joiner, invisible operators, isolates, deprecated format characters
        0x3164, 0x3164, // Hangul filler
        0xFE00, 0xFE0F, // variation selectors 1 to 16
        0xFEFF, 0xFEFF, // zero width no-break space (byte order mark)
        0xFFA0, 0xFFA0, // halfwidth Hangul filler
        0xFFF0, 0xFFF8, // reserved
        0x1BCA0, 0x1BCA3, // shorthand format controls
        0x1D173, 0x1D17A, // musical symbol format controls
        0xE0000, 0xE0FFF, // tags, variation selectors 17 to 256, reserved
    };

    /** Whether the code point has the Unicode property {@code Default_Ignorable_Code_Point}. */
    public static boolean isDefaultIgnorable(int codePoint) {
        for (int i = 0; i < DEFAULT_IGNORABLE.length && codePoint >= DEFAULT_IGNORABLE[i]; i += 2) {
            if (codePoint <= DEFAULT_IGNORABLE[i + 1]) {
                return true;
            }
        }
        return false;
    }

    private static String withoutIgnorables(String s) {
        if (s.codePoints().noneMatch(LoginLimiter::isDefaultIgnorable)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().filter(c -> !isDefaultIgnorable(c)).forEach(b::appendCodePoint);
        return b.toString();
    }

    /**
     * The client address as it is counted: an IPv4 address as itself (also when written as
     * IPv4-mapped IPv6), an IPv6 address reduced to its /64 (one subscriber usually holds a whole
     * /64), anything else (never expected from a container) as its own lower-case text. Never
     * throws and never resolves a name.
     */
    public static String addressKey(String client) {
        String s = client == null ? "" : client.strip();
        int zone = s.indexOf('%');
        String literal = zone >= 0 ? s.substring(0, zone) : s;
        if (literal.startsWith("[") && !literal.endsWith("]")) {
            literal = literal + "]";
        }
        byte[] bytes;
        try {
            bytes = TrustedProxies.literal(literal);
        } catch (RuntimeException e) {
            bytes = null;
        }
        if (bytes != null && bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        if (bytes != null && bytes.length == 16) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                b.append(Integer.toHexString((bytes[i] & 0xff) << 8 | (bytes[i + 1] & 0xff))).append(':');
            }
            return b.append(":/64").toString();
        }
        return "?" + s.toLowerCase(Locale.ROOT);
    }

    /** One reserved attempt. Not thread-safe; {@link #close} is idempotent. */
    public final class Ticket implements AutoCloseable {
        private final Status status;
        private final long retryAfterSeconds;
        private Key[] keys;

        private Ticket(Status status, long retryAfterSeconds, Key[] keys) {
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
            this.keys = keys;
        }

        public Status status() {
            return status;
        }

        /** For {@link Status#LIMITED}, {@link Status#BUSY} and {@link Status#FULL}: seconds to wait, at least 1. */
        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }

        /** Counts a failed login for the pair, the address and the username. */
        public void failed() {
            if (keys == null) {
                return;
            }
            lock.lock();
            try {
                long now = clock.millis();
                for (Key k : keys) {
                    Entry e = live(k, now);
                    if (e != null) { // always: the reservation pins it
                        if (e.failures == 0) {
                            e.start = now;
                        }
                        e.failures++;
                    }
                }
            } finally {
                lock.unlock();
            }
            if (shared != SharedCounts.NONE) {
                shared.failed(java.util.Arrays.stream(keys).map(Key::shared).toList(), Duration.ofMillis(windowMillis));
            }
        }

        /** Forgets the failures of this (username, address) pair only. */
        public void succeeded() {
            if (keys == null) {
                return;
            }
            lock.lock();
            try {
                Entry e = table.get(keys[0]);
                if (e != null) {
                    e.failures = 0;
                }
            } finally {
                lock.unlock();
            }
            if (shared != SharedCounts.NONE) {
                shared.cleared(keys[0].shared());
            }
        }

        /** Releases the reservation and wakes the attempts waiting for room. */
        @Override
        public void close() {
            if (keys == null) {
                return;
            }
            lock.lock();
            try {
                long now = clock.millis();
                for (Key k : keys) {
                    Entry e = live(k, now);
                    if (e != null) {
                        e.inFlight = Math.max(0, e.inFlight - 1);
                        if (e.inFlight == 0 && e.failures == 0) {
                            table.remove(k);
                        }
                    }
                }
                released.signalAll();
            } finally {
                lock.unlock();
            }
            keys = null;
        }
    }

    /**
     * Seconds until the recorded failures of the pair and its address leave room (0 if they do); under
     * the lock. Shared counts ({@code remote}) count too: a limit they alone reach lasts a whole window
     * (other nodes' window starts are not known here).
     */
    private long limited(long now, Key pair, Key address, Map<Key, Long> remote) {
        long wait = limited(live(pair, now), maxFailures, now, remote.getOrDefault(pair, 0L));
        return Math.max(wait, limited(live(address, now), maxAddressFailures, now, remote.getOrDefault(address, 0L)));
    }

    private long limited(Entry e, int limit, long now, long remote) {
        if (e != null && e.failures >= limit) {
            return Math.max(1, (e.start + windowMillis - now + 999) / 1000);
        }
        return remote >= limit ? Math.max(1, (windowMillis + 999) / 1000) : 0;
    }

    /** Whether failures plus attempts in flight leave room for one more under both limits; under the lock. */
    private boolean room(long now, Key pair, Key address, Map<Key, Long> remote) {
        return room(live(pair, now), maxFailures, remote.getOrDefault(pair, 0L))
                && room(live(address, now), maxAddressFailures, remote.getOrDefault(address, 0L));
    }

    private static boolean room(Entry e, int limit, long remote) {
        long failures = Math.max(remote, e == null ? 0 : e.failures);
        return failures + (e == null ? 0 : e.inFlight) < limit;
    }

    /** The shared failure counts of these keys (none without shared counts). Outside the lock: it may be a network call. */
    private Map<Key, Long> sharedFailures(Key... keys) {
        if (shared == SharedCounts.NONE) {
            return Map.of();
        }
        Map<String, Key> byName = new HashMap<>();
        for (Key k : keys) {
            byName.put(k.shared(), k);
        }
        Map<Key, Long> out = new HashMap<>();
        shared.failures(byName.keySet()).forEach((name, count) -> {
            Key k = byName.get(name);
            if (k != null && count != null) {
                out.put(k, count);
            }
        });
        return out;
    }

    /** The entry with an expired window's failures forgotten; {@code null} if absent. Under the lock. */
    private Entry live(Key k, long now) {
        Entry e = table.get(k);
        if (e != null && e.failures > 0 && now - e.start >= windowMillis) {
            e.failures = 0;
        }
        return e;
    }

    /**
     * Makes room in a full table, in order: entries whose failures have expired, then per-username
     * entries, then per-pair entries (in no particular order within a kind), down to 15/16 of the bound
     * so that a full table is swept rarely. Never an address with failures, never an attempt in flight.
     * A sweep that frees too little is not repeated within a second. Under the lock.
     */
    private void sweep(long now, int needed) {
        if (now < noSweepBefore) {
            return;
        }
        int target = Math.min(maxTracked - needed, maxTracked - maxTracked / 16);
        table.entrySet().removeIf(en -> {
            Entry e = en.getValue();
            return e.inFlight == 0 && (e.failures == 0 || now - e.start >= windowMillis);
        });
        for (Kind kind : new Kind[] {Kind.USER, Kind.PAIR}) {
            for (Iterator<Map.Entry<Key, Entry>> it = table.entrySet().iterator(); it.hasNext() && table.size() > target; ) {
                Map.Entry<Key, Entry> en = it.next();
                if (en.getKey().kind() == kind && en.getValue().inFlight == 0) {
                    it.remove();
                }
            }
        }
        noSweepBefore = table.size() + needed > maxTracked ? now + 1000 : Long.MIN_VALUE;
    }

    private static Key key(Kind kind, String username, String client) {
        String text = switch (kind) {
            case PAIR -> normaliseUsername(username) + "\u0000" + addressKey(client);
            case ADDRESS -> addressKey(client);
            case USER -> normaliseUsername(username);
        };
        byte[] digest = sha256().digest((kind.name() + "\u0000" + text).getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.wrap(digest);
        return new Key(kind, b.getLong(), b.getLong());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
