package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.login.BackChannelLogout;
import io.github.sessiongate.login.BackChannelLogout.Replays.Claim;
import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ledger of used logout-token {@code jti}s in the engine's shared state ({@link SharedState#logoutTokenIds()}):
 * once per issuer and {@code jti} for the TTL on the default store; across nodes on a shared store,
 * under an HMAC key name that shows neither; in this node's memory while the shared store is down.
 */
class BackChannelReplayLedgerTest {
    private static final String KEY = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]).replace('A', 'q');
    private static final String ISSUER = "https://id.example/realms/demo";
    private static final Duration TTL = BackChannelLogout.REPLAY_TTL;

    private final MutableClock clock = new MutableClock();

    private GateConfig.Builder config() {
        return GateConfig.builder().validator(new SharedStateTest.Rotating(clock)).clock(clock);
    }

    @Test
    void onTheDefaultStoreAJtiIsClaimedOnceUntilItsTtlEnds() {
        BackChannelLogout.Replays ledger = SharedState.create(config().build()).logoutTokenIds();
        assertEquals(Claim.FIRST, ledger.claim(ISSUER, "j1", TTL));
        assertEquals(Claim.SEEN, ledger.claim(ISSUER, "j1", TTL));
        assertEquals(Claim.FIRST, ledger.claim("https://other.example", "j1", TTL), "per issuer");
        assertEquals(Claim.FIRST, ledger.claim(ISSUER, "j2", TTL));
        ledger.release(ISSUER, "j2");
        assertEquals(Claim.FIRST, ledger.claim(ISSUER, "j2", TTL), "released: the provider's retry is no replay");
        clock.advance(TTL.minusSeconds(1));
        assertEquals(Claim.SEEN, ledger.claim(ISSUER, "j1", TTL));
        clock.advance(Duration.ofSeconds(2));
        assertEquals(Claim.FIRST, ledger.claim(ISSUER, "j1", TTL), "forgotten after the TTL");
    }

    @Test
    void onASharedStoreAJtiUsedOnOneNodeIsAReplayOnTheOtherUnderAKeyedName() {
        SharedStateTest.CountingStore store = new SharedStateTest.CountingStore(clock, true);
        BackChannelLogout.Replays nodeA = SharedState.create(config().stateStore(store).stateStoreKey(KEY).build()).logoutTokenIds();
        BackChannelLogout.Replays nodeB = SharedState.create(config().stateStore(store).stateStoreKey(KEY).build()).logoutTokenIds();
        assertEquals(Claim.FIRST, nodeA.claim(ISSUER, "jti-secret-ish", TTL));
        assertEquals(Claim.SEEN, nodeB.claim(ISSUER, "jti-secret-ish", TTL));
        List<String> keys;
        synchronized (store.ops) {
            keys = store.ops.stream().filter(o -> o.contains(SharedState.LOGOUT_JTIS)).toList();
        }
        assertFalse(keys.isEmpty(), "written to the shared store");
        for (String op : keys) {
            String name = op.substring(op.indexOf(SharedState.LOGOUT_JTIS) + SharedState.LOGOUT_JTIS.length()).split(" ")[0];
            assertEquals(43, name.length(), op);
            assertFalse(op.contains("jti-secret-ish") || op.contains("id.example"), op);
        }
    }

    @Test
    void aDownSharedStoreFallsBackToThisNodesMemoryWithoutThrowing() {
        BackChannelLogout.Replays ledger = SharedState.create(config().stateStore(new SharedStateTest.DownStore())
                .stateStoreKey(KEY).build()).logoutTokenIds();
        assertEquals(Claim.FIRST, ledger.claim(ISSUER, "j1", TTL));
        assertEquals(Claim.SEEN, ledger.claim(ISSUER, "j1", TTL), "a replay on this node is still caught");
        ledger.release(ISSUER, "j1");
        assertTrue(ledger.claim(ISSUER, "j1", TTL) == Claim.FIRST);
    }
}
