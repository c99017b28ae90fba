package io.github.sessiongate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.mock;

import io.github.sessiongate.StateStore;
import io.github.sessiongate.StateStore.EntryClass;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * A sealed value that does not open on this node (another node's {@code state-store-key}, or
 * tampered bytes) counts as absent, and is logged at WARN at most once a minute per kind of state,
 * naming the kind only: never the key, the value or the token.
 */
class StateSlotUnsealTest {
    private static final String TOKEN = "refresh-token-abc123";
    private final MutableClock clock = new MutableClock();
    private final List<String> outages = new ArrayList<>();

    /** A shared store over plain memory: bytes in, bytes out (not the in-memory object path). */
    private final StateStore bytes = mock(StateStore.class, delegatesTo(new InMemoryStateStore(10, 10, clock)));

    private static StateSeal seal(int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        return new StateSeal(new SecretKeySpec(key, "AES"));
    }

    private StateSlot<String> slot(StateSeal seal) {
        return new StateSlot<>(bytes, "sg:p:", EntryClass.SECURITY, ValueCodec.TOKEN, seal, clock, outages::add,
                new InMemoryStateStore(1, 10, clock));
    }

    @Test
    void aValueSealedUnderAnotherKeyIsAbsentAndLoggedOncePerInterval() {
        Instant until = clock.instant().plus(Duration.ofHours(1));
        StateSlot<String> nodeA = slot(seal(1));
        StateSlot<String> nodeB = slot(seal(2)); // a node with another state-store-key
        assertTrue(nodeA.put("k", TOKEN, until));
        assertEquals(Optional.of(TOKEN), nodeA.get("k"), "opens under its own key");
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 20; i++) {
                assertEquals(Optional.empty(), nodeB.get("k"), "another key's value counts as absent");
            }
            assertEquals(1, log.count("WARN", "did not open"), log.text());
            assertTrue(log.text().contains("sg:p:") && log.text().contains("state-store-key"), log.text());

            clock.advance(StateSlot.UNREADABLE_LOG_INTERVAL.plusSeconds(1));
            assertEquals(Optional.empty(), nodeB.get("k"));
            assertEquals(2, log.count("WARN", "did not open"), "once more after the interval: " + log.text());
            assertTrue(log.text().contains("19 similar warnings left out"), log.text());
            assertFalse(log.text().contains(TOKEN) || log.text().contains("sg:p:k"), log.text());
        }
        assertTrue(outages.isEmpty(), "an unreadable value is not an outage: " + outages);
    }

    @Test
    void tamperedBytesAreAbsentAndLogged() {
        StateSlot<String> node = slot(seal(1));
        assertTrue(node.put("k", TOKEN, clock.instant().plus(Duration.ofHours(1))));
        byte[] sealed = bytes.get("sg:p:k").orElseThrow();
        sealed[sealed.length - 3] ^= 1;
        bytes.put("sg:p:k", sealed, Duration.ofHours(1), EntryClass.SECURITY);
        try (LogCapture log = new LogCapture()) {
            assertEquals(Optional.empty(), node.get("k"));
            assertEquals(1, log.count("WARN", "did not open"), log.text());
        }
        bytes.put("sg:p:k", "not a JWE".getBytes(StandardCharsets.US_ASCII), Duration.ofHours(1), EntryClass.SECURITY);
        assertEquals(Optional.empty(), node.get("k"));
    }
}
