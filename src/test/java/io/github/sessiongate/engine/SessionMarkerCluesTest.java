package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.LifetimeSettings;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.cookie.CookieKind;
import io.github.sessiongate.engine.ProviderFactsTest.FactsFlow;
import io.github.sessiongate.lifetime.SessionLifetime;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The clues a cookie request gives the markers besides its token (in-memory default, no network):
 * the sid of the sealed provider-facts cookie, which counts only when bound to the session's
 * subject (a planted facts cookie of another user revokes nothing of the victim's), and the
 * lifetime meta cookie's first login, which is the session's auth time before {@code auth_time}
 * or {@code iat}.
 */
class SessionMarkerCluesTest {
    private static final CookieCodec CODEC = new CookieCodec(CookieSettings.defaults(),
            CookieCodec.sessionKinds(false, true, true), null);
    private static final String FACTS = CODEC.cookieName(CookieKind.PROVIDER_FACTS, 0, true);
    private static final String TRANSACTION = CODEC.cookieName(CookieKind.LOGIN_TRANSACTION, 0, true);
    private static final String META = CODEC.cookieName(CookieKind.LIFETIME_RECORD, 0, true);

    private final MutableClock clock = new MutableClock();
    private final MarkerNode.HsValidator validator = new MarkerNode.HsValidator(clock);

    @Test
    void theFactsCookiesSidRevokesTheSessionOnlyWhenBoundToIt() throws Exception {
        FactsFlow flow = new FactsFlow(); // its facts always name sid-1
        try (MarkerNode node = new MarkerNode(validator, null, clock, b -> b.loginFlow(flow))) {
            InMemoryResponse carol = signIn(node, flow, validator.access("carol", null, clock.instant()));
            InMemoryResponse mallory = signIn(node, flow, validator.access("mallory", null, clock.instant()));
            String carolAccess = carol.cookie(MarkerNode.ACCESS).orElseThrow().getValue();
            String malloryAccess = mallory.cookie(MarkerNode.ACCESS).orElseThrow().getValue();
            String carolFacts = carol.cookie(FACTS).orElseThrow().getValue();
            String malloryFacts = mallory.cookie(FACTS).orElseThrow().getValue();
            assertEquals(200, get(node, carolAccess, carolFacts), "before the marker");

            node.markers().revokeSid("sid-1");
            assertEquals(401, get(node, malloryAccess, malloryFacts), "the facts' sid, bound to this session");
            assertEquals(401, get(node, carolAccess, carolFacts));
            assertEquals(200, get(node, carolAccess, malloryFacts), "facts planted next to carol's session count for nothing");
            assertEquals(200, get(node, carolAccess, null), "the token itself names no sid");
        }
    }

    @Test
    void theMetaCookiesFirstLoginIsTheAuthTime() throws Exception {
        try (MarkerNode node = new MarkerNode(validator, null, clock,
                b -> b.lifetime(LifetimeSettings.builder().absoluteTimeout(Duration.ofHours(8))
                        .signingSecret("marker-clues-lifetime-secret-of-at-least-32-bytes").build()))) {
            SessionLifetime lifetime = node.components.lifetime().orElseThrow();
            String oldMeta = lifetime.start("bob"); // bob signed in now...
            clock.advance(Duration.ofMinutes(30));
            Instant t = clock.instant();
            node.markers().revokeSubject("bob", t);
            clock.advance(Duration.ofMinutes(1));
            String newMeta = lifetime.start("bob");
            TokenPair rotated = validator.login("bob", null); // ...and holds a token issued (iat) after T

            assertEquals(401, get(node, rotated.accessToken(), null, oldMeta), "first login before T: revoked");
            assertEquals(200, get(node, rotated.accessToken(), null, newMeta), "a login after T stands");
            assertEquals(200, get(node, rotated.accessToken(), null, lifetime.start("alice")),
                    "another subject's meta is no auth time for bob: iat decides");
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
        return get(node, access, facts, null);
    }

    private static int get(MarkerNode node, String access, String facts, String meta) throws Exception {
        InMemoryRequest r = InMemoryRequest.get("/app/data").header("Accept", "application/json").cookie(MarkerNode.ACCESS, access);
        if (facts != null) {
            r.cookie(FACTS, facts);
        }
        if (meta != null) {
            r.cookie(META, meta);
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
