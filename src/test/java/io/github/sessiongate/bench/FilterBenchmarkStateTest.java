package io.github.sessiongate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.Session;
import jakarta.servlet.http.Cookie;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The states of {@link FilterBenchmark} still measure what they say, checked with every build
 * (JMH runs only under {@code -Pjmh}): a warm and a cold token pass the real filter with a session,
 * every kind of garbage is refused with 401 before the application, and the bench request and
 * response record what the filter does. No timing here.
 */
class FilterBenchmarkStateTest {
    private static final List<String> KINDS = List.of("badBase64", "wrongSegments", "badHeader", "unknownKid", "badAlg", "oversize");

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "RS256", "ES256", "EdDSA"})
    void warmColdAndGarbagePathsAnswerAsTheBenchmarkExpects(String alg) throws Exception {
        FilterBenchmark.Gate gate = new FilterBenchmark.Gate();
        gate.alg = alg;
        gate.start(); // checks two warm requests: 200, the session reached the application
        try {
            FilterBenchmark.Exchange x = new FilterBenchmark.Exchange();
            long validations = gate.metrics.getValidations();
            for (int n = 1; n <= 3; n++) {
                String cold = gate.keys.token(n);
                assertEquals(200, x.send(gate, gate.accessCookie + "=" + cold), alg + " cold token " + n);
                assertTrue(Session.from(x.chain.last).isPresent(), alg + " cold token " + n + ": no session");
            }
            assertEquals(3, x.chain.requests);
            assertEquals(validations + 3, gate.metrics.getValidations(), alg + ": three cold tokens, three validations");
            for (String kind : KINDS) {
                FilterBenchmark.Exchange g = new FilterBenchmark.Exchange();
                assertEquals(401, g.send(gate, gate.accessCookie + "=" + gate.keys.garbage(kind)), alg + " " + kind);
                assertEquals(0, g.chain.requests, alg + " " + kind + " reached the application");
            }
            gate.bare.processToClaims(gate.keys.token(4)); // the floor's consumer accepts the same tokens
        } finally {
            gate.stop();
        }
    }

    @Test
    void theColdCursorWalksItsOwnSliceAndWraps() {
        FilterBenchmark.ColdTokens cold = new FilterBenchmark.ColdTokens();
        cold.tokens = new String[10];
        FilterBenchmark.ColdCursor cursor = new FilterBenchmark.ColdCursor();
        cursor.slice(cold, threads(1, 3));
        int[] seen = new int[5];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = cursor.next();
        }
        assertEquals(List.of(3, 4, 5, 3, 4), java.util.Arrays.stream(seen).boxed().toList());
    }

    @Test
    void theResponseCountsEverySetCookieAndResets() {
        BenchResponse response = new BenchResponse();
        response.addCookie(new Cookie("a", ""));
        response.addHeader("set-cookie", "b=; Max-Age=0");
        response.setHeader("Cache-Control", "no-store");
        response.setStatus(401);
        assertEquals(2, response.setCookieCount());
        assertEquals(2, response.getHeaders("Set-Cookie").size());
        assertEquals("no-store", response.getHeader("cache-control"));
        response.setHeader("Set-Cookie", null);
        assertEquals(1, response.setCookieCount());
        response.reset();
        assertEquals(0, response.setCookieCount());
        assertEquals(200, response.getStatus());
        assertNull(response.getHeader("Cache-Control"));
    }

    @Test
    void theRequestReadsHeadersCaseBlindAndForgetsAttributesOnReset() {
        BenchRequest request = new BenchRequest("/api/orders", "x=1");
        request.setAttribute("k", "v");
        assertEquals("x=1", request.getHeader("cookie"));
        assertEquals("v", request.getAttribute("k"));
        request.reset("x=2");
        assertEquals("x=2", request.getHeader("COOKIE"));
        assertNull(request.getAttribute("k"));
        request.reset(null);
        assertNull(request.getHeader("Cookie"));
        assertTrue(request.isSecure());
    }

    private static org.openjdk.jmh.infra.ThreadParams threads(int index, int count) {
        return new org.openjdk.jmh.infra.ThreadParams(index, count, 0, 1, 0, 1, index, count, index, count);
    }
}
