package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cookie tossing and planted cookie names (issue 7, section 3), end to end on each real container
 * ({@link JettyCookieTossingTest}, {@link TomcatCookieTossingTest}), with raw {@code Cookie} headers
 * ({@link RawHttp}) and the real {@link FakeAuthBackend}.
 *
 * <p>Before the fix, 80 planted session-shaped names (a 1.3 kB Cookie header) made the filter add a
 * clearing {@code Set-Cookie} for each, pushing the response headers past 8 kB: a 500 after the
 * backend had already rotated the tokens. And two planted 3 kB chunks of the meta cookie, a kind the
 * webapp does not even configure, counted against {@code cookie-max-total-bytes}: login failed with
 * {@code too_large} and rotation with 503. Now such names are ignored (not read, not cleared, not
 * budgeted), audited at most once a minute, and the clearing headers of one response stay within
 * {@link CookieCodec#MAX_CLEARING_BYTES}.
 *
 * <p>Webapps: {@value #EP} and {@value #AUDIT} ({@code endpoints}: login and rotation, plain cookie
 * names since {@code cookie-secure=false}, no guests, no lifetime, so the guest and meta cookies are
 * unconfigured kinds; {@value #AUDIT} is a second copy whose audit rate limit no other test spends),
 * and {@value #LIFE} ({@code endpoints-lifetime}: the meta cookie configured).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CookieTossingScenarios {
    static final String EP = "/ep";
    static final String AUDIT = "/audit";
    static final String LIFE = "/life";
    static final String ACCESS = "sg_access";
    static final String REFRESH = "sg_refresh";
    static final String META = "sg_meta";
    /** What both containers accept as response headers by default. */
    static final int CONTAINER_HEADER_LIMIT = 8192;
    /** A marker in every planted value: it must never reach a log line. */
    static final String PLANTED = "TOSSEDVALUE";

    private static final String PROP_PREFIX = "sessiongate.it.ep.";
    private static final String META_SIGNING_SECRET = "it-tossing-meta-signing-secret-0123456789";

    private final MutableClock backendClock = MutableClock.followingSystemTime();
    private final Teardown teardown = new Teardown();
    private FakeAuthBackend backend;
    private URI base;

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        backend = teardown.add(FakeAuthBackend.builder().clock(backendClock).accessTtl(Duration.ofMinutes(30)).build().start());
        teardown.add(new ScenarioProperties(PROP_PREFIX)).backend(backend)
                .prefixed("client-token-secret", "it-tossing-client-token-secret-0123456789")
                .prefixed("signing-secret", META_SIGNING_SECRET);
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(EP, "endpoints"),
                Container.Webapp.of(AUDIT, "endpoints"), Container.Webapp.of(LIFE, "endpoints-lifetime")));
        for (String context : List.of(EP, AUDIT, LIFE)) {
            // Warm up: the JWKS is fetched once per filter.
            Response warm = get(context + "/api/warm-up", "Cookie: " + ACCESS + "=" + backend.accessToken("alice"));
            assertEquals(200, warm.status(), () -> context + " is not serving: " + warm);
        }
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    // ================================================================ 80 planted names

    /**
     * 80 session-shaped names, about 1.3 kB: chunk indices no token of the budget has, both prefix
     * forms, and the unconfigured guest and meta kinds. None is a duplicate of a canonical name.
     */
    static String plantedNames() {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pairs.add(ACCESS + "." + (i + 2) + "=x");
            pairs.add("__Host-" + REFRESH + "." + i + "=x");
            pairs.add(META + "." + i + "=x");
            pairs.add("sg_guest." + (i + 10) + "=x");
        }
        return String.join("; ", pairs);
    }

    @Test
    void eightyPlantedNamesGiveANormalAnswerWithBoundedHeadersNeverA500() throws Exception {
        String planted = plantedNames();
        assertTrue(planted.length() > 1100 && planted.length() < 1400, "about 1.3 kB: " + planted.length());
        FakeAuthBackend.Tokens session = backend.issue("alice");
        Response[] r = new Response[4];
        String log = LogCapture.during(() -> {
            r[0] = get(EP + "/api/me", "Cookie: " + planted);
            r[1] = get(EP + "/", "Cookie: " + planted);
            r[2] = get(EP + "/api/me", "Cookie: " + cookies(session) + "; " + planted);
            r[3] = RawHttp.send(base, "POST", EP + "/auth/logout", new byte[0], "Origin: " + base,
                    "Accept: application/json", "Cookie: " + cookies(session) + "; " + planted);
        });
        assertAll(
                () -> assertEquals(401, r[0].status(), () -> "no session: " + r[0]),
                () -> assertEquals(200, r[1].status(), () -> "public page: " + r[1]),
                () -> assertEquals(200, r[2].status(), () -> "the session works next to the planted names: " + r[2]),
                () -> assertEquals(204, r[3].status(), () -> "logout: " + r[3]));
        for (Response response : r) {
            assertBounded(response);
        }
        assertEquals(List.of(ACCESS, REFRESH, "__Host-" + REFRESH + ".0", "__Host-" + REFRESH + ".1"),
                names(r[3].headers("Set-Cookie")), "logout clears the canonical names of the configured kinds, and of "
                        + "the 80 planted names only the other prefix form of chunks a token can have");
        assertTrue(r[3].headers("Set-Cookie").stream().allMatch(CookieTossingScenarios::isClearing), r[3]::toString);
        assertFalse(log.contains("SEVERE") || log.contains("Exception") || log.contains(PLANTED), log);
    }

    @Test
    void rotationWithEightyPlantedNamesSucceedsOnce() throws Exception {
        FakeAuthBackend.Tokens expired = backendClock.travelledBack(Duration.ofHours(2), () -> backend.issue("alice"));
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);

        Response response = get(EP + "/api/me", "Cookie: " + cookies(expired) + "; " + plantedNames());

        assertEquals(200, response.status(), response::toString);
        assertEquals(refreshes + 1, backend.calls(FakeAuthBackend.REFRESH), "rotated once");
        assertBounded(response);
        String refresh = value(response, REFRESH).orElseThrow(() -> new AssertionError("no rotated refresh cookie: " + response));
        assertNotEquals(expired.refreshToken(), refresh);
        assertTrue(backend.isActive(refresh), "the browser holds the backend's live refresh token");
        assertEquals(List.of("__Host-" + REFRESH + ".0", "__Host-" + REFRESH + ".1", ACCESS, REFRESH),
                names(response.headers("Set-Cookie")), "of the planted names, only the other prefix form within range is cleared");
    }

    /**
     * Chunk names planted next to the real, unchunked cookies make the session ambiguous: no
     * session for that request, but the real cookies are not cleared (a host-only clearing would
     * remove them while a planted parent-domain cookie stays), and the real refresh token still works.
     */
    @Test
    void plantedChunksBesideTheRealCookiesNeverClearThem() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        String plantedChunks = ACCESS + ".0=" + PLANTED + "; " + REFRESH + ".0=" + PLANTED;

        Response refreshOnly = get(EP + "/api/me", "Cookie: " + plantedChunks + "; " + REFRESH + "=" + tokens.refreshToken());
        Response both = get(EP + "/api/me", "Cookie: " + plantedChunks + "; " + cookies(tokens));
        Response clean = get(EP + "/api/me", "Cookie: " + REFRESH + "=" + tokens.refreshToken());

        assertAll(
                () -> assertEquals(401, refreshOnly.status(), refreshOnly::toString),
                () -> assertEquals(List.of(), refreshOnly.headers("Set-Cookie"), "nothing cleared: " + refreshOnly),
                () -> assertEquals(401, both.status(), both::toString),
                () -> assertEquals(List.of(), both.headers("Set-Cookie"), "nothing cleared: " + both),
                () -> assertEquals(200, clean.status(), () -> "the real refresh token still works: " + clean));
    }

    // ================================================================ unconfigured kinds

    @Test
    void twoPlantedThreeKilobyteChunksOfTheUnconfiguredMetaCookieNeitherFailLoginNorRotation() throws Exception {
        String planted = META + ".0=" + PLANTED + "x".repeat(3000) + "; " + META + ".1=" + PLANTED + "y".repeat(3000);

        Response form = RawHttp.send(base, "POST", EP + "/auth/login",
                "username=alice&password=alice-password".getBytes(StandardCharsets.ISO_8859_1),
                "Content-Type: application/x-www-form-urlencoded", "Accept: text/html", "Origin: " + base,
                "Cookie: " + planted);
        assertEquals(303, form.status(), form::toString);
        assertEquals(EP + "/welcome", form.header("Location").orElse(null), "not ?error=too_large");
        assertEquals(List.of(ACCESS, REFRESH), names(form.headers("Set-Cookie")));
        assertBounded(form);

        Response json = RawHttp.send(base, "POST", EP + "/auth/login",
                "{\"username\":\"alice\",\"password\":\"alice-password\"}".getBytes(StandardCharsets.UTF_8),
                "Content-Type: application/json", "Origin: " + base, "Cookie: " + planted);
        assertEquals(200, json.status(), json::toString);

        FakeAuthBackend.Tokens expired = backendClock.travelledBack(Duration.ofHours(2), () -> backend.issue("alice"));
        Response rotation = get(EP + "/api/me", "Cookie: " + cookies(expired) + "; " + planted);
        assertEquals(200, rotation.status(), () -> "not 503: " + rotation);
        assertEquals(List.of(ACCESS, REFRESH), names(rotation.headers("Set-Cookie")), "the planted chunks are left alone");
    }

    // ================================================================ tossed cookies

    @Test
    void loginAndEveryRotationKeepWorkingWithTossedCookiesPresent() throws Exception {
        // As a sibling subdomain plants them: the other prefix form, chunk indices out of range, and the
        // unconfigured kinds, all with junk values.
        String tossed = "__Host-" + ACCESS + "=" + PLANTED + "; " + ACCESS + ".7=" + PLANTED + "; " + REFRESH + ".3="
                + PLANTED + "; sg_guest=" + PLANTED + "; " + META + "=" + PLANTED + "x".repeat(2000);
        Response login = RawHttp.send(base, "POST", EP + "/auth/login",
                "username=alice&password=alice-password".getBytes(StandardCharsets.ISO_8859_1),
                "Content-Type: application/x-www-form-urlencoded", "Accept: text/html", "Origin: " + base,
                "Cookie: " + tossed);
        assertEquals(303, login.status(), login::toString);
        assertBounded(login);
        String access = value(login, ACCESS).orElseThrow();
        String refresh = value(login, REFRESH).orElseThrow();

        Response api = get(EP + "/api/me", "Cookie: " + ACCESS + "=" + access + "; " + REFRESH + "=" + refresh + "; " + tossed);
        assertEquals(200, api.status(), api::toString);

        // Three rotations in a row, each with the tossed cookies still there.
        for (int i = 0; i < 3; i++) {
            FakeAuthBackend.Tokens expired = backendClock.travelledBack(Duration.ofHours(2), () -> backend.issue("alice"));
            int refreshes = backend.calls(FakeAuthBackend.REFRESH);
            Response rotation = get(EP + "/api/me", "Cookie: " + cookies(expired) + "; " + tossed);
            int round = i;
            assertEquals(200, rotation.status(), () -> "rotation " + round + ": " + rotation);
            assertEquals(refreshes + 1, backend.calls(FakeAuthBackend.REFRESH));
            assertBounded(rotation);
            String rotated = value(rotation, REFRESH).orElseThrow();
            assertTrue(backend.isActive(rotated));
            Response next = get(EP + "/api/me", "Cookie: " + ACCESS + "=" + value(rotation, ACCESS).orElseThrow() + "; "
                    + REFRESH + "=" + rotated + "; " + tossed);
            assertEquals(200, next.status(), () -> "the rotated cookies are a session: " + next);
        }
    }

    @Test
    void rotationWithTheMetaCookieConfiguredWritesTokensAndMetaTogetherNextToPlantedChunks() throws Exception {
        String meta = LifetimeRecords.live(META_SIGNING_SECRET, "alice"); // as the login left it
        FakeAuthBackend.Tokens expired = backendClock.travelledBack(Duration.ofHours(2), () -> backend.issue("alice"));
        // Not a canonical chunk (that would make the meta cookie a duplicate, refused by design): the other
        // prefix form within range (2.5 kB, cleared but not counted) and chunks out of range (not ours).
        String planted = "__Host-" + META + ".0=" + PLANTED + "x".repeat(2500) + "; " + META + ".5=" + PLANTED
                + "y".repeat(2500) + "; " + META + ".9=" + PLANTED;

        Response rotation = get(LIFE + "/api/orders", "Cookie: " + cookies(expired) + "; " + META + "=" + meta + "; " + planted);

        assertEquals(200, rotation.status(), rotation::toString);
        assertBounded(rotation);
        List<String> names = names(rotation.headers("Set-Cookie"));
        assertTrue(names.containsAll(List.of(ACCESS, REFRESH, META)), names::toString);
        assertTrue(rotation.headers("Set-Cookie").stream().anyMatch(c -> c.startsWith("__Host-" + META + ".0=")
                && isClearing(c)), "the other prefix form within range is cleared: " + names);
        assertFalse(names.contains(META + ".5") || names.contains(META + ".9"), "chunks out of range are not ours: " + names);
    }

    @Test
    void aPlantedLifetimeChunkBesideTheRealRecordClearsNothingAndForgetsNothing() throws Exception {
        String meta = LifetimeRecords.live(META_SIGNING_SECRET, "alice");
        FakeAuthBackend.Tokens expired = backendClock.travelledBack(Duration.ofHours(2), () -> backend.issue("alice"));
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);

        Response ambiguous = get(LIFE + "/api/orders", "Cookie: " + cookies(expired) + "; " + META + "=" + meta + "; "
                + META + ".0=" + PLANTED);
        Response clean = get(LIFE + "/api/orders", "Cookie: " + cookies(expired) + "; " + META + "=" + meta);

        assertAll(
                () -> assertEquals(401, ambiguous.status(), ambiguous::toString),
                () -> assertEquals(List.of(), ambiguous.headers("Set-Cookie"), "nothing cleared: " + ambiguous),
                () -> assertEquals(200, clean.status(), () -> "the real refresh token was not forgotten: " + clean),
                () -> assertEquals(refreshes + 1, backend.calls(FakeAuthBackend.REFRESH), "only the clean request refreshed"));
    }

    // ================================================================ audit

    @Test
    void ignoredNamesAreAuditedOnceAMinuteByNameNeverByValue() throws Exception {
        String planted = plantedNames().replace("=x", "=" + PLANTED);
        Response[] r = new Response[3];
        String log = LogCapture.during(() -> {
            for (int i = 0; i < r.length; i++) {
                r[i] = get(AUDIT + "/", "Cookie: " + planted);
            }
        });
        for (Response response : r) {
            assertEquals(200, response.status(), response::toString);
        }
        List<String> events = log.lines().filter(l -> l.contains("event=ignored_cookie")).toList();
        assertEquals(1, events.size(), () -> "one event for three requests:\n" + log);
        String event = events.get(0);
        assertTrue(event.contains("kind not configured 40 (sg_meta.0, sg_guest.10)"), event);
        assertTrue(event.contains("chunk suffix out of range"), event);
        assertTrue(event.contains("__Host- form, not read here"), event);
        assertFalse(log.contains(PLANTED), log);
    }

    // ================================================================ helpers

    /** Response head under the containers' limit, and the clearing headers within the codec's budget. */
    private static void assertBounded(Response response) {
        int head = 0;
        int clearing = 0;
        for (Map.Entry<String, List<String>> e : response.headers().entrySet()) {
            for (String v : e.getValue()) {
                int line = e.getKey().length() + 2 + v.length() + 2;
                head += line;
                if (e.getKey().equals("set-cookie") && isClearing(v)) {
                    clearing += line;
                }
            }
        }
        assertTrue(head < CONTAINER_HEADER_LIMIT / 2, "response head of " + head + " bytes: " + response);
        assertTrue(clearing <= CookieCodec.MAX_CLEARING_BYTES, "clearing headers of " + clearing + " bytes");
        assertNotEquals(500, response.status());
    }

    /** A clearing Set-Cookie: empty value and Max-Age=0 (Jetty) or an Expires in 1970 (Tomcat). */
    static boolean isClearing(String setCookie) {
        String lower = setCookie.toLowerCase(java.util.Locale.ROOT);
        return setCookie.indexOf('=') == setCookie.indexOf("=;") && (lower.contains("max-age=0") || lower.contains("1970"));
    }

    private static List<String> names(List<String> setCookies) {
        return setCookies.stream().map(c -> c.substring(0, c.indexOf('='))).toList();
    }

    /** The value a Set-Cookie of the response gives this cookie, if it sets (not clears) it. */
    private static Optional<String> value(Response response, String name) {
        return response.headers("Set-Cookie").stream().filter(c -> c.startsWith(name + "=") && !isClearing(c))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'))).findFirst();
    }

    private static String cookies(FakeAuthBackend.Tokens tokens) {
        return ACCESS + "=" + tokens.accessToken() + "; " + REFRESH + "=" + tokens.refreshToken();
    }

    private Response get(String target, String... headers) throws IOException {
        return RawHttp.send(base, "GET", target, headers);
    }
}
