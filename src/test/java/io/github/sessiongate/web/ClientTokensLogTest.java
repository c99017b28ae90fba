package io.github.sessiongate.web;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.ClientTokenSettings;
import static io.github.sessiongate.web.ClientTokensTest.ACCESS_TOKEN;
import static io.github.sessiongate.web.ClientTokensTest.REFRESH_TOKEN;
import static io.github.sessiongate.web.ClientTokensTest.SECRET;
import static io.github.sessiongate.web.ClientTokensTest.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.Session;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Captures what ClientTokens logs at TRACE and proves no token, binding input or secret appears. */
class ClientTokensLogTest {
    private LogCapture capture;

    @BeforeEach
    void captureLog() {
        capture = new LogCapture(ClientTokens.class);
    }

    @AfterEach
    void restore() {
        capture.close();
    }

    @Test
    void noTokenOrSecretIsEverLogged() {
        MutableClock clock = new MutableClock(ClientTokensTest.NOW);
        ClientTokens tokens = FromParams.clientTokens(params(ClientTokenSettings.PARAM_SECRET, SECRET), clock, List.of()).orElseThrow();
        String token = tokens.mint(Session.builder("alice", ACCESS_TOKEN).build(), tokens.bindingOf(REFRESH_TOKEN));
        String[] parts = token.split("\\.");
        tokens.verify(token);
        tokens.verify(parts[0] + "." + parts[1] + ".AAAA" + parts[2]);
        tokens.verify(parts[0] + "." + parts[1]);
        clock.advance(Duration.ofHours(1));
        assertEquals(ValidationResult.Kind.EXPIRED, tokens.verify(token).kind());

        String log = capture.text();
        assertTrue(log.contains("client token refused"), "the paths that log did run");
        assertTrue(log.contains("client tokens enabled"), "the INFO summary did run");
        for (String secret : List.of(SECRET, parts[1], parts[2], ACCESS_TOKEN, REFRESH_TOKEN)) {
            assertFalse(log.contains(secret), "log shows " + secret);
        }
    }
}
