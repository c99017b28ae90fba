package io.github.sessiongate.cookie;

import io.github.sessiongate.CookieSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import io.github.sessiongate.fuzz.FakeRequest;
import io.github.sessiongate.fuzz.FuzzInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Fuzzes the raw {@code Cookie} header reader and the chunk assembly. Each NUL-separated field is
 * one {@code Cookie} header. Properties: nothing throws; every pair the reader keeps is an RFC 7230
 * token name and an RFC 6265 value; a token the codec finds is exactly what the cookie of the name
 * that writing would use carried (one whole cookie, or chunks {@code .0} to {@code .n} each once,
 * in order): never a stale prefix form, never one of two same-named cookies.
 *
 * <p>Seeds: {@code src/test/resources/io/github/sessiongate/cookie/CookieHeaderFuzzTestInputs/cookieHeader/}.
 */
class CookieHeaderFuzzTest {
    private static final CookieCodec CODEC = new CookieCodec(CookieSettings.defaults());

    @DictionaryEntries({"sg_access", "sg_refresh", "sg_guest", "sg_meta", "__Host-", ".0", ".1", ".2", ".10", "=", "; ", ",", "\"", "	", "eyJ"})
    @FuzzTest(maxDuration = "10s")
    void cookieHeader(byte[] data) {
        FuzzInput in = FuzzInput.of(data);
        boolean secure = in.flag(1);
        List<String> headers = in.fields();

        List<CookieHeaderReader.Pair> pairs = CookieHeaderReader.parse(Collections.enumeration(headers));
        for (CookieHeaderReader.Pair pair : pairs) {
            assertFalse(pair.name().isEmpty());
            pair.name().chars().forEach(c -> assertTrue(CookieHeaderReader.isTokenChar((char) c)));
            pair.value().chars().forEach(c -> assertTrue(CookieHeaderReader.isCookieOctet((char) c)));
            if (pair.value().length() >= 8) { // "=[n chars]" holds no 8 cookie-octets in a row
                assertFalse(pair.toString().substring(pair.name().length()).contains(pair.value()),
                        "Pair.toString shows the value");
            }
        }

        SessionCookies cookies = CODEC.read(new FakeRequest().header("Cookie", headers.toArray(new String[0])).build(),
                secure);
        assertNotNull(cookies);
        assertOnlyFromCanonicalName(cookies.accessToken(), CODEC.accessCookieName(secure), pairs);
        assertOnlyFromCanonicalName(cookies.refreshToken(), CODEC.refreshCookieName(secure), pairs);
        for (String duplicate : cookies.duplicateNames()) {
            assertTrue(cookies.presentNames().stream().anyMatch(n -> n.startsWith(duplicate)), duplicate);
        }
        int headerChars = headers.stream().mapToInt(String::length).sum();
        assertTrue(cookies.bytes(name -> true) <= headerChars);
        for (Optional<String> token : List.of(cookies.accessToken(), cookies.refreshToken())) {
            token.filter(t -> t.length() >= 8 && cookies.presentNames().stream().noneMatch(n -> n.contains(t)))
                    .ifPresent(t -> assertFalse(cookies.toString().contains(t),
                    "SessionCookies.toString shows a token"));
        }
    }

    /** What the containers answer headers in by default (8 KiB), less room for the other headers. */
    static final int SET_COOKIE_BUDGET = 8192 - 1024;

    /**
     * Whatever session-shaped cookies a request carries, the clearing {@code Set-Cookie} headers
     * fit the response-header budget, so no request header can turn an answer into a 500 (Jetty
     * and Tomcat refuse response headers over 8 KiB). The committed input {@code many-session-names}
     * once made 13 kB of clearing headers (issue 7 section 3).
     */
    @DictionaryEntries({"sg_access", "sg_refresh", "sg_guest", "sg_meta", "__Host-", ".0", ".1", ".99", "=x; "})
    @FuzzTest(maxDuration = "10s")
    void clearingStaysWithinBudget(byte[] data) {
        FuzzInput in = FuzzInput.of(data);
        boolean secure = in.flag(1);
        SessionCookies cookies = CODEC.read(new FakeRequest().header("Cookie", in.fields().toArray(new String[0]))
                .build(), secure);
        int[] bytes = {0};
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isCommitted" -> false;
                    case "addCookie" -> {
                        bytes[0] += rendered((Cookie) args[0]);
                        yield null;
                    }
                    case "getHeaders" -> List.of();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        CODEC.clear(response, cookies, secure);
        assertTrue(bytes[0] <= SET_COOKIE_BUDGET, "clearing takes " + bytes[0] + " bytes of response headers");
    }

    /** The length of {@code Set-Cookie: <cookie>\r\n} as a container writes it (upper bound for Expires). */
    private static int rendered(Cookie c) {
        int n = "Set-Cookie: ".length() + c.getName().length() + 1 + c.getValue().length() + 2;
        n += c.getPath() == null ? 0 : "; Path=".length() + c.getPath().length();
        n += c.getDomain() == null ? 0 : "; Domain=".length() + c.getDomain().length();
        n += "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT".length();
        n += (c.getSecure() ? "; Secure".length() : 0) + (c.isHttpOnly() ? "; HttpOnly".length() : 0);
        for (Map.Entry<String, String> a : c.getAttributes().entrySet()) {
            n += 2 + a.getKey().length() + (a.getValue().isEmpty() ? 0 : 1 + a.getValue().length());
        }
        return n;
    }

    /**
     * A token present only as the model of the name writing would use allows: one whole cookie and
     * no chunk, or chunks 0..n (n at most the codec's
     * {@code maxChunkIndex}), each once, none empty, in index order.
     */
    private static void assertOnlyFromCanonicalName(Optional<String> token, String canonical,
            List<CookieHeaderReader.Pair> pairs) {
        if (token.isEmpty()) {
            return;
        }
        List<String> whole = new ArrayList<>();
        Map<Integer, List<String>> chunks = new TreeMap<>();
        for (CookieHeaderReader.Pair pair : pairs) {
            if (pair.name().equals(canonical)) {
                whole.add(pair.value());
            } else if (pair.name().startsWith(canonical + ".")) {
                String digits = pair.name().substring(canonical.length() + 1);
                // Indices past what a token of the budget can need are ignored, not read.
                if (digits.matches("0|[1-9][0-9]{0,2}") && Integer.parseInt(digits) <= CODEC.maxChunkIndex()) {
                    chunks.computeIfAbsent(Integer.parseInt(digits), k -> new ArrayList<>()).add(pair.value());
                }
            }
        }
        String expected;
        if (whole.size() == 1 && chunks.isEmpty()) {
            expected = whole.get(0);
        } else {
            assertTrue(whole.isEmpty(), canonical + ": a token from two same-named cookies");
            StringBuilder joined = new StringBuilder();
            int index = 0;
            for (Map.Entry<Integer, List<String>> e : chunks.entrySet()) {
                assertEquals(index++, e.getKey(), canonical + ": a token from chunks with a gap");
                assertEquals(1, e.getValue().size(), canonical + ": a token from a duplicated chunk");
                assertFalse(e.getValue().get(0).isEmpty(), canonical + ": a token with an empty chunk");
                joined.append(e.getValue().get(0));
            }
            expected = joined.toString();
        }
        assertFalse(expected.isEmpty(), canonical + ": an empty token");
        assertEquals(expected, token.get(), canonical);
    }
}
