package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.LogCapture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A genuine RS256 access token spelled with one character no JWS may carry (padding, '+', '/',
 * a space, a quote, NUL and other controls, DEL, Latin-1 and UTF-8 bytes, and, inside a sealed
 * cookie, characters at or above 0x100 and lone surrogates), over real HTTP ({@link JettyLateSpellingAttackTest},
 * {@link TomcatLateSpellingAttackTest}): {@code JwtTokenValidator.looksLikeToken} checks only the
 * length now, so {@code doValidate} and the look on sight must refuse each of them themselves. Sent
 * as a lone cookie (right after the genuine token warmed the caches), beside a duplicate of the
 * genuine cookie, as a bearer header, sealed, and as a refresh cookie to the refresh endpoint: never
 * the application, never a 500, never a refresh call, never the token in the logs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LateSpellingAttackScenarios {
    private static final String EP = "/ep";
    private static final String SEALED = "/sealed";
    private static final String BEARER = "/bearer";
    private static final String ACCESS = "sg_access";
    private static final String REFRESH = "sg_refresh";
    private static final String PROP_PREFIX = "sessiongate.it.ep.";
    private static final byte[] SEAL_KEY = new byte[32];
    private static final String SEAL_KID = "k-late";

    static {
        new SecureRandom().nextBytes(SEAL_KEY);
    }

    private final Teardown teardown = new Teardown();
    private FakeAuthBackend backend;
    private CookieSeal seal;
    private URI base;

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        backend = teardown.add(FakeAuthBackend.builder().build().start());
        String key = Base64.getEncoder().encodeToString(SEAL_KEY);
        teardown.add(new ScenarioProperties(PROP_PREFIX)).backend(backend)
                .prefixed("client-token-secret", "it-late-client-token-secret-0123456789abcdef")
                .prefixed("cookie-keys", SEAL_KID + ":" + key);
        seal = CookieSeal.create(CookieSealSettings.builder().key(SEAL_KID, key).build(), List.of()).orElseThrow();
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(EP, "endpoints"),
                Container.Webapp.of(SEALED, "endpoints-sealed"), Container.Webapp.of(BEARER, "endpoints-bearer")));
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    /** {@code s} as the UTF-8 bytes a client would send, one char per byte (RawHttp writes ISO-8859-1). */
    private static String utf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** Characters a header can carry on the wire (one byte each), none of them base64url. */
    private static final Map<String, String> WIRE = wire();

    private static Map<String, String> wire() {
        Map<String, String> w = new LinkedHashMap<>();
        w.put("padding", "=");
        w.put("double padding", "==");
        w.put("plus", "+");
        w.put("slash", "/");
        w.put("tilde", "~");
        w.put("percent", "%41");
        w.put("DEL", "\u007f");
        w.put("raw 0x80", "\u0080");
        w.put("raw 0xff", "\u00ff");
        w.put("UTF-8 e-acute", utf8("\u00e9"));
        w.put("UTF-8 L-stroke (low byte 'A')", utf8("\u0141"));
        w.put("UTF-8 emoji", utf8("\ud83d\ude00"));
        return w;
    }

    /** What only a sealed cookie can carry into the filter: characters no header byte makes. */
    private static Map<String, String> sealedOnly() {
        Map<String, String> w = new LinkedHashMap<>(WIRE);
        w.put("NUL", "\u0000");
        w.put("SOH", "\u0001");
        w.put("TAB", "\t");
        w.put("LF", "\n");
        w.put("space", " ");
        w.put("quote", "\"");
        w.put("semicolon", ";");
        w.put("backslash", "\\");
        w.put("e-acute", "\u00e9");
        w.put("L-stroke (low byte 'A')", "\u0141");
        w.put("fullwidth A", "\uff21");
        w.put("lone high surrogate", "\ud83d");
        w.put("lone low surrogate", "\ude00");
        w.put("emoji", "\ud83d\ude00");
        return w;
    }

    /** The genuine token with {@code c} put in each segment and at its ends: never the same token. */
    private static Map<String, String> spoiled(String genuine, Map<String, String> characters) {
        String[] p = genuine.split("\\.");
        Map<String, String> out = new LinkedHashMap<>();
        characters.forEach((name, c) -> {
            out.put(name + " at the end", genuine + c);
            out.put(name + " at the start", c + genuine);
            out.put(name + " in the header", p[0].substring(0, 4) + c + p[0].substring(4) + "." + p[1] + "." + p[2]);
            out.put(name + " in the payload", p[0] + "." + p[1].substring(0, 8) + c + p[1].substring(8) + "." + p[2]);
            out.put(name + " before the signature", p[0] + "." + p[1] + c + "." + p[2]);
            out.put(name + " in the signature", p[0] + "." + p[1] + "." + p[2].substring(0, 5) + c + p[2].substring(5));
        });
        return out;
    }

    private Response get(String context, String... headers) throws Exception {
        return RawHttp.send(base, "GET", context + "/api/orders", headers);
    }

    /** A request carrying {@code value}: refused before the application, no 500, the value nowhere in the logs. */
    private void assertRefused(String label, String value, String context, String... headers) throws Exception {
        int before = ApiServlet.calls(context);
        Response[] response = new Response[1];
        String log = LogCapture.during(() -> response[0] = get(context, headers));
        Response r = response[0];
        String[] segments = value.split("\\.");
        assertAll(label,
                () -> assertTrue(r.status() == 401 || r.status() == 400, r::toString),
                () -> assertEquals(before, ApiServlet.calls(context), "reached the application"),
                () -> assertFalse(log.contains(value), () -> "token in the logs:\n" + log),
                () -> assertFalse(segments.length > 1 && segments[1].length() > 16 && log.contains(segments[1]),
                        () -> "payload in the logs:\n" + log));
    }

    @Test
    void aSpoiledCookieTokenIsRefusedAfterTheGenuineOneWarmedTheCaches() throws Exception {
        String genuine = backend.accessToken("alice");
        assertEquals(200, get(EP, "Cookie: " + ACCESS + "=" + genuine).status(), "the genuine token is served");
        for (Map.Entry<String, String> e : spoiled(genuine, WIRE).entrySet()) {
            assertRefused("lone cookie, " + e.getKey(), e.getValue(), EP, "Cookie: " + ACCESS + "=" + e.getValue());
            assertRefused("quoted cookie, " + e.getKey(), e.getValue(), EP, "Cookie: " + ACCESS + "=\"" + e.getValue() + "\"");
            assertRefused("beside another cookie, " + e.getKey(), e.getValue(), EP,
                    "Cookie: other=1; " + ACCESS + "=" + e.getValue());
        }
        assertEquals(200, get(EP, "Cookie: " + ACCESS + "=" + genuine).status(), "the genuine token is still served");
    }

    /**
     * A spoiled duplicate of the access cookie: one still made of cookie octets ('=', '+') makes the
     * name a duplicate, so neither is read; one that is not ('\u00ff') is no cookie at all (dropped as
     * malformed, as the reader drops any), so the genuine cookie beside it is the session.
     */
    @Test
    void aSpoiledDuplicateBesideTheGenuineCookie() throws Exception {
        String genuine = backend.accessToken("alice");
        Map<String, String> characters = new LinkedHashMap<>();
        characters.put("padding", "=");
        characters.put("plus", "+");
        characters.put("raw 0xff", "\u00ff");
        for (Map.Entry<String, String> e : spoiled(genuine, characters).entrySet()) {
            String junk = e.getValue();
            boolean octets = junk.chars().allMatch(c -> c > 0x20 && c < 0x7f);
            for (String[] headers : new String[][] {
                    {"Cookie: " + ACCESS + "=" + genuine + "; " + ACCESS + "=" + junk},
                    {"Cookie: " + ACCESS + "=" + junk + "; " + ACCESS + "=" + genuine},
                    {"Cookie: " + ACCESS + "=" + junk, "Cookie: " + ACCESS + "=" + genuine},
                    {"Cookie: " + ACCESS + "=" + genuine, "Cookie: " + ACCESS + "=" + junk}}) {
                String label = "duplicate, " + e.getKey() + " " + List.of(headers).size() + " header(s)";
                if (octets) {
                    assertRefused(label, junk, EP, headers);
                } else {
                    Response r = get(EP, headers);
                    assertTrue(r.status() == 200 && r.body().contains("\"subject\":\"alice\"") || r.status() == 400,
                            () -> label + ": " + r);
                }
            }
            for (String[] headers : new String[][] {
                    {"Cookie: __Host-" + ACCESS + "=" + genuine + "; " + ACCESS + "=" + junk},
                    {"Cookie: " + ACCESS + ".0=" + genuine + (octets ? "" : "x") + "; " + ACCESS + "=" + junk},
                    {"Cookie: " + ACCESS + "=" + junk + "; " + ACCESS + ".0=" + genuine + "; " + ACCESS + ".1=x"}}) {
                // (a genuine lone chunk beside junk that is no cookie is the genuine session: spoiled here too)
                assertRefused("other form, " + e.getKey() + " " + List.of(headers), junk, EP, headers);
            }
        }
    }

    @Test
    void aSpoiledBearerTokenIsRefusedAndNeverFallsBackToTheCookie() throws Exception {
        String genuine = backend.accessToken("alice");
        assertEquals(200, get(BEARER, "Authorization: Bearer " + genuine).status(), "the genuine bearer token is served");
        for (Map.Entry<String, String> e : spoiled(genuine, WIRE).entrySet()) {
            assertRefused("bearer, " + e.getKey(), e.getValue(), BEARER, "Authorization: Bearer " + e.getValue());
            assertRefused("bearer beside the genuine cookie, " + e.getKey(), e.getValue(), BEARER,
                    "Authorization: Bearer " + e.getValue(), "Cookie: " + ACCESS + "=" + genuine);
        }
    }

    @Test
    void aSealedSpoiledTokenIsRefused() throws Exception {
        String genuine = backend.accessToken("alice");
        assertEquals(200, get(SEALED, "Cookie: " + ACCESS + "=" + seal.seal(genuine)).status(), "the genuine sealed token is served");
        for (Map.Entry<String, String> e : spoiled(genuine, sealedOnly()).entrySet()) {
            assertRefused("sealed, " + e.getKey(), e.getValue(), SEALED, "Cookie: " + ACCESS + "=" + seal.seal(e.getValue()));
        }
    }

    /** Whether every character is one the default format check passes (printable ASCII but space, quote, comma, semicolon, backslash). */
    private static boolean defaultAlphabet(String s) {
        return s.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\');
    }

    /**
     * A refresh token is opaque: one of the default alphabet ('=', '+', '/') is the backend's to
     * refuse; any other character is refused before any call ({@code doRefresh} keeps the default
     * check). Either way never a new session, never a 500, never the value in the logs.
     */
    @Test
    void aSpoiledRefreshTokenIsNeverASession() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        String refresh = tokens.refreshToken();
        List<String> failures = new ArrayList<>();
        List<String[]> requests = new ArrayList<>(); // label, context, Cookie header, the spoiled value
        sealedOnly().forEach((name, c) -> {
            for (String junk : List.of(refresh + c, refresh.substring(0, 6) + c + refresh.substring(6))) {
                // What the filter opens: a lone surrogate was sealed as UTF-8, so it opens as '?'.
                String sealed = seal.seal(junk);
                requests.add(new String[] {"sealed " + name, SEALED, "Cookie: " + REFRESH + "=" + sealed, seal.open(sealed).orElseThrow()});
                if (WIRE.containsKey(name)) {
                    requests.add(new String[] {"plain " + name, EP, "Cookie: " + REFRESH + "=" + junk, junk});
                }
            }
        });
        for (String[] request : requests) {
            String junk = request[3];
            int calls = backend.calls(FakeAuthBackend.REFRESH);
            Response[] response = new Response[1];
            String log = LogCapture.during(() -> response[0] = RawHttp.send(base, "POST", request[1] + "/auth/refresh",
                    "Origin: " + base, request[2], "Content-Length: 0"));
            Response r = response[0];
            boolean newCookie = r.headers("set-cookie").stream()
                    .anyMatch(h -> h.startsWith(ACCESS + "=") && !h.startsWith(ACCESS + "=;"));
            boolean called = backend.calls(FakeAuthBackend.REFRESH) != calls;
            if (r.status() == 500 || r.status() == 200 || newCookie || log.contains(junk)
                    || called && !defaultAlphabet(junk)) {
                failures.add(request[0] + ": " + r + (log.contains(junk) ? " (logged)" : "")
                        + (called ? " (the backend was called)" : ""));
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(backend.isActive(refresh), "the genuine refresh token was never touched");
    }

    @Test
    void theGenuineRefreshTokenStillRefreshesEachWay() throws Exception {
        FakeAuthBackend.Tokens plain = backend.issue("alice");
        Response r = RawHttp.send(base, "POST", EP + "/auth/refresh", "Origin: " + base,
                "Cookie: " + REFRESH + "=" + plain.refreshToken(), "Content-Length: 0");
        assertNotEquals(500, r.status(), r::toString);
        assertTrue(r.headers("set-cookie").stream().anyMatch(h -> h.startsWith(ACCESS + "=ey")), r::toString);
        FakeAuthBackend.Tokens sealed = backend.issue("alice");
        Response s = RawHttp.send(base, "POST", SEALED + "/auth/refresh", "Origin: " + base,
                "Cookie: " + REFRESH + "=" + seal.seal(sealed.refreshToken()), "Content-Length: 0");
        assertTrue(s.headers("set-cookie").stream().anyMatch(h -> h.startsWith(ACCESS + "=") && !h.startsWith(ACCESS + "=;")),
                s::toString);
    }
}
