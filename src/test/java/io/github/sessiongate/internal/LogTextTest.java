package io.github.sessiongate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A token's value in an audit line cannot break the line, its quotes, or pass for another field. */
class LogTextTest {
    @Test
    void aValueCannotAddAFieldToTheAuditLine() {
        String shown = LogText.quoted("https://idp path=/admin client=10.0.0.1 token=abc");

        assertFalse(shown.contains("="), shown);
        assertEquals("\"https://idp path\\u003d/admin client\\u003d10.0.0.1 token\\u003dabc\"", shown);
    }

    @Test
    void controlCharactersQuotesAndBackslashesAreEscapedAndTheValueIsCut() {
        assertEquals("\"a\\u000d\\u000ab\\u0022\\u005c\\u001b\"", LogText.quoted("a\r\nb\"\\\u001b"));
        String longValue = "x".repeat(150);
        assertEquals("\"" + "x".repeat(LogText.MAX) + "...\"", LogText.quoted(longValue));
        assertEquals("[\"a\", \"b\"]", LogText.quoted(List.of("a", "b")));
        assertEquals("(none)", LogText.quoted(null));
    }
}
