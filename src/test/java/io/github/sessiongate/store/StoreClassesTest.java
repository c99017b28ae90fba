package io.github.sessiongate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Security stores refuse and never evict; cache stores evict and never refuse (issue 7 section 6). */
class StoreClassesTest {
    private final MutableClock clock = new MutableClock();

    private Instant later() {
        return clock.instant().plus(Duration.ofMinutes(1));
    }

    @Test
    void aFullSecurityStoreRefusesANewKeyKeepsEveryLiveOneAndSaysSoBeforehand() {
        InMemoryExpiringStore<Boolean> store = new InMemoryExpiringStore<>(2, clock);
        assertTrue(store.put("a", true, later()));
        assertTrue(store.hasRoom(1));
        assertTrue(store.put("b", true, later()));
        assertFalse(store.hasRoom(1));
        assertFalse(store.put("c", true, later()));
        assertTrue(store.get("a").isPresent() && store.get("b").isPresent());
        clock.advance(Duration.ofMinutes(2));
        assertTrue(store.hasRoom(2), "expired entries are swept to make room");
    }

    @Test
    void aCacheStoreEvictsToTakeANewKeyAndStaysBounded() {
        InMemoryExpiringStore<Boolean> cache = InMemoryExpiringStore.evicting(100, clock);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(cache.put("k" + i, true, later()));
        }
        assertTrue(cache.size() <= 100);
        assertTrue(cache.get("k9999").isPresent(), "the newest entry is always taken");
        assertTrue(cache.isEvicting());
        assertEquals(false, new InMemoryExpiringStore<Boolean>(1, clock).isEvicting());
    }
}
