package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.sessiongate.AuditEvent;
import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.audit.Fingerprint;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An access cookie the validator refuses on sight is refused while still in its {@code Cookie}
 * header, never copied out, with the verdict, counters, answer, clearing and audit lines of the
 * validation path: the token's own fingerprint in each audit line when the audit records, no
 * {@link TokenValidator#validate} call, one validation counted, one 401, one clearing header.
 */
class JunkCookieOnSightTest {
    private static final String ACCESS = new CookieCodec(CookieSettings.defaults()).accessCookieName(true);
    private static final String JUNK = "junk.not-a-token";

    private final MutableClock clock = new MutableClock();
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger validated = new AtomicInteger();
    private SessionFilter filter;

    /** Refuses every token starting with "junk" on sight, and in {@link #doValidate} for the same reason. */
    private final class SightedValidator extends TokenValidator {
        @Override
        protected ValidationResult.Reason refuseOnSight(String text, int from, int to) {
            return text.startsWith("junk", from) ? ValidationResult.Reason.MALFORMED : null;
        }

        @Override
        protected ValidationResult doValidate(String token) {
            validated.incrementAndGet();
            return ValidationResult.invalid(ValidationResult.Reason.MALFORMED);
        }
    }

    private void start(boolean listening) throws Exception {
        GateConfig.Builder b = GateConfig.builder().validator(new SightedValidator()).protectedPaths("/api/**").clock(clock);
        if (listening) {
            b.auditListeners(List.of(events::add));
        }
        filter = new SessionFilter(b.build());
        filter.init(null);
    }

    @AfterEach
    void stop() {
        filter.destroy();
    }

    private InMemoryResponse send(String cookieValue) throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        filter.doFilter(InMemoryRequest.get("/api/orders").cookie(ACCESS, cookieValue).build(), response.servlet(),
                (req, res) -> { throw new AssertionError("junk reached the application"); });
        return response;
    }

    @Test
    void auditedWithTheTokensOwnFingerprint() throws Exception {
        start(true);
        InMemoryResponse response = send(JUNK);
        assertEquals(401, response.status());
        assertEquals(1, response.cookies().size(), "one clearing Set-Cookie for the one cookie carried");
        assertEquals(0, response.cookies().get(0).getMaxAge());
        assertEquals(0, validated.get(), "refused on sight: the validator's validate is never called");
        assertEquals(1, filter.metrics().getValidations());
        String fingerprint = Fingerprint.of(JUNK);
        assertEquals(List.of(Event.INVALID_TOKEN, Event.COOKIES_CLEARED, Event.DENIED),
                events.stream().map(AuditEvent::event).toList());
        for (AuditEvent e : events) {
            assertEquals(fingerprint, e.tokenFingerprint(), e.toString());
        }
        assertEquals("malformed", events.get(0).reason());
    }

    @Test
    void withoutAuditTheAnswerIsTheSame() throws Exception {
        start(false);
        InMemoryResponse response = send(JUNK);
        assertEquals(401, response.status());
        assertEquals(1, response.cookies().size());
        assertEquals(0, validated.get());
        assertEquals(1, filter.metrics().getValidations());
    }

    @Test
    void aTokenTheSightPassesIsValidated() throws Exception {
        start(true);
        assertEquals(401, send("eyJ.other.token").status());
        assertEquals(1, validated.get());
        assertFalse(events.isEmpty());
        assertEquals(Fingerprint.of("eyJ.other.token"), events.get(0).tokenFingerprint());
    }
}
