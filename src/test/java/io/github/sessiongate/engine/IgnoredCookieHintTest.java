package io.github.sessiongate.engine;

import static io.github.sessiongate.cookie.CookieCodecTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.AuditEvent;
import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.testing.MutableClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The ignored-cookie event names the setting that would read a cookie of the other prefix form. */
class IgnoredCookieHintTest {
    private static final String SECURE = CookieSettings.PARAM_SECURE;
    private static final String HOST_PREFIX = CookieSettings.PARAM_HOST_PREFIX;

    private final MutableClock clock = new MutableClock();
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Test
    void aBareNameUnderTheDefaultsNamesCookieSecureAndThePrefixSetting() {
        String reason = reasonFor(CookieSettings.defaults(), "sg_access=SECRET; theme=dark", true);
        assertEquals("ignored session-shaped cookie names: unprefixed form, not read here 1 (sg_access); `sg_access` is read"
                + " only with " + SECURE + "=false or " + HOST_PREFIX + "=false; this filter expects `__Host-sg_access`", reason);
        assertFalse(events.toString().contains("SECRET"), "names only, never a value");
    }

    @Test
    void severalBareNamesShareOneHint() {
        String reason = reasonFor(CookieSettings.defaults(), "sg_access=a; sg_refresh=b", true);
        assertTrue(reason.endsWith("; `sg_access`, `sg_refresh` are read only with " + SECURE + "=false or " + HOST_PREFIX
                + "=false; this filter expects `__Host-sg_access`, `__Host-sg_refresh`"), reason);
    }

    @Test
    void aPrefixedNameNamesEachSettingThatKeepsThePrefixOff() {
        assertPrefixedHint(CookieSettings.builder().secure(CookieSettings.SecureMode.NEVER).build(), false,
                SECURE + "=true; this filter expects `sg_access`");
        assertPrefixedHint(CookieSettings.builder().hostPrefix(false).path("/app").build(), true,
                HOST_PREFIX + "=true and " + CookieSettings.PARAM_PATH + "=/; this filter expects `sg_access`");
        // cookie-secure=auto on plain HTTP to loopback: every setting is right, the transport is not.
        assertPrefixedHint(CookieSettings.builder().secure(CookieSettings.SecureMode.AUTO).build(), false,
                SECURE + "=true (auto reads it only over HTTPS or from another host); this filter expects `sg_access`");
    }

    @Test
    void otherIgnoredNamesGetNoHint() {
        String reason = reasonFor(CookieSettings.defaults(), "__Host-sg_access.7=x; sg_meta.0=y", true);
        assertFalse(reason.contains("read only with"), reason);
    }

    private void assertPrefixedHint(CookieSettings settings, boolean secure, String readsWith) {
        events.clear();
        String reason = reasonFor(settings, "__Host-sg_access=x", secure);
        assertTrue(reason.endsWith("; `__Host-sg_access` is read only with " + readsWith), reason);
    }

    private String reasonFor(CookieSettings settings, String cookieHeader, boolean secure) {
        IgnoredCookieAudit audit = new IgnoredCookieAudit(new AuditLog(List.of(events::add), clock), settings, clock);
        audit.report(new CookieCodec(settings, false, false).read(request(cookieHeader), secure), "/api", "203.0.113.7");
        assertEquals(1, events.size());
        assertEquals(AuditEvent.Event.IGNORED_COOKIE, events.get(0).event());
        return events.get(0).reason();
    }
}
