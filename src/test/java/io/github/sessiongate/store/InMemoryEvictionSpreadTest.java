package io.github.sessiongate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.StateStore.EntryClass;
import io.github.sessiongate.StateStore.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * A full cache evicts across the whole table: entries written long ago do not survive a flood of
 * newer ones just because their hashes sort late (evicting the table's front again and again kept
 * them, and crowded every survivor into the last buckets).
 */
class InMemoryEvictionSpreadTest {
    private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void aFloodOfNewEntriesLeavesNoneOfTheFirstOnes() {
        InMemoryStateStore store = new InMemoryStateStore(1_000, 1, FROZEN);
        byte[] value = {1};
        for (int i = 0; i < 50_000; i++) {
            assertEquals(WriteResult.STORED, store.put("v:" + i, value, Duration.ofHours(1), EntryClass.CACHE));
        }
        int firstSurvivors = 0;
        for (int i = 0; i < 1_000; i++) {
            if (store.get("v:" + i).isPresent()) {
                firstSurvivors++;
            }
        }
        int lastSurvivors = 0;
        for (int i = 49_000; i < 50_000; i++) {
            if (store.get("v:" + i).isPresent()) {
                lastSurvivors++;
            }
        }
        assertTrue(store.size(EntryClass.CACHE) <= 1_000, "bounded");
        assertEquals(0, firstSurvivors, "entries from 49,000 writes ago");
        assertTrue(lastSurvivors > 300, "the newest thousand mostly survive: " + lastSurvivors);
    }
}
