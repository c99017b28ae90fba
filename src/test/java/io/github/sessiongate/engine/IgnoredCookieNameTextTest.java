package io.github.sessiongate.engine;

import static io.github.sessiongate.cookie.CookieCodecTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.AuditEvent;
import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cookie names are the attacker's text: in the ignored-cookie audit line (summary and prefix-form
 * hint) they never break the line (CR, LF, ESC, a C1 CSI, a line separator), never bring a value,
 * and the line stays short however long the name.
 */
class IgnoredCookieNameTextTest {
    private final MutableClock clock = new MutableClock();
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @ParameterizedTest
    @ValueSource(strings = {
        "sg_access.\u001b[2J\u001b[31mFAKE=SECRETVALUE",
        "__Host-sg_access.\u009b31mX=SECRETVALUE",
        "sg_access.\r\nFAKE audit line=SECRETVALUE",
        "sg_access.\u2028\u202eevil=SECRETVALUE",
        "sg_access.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000=SECRETVALUE"})
    void hostileCookieNamesNeitherBreakNorFloodTheAuditLine(String cookie) throws Exception {
        String log = LogCapture.during(() -> {
            IgnoredCookieAudit audit = new IgnoredCookieAudit(new AuditLog(List.of(events::add), clock), CookieSettings.defaults(),
                    clock);
            audit.report(new CookieCodec(CookieSettings.defaults(), false, false).read(request("sg_access=x; " + cookie), true),
                    "/api", "203.0.113.7");
        });
        assertEquals(1, events.size(), () -> "one ignored-cookie event: " + events);
        String line = log.lines().filter(l -> l.contains("ignored session-shaped")).findFirst().orElse("");
        assertTrue(line.length() > 0, () -> "the audit line: " + log);
        assertFalse(log.contains("SECRETVALUE") || events.toString().contains("SECRETVALUE"), "names only, never a value");
        assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), () -> "a raw control or non-ASCII character: " + line);
        assertFalse(log.lines().anyMatch(l -> l.startsWith("FAKE")), "a forged line");
        assertTrue(events.get(0).reason().length() < 1000, () -> "bounded: " + events.get(0).reason().length());
    }
}
