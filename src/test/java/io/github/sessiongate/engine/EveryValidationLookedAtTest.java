package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The look on sight is skipped by the validation when the cookie reader already looked
 * ({@code passedSight}): whatever a request does to make the reader look at one value and the
 * validation take another (duplicated or chunked cookies, the other prefix form, several Cookie
 * headers, a bearer header beside a cookie, a held token whose cache entry lapsed), every token the
 * validator is asked to validate was looked at, that very string, since it was last validated; and
 * a value the look refuses is never validated.
 */
class EveryValidationLookedAtTest {
    private static final String ACCESS = new CookieCodec(CookieSettings.defaults()).accessCookieName(true);
    private static final String UNPREFIXED = new CookieCodec(CookieSettings.defaults()).accessCookieName(false);
    private static final Duration TTL = Duration.ofSeconds(2);

    private final MutableClock clock = new MutableClock();
    private final Map<String, AtomicInteger> looksSinceValidated = new ConcurrentHashMap<>();
    private final List<String> unlooked = new ArrayList<>();
    private final AtomicInteger validated = new AtomicInteger();
    private SessionFilter filter;

    /** Refuses on sight a value starting "junk"; records a validation of a token nobody looked at. */
    private final class WatchingValidator extends TokenValidator {
        @Override
        protected ValidationResult.Reason refuseOnSight(String text, int from, int to) {
            looksSinceValidated.computeIfAbsent(text.substring(from, to), t -> new AtomicInteger()).incrementAndGet();
            return text.startsWith("junk", from) ? ValidationResult.Reason.MALFORMED : null;
        }

        @Override
        protected ValidationResult doValidate(String token) {
            validated.incrementAndGet();
            AtomicInteger looks = looksSinceValidated.get(token);
            if (looks == null || looks.getAndSet(0) == 0 || token.startsWith("junk")) {
                synchronized (unlooked) {
                    unlooked.add(token.length() > 12 ? token.substring(0, 12) : token);
                }
            }
            return ValidationResult.valid(Session.builder("alice", token).expiresAt(Instant.now(clock).plusSeconds(600)).build());
        }
    }

    @BeforeEach
    void start() throws Exception {
        filter = new SessionFilter(GateConfig.builder().validator(new WatchingValidator()).protectedPaths("/api/**")
                .acceptBearerHeader(true).cacheTtl(TTL).clock(clock).build());
        filter.init(null);
    }

    @AfterEach
    void stop() {
        filter.destroy();
    }

    private int send(InMemoryRequest request) throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        filter.doFilter(request.build(), response.servlet(), (req, res) -> { });
        return response.status();
    }

    private static String token(String name) {
        return name + "-" + "t".repeat(60);
    }

    @Test
    void everyValidatedTokenWasLookedAtFirst() throws Exception {
        assertEquals(200, send(InMemoryRequest.get("/api/orders").cookie(ACCESS, token("lone"))));
        clock.advance(TTL.plusSeconds(1)); // the held token's cache entry lapsed: validated again
        assertEquals(200, send(InMemoryRequest.get("/api/orders").cookie(ACCESS, token("lone"))));
        clock.advance(TTL.plusSeconds(1));
        assertEquals(200, send(InMemoryRequest.get("/api/orders").header("Cookie", "a=1; " + ACCESS + "=" + token("lone"))));

        String[][] cookieHeaders = {
            {ACCESS + "=" + token("dup-a") + "; " + ACCESS + "=" + token("dup-b")},
            {ACCESS + "=" + token("two-a"), ACCESS + "=" + token("two-b")},
            {ACCESS + "=junk-" + "j".repeat(60), ACCESS + "=" + token("after-junk")},
            {ACCESS + ".0=" + token("chunk-a") + "; " + ACCESS + ".1=" + "t".repeat(40)},
            {ACCESS + "=" + token("whole") + "; " + ACCESS + ".0=" + token("chunk-b")},
            {UNPREFIXED + "=" + token("unprefixed")},
            {UNPREFIXED + "=" + token("unprefixed-b") + "; " + ACCESS + "=" + token("prefixed-b")},
            {"other=" + token("other") + "; " + ACCESS + "=" + token("beside")},
            {ACCESS + "=\"" + token("quoted") + "\""},
            {ACCESS + "=" + token("spaced") + "  "},
        };
        for (String[] headers : cookieHeaders) {
            InMemoryRequest request = InMemoryRequest.get("/api/orders");
            for (String h : headers) {
                request.header("Cookie", h);
            }
            int status = send(request);
            assertTrue(status == 200 || status == 401 || status == 400, () -> List.of(headers) + ": " + status);
        }
        assertEquals(200, send(InMemoryRequest.get("/api/orders").header("Authorization", "Bearer " + token("bearer"))
                .cookie(ACCESS, token("cookie-beside-bearer"))));
        assertEquals(401, send(InMemoryRequest.get("/api/orders").header("Authorization", "Bearer junk-" + "j".repeat(60))
                .cookie(ACCESS, token("cookie-beside-junk-bearer"))));
        assertEquals(401, send(InMemoryRequest.get("/api/orders").cookie(ACCESS, "junk-" + "j".repeat(60))));
        assertTrue(validated.get() >= 5, "validations: " + validated.get());
        assertEquals(List.of(), unlooked, "validated without a look at that very string");
    }
}
