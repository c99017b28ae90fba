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
 * sign-in on node A handed the same jti-less token within the second. What an attacker holding a
 * copy may do with it is what the victim's own session may do (the same bearer string): the lift
 * must leave neither node refusing the new session nor any node serving a token it should not.
 */
class ReissuedAcrossNodesTest {
    private final MutableClock clock = new MutableClock();
    private final InMemoryExpiringStore<Boolean> shared = new InMemoryExpiringStore<>(100, clock);
    private final Revocations nodeA = new Revocations(shared, new InMemoryExpiringStore<>(100, clock), Duration.ofSeconds(30), clock);
    private final Revocations nodeB = new Revocations(shared, new InMemoryExpiringStore<>(100, clock), Duration.ofSeconds(30), clock);
    private final long exp = clock.instant().plusSeconds(300).getEpochSecond();
    private final String token = jws("{\"iss\":\"https://idp\",\"sub\":\"alice\",\"exp\":" + exp + "}");

    @Test
    void aLiftOnTheNodeThatRevokedLeavesNothingBehind() {
        assertTrue(nodeA.revoke(token, null));
        assertTrue(nodeA.liftReissued(token));
        assertAll(
                () -> assertFalse(nodeA.isRevoked(token)),
                () -> assertFalse(nodeA.revokedHere(() -> TokenIdentity.of(token))),
                () -> assertFalse(nodeB.isRevoked(token)));
    }

    /**
     * FAILS on main (0791f20): node B signed the token out and keeps it in its own memory
     * ({@code here}, consulted by {@code Validations} after every validation: "signed out on this
     * node while the validator ran"); node A lifts the revocation from the shared store and its own
     * memory only. Every request of the new session that node B validates is then refused as
     * REVOKED, and the session ended, until the token expires: behind a load balancer the sign-in
     * this change exists for still fails on every other request. Fails closed (no token served
     * that should not be), so availability, not a way in.
     */
    @Test
    void aLiftOnAnotherNodeLeavesTheRevokingNodeRefusingTheNewSession() {
        assertTrue(nodeB.revoke(token, null));
        assertTrue(nodeA.liftReissued(token), "the shared store says revoked: lifted");
        assertAll(
                () -> assertFalse(nodeA.isRevoked(token)),
                () -> assertFalse(nodeB.isRevoked(token), "the shared store no longer holds it"),
                () -> assertFalse(nodeB.revokedHere(() -> TokenIdentity.of(token)),
                        "node B's own memory still voids every verdict on the new session's token"));
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
