package io.github.sessiongate.jwt;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A fixed number of slots from a token's header segment (its text before the first {@code .}) to
 * what was made of it once: direct-mapped by the segment's hash, a new entry replacing whatever
 * held its slot. Bounded by construction (no growth however many distinct headers arrive; a flood
 * of headers only costs re-parsing, never memory), lock-free, and a lookup allocates nothing: it
 * hashes and compares the segment in place in the token.
 *
 * <p>An identity provider's tokens share a handful of header segments, so a few hundred slots keep
 * them all. The hash multiplier is random per cache, so nobody can aim headers at the slot of a
 * known one. Thread-safe.
 *
 * @param <V> what a header segment became
 */
final class HeaderCache<V> {
    private record Slot<V>(String segment, V value) {
    }

    private final AtomicReferenceArray<Slot<V>> slots;
    private final int mask;
    /** Odd, random per cache: which segments share a slot cannot be known from outside. */
    private final int multiplier = ThreadLocalRandom.current().nextInt() | 1;

    /** @param size the number of slots, a power of two */
    HeaderCache(int size) {
        if (size <= 0 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two: " + size);
        }
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    /** The value for the segment {@code token[0, end)}, or {@code null}. */
    V get(String token, int end) {
        return get(token, 0, end);
    }

    /** The value for the segment {@code text[from, end)} (a token inside a longer text), or {@code null}. */
    V get(String text, int from, int end) {
        Slot<V> slot = slots.get(index(hash(text, from, end)));
        return slot != null && slot.segment().length() == end - from && text.regionMatches(from, slot.segment(), 0, end - from)
                ? slot.value() : null;
    }

    /** Keeps {@code value} for {@code segment}, replacing whatever held its slot. */
    void put(String segment, V value) {
        slots.set(index(hash(segment, 0, segment.length())), new Slot<>(segment, value));
    }

    /** Forgets {@code segment} if it still holds {@code value}. */
    void remove(String segment, V value) {
        int i = index(hash(segment, 0, segment.length()));
        Slot<V> slot = slots.get(i);
        if (slot != null && slot.value() == value) {
            slots.compareAndSet(i, slot, null);
        }
    }

    /** Forgets everything. */
    void clear() {
        for (int i = 0; i < slots.length(); i++) {
            slots.set(i, null);
        }
    }

    /** How many slots hold a value; at most the size. For tests. */
    int size() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    private int index(int hash) {
        return (hash ^ (hash >>> 16)) & mask;
    }

    private int hash(String s, int from, int end) {
        int h = 0;
        for (int i = from; i < end; i++) {
            h = multiplier * h + s.charAt(i);
        }
        return h;
    }
}
