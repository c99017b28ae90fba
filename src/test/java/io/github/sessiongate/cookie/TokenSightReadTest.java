package io.github.sessiongate.cookie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.testing.InMemoryRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reading with a {@link TokenSight}: only a lone access cookie the {@link HeldTokens} do not have is
 * looked at, on exactly its value's region (quotes excluded; an oversize value as
 * {@link CookieHeaderReader#OVERSIZE_VALUE}); a refused one carries the refusal and reads, when
 * asked, as the same value it would without the sight. Nothing else changes.
 */
class TokenSightReadTest {
    private static final String HELD = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
    private final CookieCodec codec = new CookieCodec(CookieSettings.defaults(), false, false);
    private final String access = codec.accessCookieName(true);
    private final List<String> looked = new ArrayList<>();
    /** Refuses every value without two dots; records each region it looks at. */
    private final TokenSight sight = (source, from, to) -> {
        String v = source.substring(from, to);
        looked.add(v);
        return v.chars().filter(c -> c == '.').count() == 2 ? null : Reason.MALFORMED;
    };
    private final HeldTokens held = (source, from, to) ->
            to - from == HELD.length() && source.regionMatches(from, HELD, 0, HELD.length()) ? HELD : null;

    private SessionCookies read(String... headers) {
        return codec.read(request(headers), true, held, sight);
    }

    private static jakarta.servlet.http.HttpServletRequest request(String... headers) {
        InMemoryRequest request = InMemoryRequest.get("/api/orders");
        for (String h : headers) {
            request.header("Cookie", h);
        }
        return request.build();
    }

    @Test
    void junkIsRefusedOnSightAndReadsAsWrittenWhenAsked() {
        SessionCookies c = read("theme=dark; " + access + "=\"not-a-token\"");
        assertEquals(Reason.MALFORMED, c.accessRefusedOnSight());
        assertEquals(List.of("not-a-token"), looked);
        assertTrue(c.carries(CookieKind.ACCESS));
        assertEquals("not-a-token", c.valueOrNull(CookieKind.ACCESS));
        assertEquals(Optional.of("not-a-token"), c.accessToken());
        assertEquals(codec.read(request("theme=dark; " + access + "=\"not-a-token\""), true).toString(), c.toString());
    }

    @Test
    void anOversizeValueIsLookedAtAsTheOversizeStandIn() {
        SessionCookies c = read(access + "=" + "y".repeat(TokenValidator.MAX_TOKEN_LENGTH + 1));
        assertEquals(Reason.MALFORMED, c.accessRefusedOnSight());
        assertSame(CookieHeaderReader.OVERSIZE_VALUE, looked.get(0));
        assertSame(CookieHeaderReader.OVERSIZE_VALUE, c.valueOrNull(CookieKind.ACCESS));
    }

    @Test
    void aHeldTokenIsNotLookedAt() {
        SessionCookies c = read(access + "=" + new String(HELD.toCharArray()));
        assertNull(c.accessRefusedOnSight());
        assertSame(HELD, c.valueOrNull(CookieKind.ACCESS));
        assertTrue(looked.isEmpty(), "looked at " + looked);
    }

    @Test
    void aTokenTheSightPassesIsReadAsUsual() {
        String other = HELD.replace('c', 'd');
        SessionCookies c = read(access + "=" + other);
        assertNull(c.accessRefusedOnSight());
        assertEquals(other, c.valueOrNull(CookieKind.ACCESS));
        assertEquals(List.of(other), looked);
    }

    @Test
    void otherKindsAndTheGeneralPathAreNotLookedAt() {
        SessionCookies refresh = read(codec.refreshCookieName(true) + "=junk");
        assertNull(refresh.accessRefusedOnSight());
        assertEquals(Optional.of("junk"), refresh.refreshToken());
        SessionCookies duplicated = read(access + "=junk", access + "=junk");
        assertNull(duplicated.accessRefusedOnSight());
        assertTrue(duplicated.hasDuplicates());
        assertTrue(looked.isEmpty(), "looked at " + looked);
    }
}
