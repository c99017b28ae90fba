package io.github.sessiongate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.web.LoginLimiter.Status;
import io.github.sessiongate.web.LoginLimiter.Ticket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Invisible (default-ignorable) code points never make a username count separately. */
class LoginUsernameIgnorablesTest {

    @Test
    void defaultIgnorableCodePointsAreStripped() {
        String[] spellings = {
            "alice\u200B", // zero width space
            "\u00ADalice", // soft hyphen
            "al\uFEFFice", // zero width no-break space
            "ali\u2060ce", // word joiner
            "alice\uFE0F", // variation selector-16
            "a\u034Flice", // combining grapheme joiner
            "alic\u200De", // zero width joiner
            "\u202Ealice\u202C", // right-to-left override ... pop
            "alice\u2064", // invisible plus
            "\u180Ealice", // Mongolian vowel separator
            "alice\uDB40\uDC20", // U+E0020 tag space
            "alice\uDB40\uDD00", // U+E0100 variation selector-17
            "alice\u3164", // Hangul filler
            "alice\uFFA0", // halfwidth Hangul filler (NFKC maps it to U+3164)
            "\u200B Ａlice\u00AD ", // ignorables around white space and a full-width letter
        };
        for (String s : spellings) {
            assertEquals("alice", LoginLimiter.normaliseUsername(s), () -> escaped(s));
        }
    }

    @Test
    void anIgnorableBetweenALetterAndItsCombiningMarkDoesNotKeepThemApart() {
        assertEquals("\u00E9ve", LoginLimiter.normaliseUsername("e\u200B\u0301ve"), "composes to é once the ZWSP is gone");
        assertEquals(LoginLimiter.normaliseUsername("\u00C9ve"), LoginLimiter.normaliseUsername("E\u2060\u0301ve"));
    }

    @Test
    void visibleCharactersAreKept() {
        assertEquals("al-ice", LoginLimiter.normaliseUsername("al-ice"));
        assertEquals("ali ce", LoginLimiter.normaliseUsername("ali\u00A0ce"), "a no-break space is visible: NFKC makes it a space");
        assertEquals("ålice", LoginLimiter.normaliseUsername("Ålice"));
        assertEquals("\u0627\u0644\u064A\u0633", LoginLimiter.normaliseUsername("\u0627\u0644\u064A\u0633"));
    }

    @Test
    void theRangesFollowDerivedCorePropertiesAtTheirEdges() {
        int[] ignorable = {0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180F, 0x200B, 0x200F, 0x202A,
            0x202E, 0x2060, 0x206F, 0x3164, 0xFE00, 0xFE0F, 0xFEFF, 0xFFA0, 0xFFF0, 0xFFF8, 0x1BCA0, 0x1BCA3, 0x1D173,
            0x1D17A, 0xE0000, 0xE0FFF};
        int[] visible = {'a', 0x00AC, 0x00AE, 0x034E, 0x0350, 0x061B, 0x115E, 0x1161, 0x17B3, 0x17B6, 0x180A, 0x1810,
            0x200A, 0x2010, 0x2029, 0x202F, 0x205F, 0x2070, 0x3163, 0x3165, 0xFDFF, 0xFE10, 0xFEFE, 0xFF00, 0xFF9F, 0xFFA1,
            0xFFEF, 0xFFF9, 0xFFFD, 0x1BC9F, 0x1BCA4, 0x1D172, 0x1D17B, 0xDFFFF, 0xE1000, 0x10FFFF};
        for (int c : ignorable) {
            assertTrue(LoginLimiter.isDefaultIgnorable(c), () -> Integer.toHexString(c));
        }
        for (int c : visible) {
            assertFalse(LoginLimiter.isDefaultIgnorable(c), () -> Integer.toHexString(c));
        }
    }

    @Test
    void invisibleRespellingsCountAsOnePair() {
        LoginLimiter limiter = new LoginLimiter(3, 15, Duration.ofMinutes(5), Duration.ofSeconds(2), 100, new MutableClock());
        for (String s : new String[] {"alice\u200B", "\u00ADalice", "al\uFEFFice"}) {
            try (Ticket t = limiter.begin(s, "203.0.113.7")) {
                assertEquals(Status.GRANTED, t.status());
                t.failed();
            }
        }
        assertTrue(limiter.retryAfterSeconds("alice", "203.0.113.7") > 0, "three invisible respellings, one pair");
        assertEquals(Status.LIMITED, limiter.begin("ali\u2060ce", "203.0.113.7").status());
    }

    private static String escaped(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.append(c < 0x80 ? Character.toString(c) : String.format("\\u{%X}", c)));
        return b.toString();
    }
}
