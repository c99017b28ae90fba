package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.LifetimeSettings;
import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * How long a session marker lasts (the absolute session lifetime when set, else the refresh
 * cookie's Max-Age), and that its stored key never shows the sid or subject.
 */
class SessionMarkersTtlTest {
    private final MutableClock clock = new MutableClock();
    private final MarkerNode.HsValidator validator = new MarkerNode.HsValidator(clock);

    @Test
    void theAbsoluteLifetimeWhenConfiguredElseTheRefreshCookiesMaxAge() {
        GateConfig plain = GateConfig.builder().validator(validator).build();
        assertEquals(CookieSettings.DEFAULT_REFRESH_MAX_AGE, SharedState.markerTtl(plain));
        GateConfig shortCookie = GateConfig.builder().validator(validator)
                .cookies(CookieSettings.builder().refreshMaxAge(Duration.ofDays(2)).build()).build();
        assertEquals(Duration.ofDays(2), SharedState.markerTtl(shortCookie));
        GateConfig absolute = GateConfig.builder().validator(validator).lifetime(LifetimeSettings.builder()
                .absoluteTimeout(Duration.ofHours(8)).signingSecret("marker-ttl-lifetime-secret-of-32-bytes!").build()).build();
        assertEquals(Duration.ofHours(8), SharedState.markerTtl(absolute));
    }

    @Test
    void aMarkerLapsesAfterItsTtlAndItsKeyNamesNothingInClear() throws Exception {
        RevocationLookupCountTest.Counting store = new RevocationLookupCountTest.Counting(clock);
        try (MarkerNode node = new MarkerNode(validator, store, clock)) {
            var token = validator.login("alice@example.com", "sid-secret").accessToken();
            assertTrue(node.markers().revokeSid("sid-secret"));
            java.time.Instant t = clock.instant();
            assertTrue(node.markers().revokeSubject("alice@example.com", t));
            assertEquals(401, node.get(token, null).status());
            clock.advance(CookieSettings.DEFAULT_REFRESH_MAX_AGE.plusSeconds(1));
            String sameSid = validator.access("alice@example.com", "sid-secret", clock.instant());
            assertEquals(200, node.get(sameSid, null).status(), "the sid marker lapsed after its TTL");
            String before = validator.access("alice@example.com", null, t.minusSeconds(1), clock.instant().plusSeconds(60));
            assertEquals(200, node.get(before, null).status(), "the sub marker lapsed too (the token is from before T)");
        }
        assertFalse(store.all.stream().anyMatch(o -> o.contains("alice") || o.contains("sid-secret")), store.all.toString());
        assertNotEquals(0, store.all.stream().filter(o -> o.startsWith("put sg:s:") || o.startsWith("put sg:u:")).count());
    }
}
