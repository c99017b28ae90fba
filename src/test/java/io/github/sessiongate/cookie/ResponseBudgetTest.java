package io.github.sessiongate.cookie;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.GateConfigTest;
import static io.github.sessiongate.cookie.CookieCodecTest.added;
import static io.github.sessiongate.cookie.CookieCodecTest.request;
import static io.github.sessiongate.cookie.CookieCodecTest.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import io.github.sessiongate.web.ResponseBudget;
import io.github.sessiongate.web.SafeRedirect;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one header budget of a response the filter writes: the session cookies are counted as written,
 * the clearing headers get what remains, the {@code Location} what remains after them, and start-up
 * refuses a {@code cookie-max-total-bytes} whose largest write leaves no room. The figures are upper
 * bounds of {@code Set-Cookie: name=value; attributes} plus CRLF, as {@link CookieCodec} counts them.
 */
class ResponseBudgetTest {
    /** Default settings (6144 bytes, __Host- names) with a lifetime, so a login writes three kinds. */
    private final CookieCodec codec = new CookieCodec(CookieSettings.defaults(), false, true);

    /** Every name of ours within the chunk range, both prefix forms: what a sibling subdomain plants to be cleared. */
    private static String planted() {
        List<String> pairs = new ArrayList<>();
        for (String base : List.of("sg_access", "sg_refresh", "sg_meta")) {
            for (String form : List.of("__Host-" + base, base)) {
                pairs.add(form + "=x");
                pairs.add(form + ".0=x");
                pairs.add(form + ".1=x");
            }
        }
        for (int i = 2; pairs.size() < 80; i++) {
            pairs.add("sg_access." + i + "=x");
        }
        return String.join("; ", pairs);
    }

    /** The bytes of the Set-Cookie headers added, each bounded as the codec bounds a clearing header plus the value. */
    private int addedBytes(List<Cookie> cookies) {
        int sum = 0;
        for (Cookie c : cookies) {
            sum += codec.clearingBytes(c.getName()) + c.getValue().length()
                    + Integer.toString(c.getMaxAge()).length() - 1; // clearingBytes counts Max-Age=0
        }
        return sum;
    }

    /** A login response at the budget: the largest access token that fits next to refresh and meta. */
    private SessionCookies loginAtTheBudget(HttpServletResponse[] out) {
        for (int length = CookieSettings.DEFAULT_MAX_TOTAL_BYTES; ; length--) {
            SessionCookies current = codec.read(request(planted()), true);
            HttpServletResponse response = mock(HttpServletResponse.class);
            try {
                codec.replace(response, current, true, token(length), token(48), token(120));
                out[0] = response;
                return current;
            } catch (CookieTooLargeException e) {
                // one shorter
            }
        }
    }

    @Test
    void theBudgetLeavesTheReserveOfTheContainersLimit() {
        assertEquals(ResponseBudget.CONTAINER_LIMIT,
                ResponseBudget.COOKIES_AND_LOCATION + ResponseBudget.OWN_HEADERS + ResponseBudget.RESERVE);
        assertEquals(8192, ResponseBudget.CONTAINER_LIMIT);
        assertEquals(ResponseBudget.COOKIES_AND_LOCATION - "Location: \r\n".length(), ResponseBudget.locationRoom(0));
        assertEquals(ResponseBudget.COOKIES_AND_LOCATION - 6000 - "Location: \r\n".length(), ResponseBudget.locationRoom(6000));
        assertEquals(0, ResponseBudget.locationRoom(ResponseBudget.COOKIES_AND_LOCATION));
        assertEquals(0, ResponseBudget.locationRoom(Integer.MAX_VALUE));
    }

    @Test
    void aLoginAtTheBudgetWithPlantedNamesLeavesTheLocationItsRoomWithinTheLimit() {
        HttpServletResponse[] response = new HttpServletResponse[1];
        SessionCookies current = loginAtTheBudget(response);
        List<Cookie> cookies = added(response[0]);
        int written = addedBytes(cookies.stream().filter(c -> c.getMaxAge() != 0).toList());
        int clearing = addedBytes(cookies.stream().filter(c -> c.getMaxAge() == 0).toList());

        assertTrue(written > CookieSettings.DEFAULT_MAX_TOTAL_BYTES, "the tokens fill the budget: " + written);
        assertEquals(written + clearing, current.setCookieBytes(), "what the response carries is what is recorded");
        assertTrue(current.setCookieBytes() <= ResponseBudget.maxWriteBytes(),
                "the clearing headers yield to the cookies: " + clearing + " bytes next to " + written);
        int location = Math.min(SafeRedirect.MAX_LENGTH, ResponseBudget.locationRoom(current.setCookieBytes()));
        assertTrue(location >= ResponseBudget.FALLBACK_LOCATION - "Location: \r\n".length(),
                "a Location to a configured path always fits: " + location);
        // The whole: every Set-Cookie, the longest Location allowed, the filter's own headers, the reserve.
        assertTrue(current.setCookieBytes() + "Location: \r\n".length() + location + ResponseBudget.OWN_HEADERS
                + ResponseBudget.RESERVE <= ResponseBudget.CONTAINER_LIMIT);
    }

