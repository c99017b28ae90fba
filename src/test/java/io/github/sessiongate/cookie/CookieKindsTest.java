package io.github.sessiongate.cookie;

import static io.github.sessiongate.cookie.CookieCodecTest.added;
import static io.github.sessiongate.cookie.CookieCodecTest.byName;
import static io.github.sessiongate.cookie.CookieCodecTest.request;
import static io.github.sessiongate.cookie.CookieCodecTest.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import io.github.sessiongate.CookieSettings;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Cookie kinds as data: a kind declared here, and nowhere else, is read, written, sealed, chunked,
 * budgeted and cleared by {@link CookieCodec}; a bounded family keeps at most its N names, dropping
 * the oldest; names of a kind that is not configured change nothing.
 */
class CookieKindsTest {

    /** A kind no production code knows: one declaration. */
    private static final CookieKind PREFERENCES = CookieKind.named("preferences", s -> "sg_prefs")
            .chunked().maxAge(s -> Duration.ofDays(30), CookieKind.MaxAge.CONFIGURED_OR_SHORTER).build();

    private final CookieSettings settings = CookieSettings.defaults();
    private final CookieCodec codec = new CookieCodec(settings,
            List.of(CookieKind.ACCESS, CookieKind.REFRESH, PREFERENCES, CookieKind.LOGIN_TRANSACTION), null);

    private static String header(List<Cookie> cookies) {
        return cookies.stream().filter(c -> c.getMaxAge() != 0).map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
    }

    private static List<String> cleared(List<Cookie> cookies) {
        return cookies.stream().filter(c -> c.getMaxAge() == 0).map(Cookie::getName).toList();
    }

    @Test
    void theBuiltInKindsSayWhatTheyAre() {
        assertEquals(List.of("sg_access"), CookieKind.ACCESS.names(settings));
        assertEquals(List.of("sg_meta"), CookieKind.LIFETIME_RECORD.names(settings), "the wire name stays");
        assertTrue(CookieKind.ACCESS.sealed() && CookieKind.REFRESH.sealed() && CookieKind.LOGIN_TRANSACTION.sealed());
        assertFalse(CookieKind.GUEST.sealed() || CookieKind.LIFETIME_RECORD.sealed());
        assertTrue(CookieKind.ACCESS.chunked() && !CookieKind.LOGIN_TRANSACTION.chunked());
        assertEquals(List.of("sg_login-0", "sg_login-1", "sg_login-2"), CookieKind.LOGIN_TRANSACTION.names(settings));
        assertEquals(CookieKind.Budget.SESSION_WRITE, CookieKind.LIFETIME_RECORD.budget());
        assertEquals(CookieKind.Budget.OWN_WRITE, CookieKind.GUEST.budget());
        assertEquals("__Host-sg_login-1", codec.cookieName(CookieKind.LOGIN_TRANSACTION, 1, true));
        assertThrows(IllegalArgumentException.class, () -> CookieKind.named("x", s -> "x").family(0));
    }

    @Test
    void aNewKindIsWrittenReadAndClearedWithNoOtherCode() {
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.write(response, SessionCookies.none(), true, Map.of(PREFERENCES, "dark"), null, Set.of());
        Cookie written = byName(added(response)).get("__Host-sg_prefs");
        assertEquals("dark", written.getValue());
        assertEquals(30 * 24 * 3600, written.getMaxAge());
        assertTrue(written.isHttpOnly() && written.getSecure());

        SessionCookies back = codec.read(request(header(added(response))), true);
        assertEquals(Optional.of("dark"), back.value(PREFERENCES));
        assertEquals(Optional.of("dark"), codec.open(back, PREFERENCES));

        HttpServletResponse clearing = mock(HttpServletResponse.class);
        codec.clear(clearing, back, true, Set.of(PREFERENCES));
        assertEquals(List.of("__Host-sg_prefs"), cleared(added(clearing)));
    }

    @Test
    void aNewKindIsChunkedAndReassembledAndSlidesItsMaxAge() {
        String big = token(5000);
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.write(response, SessionCookies.none(), true, Map.of(PREFERENCES, big), Duration.ofHours(1), Set.of());
        Map<String, Cookie> cookies = byName(added(response));
        assertEquals(Set.of("__Host-sg_prefs.0", "__Host-sg_prefs.1"), cookies.keySet());
        assertEquals(3600, cookies.get("__Host-sg_prefs.0").getMaxAge(), "a shorter Max-Age caps the configured one");
        assertEquals(Optional.of(big), codec.read(request(header(added(response))), true).value(PREFERENCES));
    }

    @Test
    void aNewKindCountsTowardTheBudgetLikeTheTokens() {
        HttpServletResponse first = mock(HttpServletResponse.class);
        codec.write(first, SessionCookies.none(), true, Map.of(PREFERENCES, token(2500)), null, Set.of());
        SessionCookies carried = codec.read(request(header(added(first))), true);
        HttpServletResponse second = mock(HttpServletResponse.class);
        CookieTooLargeException e = assertThrows(CookieTooLargeException.class, () -> codec.write(second, carried, true,
                Map.of(CookieKind.ACCESS, token(4000)), null, Set.of()));
        assertTrue(e.totalBytes() > settings.maxTotalBytes() && e.accessBytes() > 4000 && e.otherBytes() > 2500, e::getMessage);
        assertTrue(added(second).isEmpty(), "nothing is written when the budget is exceeded");
        // Clearing the new kind in the same write frees its share.
        codec.write(second, carried, true, Map.of(CookieKind.ACCESS, token(4000)), null, Set.of(PREFERENCES));
        assertEquals(List.of("__Host-sg_prefs"), cleared(added(second)));
    }

