package io.github.sessiongate.cookie;

import io.github.sessiongate.CookieSettings;
import static io.github.sessiongate.cookie.CookieCodecTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A logout ends every refresh-token value a request presented, even when a duplicated cookie name
 * makes the refresh token unreadable for anything else (issue 7, section 1).
 */
class PresentedRefreshTokensTest {
    private final CookieCodec codec = new CookieCodec(CookieSettings.defaults());
    private final String name = codec.refreshCookieName(true);

    @Test
    void oneCookieIsTheTokenItself() {
        SessionCookies cookies = codec.read(request(name + "=rt-1"), true);
        assertEquals(List.of("rt-1"), cookies.presentedRefreshTokens());
    }

    @Test
    void duplicatedCookiesAreNoTokenButEachValueIsPresented() {
        SessionCookies cookies = codec.read(request(name + "=planted; " + name + "=rt-1"), true);
        assertTrue(cookies.refreshToken().isEmpty(), "two cookies with our name are an error, not a choice");
        assertEquals(List.of("planted", "rt-1"), cookies.presentedRefreshTokens());
    }

    @Test
    void chunksAreAssembledFromTheFirstValueOfEachIndexNextToAWholeValue() {
        SessionCookies cookies = codec.read(request(name + "=whole; " + name + ".0=ab; " + name + ".1=cd"), true);
        assertTrue(cookies.refreshToken().isEmpty());
        assertEquals(List.of("whole", "abcd"), cookies.presentedRefreshTokens());
    }

    @Test
    void noRefreshCookieNothingPresented() {
        assertEquals(List.of(), codec.read(request("other=1"), true).presentedRefreshTokens());
    }
}
