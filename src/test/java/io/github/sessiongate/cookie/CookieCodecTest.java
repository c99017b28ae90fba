package io.github.sessiongate.cookie;

import io.github.sessiongate.CookieSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

public class CookieCodecTest {

    private final CookieCodec codec = new CookieCodec(CookieSettings.defaults());
    /** The largest budget (8192 bytes): a token may take three chunks, {@code .0} to {@code .2}. */
    private final CookieCodec wide = new CookieCodec(CookieSettings.builder().maxTotalBytes(8192).build());

    /** A deterministic token of cookie-octets, shaped like a JWT. */
    public static String token(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(i % 97 == 96 ? '.' : alphabet.charAt((i * 7 + i / 64) % alphabet.length()));
        }
        return sb.toString();
    }

    public static HttpServletRequest request(String... cookieHeaders) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getHeaders("Cookie")).thenAnswer(i -> Collections.enumeration(Arrays.asList(cookieHeaders)));
        return request;
    }

    /** The cookies added to a mock response, in order: through {@code addCookie}, and as {@code Set-Cookie} headers (read back). */
    public static List<Cookie> added(HttpServletResponse response) {
        List<Cookie> cookies = new java.util.ArrayList<>();
        for (org.mockito.invocation.Invocation call : org.mockito.Mockito.mockingDetails(response).getInvocations()) {
            String method = call.getMethod().getName();
            if (method.equals("addCookie")) {
                cookies.add(call.getArgument(0));
            } else if (method.equals("addHeader") && "Set-Cookie".equalsIgnoreCase(call.getArgument(0))) {
                cookies.add(io.github.sessiongate.testing.SetCookieHeader.parse(call.getArgument(1)));
            }
        }
        return cookies;
    }

    static Map<String, Cookie> byName(List<Cookie> cookies) {
        return cookies.stream().collect(Collectors.toMap(Cookie::getName, Function.identity(), (a, b) -> {
            throw new AssertionError("two cookies named " + a.getName());
        }, java.util.LinkedHashMap::new));
    }

    /** The Cookie header a browser would send back after storing these cookies. */
    static String browserHeader(List<Cookie> cookies) {
        return cookies.stream().filter(c -> c.getMaxAge() != 0).map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
    }

    private SessionCookies read(String... headers) {
        return codec.read(request(headers), true);
    }

    // ------------------------------------------------------------------ names and attributes

    @Test
    void writesAccessAndRefreshCookiesWithEveryDefaultAttribute() {
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.write(response, SessionCookies.none(), true, "acc", "ref");
        Map<String, Cookie> cookies = byName(added(response));
        assertEquals(Set.of("__Host-sg_access", "__Host-sg_refresh"), cookies.keySet());
        Cookie access = cookies.get("__Host-sg_access");
        assertEquals("acc", access.getValue());
        assertTrue(access.isHttpOnly());
        assertTrue(access.getSecure());
        assertEquals("/", access.getPath());
        assertNull(access.getDomain());
        assertEquals(3600, access.getMaxAge());
        assertEquals("Lax", access.getAttribute("SameSite"));
        assertNull(access.getAttribute("Partitioned"));
        assertEquals(1209600, cookies.get("__Host-sg_refresh").getMaxAge());
    }

    @Test
    void customSettingsSetStrictPathDomainMaxAgeAndPartitioned() {
        CookieCodec custom = new CookieCodec(CookieSettings.builder().accessCookieName("at").refreshCookieName("rt")
                .sameSite(CookieSettings.SameSite.STRICT).path("/app").domain("example.com")
                .accessMaxAge(Duration.ofMinutes(5)).partitioned(true).build());
        HttpServletResponse response = mock(HttpServletResponse.class);
        custom.write(response, SessionCookies.none(), true, "acc", null);
        Cookie access = byName(added(response)).get("at");
        assertEquals("/app", access.getPath());
        assertEquals("example.com", access.getDomain());
        assertEquals(300, access.getMaxAge());
        assertEquals("Strict", access.getAttribute("SameSite"));
        assertEquals("", access.getAttribute("Partitioned"), "non-Jetty containers get the Servlet 6.1 spelling");
        assertTrue(access.getSecure());
    }

    @Test
    void partitionedValueIsDecidedOnTheResponseBehindWrappers() {
        HttpServletResponse inner = mock(HttpServletResponse.class);
        assertEquals("", CookieCodec.partitionedAttributeValue(new HttpServletResponseWrapper(inner)));
    }

    @Test
    void sameSiteNoneForcesSecureAndThePrefixEvenWhenTheRequestIsNotSecure() {
        CookieCodec none = new CookieCodec(CookieSettings.builder().secure(CookieSettings.SecureMode.AUTO)
                .sameSite(CookieSettings.SameSite.NONE).build());
        HttpServletResponse response = mock(HttpServletResponse.class);
        none.write(response, SessionCookies.none(), false, "acc", null);
        Cookie access = byName(added(response)).get("__Host-sg_access");
        assertTrue(access.getSecure());
        assertEquals("None", access.getAttribute("SameSite"));
        assertEquals("__Host-sg_access", none.accessCookieName(false));
    }

    @Test
    void hostPrefixIsUsedOnlyWhenSecureWithRootPathAndNoDomain() {
        assertEquals("__Host-sg_access", codec.accessCookieName(true));
        assertEquals("sg_access", codec.accessCookieName(false));
        assertEquals("__Host-sg_refresh", codec.refreshCookieName(true));
        assertEquals("sg_access", new CookieCodec(CookieSettings.builder().path("/app").build()).accessCookieName(true));
        assertEquals("sg_access",
                new CookieCodec(CookieSettings.builder().domain("example.com").build()).accessCookieName(true));
        assertEquals("sg_access", new CookieCodec(CookieSettings.builder().hostPrefix(false).build()).accessCookieName(true));
    }

    @Test
    void notSecureWritesThePlainNameWithoutSecure() {
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.write(response, SessionCookies.none(), false, "acc", null);
        Cookie access = byName(added(response)).get("sg_access");
        assertFalse(access.getSecure());
        assertTrue(access.isHttpOnly());
    }

    @Test
    void readingUsesTheNameWritingWouldUseForTheSameSecureFlag() {
        HttpServletRequest request = request("__Host-sg_access=prefixed; sg_access=plain");
        assertEquals(Optional.of("prefixed"), codec.read(request, true).accessToken());
        assertEquals(Optional.of("plain"), codec.read(request, false).accessToken());
        SessionCookies secure = codec.read(request, true);
        assertEquals(Set.of("__Host-sg_access", "sg_access"), secure.presentNames(), "both forms are seen");
        assertFalse(secure.hasDuplicates(), "the other prefix form is stale, not a duplicate");
    }

    @Test
    void writingTheOtherFormClearsTheStaleOneWithAttributesItsPrefixRequires() {
        SessionCookies current = codec.read(request("__Host-sg_access=old"), false);
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.write(response, current, false, "new", null);
        Map<String, Cookie> cookies = byName(added(response));
        Cookie stale = cookies.get("__Host-sg_access");
        assertEquals(0, stale.getMaxAge());
        assertEquals("", stale.getValue());
        assertTrue(stale.getSecure(), "a __Host- cookie is only accepted, even for deletion, with Secure");
        assertEquals("/", stale.getPath());
        assertEquals("new", cookies.get("sg_access").getValue());
    }

    // ------------------------------------------------------------------ chunking and size

    @Test
    void fiveKilobyteTokenIsChunkedAndReassembled() {
        String token = token(5000);
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.write(response, SessionCookies.none(), true, token, "ref");
        List<Cookie> cookies = added(response);
        assertEquals(List.of("__Host-sg_access.0", "__Host-sg_access.1", "__Host-sg_refresh"),
                cookies.stream().map(Cookie::getName).toList());
        for (Cookie c : cookies) {
            // name=value plus the longest attributes a container writes must fit the browser's 4096 bytes
            int attributes = "; Max-Age=1209600; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure; HttpOnly; SameSite=Lax"
                    .length();
            assertTrue(c.getName().length() + 1 + c.getValue().length() + attributes <= 4096, c.getName());
        }
        SessionCookies back = read(browserHeader(cookies));
        assertEquals(Optional.of(token), back.accessToken());
        assertEquals(Optional.of("ref"), back.refreshToken());
    }

    @Test
    void tokenThatFitsOneCookieIsNotChunked() {
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.write(response, SessionCookies.none(), true, token(3900), null);
        assertEquals(List.of("__Host-sg_access"), added(response).stream().map(Cookie::getName).toList());
    }

    @Test
    void tokenOverTheTotalCapThrowsAndWritesNothing() {
        HttpServletResponse response = mock(HttpServletResponse.class);
        String token = token(6200);
        CookieTooLargeException e = assertThrows(CookieTooLargeException.class,
                () -> codec.write(response, SessionCookies.none(), true, token, "ref"));
        verify(response, never()).addCookie(any());
        assertEquals(6144, e.limit());
        assertTrue(e.totalBytes() > 6144);
        assertTrue(e.getMessage().contains(CookieSettings.PARAM_MAX_TOTAL_BYTES), e.getMessage());
        assertTrue(e.getMessage().contains(Integer.toString(e.totalBytes())), e.getMessage());
        assertFalse(e.getMessage().contains(token.substring(0, 20)), "never the token");
    }

    @Test
    void capCountsNamesValuesAndSeparatorsOfBothCookies() {
        // access: "__Host-sg_access=" (17) + a; refresh: "__Host-sg_refresh=" (18) + r; separator "; " (2)
        int access = 3000;
        int refresh = 6144 - 17 - 18 - 2 - access;
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.write(response, SessionCookies.none(), true, token(access), token(refresh));
        CookieTooLargeException e = assertThrows(CookieTooLargeException.class,
                () -> codec.write(mock(HttpServletResponse.class), SessionCookies.none(), true, token(access),
                        token(refresh + 1)));
        assertEquals(6145, e.totalBytes());
    }

    @Test
    void refreshCookieKeptByTheBrowserCountsTowardTheCap() {
        SessionCookies current = read("__Host-sg_refresh=" + token(3000));
        HttpServletResponse response = mock(HttpServletResponse.class);
        CookieTooLargeException e = assertThrows(CookieTooLargeException.class,
                () -> codec.write(response, current, true, token(3200), null));
        assertEquals(3000 + 18, e.refreshBytes());
        verify(response, never()).addCookie(any());
    }

    @Test
    void shrinkingTokenClearsStaleChunksOnTheSameResponse() {
        SessionCookies current = wide.read(request("__Host-sg_access.0=a; __Host-sg_access.1=b; __Host-sg_access.2=c; x=1"),
                true);
        HttpServletResponse response = mock(HttpServletResponse.class);
        wide.write(response, current, true, "small", null);
        Map<String, Cookie> cookies = byName(added(response));
        assertEquals(List.of("__Host-sg_access.0", "__Host-sg_access.1", "__Host-sg_access.2", "__Host-sg_access"),
                List.copyOf(cookies.keySet()));
        for (int i = 0; i < 3; i++) {
            Cookie stale = cookies.get("__Host-sg_access." + i);
            assertEquals(0, stale.getMaxAge());
            assertEquals("/", stale.getPath());
            assertTrue(stale.getSecure() && stale.isHttpOnly());
        }
        assertEquals("small", cookies.get("__Host-sg_access").getValue());
    }

    @Test
    void growingTokenClearsTheUnchunkedCookieAndFewerChunksClearTheRest() {
        SessionCookies current = wide.read(request("__Host-sg_access=old; __Host-sg_access.0=x; __Host-sg_access.1=y; "
                + "__Host-sg_access.2=z"), true);
        HttpServletResponse response = mock(HttpServletResponse.class);
        wide.write(response, current, true, token(5000), null);
        Map<String, Cookie> cookies = byName(added(response));
        assertEquals(0, cookies.get("__Host-sg_access").getMaxAge());
        assertEquals(0, cookies.get("__Host-sg_access.2").getMaxAge());
        assertEquals(3600, cookies.get("__Host-sg_access.0").getMaxAge());
        assertEquals(3600, cookies.get("__Host-sg_access.1").getMaxAge());
    }

    @Test
    void withoutANewRefreshTokenTheRefreshCookiesAreLeftAlone() {
        SessionCookies current = read("__Host-sg_access=a; __Host-sg_refresh.0=r0; __Host-sg_refresh.1=r1");
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.write(response, current, true, "b", null);
        assertEquals(List.of("__Host-sg_access"), added(response).stream().map(Cookie::getName).toList());
    }

    @Test
    void newUnchunkedRefreshTokenClearsOldRefreshChunks() {
        SessionCookies current = read("__Host-sg_refresh.0=r0; __Host-sg_refresh.1=r1");
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.write(response, current, true, "a", "r");
        Map<String, Cookie> cookies = byName(added(response));
        assertEquals(0, cookies.get("__Host-sg_refresh.0").getMaxAge());
        assertEquals(0, cookies.get("__Host-sg_refresh.1").getMaxAge());
        assertEquals("r", cookies.get("__Host-sg_refresh").getValue());
    }

    // ------------------------------------------------------------------ clear

    @Test
    void clearExpiresEveryPresentCookieAndTheCanonicalNamesOfAllFour() {
        CookieCodec custom = new CookieCodec(CookieSettings.builder().path("/app").domain("example.com").build());
        SessionCookies current = custom.read(request("sg_access.0=a; sg_access.1=b; other=c"), true);
        HttpServletResponse response = mock(HttpServletResponse.class);
        custom.clear(response, current, true);
        List<Cookie> cookies = added(response);
        assertEquals(List.of("sg_access.0", "sg_access.1", "sg_access", "sg_refresh", "sg_guest", "sg_meta"),
                cookies.stream().map(Cookie::getName).toList());
        for (Cookie c : cookies) {
            assertEquals(0, c.getMaxAge());
            assertEquals("", c.getValue());
            assertEquals("/app", c.getPath());
            assertEquals("example.com", c.getDomain());
            assertTrue(c.getSecure() && c.isHttpOnly());
            assertEquals("Lax", c.getAttribute("SameSite"));
        }
    }

    @Test
    void clearCarriedExpiresWhatTheRequestCarriedAndNothingElse() {
        CookieCodec custom = new CookieCodec(CookieSettings.builder().path("/app").domain("example.com").build());
        SessionCookies current = custom.read(request("other=c; sg_access.0=a; sg_access.1=b; sg_refresh=r"), true);
        HttpServletResponse response = mock(HttpServletResponse.class);
        custom.clearCarried(response, current, true);
        List<Cookie> cookies = added(response);
        assertEquals(List.of("sg_access.0", "sg_access.1", "sg_refresh"), cookies.stream().map(Cookie::getName).toList(),
                "every chunk and cookie carried, no canonical name it did not carry, no foreign cookie");
        for (Cookie c : cookies) {
            assertEquals(0, c.getMaxAge());
            assertEquals("", c.getValue());
            assertEquals("/app", c.getPath());
            assertEquals("example.com", c.getDomain());
            assertTrue(c.getSecure() && c.isHttpOnly());
        }
        HttpServletResponse again = mock(HttpServletResponse.class);
        custom.clearCarried(again, current, true);
        assertEquals(List.of(), added(again), "a name this response already cleared is not cleared twice");
    }

    @Test
    void clearCarriedClearsTheOtherPrefixFormTooAndNothingForNoCookies() {
        SessionCookies current = codec.read(request("sg_access=x; __Host-sg_access=y"), true);
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.clearCarried(response, current, true);
        assertEquals(List.of("sg_access", "__Host-sg_access"), added(response).stream().map(Cookie::getName).toList());

        HttpServletResponse none = mock(HttpServletResponse.class);
        codec.clearCarried(none, codec.read(request("theme=dark"), true), true);
        assertEquals(List.of(), added(none));
    }

    // ------------------------------------------------------------------ guest and meta cookies

    @Test
    void guestAndMetaCookiesGetEveryDefaultAttributeAndTheirOwnMaxAge() {
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.writeGuest(response, SessionCookies.none(), true, "gst");
        codec.writeMeta(response, SessionCookies.none(), true, "mta");
        Map<String, Cookie> cookies = byName(added(response));
        assertEquals(Set.of("__Host-sg_guest", "__Host-sg_meta"), cookies.keySet());
        for (Cookie c : cookies.values()) {
            assertTrue(c.isHttpOnly() && c.getSecure(), c::getName);
            assertEquals("/", c.getPath());
            assertNull(c.getDomain());
            assertEquals("Lax", c.getAttribute("SameSite"));
        }
        assertEquals("gst", cookies.get("__Host-sg_guest").getValue());
        assertEquals(3600, cookies.get("__Host-sg_guest").getMaxAge(), "guest-cookie-max-age default");
        assertEquals(1209600, cookies.get("__Host-sg_meta").getMaxAge(), "meta follows the refresh cookie");
        assertEquals("__Host-sg_guest", codec.guestCookieName(true));
        assertEquals("sg_meta", codec.metaCookieName(false));
    }

    @Test
    void guestCookieTakesTheMaxAgeTheCallerPasses() {
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.writeGuest(response, SessionCookies.none(), true, "gst", Duration.ofMinutes(30));
        assertEquals(1800, byName(added(response)).get("__Host-sg_guest").getMaxAge());
        assertThrows(IllegalArgumentException.class,
                () -> codec.writeGuest(mock(HttpServletResponse.class), SessionCookies.none(), true, "g", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> codec.writeGuest(mock(HttpServletResponse.class),
                SessionCookies.none(), true, "g", Duration.ofDays(401)));
    }

    @Test
    void customSettingsApplyToGuestAndMetaCookiesToo() {
        CookieCodec custom = new CookieCodec(CookieSettings.builder().guestCookieName("gc").metaCookieName("mc")
                .sameSite(CookieSettings.SameSite.STRICT).path("/app").domain("example.com").partitioned(true)
                .guestMaxAge(Duration.ofMinutes(20)).metaMaxAge(Duration.ofDays(30)).build());
        HttpServletResponse response = mock(HttpServletResponse.class);
        custom.writeGuest(response, SessionCookies.none(), true, "g");
        custom.writeMeta(response, SessionCookies.none(), true, "m");
        Map<String, Cookie> cookies = byName(added(response));
        assertEquals(Set.of("gc", "mc"), cookies.keySet());
        for (Cookie c : cookies.values()) {
            assertEquals("/app", c.getPath());
            assertEquals("example.com", c.getDomain());
            assertEquals("Strict", c.getAttribute("SameSite"));
            assertEquals("", c.getAttribute("Partitioned"));
            assertTrue(c.getSecure() && c.isHttpOnly());
        }
        assertEquals(1200, cookies.get("gc").getMaxAge());
        assertEquals(2592000, cookies.get("mc").getMaxAge());
    }

    @Test
    void guestAndMetaAreReadLikeTheTokens() {
        SessionCookies c = read("x=1; __Host-sg_guest=\"gst\"; __Host-sg_meta=mta\t");
        assertEquals(Optional.of("gst"), c.guestToken());
        assertEquals(Optional.of("mta"), c.meta());
        assertEquals(Optional.empty(), c.accessToken());
        assertFalse(c.toString().contains("gst") || c.toString().contains("mta"), c::toString);
        assertTrue(c.toString().contains("guest=present") && c.toString().contains("meta=present"), c::toString);
        SessionCookies none = SessionCookies.none();
        assertEquals(Optional.empty(), none.guestToken());
        assertEquals(Optional.empty(), none.meta());
    }

    @Test
    void duplicatedGuestOrMetaIsAbsentAndReported() {
        SessionCookies c = read("__Host-sg_guest=a; __Host-sg_meta=m", "__Host-sg_guest=b; __Host-sg_meta=n");
        assertEquals(Optional.empty(), c.guestToken());
        assertEquals(Optional.empty(), c.meta());
        assertEquals(Set.of("__Host-sg_guest", "__Host-sg_meta"), c.duplicateNames());
    }

    @Test
    void largeGuestTokenIsChunkedAndReassembled() {
        String token = token(5000);
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.writeGuest(response, SessionCookies.none(), true, token);
        List<Cookie> cookies = added(response);
        assertEquals(List.of("__Host-sg_guest.0", "__Host-sg_guest.1"), cookies.stream().map(Cookie::getName).toList());
        assertEquals(Optional.of(token), read(browserHeader(cookies)).guestToken());
    }

    @Test
    void loginClearsAPresentGuestCookieAndLeavesTheMetaCookieAlone() {
        SessionCookies current = read("__Host-sg_guest.0=g0; __Host-sg_guest.1=g1; sg_guest=old; __Host-sg_meta=m");
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.write(response, current, true, "acc", "ref");
        List<Cookie> cookies = added(response);
        assertEquals(List.of("__Host-sg_guest.0", "__Host-sg_guest.1", "sg_guest", "__Host-sg_access", "__Host-sg_refresh"),
                cookies.stream().map(Cookie::getName).toList());
        for (Cookie guest : cookies.subList(0, 3)) {
            assertEquals(0, guest.getMaxAge());
            assertEquals("", guest.getValue());
        }
    }

    @Test
    void writeWithoutAGuestCookieClearsNoGuestCookie() {
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.write(response, read("__Host-sg_access=old"), true, "acc", null);
        assertEquals(List.of("__Host-sg_access"), added(response).stream().map(Cookie::getName).toList());
    }

    @Test
    void guestAndMetaWritesLeaveTheOtherCookiesAloneAndClearTheirOwnStaleForms() {
        SessionCookies current = read("__Host-sg_access=a; __Host-sg_refresh=r; sg_guest=plain; __Host-sg_guest.0=x; "
                + "sg_meta=old");
        HttpServletResponse guest = mock(HttpServletResponse.class);
        codec.writeGuest(guest, current, true, "g");
        assertEquals(List.of("sg_guest", "__Host-sg_guest.0", "__Host-sg_guest"),
                added(guest).stream().map(Cookie::getName).toList());
        HttpServletResponse meta = mock(HttpServletResponse.class);
        codec.writeMeta(meta, current, true, "m");
        assertEquals(List.of("sg_meta", "__Host-sg_meta"), added(meta).stream().map(Cookie::getName).toList());
    }

    @Test
    void clearGuestClearsOnlyTheGuestCookie() {
        SessionCookies current = read("__Host-sg_access=a; __Host-sg_guest.0=x; __Host-sg_meta=m");
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.clearGuest(response, current, true);
        List<Cookie> cookies = added(response);
        assertEquals(List.of("__Host-sg_guest.0", "__Host-sg_guest"), cookies.stream().map(Cookie::getName).toList());
        assertTrue(cookies.stream().allMatch(c -> c.getMaxAge() == 0 && c.getValue().isEmpty()));
    }

    @Test
    void clearNeverFailsForSizeEvenWhenTheBrowserCarriesTooMuch() {
        SessionCookies current = read("__Host-sg_access=" + token(4000) + "; __Host-sg_refresh=" + token(4000)
                + "; __Host-sg_guest=g");
        HttpServletResponse guest = mock(HttpServletResponse.class);
        codec.clearGuest(guest, current, true);
        HttpServletResponse all = mock(HttpServletResponse.class);
        codec.clear(all, current, true);
        assertEquals(List.of("__Host-sg_guest"), added(guest).stream().map(Cookie::getName).toList());
        List<Cookie> cleared = added(all);
        assertTrue(cleared.stream().map(Cookie::getName).toList().containsAll(List.of("__Host-sg_access", "__Host-sg_refresh")),
                () -> "the oversized token cookies are still cleared: " + cleared);
        assertTrue(cleared.stream().allMatch(c -> c.getMaxAge() == 0 && c.getValue().isEmpty()));
    }

    // ------------------------------------------------------------------ sliding Max-Age and refresh

    @Test
    void slidingMaxAgeCapsTheAccessAndRefreshCookies() {
        HttpServletResponse response = mock(HttpServletResponse.class);
        codec.write(response, SessionCookies.none(), true, "acc", "ref", Duration.ofMinutes(15));
        Map<String, Cookie> cookies = byName(added(response));
        assertEquals(900, cookies.get("__Host-sg_access").getMaxAge());
        assertEquals(900, cookies.get("__Host-sg_refresh").getMaxAge());

        HttpServletResponse longer = mock(HttpServletResponse.class);
        codec.write(longer, SessionCookies.none(), true, "acc", "ref", Duration.ofDays(2));
        Map<String, Cookie> capped = byName(added(longer));
        assertEquals(3600, capped.get("__Host-sg_access").getMaxAge(), "never beyond the configured max age");
        assertEquals(172800, capped.get("__Host-sg_refresh").getMaxAge());

        HttpServletResponse none = mock(HttpServletResponse.class);
        codec.write(none, SessionCookies.none(), true, "acc", "ref", null);
        assertEquals(3600, byName(added(none)).get("__Host-sg_access").getMaxAge());

        HttpServletResponse bad = mock(HttpServletResponse.class);
        assertThrows(IllegalArgumentException.class,
                () -> codec.write(bad, SessionCookies.none(), true, "acc", "ref", Duration.ofMillis(500)));
        verify(bad, never()).addCookie(any());
    }

    /** A refresh writes the same names with the same Path and Domain as the login, and clears nothing. */
    @Test
    void refreshNeverRenamesCookiesOrChangesTheirPathOrDomain() {
        for (CookieCodec c : List.of(codec, new CookieCodec(CookieSettings.builder().accessCookieName("at")
                .refreshCookieName("rt").path("/app").domain("example.com").build()))) {
            HttpServletResponse login = mock(HttpServletResponse.class);
            c.write(login, SessionCookies.none(), true, "acc1", "ref1");
            List<Cookie> first = added(login);
            SessionCookies afterLogin = c.read(request(browserHeader(first)), true);
            assertEquals(Optional.of("acc1"), afterLogin.accessToken());

            HttpServletResponse refresh = mock(HttpServletResponse.class);
            c.write(refresh, afterLogin, true, "acc2", "ref2");
            HttpServletResponse sliding = mock(HttpServletResponse.class);
            c.write(sliding, afterLogin, true, "acc2", "ref2", Duration.ofMinutes(15));
            for (List<Cookie> again : List.of(added(refresh), added(sliding))) {
                assertEquals(first.stream().map(Cookie::getName).toList(), again.stream().map(Cookie::getName).toList(),
                        "same names, nothing cleared");
                for (int i = 0; i < first.size(); i++) {
                    assertEquals(first.get(i).getPath(), again.get(i).getPath());
                    assertEquals(first.get(i).getDomain(), again.get(i).getDomain());
                    assertEquals(first.get(i).getSecure(), again.get(i).getSecure());
                    assertEquals(first.get(i).getAttribute("SameSite"), again.get(i).getAttribute("SameSite"));
                    assertTrue(again.get(i).isHttpOnly());
                }
            }
            assertEquals(Optional.of("acc2"), c.read(request(browserHeader(added(refresh))), true).accessToken());
        }
    }

    // ------------------------------------------------------------------ size cap over all four cookies

    @Test
    void keptMetaCookieCountsTowardTheCapOfALogin() {
        // access "__Host-sg_access=" (17) + a; meta "__Host-sg_meta=" (15) + 87; one separator (2)
        CookieCodec small = new CookieCodec(CookieSettings.builder().maxTotalBytes(1024).build());
        SessionCookies current = small.read(request("__Host-sg_meta=" + token(87)), true);
        int fits = 1024 - 17 - 15 - 87 - 2;
        small.write(mock(HttpServletResponse.class), current, true, token(fits), null);
        HttpServletResponse response = mock(HttpServletResponse.class);
        CookieTooLargeException e = assertThrows(CookieTooLargeException.class,
                () -> small.write(response, current, true, token(fits + 1), null));
        assertEquals(1025, e.totalBytes());
        assertEquals(15 + 87, e.otherBytes());
        assertTrue(e.getMessage().contains("guest and meta 102"), e.getMessage());
        verify(response, never()).addCookie(any());
    }

    @Test
    void guestCookieClearedByALoginDoesNotCountButKeptCookiesCountForAGuestWrite() {
        SessionCookies withGuest = read("__Host-sg_guest=" + token(3000));
        codec.write(mock(HttpServletResponse.class), withGuest, true, token(4000), null); // the guest cookie goes

        SessionCookies withSession = read("__Host-sg_access=" + token(4000));
        HttpServletResponse response = mock(HttpServletResponse.class);
        CookieTooLargeException e = assertThrows(CookieTooLargeException.class,
                () -> codec.writeGuest(response, withSession, true, token(3000)));
        assertEquals(17 + 4000, e.accessBytes());
        assertEquals(16 + 3000, e.otherBytes());
        verify(response, never()).addCookie(any());
        assertThrows(CookieTooLargeException.class,
                () -> codec.writeMeta(mock(HttpServletResponse.class), withSession, true, token(2200)));
    }

    // ------------------------------------------------------------------ programmer errors

    @Test
    void tokenWithACharacterACookieCannotCarryIsRefusedWithoutQuotingIt() {
        HttpServletResponse response = mock(HttpServletResponse.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.write(response, SessionCookies.none(), true, "secret;part", null));
        assertTrue(e.getMessage().contains("index 6"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> codec.write(response, SessionCookies.none(), true, "ok", "has space"));
        assertThrows(IllegalArgumentException.class, () -> codec.write(response, SessionCookies.none(), true, "", null));
        assertThrows(IllegalArgumentException.class, () -> codec.writeGuest(response, SessionCookies.none(), true, "a,b"));
        assertThrows(IllegalArgumentException.class, () -> codec.writeMeta(response, SessionCookies.none(), true, ""));
        verify(response, never()).addCookie(any());
    }

    @Test
    void writingOrClearingACommittedResponseFails() {
        HttpServletResponse response = mock(HttpServletResponse.class);
        when(response.isCommitted()).thenReturn(true);
        assertThrows(IllegalStateException.class, () -> codec.write(response, SessionCookies.none(), true, "a", null));
        assertThrows(IllegalStateException.class, () -> codec.clear(response, SessionCookies.none(), true));
        assertThrows(IllegalStateException.class, () -> codec.writeGuest(response, SessionCookies.none(), true, "g"));
        assertThrows(IllegalStateException.class, () -> codec.writeMeta(response, SessionCookies.none(), true, "m"));
        assertThrows(IllegalStateException.class, () -> codec.clearGuest(response, SessionCookies.none(), true));
        verify(response, never()).addCookie(any());
    }

    // ------------------------------------------------------------------ reading hostile input

    @Test
    void noCookieHeaderReadsAsEmpty() {
        SessionCookies none = read();
        assertTrue(none.isEmpty());
        assertEquals(Optional.empty(), none.accessToken());
        assertFalse(none.hasDuplicates());
    }

    @Test
    void strayCookiesOfOtherAppsWithTabsQuotesAndJunkDoNotDisturbOurs() {
        SessionCookies c = read("theme=\"dark\"; \tjunk; =x; tracking=a\tb; __Host-sg_access=\"acc\";"
                + " weird=\u0000; __Host-sg_refresh=ref\t");
        assertEquals(Optional.of("acc"), c.accessToken());
        assertEquals(Optional.of("ref"), c.refreshToken());
        assertEquals(Set.of("__Host-sg_access", "__Host-sg_refresh"), c.presentNames());
    }

    @Test
    void tokensAreReadAcrossMultipleCookieHeaders() {
        SessionCookies c = read("a=1; __Host-sg_access.0=ab", "__Host-sg_access.1=cd; __Host-sg_refresh=r");
        assertEquals(Optional.of("abcd"), c.accessToken());
        assertEquals(Optional.of("r"), c.refreshToken());
    }

    @Test
    void sameNameTwiceMakesThatTokenAbsentWhicheverComesFirst() {
        for (String header : List.of("__Host-sg_access=mine; __Host-sg_access=tossed; __Host-sg_refresh=r",
                "__Host-sg_access=tossed; __Host-sg_access=mine; __Host-sg_refresh=r")) {
            SessionCookies c = read(header);
            assertEquals(Optional.empty(), c.accessToken(), "neither first nor last: " + header);
            assertTrue(c.hasDuplicates());
            assertEquals(Set.of("__Host-sg_access"), c.duplicateNames());
            assertEquals(Optional.of("r"), c.refreshToken(), "the other token is unaffected");
        }
    }

    @Test
    void sameNameInTwoHeadersIsADuplicateToo() {
        SessionCookies c = read("__Host-sg_refresh=a", "__Host-sg_refresh=b");
        assertEquals(Optional.empty(), c.refreshToken());
        assertEquals(Set.of("__Host-sg_refresh"), c.duplicateNames());
    }

    @Test
    void duplicatedChunkMakesTheTokenAbsent() {
        SessionCookies c = read("__Host-sg_access.0=a; __Host-sg_access.1=b; __Host-sg_access.1=c");
        assertEquals(Optional.empty(), c.accessToken());
        assertEquals(Set.of("__Host-sg_access.1"), c.duplicateNames());
    }

    @Test
    void unchunkedCookieNextToChunksIsADuplicate() {
        SessionCookies c = read("__Host-sg_access=whole; __Host-sg_access.0=a; __Host-sg_access.1=b");
        assertEquals(Optional.empty(), c.accessToken());
        assertEquals(Set.of("__Host-sg_access"), c.duplicateNames());
    }

    @Test
    void chunkGapOrMissingFirstChunkMakesTheTokenAbsentWithoutADuplicate() {
        SessionCookies gap = wide.read(request("__Host-sg_access.0=a; __Host-sg_access.2=c"), true);
        assertEquals(Optional.empty(), gap.accessToken());
        assertFalse(gap.hasDuplicates());
        assertEquals(Set.of("__Host-sg_access.0", "__Host-sg_access.2"), gap.presentNames());
        assertEquals(Optional.empty(), wide.read(request("__Host-sg_access.1=b; __Host-sg_access.2=c"), true).accessToken());
        assertEquals(Optional.empty(), read("__Host-sg_access.0=; __Host-sg_access.1=b").accessToken());
    }

    @Test
    void chunksAreReassembledInIndexOrderWhateverTheHeaderOrder() {
        assertEquals(Optional.of("abc"),
                wide.read(request("__Host-sg_access.2=c; __Host-sg_access.0=a; __Host-sg_access.1=b"), true).accessToken());
    }

    @Test
    void emptyValueIsAbsentButPresentForClearing() {
        SessionCookies c = read("__Host-sg_access=");
        assertEquals(Optional.empty(), c.accessToken());
        assertEquals(Set.of("__Host-sg_access"), c.presentNames());
        assertFalse(c.isEmpty());
    }

    @Test
    void similarNamesAreNotOurs() {
        SessionCookies c = read("__Host-sg_access_x=1; __Host-sg_access.01=2; __Host-sg_access.1234=3; "
                + "__HOST-sg_access=4; __Host-SG_ACCESS=5; __Secure-sg_access=6; sg_accessx=7");
        assertTrue(c.isEmpty(), c::toString);
    }

    @Test
    void malformedValueOfOurNameIsSkippedNotCountedAsDuplicate() {
        SessionCookies c = read("__Host-sg_access=mine; __Host-sg_access=bad\u0001value; __Host-sg_access=a b");
        assertEquals(Optional.of("mine"), c.accessToken());
        assertFalse(c.hasDuplicates());
    }

    @Test
    void readNeverThrowsEvenWhenTheContainerDoes() {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getHeaders("Cookie")).thenThrow(new IllegalStateException("boom"));
        assertTrue(codec.read(request, true).isEmpty());
        HttpServletRequest nullHeaders = mock(HttpServletRequest.class);
        assertTrue(codec.read(nullHeaders, true).isEmpty());
    }

    @Test
    void toStringNeverShowsValues() {
        SessionCookies c = read("__Host-sg_access=secret-access; __Host-sg_refresh=secret-refresh");
        assertFalse(c.toString().contains("secret"), c::toString);
        assertTrue(c.toString().contains("__Host-sg_access"), c::toString);
    }

    @Test
    void decimalLengthIsTheLengthOfTheDecimalString() {
        for (int v : new int[] {0, 1, 9, 10, 99, 100, 34_560_000, Integer.MAX_VALUE, -1, -9, -10, -12345,
                Integer.MIN_VALUE + 1, Integer.MIN_VALUE}) {
            assertEquals(Integer.toString(v).length(), CookieCodec.decimalLength(v), "for " + v);
        }
    }
}
