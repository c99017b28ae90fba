package io.github.sessiongate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import io.github.sessiongate.StateStore;
import io.github.sessiongate.StateStore.EntryClass;
import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A store client's own runtime exception (not {@link StateStore.UnavailableException}) is an outage
 * to a {@link StateSlot}: reads miss (or find this node's fallback), writes land in the fallback or
 * are refused, removes carry on; nothing is thrown, and the report names the class only.
 */
class StateSlotStoreFailureTest {
    private static final String QUOTED = "sg:t:quoted-key";
    private final MutableClock clock = new MutableClock();
    private final List<String> reports = new ArrayList<>();

    /** Every call throws the client's own exception, quoting a key in its message. */
    private static StateStore throwing() {
        return mock(StateStore.class, invocation -> {
            throw new IllegalStateException("READONLY You can't write against a read only replica: " + QUOTED);
        });
    }

    private StateSlot<Boolean> slot(StateStore store, InMemoryStateStore fallback) {
        return new StateSlot<>(store, "sg:t:", EntryClass.SECURITY, ValueCodec.PRESENCE, null, clock, reports::add, fallback);
    }

    @Test
    void withAFallbackTheSlotKeepsThisNodesPromisesAndThrowsNothing() {
        StateSlot<Boolean> slot = slot(throwing(), new InMemoryStateStore(1, 10, clock));
        Instant until = clock.instant().plus(Duration.ofMinutes(1));
        assertEquals(Optional.empty(), slot.get("a"));
        assertTrue(slot.put("a", true, until), "held on this node");
        assertEquals(Optional.of(true), slot.get("a"));
        slot.remove("a");
        assertEquals(Optional.empty(), slot.get("a"), "removed from this node's memory");
        assertFalse(reports.isEmpty());
        for (String r : reports) {
            assertTrue(r.endsWith(": " + IllegalStateException.class.getName()), r);
            assertFalse(r.contains(QUOTED) || r.contains("READONLY"), r);
        }
    }

    @Test
    void withoutAFallbackASecurityWriteIsRefusedSoTheCallerFailsClosed() {
        StateSlot<Boolean> slot = slot(throwing(), null);
        assertFalse(slot.put("a", true, clock.instant().plus(Duration.ofMinutes(1))));
        assertEquals(Optional.empty(), slot.get("a"));
        slot.remove("a");
        assertEquals(3, reports.size(), reports.toString());
    }
}
