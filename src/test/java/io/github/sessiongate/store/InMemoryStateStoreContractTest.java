package io.github.sessiongate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.StateStore;
import io.github.sessiongate.StateStore.EntryClass;
import io.github.sessiongate.StateStore.WriteResult;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The in-memory default keeps the {@link StateStoreContract}, and holds engine objects as they are. */
class InMemoryStateStoreContractTest extends StateStoreContract {

    @Override
    protected StateStore newStore(Clock clock) {
        return new InMemoryStateStore(10_000, 10_000, clock);
    }

    @Override
    protected StateStore newBoundedStore(Clock clock) {
        return new InMemoryStateStore(CAPACITY, CAPACITY, clock);
    }

    @Test
    void isNotSharedAcrossNodes() {
        assertFalse(newStore(clock).sharedAcrossNodes());
    }

    @Test
    void anObjectIsKeptAsTheSameInstanceWithNoCopyOrEncoding() {
        InMemoryStateStore s = new InMemoryStateStore(10, 10, clock);
        Object value = new Object();
        assertEquals(WriteResult.STORED, s.putLocal("k", value, Duration.ofSeconds(5), EntryClass.CACHE));
        assertSame(value, s.getLocal("k").orElseThrow());
        assertTrue(s.get("k").isEmpty(), "an object is no byte value");
        clock.advance(Duration.ofSeconds(5));
        assertTrue(s.getLocal("k").isEmpty());
    }

    @Test
    void hasRoomTellsASecurityWriterBeforeItActs() {
        InMemoryStateStore s = new InMemoryStateStore(2, 2, clock);
        assertTrue(s.hasRoom(EntryClass.SECURITY, 2));
        s.putLocal("a", "x", Duration.ofSeconds(5), EntryClass.SECURITY);
        assertFalse(s.hasRoom(EntryClass.SECURITY, 2));
        assertTrue(s.hasRoom(EntryClass.CACHE, 2));
        assertEquals(1, s.size(EntryClass.SECURITY));
    }
}
