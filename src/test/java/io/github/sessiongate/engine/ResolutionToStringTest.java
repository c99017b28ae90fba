package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No decision value prints a token: an assertion message or a debug line could carry it anywhere. */
class ResolutionToStringTest {
    private static final String ACCESS = "eyJhY2Nlc3MiOiJ0b2tlbiJ9.access-secret";
    private static final String REFRESH = "refresh-secret-value";
    private static final String LIFETIME = "lifetime-record-value";
    private static final String GUEST = "guest-token-value";

    @Test
    void everyValueThatHoldsATokenHidesIt() {
        List<Object> values = List.of(
                new Resolution.CookieWrite.Tokens(ACCESS, REFRESH, Duration.ofMinutes(5), LIFETIME, false),
                new Resolution.CookieWrite.Lifetime(LIFETIME),
                new Resolution.CookieWrite.Guest(GUEST, Duration.ofHours(1), true),
                new Resolution.CookieWrite.ClearAll("refresh refused", REFRESH),
                new Resolution.Ended("refresh refused", ACCESS, true, Resolution.Refresh.values()[0]));
        for (Object value : values) {
            String shown = value.toString();
            for (String secret : List.of(ACCESS, REFRESH, LIFETIME, GUEST)) {
                assertFalse(shown.contains(secret), shown);
            }
            assertTrue(shown.contains("[PROTECTED]"), shown);
        }
    }
}
