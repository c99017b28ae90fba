package io.github.sessiongate.cookie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import io.github.sessiongate.CookieSettings;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A refusal's clearing ({@link CookieCodec#clearCarried}) against a logout's ({@link CookieCodec#clear}),
 * over the one-cookie fast path ({@link SessionCookies#single}) and the general read: it clears exactly
 * the session names the request carried (every chunk, the refresh cookie, both prefix forms), each with
 * the very attributes a logout's clearing gives that name; a logout clears those plus every canonical name.
 * Two cookies of one name, one valid and one junk, give no token on either read path.
 */
class ClearCarriedPathsTest {
    private static final String[] NAMES = {"__Host-sg_access", "sg_access", "__Host-sg_refresh", "sg_refresh",
        "__Host-sg_access.0", "__Host-sg_access.1", "sg_access.0", "sg_access.1", "sg_refresh.0", "__Host-sg_guest",
        "sg_meta", "theme", "__Host-sg_access.9"};

    private static List<String> headers() {
        List<String> headers = new ArrayList<>();
        for (String a : NAMES) {
            headers.add(a + "=v1");
            headers.add(a + "=");
            for (String b : NAMES) {
                headers.add(a + "=v1; " + b + "=v2");
                headers.add("theme=dark; " + a + "=v1; " + b + "=v2; __Host-sg_refresh=r");
            }
        }
        return headers;
    }

    private static String describe(Cookie c) {
        return c.getName() + "=" + c.getValue() + "; Max-Age=" + c.getMaxAge() + "; Path=" + c.getPath() + "; Domain="
                + c.getDomain() + "; Secure=" + c.getSecure() + "; HttpOnly=" + c.isHttpOnly() + "; SameSite="
                + c.getAttribute("SameSite") + "; Partitioned=" + c.getAttribute("Partitioned");
    }

    @Test
    void aRefusalClearsExactlyWhatWasCarriedWithTheLogoutsAttributes() {
        for (CookieSettings settings : List.of(CookieSettings.defaults(),
                CookieSettings.builder().path("/app").domain("example.com").build())) {
            CookieCodec codec = new CookieCodec(settings, true, false);
            for (String header : headers()) {
                for (boolean secure : new boolean[] {true, false}) {
                    String what = header + " secure=" + secure + " " + settings.path();
                    SessionCookies carried = codec.read(CookieCodecTest.request(header), secure);
                    HttpServletResponse refusal = mock(HttpServletResponse.class);
                    codec.clearCarried(refusal, carried, secure);
                    List<Cookie> refused = CookieCodecTest.added(refusal);

                    SessionCookies again = codec.read(CookieCodecTest.request(header), secure);
                    HttpServletResponse logout = mock(HttpServletResponse.class);
                    codec.clear(logout, again, secure);
                    Map<String, Cookie> logoutByName = CookieCodecTest.byName(CookieCodecTest.added(logout));

                    Set<String> expected = new LinkedHashSet<>(carried.presentNames());
                    Set<String> cleared = new LinkedHashSet<>();
                    for (Cookie c : refused) {
                        assertTrue(cleared.add(c.getName()), what + ": cleared twice " + c.getName());
                        Cookie same = logoutByName.get(c.getName());
                        assertTrue(same != null, what + ": a logout does not clear " + c.getName());
                        assertEquals(describe(same), describe(c), what);
                    }
                    assertEquals(expected, cleared, what + ": a refusal clears every carried name, nothing else");
                    assertTrue(logoutByName.keySet().containsAll(expected), what + ": a logout clears every carried name");
                    for (String canonical : List.of(codec.cookieName(CookieKind.ACCESS, 0, secure),
                            codec.cookieName(CookieKind.REFRESH, 0, secure))) {
                        assertTrue(logoutByName.containsKey(canonical), what + ": a logout clears " + canonical);
                    }
                }
            }
        }
    }

    @Test
    void twoAccessCookiesOneValidOneJunkGiveNoTokenOnEitherPath() {
        CookieCodec codec = new CookieCodec(CookieSettings.defaults());
        for (String header : List.of("__Host-sg_access=good; __Host-sg_access=junk", "__Host-sg_access=junk; __Host-sg_access=good",
                "__Host-sg_access=good; __Host-sg_access=", "__Host-sg_access=; __Host-sg_access=good")) {
            SessionCookies c = codec.read(CookieCodecTest.request(header), true);
            assertEquals(Optional.empty(), c.accessToken(), header);
            assertTrue(c.hasDuplicates(), header);
            SessionCookies twoHeaders = codec.read(CookieCodecTest.request(header.split("; ")), true);
            assertEquals(Optional.empty(), twoHeaders.accessToken(), header + " in two Cookie headers");
        }
    }
}
