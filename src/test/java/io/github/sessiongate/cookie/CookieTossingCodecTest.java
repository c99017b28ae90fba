package io.github.sessiongate.cookie;

import io.github.sessiongate.CookieSettings;
import static io.github.sessiongate.cookie.CookieCodecTest.added;
import static io.github.sessiongate.cookie.CookieCodecTest.request;
import static io.github.sessiongate.cookie.CookieCodecTest.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Cookies the filter did not write never drive what it writes (cookie tossing from a sibling
 * subdomain, planted names, stale forms): only configured kinds, canonical names and chunk indices
 * the budget allows are read, budgeted and cleared, and the clearing headers of one response stay
 * within {@link CookieCodec#MAX_CLEARING_BYTES}.
 */
class CookieTossingCodecTest {

    /** Default settings (__Host- names, budget 6144, so chunks .0 and .1), neither guests nor a lifetime. */
    private final CookieCodec plain = new CookieCodec(CookieSettings.defaults(), false, false);
    /** Default settings with all four kinds. */
    private final CookieCodec all = new CookieCodec(CookieSettings.defaults(), true, true);

    /** 80 session-shaped names of every sort, about 1.3 kB, as the attack sent them. */
    static String plantedHeader() {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pairs.add("__Host-sg_access." + (i + 2) + "=x");
            pairs.add("sg_refresh." + i + "=x");
            pairs.add("sg_meta." + i + "=x");
            pairs.add("sg_guest." + (i + 50) + "=x");
        }
        return String.join("; ", pairs);
    }

    private static List<String> names(List<Cookie> cookies) {
        return cookies.stream().map(Cookie::getName).toList();
    }

    private int clearingBytes(CookieCodec codec, List<Cookie> cookies) {
        return cookies.stream().filter(c -> c.getMaxAge() == 0).mapToInt(c -> codec.clearingBytes(c.getName())).sum();
    }

    // ------------------------------------------------------------------ chunk range

    @Test
    void maxChunkIndexFollowsTheBudget() {
        assertEquals(1, plain.maxChunkIndex(), "6144 bytes take at most two chunks");
        assertEquals(2, new CookieCodec(CookieSettings.builder().maxTotalBytes(8192).build()).maxChunkIndex());
        assertEquals(0, new CookieCodec(CookieSettings.builder().maxTotalBytes(1024).build()).maxChunkIndex());
        // A long Path makes chunks smaller, so more of them.
        assertEquals(2, new CookieCodec(CookieSettings.builder().path("/" + "p".repeat(1000)).domain("example.com")
                .maxTotalBytes(6144).build()).maxChunkIndex());
    }

    @Test
    void everyTokenWithinTheBudgetIsChunkedWithinTheRange() {
        for (int budget : new int[] {1024, 4096, 6144, 8192}) {
            CookieCodec codec = new CookieCodec(CookieSettings.builder().maxTotalBytes(budget).build());
            HttpServletResponse response = null;
            String biggest = null;
            for (int length = budget; response == null; length--) { // the largest token the budget takes
                try {
                    HttpServletResponse r = mock(HttpServletResponse.class);
                    codec.write(r, SessionCookies.none(), true, token(length), null);
                    response = r;
                    biggest = token(length);
                } catch (CookieTooLargeException e) {
                    // one shorter
                }
            }
            List<Cookie> cookies = added(response);
            for (Cookie c : cookies) {
                int index = CookieNames.chunkIndex(c.getName());
                assertTrue(index <= codec.maxChunkIndex(), c.getName() + " over " + codec.maxChunkIndex());
            }
            assertEquals(Optional.of(biggest),
                    codec.read(request(CookieCodecTest.browserHeader(cookies)), true).accessToken(), "budget " + budget);
        }
    }

    @Test
    void chunkSuffixBeyondTheBudgetIsIgnoredNotReadNorClearedNorCounted() {
        SessionCookies c = plain.read(request("__Host-sg_access=tok; __Host-sg_access.2=" + token(3000)
                + "; __Host-sg_access.0001=y; __Host-sg_access.12345=z"), true);
        assertEquals(Optional.of("tok"), c.accessToken(), "a planted chunk beyond the range makes no duplicate");
        assertFalse(c.hasDuplicates());
        assertEquals(Set.of("__Host-sg_access"), c.presentNames());
        assertEquals(3, c.ignoredCount(SessionCookies.Ignored.CHUNK_OUT_OF_RANGE));

        HttpServletResponse response = mock(HttpServletResponse.class);
        plain.clear(response, c, true);
        assertEquals(List.of("__Host-sg_access", "__Host-sg_refresh"), names(added(response)));
    }

    // ------------------------------------------------------------------ 80 planted names

    @Test
    void eightyPlantedNamesGiveOnlyTheCanonicalClears() {
        String header = plantedHeader();
        assertTrue(header.length() > 1000 && header.length() < 1400, "about 1.3 kB: " + header.length());
        SessionCookies c = plain.read(request(header), true);
        assertTrue(c.accessToken().isEmpty() && c.refreshToken().isEmpty());
        assertEquals(Set.of("sg_refresh.0", "sg_refresh.1"), c.presentNames(),
                "only the other prefix form of configured chunks within range may be cleared: " + c);
        assertEquals(78, c.ignoredCount(SessionCookies.Ignored.CHUNK_OUT_OF_RANGE)
                + c.ignoredCount(SessionCookies.Ignored.UNCONFIGURED_KIND));

        HttpServletResponse response = mock(HttpServletResponse.class);
        plain.clear(response, c, true);
        List<Cookie> cleared = added(response);
        assertEquals(List.of("sg_refresh.0", "sg_refresh.1", "__Host-sg_access", "__Host-sg_refresh"), names(cleared));
        assertTrue(clearingBytes(plain, cleared) <= CookieCodec.MAX_CLEARING_BYTES);

        // With every kind configured: the in-range chunks the header carried (sg_refresh.0, .1, sg_meta.0
        // and .1, all in the other prefix form) and the canonical names; nothing else.
        SessionCookies c4 = all.read(request(header), true);
        HttpServletResponse response4 = mock(HttpServletResponse.class);
        all.clear(response4, c4, true);
        assertEquals(List.of("sg_refresh.0", "sg_meta.0", "sg_refresh.1", "sg_meta.1",
                "__Host-sg_access", "__Host-sg_refresh", "__Host-sg_guest", "__Host-sg_meta"), names(added(response4)));
        assertTrue(clearingBytes(all, added(response4)) <= CookieCodec.MAX_CLEARING_BYTES);
    }

    @Test
    void loginAndRotationWithEightyPlantedNamesWriteOnlyTheirOwnCookies() {
        SessionCookies c = plain.read(request(plantedHeader()), true);
        HttpServletResponse login = mock(HttpServletResponse.class);
        plain.replace(login, c, true, token(3000), token(2000));
        // sg_refresh.0 and .1 are the other prefix form of a kind written, within range: cleared once.
        assertEquals(List.of("sg_refresh.0", "sg_refresh.1", "__Host-sg_access", "__Host-sg_refresh"), names(added(login)));
        HttpServletResponse rotation = mock(HttpServletResponse.class);
        plain.write(rotation, plain.read(request(plantedHeader()), true), true, token(3000), token(2000));
        assertEquals(List.of("sg_refresh.0", "sg_refresh.1", "__Host-sg_access", "__Host-sg_refresh"),
                names(added(rotation)));
    }

    // ------------------------------------------------------------------ unconfigured kinds

    @Test
    void twoPlantedThreeKilobyteChunksOfAnUnconfiguredKindNeitherCountNorAreCleared() {
        String planted = "__Host-sg_meta.0=" + token(3000) + "; __Host-sg_meta.1=" + token(3000);
        SessionCookies c = plain.read(request(planted), true);
        assertTrue(c.meta().isEmpty(), "the meta cookie is not configured: never read");
        assertEquals(2, c.ignoredCount(SessionCookies.Ignored.UNCONFIGURED_KIND));

        HttpServletResponse login = mock(HttpServletResponse.class);
        plain.replace(login, c, true, token(3000), token(2500)); // 6000 bytes of our own: fits 6144 only without the meta
        assertEquals(List.of("__Host-sg_access", "__Host-sg_refresh"), names(added(login)));
        HttpServletResponse rotation = mock(HttpServletResponse.class);
        plain.write(rotation, c, true, token(3000), token(2500));
        assertEquals(List.of("__Host-sg_access", "__Host-sg_refresh"), names(added(rotation)));

        // The same chunks count when the meta cookie is configured and they read as its token.
        SessionCookies withMeta = all.read(request(planted), true);
        assertThrows(CookieTooLargeException.class,
                () -> all.write(mock(HttpServletResponse.class), withMeta, true, token(3000), token(2500)));
    }

    @Test
    void plantedGuestCookieIsNotReadWithoutGuestsAndNotClearedByALogin() {
        SessionCookies c = plain.read(request("__Host-sg_guest=g; sg_guest=h"), true);
        assertTrue(c.guestToken().isEmpty());
        assertTrue(c.isEmpty());
        HttpServletResponse login = mock(HttpServletResponse.class);
        plain.write(login, c, true, "acc", "ref");
        assertEquals(List.of("__Host-sg_access", "__Host-sg_refresh"), names(added(login)));
        HttpServletResponse guest = mock(HttpServletResponse.class);
        plain.clearGuest(guest, c, true);
        assertEquals(List.of(), added(guest));
    }

    @Test
    void writingAnUnconfiguredKindIsAProgrammingError() {
        HttpServletResponse response = mock(HttpServletResponse.class);
        assertThrows(IllegalStateException.class, () -> plain.writeGuest(response, SessionCookies.none(), true, "g"));
        assertThrows(IllegalStateException.class, () -> plain.writeMeta(response, SessionCookies.none(), true, "m"));
        assertThrows(IllegalStateException.class,
                () -> plain.write(response, SessionCookies.none(), true, "a", "r", null, "m"));
        assertEquals(List.of(), added(response));
    }

    // ------------------------------------------------------------------ the other prefix form

    @Test
    void otherPrefixFormIsClearedWhenCarriedButNeverReadNorCounted() {
        SessionCookies c = all.read(request("sg_access=" + token(3000) + "; sg_refresh=" + token(3000)
                + "; sg_meta=" + token(3000)), true);
        assertTrue(c.accessToken().isEmpty() && c.refreshToken().isEmpty() && c.meta().isEmpty());
        assertEquals(3, c.ignoredCount(SessionCookies.Ignored.UNPREFIXED_FORM));
        assertTrue(c.ignoredSummary().contains("unprefixed form, not read here 3 (sg_access, sg_refresh)"),
                c.ignoredSummary());

        HttpServletResponse rotation = mock(HttpServletResponse.class);
        all.write(rotation, c, true, token(4000), null); // the 6 kB of the other form do not count
        List<Cookie> cookies = added(rotation);
        assertEquals(List.of("sg_access", "__Host-sg_access.0", "__Host-sg_access.1"), names(cookies),
                "the stale form of the kind written is cleared; the kept kinds' other form is left alone");
        assertEquals(0, cookies.get(0).getMaxAge());

        SessionCookies plainRequest = all.read(request("__Host-sg_access=a"), false);
        assertEquals(1, plainRequest.ignoredCount(SessionCookies.Ignored.HOST_PREFIX_FORM));
        assertTrue(plainRequest.ignoredSummary().contains("__Host- form, not read here 1 (__Host-sg_access)"));
    }

    @Test
    void tossedDuplicatesOfCanonicalNamesAreStillRefusedAndReportedButNotBudgeted() {
        CookieCodec shared = new CookieCodec(CookieSettings.builder().domain("example.com").build(), false, false);
        SessionCookies c = shared.read(request("sg_access=mine; sg_access=" + token(3000)
                + "; sg_refresh=r; sg_refresh=" + token(3000)), true);
        assertTrue(c.accessToken().isEmpty() && c.refreshToken().isEmpty());
        assertEquals(Set.of("sg_access", "sg_refresh"), c.duplicateNames());
        HttpServletResponse response = mock(HttpServletResponse.class);
        shared.write(response, c, true, token(3000), null); // the duplicated refresh is no token: not counted
        assertEquals(List.of("sg_access"), names(added(response)));
    }

    // ------------------------------------------------------------------ clearing budget

    @Test
    void clearingHeadersOfOneResponseStayWithinTheBudgetAcrossCallsAndNeverRepeat() {
        // A long Path makes each clearing header about 450 bytes, so the budget binds.
        CookieCodec longPath = new CookieCodec(CookieSettings.builder().path("/" + "p".repeat(300))
                .domain("example.com").maxTotalBytes(8192).build(), true, true);
        int each = longPath.clearingBytes("sg_access.0");
        assertTrue(each > 400 && each < 500, "bytes per clearing header: " + each);
        SessionCookies c = longPath.read(request("sg_access.0=a; sg_access.1=b; sg_access.2=c; sg_refresh=r; "
                + "sg_guest=g; sg_meta=m; sg_refresh.0=x"), true);
        HttpServletResponse response = mock(HttpServletResponse.class);
        longPath.clear(response, c, true);
        longPath.clearGuest(response, c, true);
        List<Cookie> cleared = added(response);
        assertTrue(clearingBytes(longPath, cleared) <= CookieCodec.MAX_CLEARING_BYTES,
                clearingBytes(longPath, cleared) + " bytes");
        assertEquals(CookieCodec.MAX_CLEARING_BYTES / each, cleared.size(), names(cleared)::toString);
        assertEquals(cleared.size(), new HashSet<>(names(cleared)).size(), "no name cleared twice in one response");
        assertTrue(names(cleared).containsAll(List.of("sg_access.0", "sg_access.1", "sg_access.2", "sg_refresh")),
                "the cookies carried go first: " + names(cleared));
    }

    @Test
    void defaultClearingHeaderSizeAndTheWorstCaseOfALogout() {
        int each = all.clearingBytes("__Host-sg_refresh.1");
        assertEquals("Set-Cookie: ".length() + "__Host-sg_refresh.1=".length() + "; Max-Age=0".length()
                + "; Expires=Thu, 01 Jan 1970 00:00:00 GMT".length() + "; Path=/".length() + "; Secure; HttpOnly".length()
                + "; SameSite=Strict; Partitioned".length() + 2, each);
        // Every name a legitimate browser can carry, in both forms, chunked and not.
        List<String> pairs = new ArrayList<>();
        for (String base : List.of("sg_access", "sg_refresh", "sg_guest", "sg_meta")) {
            for (String form : List.of("__Host-" + base, base)) {
                pairs.add(form + "=v");
                pairs.add(form + ".0=v");
                pairs.add(form + ".1=v");
            }
        }
        SessionCookies c = all.read(request(String.join("; ", pairs)), true);
        assertEquals(24, c.presentNames().size());
        HttpServletResponse response = mock(HttpServletResponse.class);
        all.clear(response, c, true);
        List<Cookie> cleared = added(response);
        assertTrue(clearingBytes(all, cleared) <= CookieCodec.MAX_CLEARING_BYTES);
        assertTrue(names(cleared).containsAll(List.of("__Host-sg_access", "__Host-sg_access.0", "__Host-sg_access.1",
                "__Host-sg_refresh", "__Host-sg_refresh.0", "__Host-sg_refresh.1", "__Host-sg_guest", "__Host-sg_meta")),
                "every canonical name fits before any other form: " + names(cleared));
    }

    // ------------------------------------------------------------------ tokens and meta in one check

    @Test
    void tokensAndMetaAreCheckedTogetherAgainstWhatIsWrittenNotWhatIsReplaced() {
        // The request's own (old) tokens are large; a login writes small ones plus the meta cookie.
        SessionCookies c = all.read(request("__Host-sg_access=" + token(3000) + "; __Host-sg_refresh=" + token(3000)), true);
        HttpServletResponse login = mock(HttpServletResponse.class);
        all.replace(login, c, true, "acc", "ref", "meta");
        assertEquals(List.of("__Host-sg_access", "__Host-sg_refresh", "__Host-sg_meta"), names(added(login)));
        assertThrows(CookieTooLargeException.class,
                () -> all.writeMeta(mock(HttpServletResponse.class), c, true, token(200)),
                "alone, the meta write counts the request's tokens");
        HttpServletResponse tooLarge = mock(HttpServletResponse.class);
        assertThrows(CookieTooLargeException.class,
                () -> all.write(tooLarge, SessionCookies.none(), true, token(3000), token(3000), null, token(200)));
        assertEquals(List.of(), added(tooLarge));
    }

    // ------------------------------------------------------------------ the report

    @Test
    void ignoredSummaryNamesFormsAndAFewNamesButNeverAValue() {
        String value = "SECRETVALUE" + token(100);
        SessionCookies c = plain.read(request(plantedHeader() + "; sg_access." + "9".repeat(500) + "=" + value
                + "; __Host-sg_meta=" + value), true);
        String summary = c.ignoredSummary();
        assertFalse(summary.contains("SECRETVALUE"), summary);
        assertTrue(summary.startsWith("ignored session-shaped cookie names:"), summary);
        assertTrue(summary.contains("chunk suffix out of range 39 (__Host-sg_access.2, __Host-sg_access.3)"), summary);
        assertTrue(summary.contains("kind not configured 41 (sg_meta.0, sg_guest.50)"), summary);
        assertTrue(summary.contains("unprefixed form, not read here 2 (sg_refresh.0, sg_refresh.1)"), summary);
        assertTrue(summary.length() < 400, summary);
        assertFalse(c.toString().contains("SECRETVALUE"));
        assertEquals("", plain.read(request("__Host-sg_access=a; other=b"), true).ignoredSummary());
    }
}
