package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.Session;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A token the validator looked at on sight as its cookie was read, and did not refuse, is not
 * looked at again by the validation that follows: one look per new token. A token presented any
 * other way (a bearer header) is still looked at before it is validated.
 */
class OneLookOnSightTest {
    private static final String ACCESS = new CookieCodec(CookieSettings.defaults()).accessCookieName(true);

    private final MutableClock clock = new MutableClock();
    private final AtomicInteger looks = new AtomicInteger();
    private final AtomicInteger validated = new AtomicInteger();
    private SessionFilter filter;

    private final class CountingValidator extends TokenValidator {
        @Override
        protected ValidationResult.Reason refuseOnSight(String text, int from, int to) {
            looks.incrementAndGet();
            return text.startsWith("junk", from) ? ValidationResult.Reason.MALFORMED : null;
        }

        @Override
        protected ValidationResult doValidate(String token) {
            validated.incrementAndGet();
            return ValidationResult.valid(Session.builder("alice", token)
                    .expiresAt(Instant.now(clock).plusSeconds(600)).build());
        }
    }

    private void start() throws Exception {
        filter = new SessionFilter(GateConfig.builder().validator(new CountingValidator()).protectedPaths("/api/**")
                .acceptBearerHeader(true).clock(clock).build());
        filter.init(null);
    }

    @AfterEach
    void stop() {
        filter.destroy();
    }

    @Test
    void aCookieTokenIsLookedAtOnce() throws Exception {
        start();
        String token = "token-" + "t".repeat(60);
        InMemoryResponse response = new InMemoryResponse();
        filter.doFilter(InMemoryRequest.get("/api/orders").cookie(ACCESS, token).build(), response.servlet(), (req, res) -> { });
        assertEquals(200, response.status());
        assertEquals(1, looks.get(), "looked at as the cookie was read, not again before validating");
        assertEquals(1, validated.get());
    }

    @Test
    void aBearerTokenIsLookedAtBeforeItIsValidated() throws Exception {
        start();
        InMemoryResponse response = new InMemoryResponse();
        filter.doFilter(InMemoryRequest.get("/api/orders").header("Authorization", "Bearer junk-" + "j".repeat(60)).build(),
                response.servlet(), (req, res) -> { throw new AssertionError("junk reached the application"); });
        assertEquals(401, response.status());
        assertEquals(1, looks.get());
        assertEquals(0, validated.get(), "refused on sight, never validated");
    }
}
