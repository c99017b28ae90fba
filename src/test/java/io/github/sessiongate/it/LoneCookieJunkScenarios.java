package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.LogCapture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A lone access cookie of junk holding what no cookie may carry (a quote, comma, backslash, UTF-8,
 * a raw Latin-1 byte, a fourth dot), now looked at by the validator before its characters are
 * checked ({@code CookieHeaderReader.loneAtSight}), over real HTTP ({@link JettyLoneCookieJunkTest},
 * {@link TomcatLoneCookieJunkTest}) on the {@code gate} webapp: each answered 401 (400 if the
 * container itself refuses the header), never 500 nor the application, with at most one small
 * clearing {@code Set-Cookie}, a small response, and no token text in the logs; the same junk in a
 * header of several cookies, or beside a genuine session in another header, leaves that session served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LoneCookieJunkScenarios {
    private static final String ACCESS_COOKIE = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final Teardown teardown = new Teardown();
    private URI base;

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        base = GateServer.start(teardown, newContainer());
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code s} as the UTF-8 bytes a browser would send, one char per byte (RawHttp writes ISO-8859-1). */
    private static String utf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** Hostile values, each at least 32 characters (the length {@code loneAtSight} defers the character check for). */
    private static Map<String, String> junk(String genuine) {
        String[] parts = genuine.split("\\.");
        String payload = parts[1];
        String sig = parts[2];
        Map<String, String> j = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : Map.of("alg none", b64("{\"alg\":\"none\"}"),
                "alg RS256", b64("{\"alg\":\"RS256\",\"kid\":\"x\"}"), "genuine header", parts[0],
                "not json", b64("not json at all")).entrySet()) {
            String h = header.getValue();
            j.put(header.getKey() + ", quote in the payload", h + "." + payload.substring(0, 20) + "\"" + payload.substring(20) + "." + sig);
            j.put(header.getKey() + ", comma in the signature", h + "." + payload + "." + sig + ",x=1");
            j.put(header.getKey() + ", backslash", h + "." + payload + "\\." + sig);
            j.put(header.getKey() + ", UTF-8 e-acute", h + "." + payload + utf8("\u00e9") + "." + sig);
            j.put(header.getKey() + ", UTF-8 emoji", h + "." + payload + "." + sig + utf8("\ud83d\ude00"));
            j.put(header.getKey() + ", raw 0xff", h + "." + payload + "\u00ff." + sig);
            j.put(header.getKey() + ", fourth dot", h + "." + payload + "." + sig + "." + sig);
            j.put(header.getKey() + ", inner space", h + "." + payload + " ." + sig);
        }
        j.put("genuine token, trailing quote", genuine + "\"");
        j.put("genuine token, comma", genuine + ",");
        j.put("genuine token, UTF-8", genuine + utf8("\u00e9"));
        j.put("genuine token quoted with junk", "\"" + genuine + "\\\"\"");
        return j;
    }

    private Response get(String... headers) throws Exception {
        return RawHttp.send(base, "GET", GateServer.APP + "/api/orders", headers);
    }

    @Test
    void loneJunkIsUnauthenticatedNeverAnErrorNorLogged() throws Exception {
        String genuine = Tokens.valid("alice", "user");
        assertEquals(200, get("Cookie: " + ACCESS_COOKIE + "=" + genuine).status(), "the genuine token warms the header cache");
        int refusedAsTokens = 0;
        for (Map.Entry<String, String> e : junk(genuine).entrySet()) {
            String value = e.getValue();
            Response[] response = new Response[1];
            String log = LogCapture.during(() -> response[0] = get("Cookie: " + ACCESS_COOKIE + "=" + value));
            Response r = response[0];
            String[] segments = value.split("\\.");
            List<String> clearing = r.headers("set-cookie").stream().filter(h -> h.startsWith(ACCESS_COOKIE + "=")).toList();
            int size = r.body().length() + r.headers().toString().length();
            assertAll(e.getKey(),
                    () -> assertTrue(r.status() == 401 || r.status() == 400, r::toString),
                    () -> assertFalse(r.body().contains(EchoServlet.MARKER), "reached the application"),
                    () -> assertTrue(clearing.size() <= 1, () -> "clearing Set-Cookie headers: " + clearing),
                    () -> assertTrue(clearing.stream().allMatch(h -> h.startsWith(ACCESS_COOKIE + "=;")),
                            () -> "a clearing cookie carries no value: " + clearing),
                    () -> assertTrue(size < 4096, () -> "response of " + size + " characters"),
                    () -> assertFalse(log.contains(value), () -> "token in the logs:\n" + log),
                    () -> assertFalse(segments.length > 1 && segments[1].length() > 16 && log.contains(segments[1]),
                            () -> "payload in the logs:\n" + log));
            if (r.status() == 401 && clearing.size() == 1) {
                refusedAsTokens++;
            }
        }
        assertTrue(refusedAsTokens >= 20, "most lone junk is refused as a token, its cookie cleared: " + refusedAsTokens);
    }

    @Test
    void junkBesideAGenuineSessionLeavesItServed() throws Exception {
        String genuine = Tokens.valid("alice", "user");
        for (Map.Entry<String, String> e : junk(genuine).entrySet()) {
            String value = e.getValue();
            for (String[] headers : new String[][] {
                    {"Cookie: other=" + value, "Cookie: " + ACCESS_COOKIE + "=" + genuine},
                    {"Cookie: " + ACCESS_COOKIE + "=" + genuine + "; other=" + value},
                    {"Cookie: other=" + value + "; " + ACCESS_COOKIE + "=" + genuine}}) {
                Response r = get(headers);
                List<String> clearing = r.headers("set-cookie").stream().filter(h -> h.startsWith(ACCESS_COOKIE + "=")).toList();
                assertAll(e.getKey() + " " + List.of(headers).size() + " header(s)",
                        () -> assertNotEquals(500, r.status(), r::toString),
                        () -> assertTrue(r.status() == 200 || r.status() == 400, r::toString),
                        () -> assertEquals(List.of(), clearing, "the genuine session is not cleared"));
            }
        }
    }

    @Test
    void junkInALongerHeaderIsDroppedAsAMalformedCookie() throws Exception {
        String genuine = Tokens.valid("alice", "user");
        for (Map.Entry<String, String> e : junk(genuine).entrySet()) {
            Response r = get("Cookie: a=1; " + ACCESS_COOKIE + "=" + e.getValue());
            assertAll(e.getKey(),
                    () -> assertTrue(r.status() == 401 || r.status() == 400, r::toString),
                    () -> assertFalse(r.body().contains(EchoServlet.MARKER), "reached the application"));
        }
        assertEquals(200, get("Cookie: a=1; " + ACCESS_COOKIE + "=" + genuine).status());
    }
}
