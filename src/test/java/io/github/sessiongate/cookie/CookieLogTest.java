package io.github.sessiongate.cookie;

import io.github.sessiongate.CookieSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.sessiongate.testing.LogCapture;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Captures what the codec logs, at DEBUG, through every path that logs, and proves no token or
 * cookie value ever appears: only names, counts and exception types.
 */
class CookieLogTest {
    private static final String ACCESS = "eyJACCESSsecret.payload.sig";
    private static final String REFRESH = "REFRESHsecret-token";
    private static final String GUEST = "GUESTsecret-token";
    private static final String META = "METAsecret-value";

    private LogCapture capture;

    @BeforeEach
    void captureLog() {
        capture = new LogCapture(CookieCodec.class);
    }

    @AfterEach
    void restore() {
        capture.close();
    }

    @Test
    void noTokenIsEverLogged() {
        CookieCodec codec = new CookieCodec(CookieSettings.builder().partitioned(true).build());
        String big = CookieCodecTest.token(5000);

        // duplicates (DEBUG on read)
        SessionCookies dup = codec.read(CookieCodecTest.request("__Host-sg_access=" + ACCESS + "; __Host-sg_access="
                + ACCESS + "x; __Host-sg_refresh=" + REFRESH), true);
        // a failing container (DEBUG with the exception type only)
        HttpServletRequest broken = mock(HttpServletRequest.class);
        when(broken.getHeaders("Cookie")).thenThrow(new IllegalStateException("header was " + ACCESS));
        codec.read(broken, true);
        // write with chunks and stale clearing; the container "drops" Partitioned, so the codec WARNs
        HttpServletResponse response = mock(HttpServletResponse.class);
        when(response.getHeaders("Set-Cookie")).thenReturn(List.of("__Host-sg_access.0=" + big.substring(0, 10)
                + "; Path=/; Secure; HttpOnly"));
        codec.write(response, dup, true, big, REFRESH);
        // too large
        try {
            codec.write(mock(HttpServletResponse.class), dup, true, CookieCodecTest.token(7000), REFRESH);
        } catch (CookieTooLargeException expected) {
            assertFalse(expected.getMessage().contains(CookieCodecTest.token(7000).substring(0, 12)));
        }
        codec.clear(mock(HttpServletResponse.class), dup, true);
        // guest and meta: read (duplicated guest), written, a login clearing the guest, cleared, too large
        SessionCookies guest = codec.read(CookieCodecTest.request("__Host-sg_guest=" + GUEST + "; __Host-sg_guest="
                + GUEST + "x; __Host-sg_meta=" + META), true);
        codec.writeGuest(mock(HttpServletResponse.class), guest, true, GUEST);
        codec.writeMeta(mock(HttpServletResponse.class), guest, true, META);
        codec.write(mock(HttpServletResponse.class), guest, true, ACCESS, REFRESH, java.time.Duration.ofMinutes(15));
        codec.clearGuest(mock(HttpServletResponse.class), guest, true);
        try {
            codec.writeGuest(mock(HttpServletResponse.class), guest, true, CookieCodecTest.token(7000));
        } catch (CookieTooLargeException expected) {
            assertFalse(expected.getMessage().contains(CookieCodecTest.token(7000).substring(0, 12)));
        }

        String log = capture.text();
        assertTrue(log.contains("__Host-sg_access"), log);
        assertTrue(log.contains("WARN") && log.contains("Partitioned"), log);
        assertEquals(1, log.split("without the Partitioned attribute", -1).length - 1, "warned once: " + log);
        assertTrue(log.contains("__Host-sg_guest") && log.contains("__Host-sg_meta"), log);
        for (String secret : List.of(ACCESS, REFRESH, GUEST, META, "secret", big.substring(0, 12),
                big.substring(3000, 3012))) {
            assertFalse(log.contains(secret), "logged a token fragment: " + log);
        }
    }
}
