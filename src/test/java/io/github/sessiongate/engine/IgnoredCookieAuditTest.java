package io.github.sessiongate.engine;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.cookie.SessionCookies;
import static io.github.sessiongate.cookie.CookieCodecTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.AuditEvent;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class IgnoredCookieAuditTest {
    private final MutableClock clock = new MutableClock();
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final IgnoredCookieAudit audit = new IgnoredCookieAudit(new AuditLog(List.of(events::add), clock), CookieSettings.defaults(), clock);
    private final CookieCodec codec = new CookieCodec(CookieSettings.defaults(), false, false);

    @Test
    void oneEventPerIntervalCountingTheRequestsLeftOut() {
        SessionCookies planted = codec.read(request("__Host-sg_access.7=SECRET; sg_meta.0=SECRET"), true);
        for (int i = 0; i < 1000; i++) {
            audit.report(planted, "/api", "203.0.113.7");
        }
        assertEquals(1, events.size(), "a flood gives one event");
        AuditEvent first = events.get(0);
        assertEquals(AuditEvent.Event.IGNORED_COOKIE, first.event());
        assertEquals("ignored session-shaped cookie names: chunk suffix out of range 1 (__Host-sg_access.7); "
                + "kind not configured 1 (sg_meta.0)", first.reason());
        assertEquals("-", first.tokenFingerprint());

        clock.advance(IgnoredCookieAudit.INTERVAL.minusSeconds(1));
        audit.report(planted, "/api", "203.0.113.7");
        assertEquals(1, events.size());
        clock.advance(Duration.ofSeconds(1));
        audit.report(planted, "/api", "203.0.113.7");
        assertEquals(2, events.size());
        assertTrue(events.get(1).reason().startsWith("1000 similar requests left out since the last; ignored"),
                events.get(1).reason());
        assertFalse(events.toString().contains("SECRET"));
    }

    @Test
    void nothingIgnoredNothingRecordedAndAClockSteppedBackDoesNotSilenceIt() {
        audit.report(codec.read(request("__Host-sg_access=a; other=b"), true), "/", "c");
        assertEquals(0, events.size());
        SessionCookies planted = codec.read(request("sg_guest=x"), true);
        audit.report(planted, "/", "c");
        clock.advance(Duration.ofDays(-1));
        audit.report(planted, "/", "c");
        assertEquals(2, events.size(), "a clock stepped back by more than the interval reopens the window");
    }
}
