package io.github.sessiongate.audit;

import io.github.sessiongate.AuditEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class AuditLogTest {

    @Test
    void fingerprintIsFirstEightHexOfSha256() {
        // printf 'abc' | sha256sum -> ba7816bf...
        assertEquals("ba7816bf", Fingerprint.of("abc"));
        assertEquals("-", Fingerprint.of(null));
    }

    @Test
    void escapeNeutralisesLineBreaksQuotesAndControlCharacters() {
        String hostile = "/x\r\nevent=denied \"forged\"\\\u0000\u202e";
        String escaped = AuditLog.escape(hostile);
        assertFalse(escaped.contains("\r") || escaped.contains("\n") || escaped.contains("\"") || escaped.contains("\u0000"));
        assertEquals("/x\\x0d\\x0aevent=denied \\x22forged\\x22\\x5c\\x00\\u202e", escaped);
    }

    @Test
    void escapeCutsVeryLongValues() {
        String escaped = AuditLog.escape("a".repeat(10_000));
        assertTrue(escaped.length() < 300);
        assertTrue(escaped.endsWith("..."));
    }

    @Test
    void recordLogsTheFingerprintNeverTheToken() {
        Logger log = mock(Logger.class);
        when(log.isInfoEnabled()).thenReturn(true);
        new AuditLog(log).record(AuditEvent.Event.INVALID_TOKEN, "bad_signature", "/a\nb", "127.0.0.1", "secret-token");
        verify(log).info(eq("event={} reason={} path=\"{}\" client={} token={}"), eq("invalid_token"), eq("bad_signature"),
                eq("/a\\x0ab"), eq("127.0.0.1"), eq(Fingerprint.of("secret-token")));
    }
}