    @Test
    void anUnconfiguredKindIsNeitherReadNorClearedNorBudgeted() {
        CookieCodec plain = new CookieCodec(settings, List.of(CookieKind.ACCESS, CookieKind.REFRESH), null);
        SessionCookies c = plain.read(request("__Host-sg_prefs=planted; __Host-sg_login-0=planted; __Host-sg_meta=x"),
                true);
        assertTrue(c.value(PREFERENCES).isEmpty() && c.members(CookieKind.LOGIN_TRANSACTION).isEmpty());
        assertTrue(c.isEmpty(), c::toString);
        assertEquals(1, c.ignoredCount(SessionCookies.Ignored.UNCONFIGURED_KIND), "only the built-in sg_meta is reported");
        HttpServletResponse response = mock(HttpServletResponse.class);
        plain.clear(response, c, true);
        assertEquals(List.of("__Host-sg_access", "__Host-sg_refresh"), cleared(added(response)));
        assertThrows(IllegalStateException.class, () -> plain.write(mock(HttpServletResponse.class), c, true,
                Map.of(PREFERENCES, "v"), null, Set.of()));
    }

    @Test
    void aSealedKindIsSealedOnWriteAndOpenedOnRead() {
        CookieSeal seal = CookieSealTest.seal("k1:" + CookieSealTest.b64(CookieSealTest.bytes(3)));
        CookieCodec sealing = new CookieCodec(settings, List.of(CookieKind.ACCESS, CookieKind.REFRESH, PREFERENCES), seal);
        HttpServletResponse response = mock(HttpServletResponse.class);
        sealing.write(response, SessionCookies.none(), true, Map.of(CookieKind.ACCESS, "the-token", PREFERENCES, "dark"),
                null, Set.of());
        Map<String, Cookie> cookies = byName(added(response));
        assertNotEquals("the-token", cookies.get("__Host-sg_access").getValue(), "sealed on the wire");
        assertEquals("dark", cookies.get("__Host-sg_prefs").getValue(), "an unsealed kind goes as it is");
        SessionCookies back = sealing.read(request(header(added(response))), true);
        assertEquals(Optional.of("the-token"), sealing.open(back, CookieKind.ACCESS));
        assertEquals(Optional.of("dark"), sealing.open(back, PREFERENCES));
    }

    @Test
    void aFamilyFillsFreeSlotsThenReplacesTheOldest() {
        HttpServletResponse r0 = mock(HttpServletResponse.class);
        assertEquals(0, codec.writeMember(r0, SessionCookies.none(), true, CookieKind.LOGIN_TRANSACTION, "tx-a"));
        String browser = header(added(r0));
        HttpServletResponse r1 = mock(HttpServletResponse.class);
        assertEquals(1, codec.writeMember(r1, codec.read(request(browser), true), true, CookieKind.LOGIN_TRANSACTION,
                "tx-b"));
        browser += "; " + header(added(r1));
        HttpServletResponse r2 = mock(HttpServletResponse.class);
        assertEquals(2, codec.writeMember(r2, codec.read(request(browser), true), true, CookieKind.LOGIN_TRANSACTION,
                "tx-c"));
        browser += "; " + header(added(r2));

        SessionCookies full = codec.read(request(browser), true);
        assertEquals(List.of("tx-a", "tx-b", "tx-c"),
                full.members(CookieKind.LOGIN_TRANSACTION).stream().map(SessionCookies.Member::value).toList());
        HttpServletResponse r3 = mock(HttpServletResponse.class);
        assertEquals(0, codec.writeMember(r3, full, true, CookieKind.LOGIN_TRANSACTION, "tx-d"), "the oldest goes");
        assertEquals(Map.of("__Host-sg_login-0", "tx-d"), added(r3).stream()
                .collect(Collectors.toMap(Cookie::getName, Cookie::getValue)));
        assertEquals(600, added(r3).get(0).getMaxAge());

        HttpServletResponse done = mock(HttpServletResponse.class);
        codec.clearMember(done, full, true, CookieKind.LOGIN_TRANSACTION, 1);
        assertEquals(List.of("__Host-sg_login-1"), cleared(added(done)));
    }

    @Test
    void aFamilyHasOnlyItsNamesAndIsNeverChunked() {
        SessionCookies c = codec.read(request("__Host-sg_login-3=x; __Host-sg_login-0.0=y; __Host-sg_login-1=z"), true);
        assertEquals(List.of(new SessionCookies.Member(1, "z")), c.members(CookieKind.LOGIN_TRANSACTION));
        assertEquals(1, c.ignoredCount(SessionCookies.Ignored.CHUNK_OUT_OF_RANGE), "a chunk of an unchunked kind");
        assertThrows(CookieTooLargeException.class, () -> codec.writeMember(mock(HttpServletResponse.class), c, true,
                CookieKind.LOGIN_TRANSACTION, token(4100)));
        assertThrows(IllegalArgumentException.class, () -> codec.write(mock(HttpServletResponse.class), c, true,
                Map.of(CookieKind.LOGIN_TRANSACTION, "v"), null, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> codec.clearMember(mock(HttpServletResponse.class), c, true,
                CookieKind.LOGIN_TRANSACTION, 3));
    }

    @Test
    void clearingEveryKindClearsEveryMemberOfAFamily() {
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.clear(response, SessionCookies.none(), true);
        assertEquals(List.of("__Host-sg_access", "__Host-sg_refresh", "__Host-sg_prefs", "__Host-sg_login-0",
                "__Host-sg_login-1", "__Host-sg_login-2"), cleared(added(response)));
    }
}
