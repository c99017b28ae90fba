package io.github.sessiongate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InMemoryExpiringStoreTest {
    /** A clock tests move by hand. */
    static final class HandClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void entriesLiveUntilTheirExpiry() {
        HandClock clock = new HandClock();
        InMemoryExpiringStore<String> store = new InMemoryExpiringStore<>(10, clock);
        assertTrue(store.put("k", "v", clock.instant().plusSeconds(2)));
        clock.advance(Duration.ofMillis(1999));
        assertEquals("v", store.get("k").orElseThrow());
        clock.advance(Duration.ofMillis(1));
        assertTrue(store.get("k").isEmpty());
    }

    @Test
    void alreadyExpiredEntriesAreNotStored() {
        HandClock clock = new HandClock();
        InMemoryExpiringStore<String> store = new InMemoryExpiringStore<>(10, clock);
        assertFalse(store.put("k", "v", clock.instant()));
        assertEquals(0, store.size());
    }

    @Test
    void aFullStoreRefusesNewKeysInsteadOfEvictingLiveOnes() {
        HandClock clock = new HandClock();
        InMemoryExpiringStore<String> store = new InMemoryExpiringStore<>(3, clock);
        for (int i = 0; i < 3; i++) {
            assertTrue(store.put("k" + i, "v", clock.instant().plusSeconds(60)));
        }
        for (int i = 0; i < 1000; i++) {
            assertFalse(store.put("flood" + i, "x", clock.instant().plusSeconds(60)));
        }
        assertEquals(3, store.size());
        assertEquals("v", store.get("k0").orElseThrow());
        assertTrue(store.put("k0", "updated", clock.instant().plusSeconds(60)), "an existing key can be updated");
    }

    @Test
    void expiredEntriesAreSweptWhenTheStoreIsFull() {
        HandClock clock = new HandClock();
        InMemoryExpiringStore<String> store = new InMemoryExpiringStore<>(2, clock);
        store.put("a", "v", clock.instant().plusSeconds(1));
        store.put("b", "v", clock.instant().plusSeconds(1));
        clock.advance(Duration.ofSeconds(5));
        assertTrue(store.put("c", "v", clock.instant().plusSeconds(1)));
        assertEquals(1, store.size());
    }
}
