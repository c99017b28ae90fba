package io.github.sessiongate.cookie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.ValidationResult.Reason;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A lone access cookie is looked at by the validator before its characters are checked
 * ({@link CookieHeaderReader#loneAtSight}): junk the look refuses is refused (its cookie cleared),
 * whatever characters it holds; a value the look lets through is checked for cookie-octets before
 * anyone reads it, and one that fails is dropped as a malformed cookie, as before; every other
 * cookie is checked as it always was.
 */
class OctetsAtSightTest {
    private static final String TOKEN_SHAPED = "eyJhbGciOiJSUzI1NiJ9." + "a".repeat(40);
    private final CookieCodec codec = new CookieCodec(CookieSettings.defaults());

    private SessionCookies read(String header, TokenSight sight) {
        return codec.read(CookieCodecTest.request(header), true, HeldTokens.NONE, sight);
    }

    @Test
    void junkTheLookRefusesIsRefusedWhateverItsCharacters() {
        AtomicInteger looks = new AtomicInteger();
        TokenSight refuseAll = (s, from, to) -> {
            looks.incrementAndGet();
            return Reason.MALFORMED;
        };
        for (String junk : new String[] {TOKEN_SHAPED + "\"quoted\"", TOKEN_SHAPED + ",comma", TOKEN_SHAPED + "\u00e9", TOKEN_SHAPED}) {
            SessionCookies carried = read("__Host-sg_access=" + junk, refuseAll);
            assertEquals(Reason.MALFORMED, carried.accessRefusedOnSight(), junk);
            assertTrue(carried.carries(CookieKind.ACCESS), "its cookie is cleared like any refused one: " + junk);
        }
        assertEquals(4, looks.get());
    }

    @Test
    void aValueTheLookLetsThroughIsCheckedBeforeItIsRead() {
        SessionCookies malformed = read("__Host-sg_access=" + TOKEN_SHAPED + "\"x", TokenSight.NONE);
        assertFalse(malformed.carries(CookieKind.ACCESS), "not cookie-octets: dropped as a malformed cookie");
        assertNull(malformed.valueOrNull(CookieKind.ACCESS));
        assertTrue(read("__Host-sg_access=" + TOKEN_SHAPED + "\u0100", (s, f, t) -> null).accessToken().isEmpty());

        SessionCookies fine = read("__Host-sg_access=" + TOKEN_SHAPED, (s, f, t) -> null);
        assertEquals(TOKEN_SHAPED, fine.accessToken().orElseThrow());
        assertNull(fine.accessRefusedOnSight());
    }

    @Test
    void otherCookiesAreCheckedAsTheyAlwaysWere() {
        TokenSight refuseAll = (s, from, to) -> Reason.MALFORMED;
        assertFalse(read("__Host-sg_refresh=" + TOKEN_SHAPED + "\"x", refuseAll).carries(CookieKind.REFRESH));
        assertFalse(read("other=" + TOKEN_SHAPED + "\"x", refuseAll).carries(CookieKind.ACCESS));
        assertFalse(read("a=1; __Host-sg_access=" + TOKEN_SHAPED + "\"x", refuseAll).carries(CookieKind.ACCESS),
                "a header of several cookies is read by parse, which checks every value");
        CookieHeaderReader.Pair checked = CookieHeaderReader.lone("__Host-sg_access=" + TOKEN_SHAPED + "\"x", HeldTokens.NONE);
        assertNull(checked, "lone checks at once");
    }
}