    @Test
    void smallTokensLeaveTheClearingItsWholeBudgetAndTheLocationItsFullLength() {
        SessionCookies current = codec.read(request(planted()), true);
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.replace(response, current, true, token(900), token(48), token(120));
        List<Cookie> cleared = added(response).stream().filter(c -> c.getMaxAge() == 0).toList();

        int clearing = addedBytes(cleared);
        assertTrue(clearing > CookieCodec.MAX_CLEARING_BYTES - codec.clearingBytes("__Host-sg_refresh.1")
                && clearing <= CookieCodec.MAX_CLEARING_BYTES, "the whole clearing budget: " + clearing);
        assertEquals(SafeRedirect.MAX_LENGTH,
                Math.min(SafeRedirect.MAX_LENGTH, ResponseBudget.locationRoom(current.setCookieBytes())));
    }

    @Test
    void aSecondWriteOnTheSameResponseCountsOnAndItsClearingYields() {
        HttpServletResponse[] response = new HttpServletResponse[1];
        SessionCookies current = loginAtTheBudget(response);
        int afterLogin = current.setCookieBytes();
        codec.clear(response[0], current, true);
        assertTrue(current.setCookieBytes() <= ResponseBudget.maxWriteBytes(),
                "clearing never takes the response past the budget: " + current.setCookieBytes());
        assertTrue(current.setCookieBytes() >= afterLogin);
    }

    @Test
    void startUpAcceptsTheDefaultBudgetWithEveryKindAndADomain() {
        for (boolean guests : new boolean[] {false, true}) {
            for (boolean meta : new boolean[] {false, true}) {
                new CookieCodec(CookieSettings.defaults(), guests, meta).requireWithinResponseBudget();
                new CookieCodec(CookieSettings.builder().domain("accounts.example-company.com").build(), guests, meta)
                        .requireWithinResponseBudget();
            }
        }
    }

    @Test
    void startUpRefusesABudgetWhoseLargestWriteLeavesNoRoomAndNamesTheLargestThatFits() {
        CookieCodec full = new CookieCodec(CookieSettings.builder().maxTotalBytes(8192).build(), false, true);
        ConfigException e = assertThrows(ConfigException.class, full::requireWithinResponseBudget);
        assertEquals(CookieSettings.PARAM_MAX_TOTAL_BYTES, e.parameter());
        int fits = Integer.parseInt(e.getMessage().replaceAll(".*Set it to at most (\\d+).*", "$1"));
        assertTrue(fits >= CookieSettings.DEFAULT_MAX_TOTAL_BYTES && fits < 8192, e.getMessage());

        new CookieCodec(CookieSettings.builder().maxTotalBytes(fits).build(), false, true).requireWithinResponseBudget();
        assertThrows(ConfigException.class, () -> new CookieCodec(CookieSettings.builder().maxTotalBytes(fits + 1).build(),
                false, true).requireWithinResponseBudget());
        assertTrue(full.maxWriteBytes(fits) <= ResponseBudget.maxWriteBytes());
    }

    @Test
    void theLargestWriteBoundHoldsForEveryTokenSizeWithinTheBudget() {
        int bound = codec.maxWriteBytes(CookieSettings.DEFAULT_MAX_TOTAL_BYTES);
        for (int access = 100; access <= CookieSettings.DEFAULT_MAX_TOTAL_BYTES; access += 97) {
            int refresh = Math.max(1, CookieSettings.DEFAULT_MAX_TOTAL_BYTES - access - 400);
            SessionCookies current = SessionCookies.none();
            try {
                codec.replace(mock(HttpServletResponse.class), current, true, token(access), token(refresh), token(120));
            } catch (CookieTooLargeException e) {
                continue;
            }
            assertTrue(current.setCookieBytes() <= bound, access + "+" + refresh + ": " + current.setCookieBytes() + " > " + bound);
        }
    }

    @Test
    void theLargestBudgetsTheReadmeStates() {
        assertEquals(6499, largestFitting(false));
        assertEquals(6372, largestFitting(true));
        for (boolean meta : new boolean[] {false, true}) {
            new CookieCodec(CookieSettings.builder().domain("d".repeat(44) + ".com").build(), false, meta)
                    .requireWithinResponseBudget();
        }
    }

    private static int largestFitting(boolean meta) {
        CookieCodec c = new CookieCodec(CookieSettings.defaults(), false, meta);
        int fits = CookieSettings.MAX_MAX_TOTAL_BYTES;
        while (c.maxWriteBytes(fits) > ResponseBudget.maxWriteBytes()) {
            fits--;
        }
        return fits;
    }

    @Test
    void aGateConfigOverTheBudgetFailsStartUpNamingTheParameter() {
        ConfigException e = assertThrows(ConfigException.class, () -> GateConfig.builder()
                .validator(new GateConfigTest.RecordingValidator())
                .cookies(CookieSettings.builder().maxTotalBytes(8000).build()).build());
        assertEquals(CookieSettings.PARAM_MAX_TOTAL_BYTES, e.parameter());
        assertTrue(e.getMessage().contains("8192"), e.getMessage());
    }
}
