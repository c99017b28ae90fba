package io.github.sessiongate.store;

import java.util.Iterator;

/**
 * How a full in-process cache makes room: it drops an eighth of its entries, every eighth one in
 * iteration order rather than the first eighth. Iteration follows a hash table's buckets, and
 * dropping its front again and again would crowd the survivors into the last buckets (long chains,
 * tree bins) and decide an entry's age by its hash.
 */
public final class SpreadEviction {
    private SpreadEviction() {
    }

    /**
     * Removes {@code max / 8} entries (at least one) through {@code keys}, spread over the table.
     *
     * @param keys an iterator over the table's keys that supports {@link Iterator#remove()}
     * @param max the table's bound
     */
    public static void dropAnEighth(Iterator<?> keys, int max) {
        int toDrop = Math.max(1, max / 8);
        int stride = max >= 8 ? 8 : 1;
        for (int seen = 0; toDrop > 0 && keys.hasNext(); seen++) {
            keys.next();
            if (seen % stride == 0) {
                keys.remove();
                toDrop--;
            }
        }
    }
}
