package io.github.sessiongate.rotation;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.store.InMemoryExpiringStore;
import io.github.sessiongate.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Adversarial check of {@link Revocations#liftReissued} with a shared store and two nodes, each
 * with its own memory of the revocations it wrote ({@code here}): a logout on node B, then a
 * sign-in on node A handed the same jti-less token within the second: a lift that only some of the
 * nodes' memories saw would end the new session on the others, so with a shared store there is none.
 */
class ReissuedAcrossNodesTest {
    private final MutableClock clock = new MutableClock();
    private final InMemoryExpiringStore<Boolean> shared = new InMemoryExpiringStore<>(100, clock);
    private final Revocations nodeA = new Revocations(shared, new InMemoryExpiringStore<>(100, clock), Duration.ofSeconds(30), clock);
    private final Revocations nodeB = new Revocations(shared, new InMemoryExpiringStore<>(100, clock), Duration.ofSeconds(30), clock);
    private final long exp = clock.instant().plusSeconds(300).getEpochSecond();
    private final String token = jws("{\"iss\":\"https://idp\",\"sub\":\"alice\",\"exp\":" + exp + "}");

    /**
     * Node B signed the token out and keeps it in its own memory ({@code here}, consulted by
     * {@code Validations} after every validation); a lift on node A could reach the shared store
     * but not that memory, and node B would end the new session on every request it serves. So with
     * a shared store nothing is lifted, on any node: the revocation stands everywhere and the
     * sign-in answers 503 as before.
     */
    @Test
    void withASharedStoreNothingIsLiftedOnAnyNode() {
        assertTrue(nodeB.revoke(token, null));
        assertAll(
                () -> assertFalse(nodeA.liftReissued(token), "another node"),
                () -> assertFalse(nodeB.liftReissued(token), "the node that revoked"),
                () -> assertTrue(nodeA.isRevoked(token)),
                () -> assertTrue(nodeB.isRevoked(token)),
                () -> assertTrue(nodeB.revokedHere(() -> TokenIdentity.of(token))));
    }

    @Test
    void aTokenWithAJtiIsNeverLiftedOnAnyNode() {
        String withJti = jws("{\"iss\":\"https://idp\",\"jti\":\"j1\",\"sub\":\"alice\",\"exp\":" + exp + "}");
        assertTrue(nodeB.revoke(withJti, null));
        assertAll(
                () -> assertFalse(nodeA.liftReissued(withJti)),
                () -> assertTrue(nodeA.isRevoked(withJti)),
                () -> assertTrue(nodeB.revokedHere(() -> TokenIdentity.of(withJti))));
    }

    private static String jws(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("sig".getBytes(StandardCharsets.UTF_8));
    }
}
