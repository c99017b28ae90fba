package io.github.sessiongate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.RefreshStorm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A refresh storm through the real filter: 1,000 requests released together with one expired
 * RS256 access token and its refresh token, against a real HTTP backend whose refresh answers
 * after 200 ms. Counts, not times (the latencies are {@code bench.RefreshStormBenchmark}'s): one
 * backend refresh, one signature verification of the expired token (its verdict is shared, not
 * recomputed per request), one of the new token, and every request answered 200 with the session
 * and the new pair. The clock is frozen, so the shared verdict's {@code cache-ttl} cannot lapse
 * on a slow machine and the counts are exact.
 */
class RefreshStormTest {
    private static final int REQUESTS = 1_000;

    @Test
    void aThousandConcurrentRequestsWithOneExpiredPairMakeOneRefreshAndOneVerification() throws Exception {
        try (RefreshStorm storm = new RefreshStorm(new MutableClock(), REQUESTS, Duration.ofMillis(200))) {
            assertEquals(200, storm.warmRequest());
            for (int round = 0; round < 2; round++) { // a second storm with a new pair: nothing carried over
                RefreshStorm.Outcome o = storm.run();
                String what = o.summary();
                assertEquals(1, o.backendRefreshCalls(), what);
                assertEquals(1, o.verificationsOfExpiredToken(), what);
                assertEquals(1, o.verificationsOfNewToken(), what);
                assertEquals(REQUESTS, o.ok(), what);
                assertEquals(REQUESTS, o.withSession(), what);
                assertEquals(REQUESTS, o.withNewAccessCookie(), what);
            }
        }
    }
}
