package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.cookie.CookieKind;
import io.github.sessiongate.engine.ProviderFactsTest.FactsFlow;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * Attempts to dodge a sid marker with the provider-facts cookie (in-memory default): the facts
 * cookie of another session, of another user or of the same user, planted next to a session whose
 * access token names its own {@code sid}, must not hide that sid from the marker lookup; and a
 * planted facts cookie never makes another user's session revoked.
 */
class SessionMarkerAttackTest {
    private static final CookieCodec CODEC = new CookieCodec(CookieSettings.defaults(),
            CookieCodec.sessionKinds(false, true, true), null);
    private static final String FACTS = CODEC.cookieName(CookieKind.PROVIDER_FACTS, 0, true);
    private static final String TRANSACTION = CODEC.cookieName(CookieKind.LOGIN_TRANSACTION, 0, true);

    private final MutableClock clock = new MutableClock();
    private final MarkerNode.HsValidator validator = new MarkerNode.HsValidator(clock);

    @Test
    void anotherUsersFactsCookieDoesNotHideTheTokensOwnSid() throws Exception {
        FactsFlow flow = new FactsFlow(); // its facts always name sid-1
        try (MarkerNode node = new MarkerNode(validator, null, clock, b -> b.loginFlow(flow))) {
            String carolAccess = validator.access("carol", "sid-carol", clock.instant());
            InMemoryResponse mallory = signIn(node, flow, validator.access("mallory", null, clock.instant()));
            String malloryFacts = mallory.cookie(FACTS).orElseThrow().getValue();
            assertEquals(200, get(node, carolAccess, malloryFacts), "before the marker");

            node.markers().revokeSid("sid-carol"); // the provider ended carol's session (back-channel)
            assertEquals(401, get(node, carolAccess, null), "the token's own sid");
            assertEquals(401, get(node, carolAccess, malloryFacts), "a planted facts cookie hides nothing");
        }
    }

    @Test
    void theSameUsersFactsCookieOfAnotherSessionDoesNotHideTheTokensOwnSid() throws Exception {
        FactsFlow flow = new FactsFlow(); // facts of carol's session sid-1, bound to carol
        try (MarkerNode node = new MarkerNode(validator, null, clock, b -> b.loginFlow(flow))) {
            InMemoryResponse other = signIn(node, flow, validator.access("carol", "sid-1", clock.instant()));
            String otherFacts = other.cookie(FACTS).orElseThrow().getValue();
            String revokedAccess = validator.access("carol", "sid-2", clock.instant());

            node.markers().revokeSid("sid-2");
            assertEquals(401, get(node, revokedAccess, otherFacts), "facts of carol's live session sid-1 hide nothing");
            assertEquals(200, get(node, other.cookie(MarkerNode.ACCESS).orElseThrow().getValue(), otherFacts),
                    "the live session stands");
        }
    }

    @Test
    void aPlantedFactsCookieNeverRevokesAnotherUsersSession() throws Exception {
        FactsFlow flow = new FactsFlow(); // mallory's facts name sid-1
        try (MarkerNode node = new MarkerNode(validator, null, clock, b -> b.loginFlow(flow))) {
            InMemoryResponse mallory = signIn(node, flow, validator.access("mallory", null, clock.instant()));
            String malloryFacts = mallory.cookie(FACTS).orElseThrow().getValue();
            String carolAccess = validator.access("carol", "sid-carol", clock.instant());
            node.markers().revokeSid("sid-1"); // mallory signs her own provider session out
            assertEquals(200, get(node, carolAccess, malloryFacts), "mallory's marker, next to carol's session, is not carol's");
            assertEquals(200, get(node, carolAccess, null));
        }
    }

    private static InMemoryResponse signIn(MarkerNode node, FactsFlow flow, String access) throws Exception {
        flow.access = access;
        flow.refresh = "refresh-" + access.hashCode();
        InMemoryResponse enter = run(node, InMemoryRequest.get("/app/page").navigation());
        String tx = enter.cookie(TRANSACTION).orElseThrow().getValue();
        InMemoryResponse r = run(node, InMemoryRequest.get("/auth/callback").query("state=s1")
                .header("Sec-Fetch-Site", "cross-site").navigation().cookie(TRANSACTION, tx));
        assertEquals(303, r.status(), r.body());
        return r;
    }

    private static int get(MarkerNode node, String access, String facts) throws Exception {
        InMemoryRequest r = InMemoryRequest.get("/app/data").header("Accept", "application/json").cookie(MarkerNode.ACCESS, access);
        if (facts != null) {
            r.cookie(FACTS, facts);
        }
        boolean[] reached = {false};
        InMemoryResponse response = new InMemoryResponse();
        node.steps.handle(r.build(), response.servlet(), (req, res) -> reached[0] = true);
        return reached[0] ? 200 : response.status();
    }

    private static InMemoryResponse run(MarkerNode node, InMemoryRequest request) throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        node.steps.handle(request.build(), response.servlet(), (req, res) -> { });
        return response;
    }
}
