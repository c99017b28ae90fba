package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.rotation.Validations;
import io.github.sessiongate.testing.MutableClock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A sign-out on this node while the validator runs voids the verdict that started before it, on a
 * shared store too, without a second store round trip: the node's own memory of what it revoked
 * or marked is consulted after the call.
 */
class InFlightSignOutTest {
    private final MutableClock clock = new MutableClock();
    private final MarkerNode.HsValidator tokens = new MarkerNode.HsValidator(clock);
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final RevocationLookupCountTest.Counting store = new RevocationLookupCountTest.Counting(clock);

    /** Validates as {@link MarkerNode.HsValidator} does, after waiting for the test's go-ahead. */
    private final class Held extends TokenValidator {
        @Override
        protected ValidationResult doValidate(String token) throws Exception {
            entered.countDown();
            assertTrue(release.await(10, TimeUnit.SECONDS));
            return tokens.validate(token);
        }
    }

    private RequestSteps steps;

    @org.junit.jupiter.api.AfterEach
    void stop() {
        release.countDown();
        if (steps != null) {
            steps.close();
        }
    }

    private Validations validations(GateConfig.Builder b) {
        steps = new RequestSteps(Components.fromConfig(b.validator(new Held()).clock(clock).stateStore(store)
                .stateStoreKey(MarkerNode.STATE_KEY).build()), "", "in-flight");
        return steps.validations;
    }

    @Test
    void aLogoutHereWhileTheValidatorRunsVoidsItsVerdict() throws Exception {
        Validations v = validations(GateConfig.builder());
        TokenPair pair = tokens.login("alice", null);
        CompletableFuture<Validations.Checked> running = CompletableFuture.supplyAsync(() -> v.validate(pair.accessToken()));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        store.ops.clear();
        assertTrue(v.revocations().revoke(pair.accessToken(), null)); // the logout, on this node
        release.countDown();
        Validations.Checked checked = running.get(10, TimeUnit.SECONDS);
        assertEquals(Validations.Source.REVOKED, checked.source());
        assertEquals("put sg:r:", store.ops.get(0));
        assertTrue(store.ops.stream().noneMatch(o -> o.startsWith("get")), "no read after the call: this node's memory "
                + "answered " + store.ops);
    }

    @Test
    void aSidMarkHereWhileTheValidatorRunsVoidsItsVerdict() throws Exception {
        Validations v = validations(GateConfig.builder());
        TokenPair pair = tokens.login("alice", "sid-7");
        CompletableFuture<Validations.Checked> running = CompletableFuture.supplyAsync(() -> v.validate(pair.accessToken()));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        store.ops.clear();
        assertTrue(v.markers().revokeSid("sid-7")); // a back-channel logout, on this node
        release.countDown();
        Validations.Checked checked = running.get(10, TimeUnit.SECONDS);
        assertEquals(Validations.Source.MARKED, checked.source());
        assertSame(Validations.SESSION_REVOKED, checked.result());
        assertEquals("put sg:s:", store.ops.get(0));
        assertTrue(store.ops.stream().noneMatch(o -> o.startsWith("get")), "no read after the call " + store.ops);
    }
}
