package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.it.RotationScenarios.Pair;
import io.github.sessiongate.testing.Await;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.PathResolution;
import io.github.sessiongate.testing.RecordingBackend;
import io.github.sessiongate.testing.RecordingBackend.Answer;
import io.github.sessiongate.testing.RecordingBackend.Hold;
import io.github.sessiongate.testing.RecordingBackend.Recorded;
import io.github.sessiongate.testing.ScriptedBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API proxy under attack (issue 12), on each real container ({@link JettyProxyAttackTest},
 * {@link TomcatProxyAttackTest}): an attacker with a browser and a raw socket tries to reach a
 * backend path outside the route's base, smuggle headers or requests to the backend, get the
 * backend's state-setting headers or an off-site redirect through, get a 500, a truncated body
 * passed off as complete, a login redirect, a cleared session, or the token where it must not go.
 *
 * <p>The {@code proxyattack} webapp has four routes: {@code /api/backend/*} (defaults) and
 * {@code /api/anon/*} ({@code token=none}, session optional) and {@code /api/single/*} (one
 * forward at a time) to a {@link RecordingBackend}, and {@code /api/raw/*} to a
 * {@link ScriptedBackend} answering raw, hostile bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProxyAttackScenarios {
    static final String CTX = "/pa";
    static final String BACKEND = CTX + "/api/backend";
    static final String ANON = CTX + "/api/anon";
    static final String RAW = CTX + "/api/raw";
    static final String SINGLE = CTX + "/api/single";
    static final String V1 = "/v1/";
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;
    static final String EVIL = "evil.example";
    static final String CLOSE = "Connection: close\r\n";

    private final MutableClock authClock = MutableClock.followingSystemTime();
    private final Teardown teardown = new Teardown();
    private FakeAuthBackend auth;
    private RecordingBackend api;
    private ScriptedBackend raw;
    private HttpClient http;
    private URI base;

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        auth = teardown.add(FakeAuthBackend.builder().clock(authClock).build().start());
        api = teardown.add(new RecordingBackend().start());
        raw = teardown.add(new ScriptedBackend().start());
        teardown.add(new ScenarioProperties("sessiongate.it.proxyattack."))
                .backend(auth)
                .prefixed("backend-url", api.baseUrl() + V1)
                .prefixed("raw-url", raw.baseUrl() + V1);
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(CTX, "proxyattack")));
        http = JavaHttp.newClient();
        Response warm = get(CTX + "/api/warm-up", cookie(valid()));
        assertEquals(200, warm.status(), () -> "the webapp is not serving: " + warm);
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    // ------------------------------------------------------------ paths

    @ParameterizedTest
    @ValueSource(strings = {
        "/pa/api/backend/..%5c..%5csecret",
        "/pa/api/backend/..%5C..%5Csecret",
        "/pa/api/backend/x%5c..%5c..%5csecret",
        "/pa/api/backend/..\\..\\secret",
        "/pa/api/backend/%2e%2e%5csecret",
        "/pa/../pa/api/backend/../../secret",
        "/pa/api/./backend/%2e%2e/secret",
        "//pa/api/backend/../../secret",
        "/pa;x=1/api/backend/..;/..;/secret",
        "/pa/api;/backend;/..;/..;/secret",
        "/pa/api/backend%2f..%2f..%2fsecret",
        "/pa/api/backend/%u002e%u002e/secret",
        "/pa/api/backend/%ef%bc%8e%ef%bc%8e/secret",
        "/pa/api/backend/%e0%80%ae%e0%80%ae/secret",
        "/pa/api/backend/%00/../../secret",
        "/pa/api/backend/x?q=1#/../../secret",
        "/pa/api/backend/x?q=%0d%0aX-Injected:%201",
        "/pa/api/backend/x?a=%zz&b=%%&c=%C0%AE%00",
        "/pa/api/backend/x?a=1%20HTTP/1.1%0d%0aHost:%20evil",
        "/pa/api/backendX/../backend/x",
        "/PA/api/backend/../../secret",
        "/pa/API/backend/x"})
    void pathAndContextGamesNeverLeaveTheBackendBasePath(String trick) throws Exception {
        int mark = api.count();

        Response response = RawHttp.send(base, "GET", trick, cookie(valid()));

        List<Recorded> seen = api.requestsSince(mark);
        assertTrue(response.status() < 500, () -> trick + " -> " + response);
        for (Recorded request : seen) {
            String resolved = PathResolution.asBackendDecodingOnce(request.rawPath());
            assertAll(
                    () -> assertTrue(request.target().startsWith(V1), () -> trick + " reached " + request.target()),
                    () -> assertTrue(resolved.startsWith(V1), () -> trick + " reached " + request.target()
                            + ", which a backend decoding once resolves to " + resolved),
                    () -> assertFalse(request.headers().containsKey("x-injected"), () -> trick + " injected a header"));
        }
    }

    // ------------------------------------------------------------ request headers and smuggling

    @Test
    void oddlySpelledAndDuplicatedCredentialsNeverReachTheBackendAndTheProxysTokenAlwaysDoes() throws Exception {
        String token = valid();

        Response response = RawHttp.send(base, "GET", BACKEND + "/creds",
                "cOOKIE: " + ACCESS + "=" + token,
                "COOKIE: tracker=" + EVIL,
                "aUTHORIZATION: Bearer browser-" + EVIL,
                "authorization: Basic " + EVIL,
                "Connection: authorization, cookie, x-forwarded-for, forwarded",
                "fORWARDED: for=" + EVIL,
                "X-FORWARDED-HOST: " + EVIL);

        assertEquals(200, response.status(), () -> response.toString());
        Recorded seen = api.only(V1 + "creds");
        assertAll(
                () -> assertEquals(List.of("Bearer " + token), seen.headers("Authorization")),
                () -> assertEquals(List.of(), seen.headers("Cookie")),
                () -> assertEquals(1, seen.headers("Forwarded").size()),
                () -> assertEquals(List.of("127.0.0.1"), seen.headers("X-Forwarded-For"),
                        "Connection naming the forwarding headers does not remove the proxy's own"),
                () -> assertTrue(seen.headers().values().stream().flatMap(List::stream).noneMatch(v -> v.contains(EVIL)),
                        () -> "a browser-chosen value arrived: " + seen.headers().keySet()));
    }

    @Test
    void transferEncodingWithContentLengthNeverSmugglesASecondRequestToTheBackend() throws Exception {
        String smuggled = "GET " + V1 + "smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
        byte[] body = ("0\r\n\r\n" + smuggled).getBytes(StandardCharsets.ISO_8859_1);

        Response response = RawHttp.sendRaw(base, "POST", BACKEND + "/te-cl", body, cookie(valid()), sameOrigin(),
                "Content-Type: text/plain", "Content-Length: " + body.length, "Transfer-Encoding: chunked");

        assertAll(
                () -> assertTrue(response.status() < 500, () -> response.toString()),
                () -> assertEquals(List.of(), api.requestsTo(V1 + "smuggled"), "a smuggled request reached the backend"),
                () -> assertTrue(api.requestsTo(V1 + "te-cl").stream().allMatch(r -> !r.body().contains("smuggled")),
                        "the smuggled bytes were forwarded as a body"));
    }

    @Test
    void expectContinueUploadArrivesWithoutTheExpectHeader() throws Exception {
        byte[] answer;
        try (Socket browser = new Socket(base.getHost(), base.getPort())) {
            browser.setSoTimeout(10_000);
            browser.getOutputStream().write(RawHttp.head(base, "POST", BACKEND + "/expect", cookie(valid()), sameOrigin(),
                    "Content-Type: application/json", "Content-Length: 7", "Expect: 100-continue"));
            browser.getOutputStream().write("{\"x\":1}".getBytes(StandardCharsets.UTF_8));
            browser.getOutputStream().flush();
            answer = readUntilClosed(browser.getInputStream());
        }
        String text = new String(answer, StandardCharsets.ISO_8859_1).replaceFirst("^HTTP/1.1 100[^\r]*\r\n\r\n", "");

        assertTrue(text.startsWith("HTTP/1.1 200"), () -> text);
        Recorded seen = api.only(V1 + "expect");
        assertAll(
                () -> assertEquals("{\"x\":1}", seen.body()),
                () -> assertEquals(List.of(), seen.headers("Expect")));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 60, 200})
    void manyOrHugeHeadersNeverGetA500(int count) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(cookie(valid()));
        for (int i = 0; i < count; i++) {
            lines.add("X-Pad-" + i + ": " + "a".repeat(count == 1 ? 60_000 : 200));
        }
        Response response = RawHttp.send(base, "GET", BACKEND + "/many-" + count, lines.toArray(String[]::new));

        // A head over the container's limit is refused by the container itself (Tomcat's own error page), before the filter.
        assertTrue(response.status() < 500 && response.status() != 0, () -> count + " headers -> " + response.status());
        assertFalse(response.body().contains("\tat "), () -> response.toString());
    }

    /** Header values the outbound HTTP client refuses (control bytes, obs-text) are dropped, never a 500. */
    @ParameterizedTest
    @ValueSource(strings = {"X-Ctl: a\u0001b", "X-Latin: caf\u00e9", "X-Del: a\u007fb", "X-Empty:", "X-Tab: a\tb"})
    void oddHeaderValuesGetNo500(String line) throws Exception {
        Response response = RawHttp.send(base, "GET", BACKEND + "/odd-value", cookie(valid()), line);

        // A value the container itself refuses gets its own 400 page (Tomcat's names the exception), before the filter.
        assertTrue(response.status() < 500, () -> line + " -> " + response);
        assertFalse(response.body().contains("\tat "), () -> response.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "1, 2", "10 10", "99999999999999999999", "+5", "0x10"})
    void malformedContentLengthGetsNo500(String length) throws Exception {
        Response response = RawHttp.sendRaw(base, "POST", BACKEND + "/cl", "hello".getBytes(StandardCharsets.US_ASCII),
                cookie(valid()), sameOrigin(), "Content-Type: text/plain", "Content-Length: " + length);

        assertTrue(response.status() >= 400 && response.status() < 500, () -> "Content-Length " + length + " -> " + response);
        assertNoStackTrace(response);
    }

    @Test
    void bodyLongerThanDeclaredForwardsOnlyTheDeclaredBytes() throws Exception {
        Response response = RawHttp.sendRaw(base, "POST", BACKEND + "/longer",
                ("hello" + "GET " + V1 + "smuggled-long HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1),
                cookie(valid()), sameOrigin(), "Content-Type: text/plain", "Content-Length: 5");

        assertTrue(response.status() < 500, () -> response.toString());
        assertEquals(List.of(), api.requestsTo(V1 + "smuggled-long"));
        assertEquals("hello", api.only(V1 + "longer").body());
    }

    @Test
    void browserGoingAwayMidUploadGivesTheSlotBackAndLogsNoToken() throws Exception {
        String token = valid();
        String log = LogCapture.during(() -> {
            try (Socket browser = new Socket(base.getHost(), base.getPort())) {
                browser.getOutputStream().write(RawHttp.head(base, "POST", SINGLE + "/half-upload", cookie(token), sameOrigin(),
                        "Content-Type: application/octet-stream", "Content-Length: 1000000"));
                browser.getOutputStream().write(new byte[70_000]);
                browser.getOutputStream().flush();
                Await.until("the backend receiving part of the upload", () -> api.received(V1 + "half-upload") > 0);
            }
            Response[] after = new Response[1];
            Await.until("the half upload giving its slot back", () -> (after[0] = unchecked(() ->
                    get(SINGLE + "/after-half-upload", cookie(token)))).status() != 503, () -> String.valueOf(after[0]));
            assertEquals(200, after[0].status(), () -> after[0].toString());
        });
        assertNoToken(log, token);
    }

    // ------------------------------------------------------------ the backend's answer

    /** A backend header of odd spelling never reaches the browser; nor does an off-site redirect of any form. */
    @Test
    void oddlySpelledBackendHeadersAndOffSiteRedirectsNeverReachTheBrowser() throws Exception {
        raw.script(V1 + "odd", "HTTP/1.1 302 Found\r\n"
                + "sEt-CoOkIe: backend=1; Path=/\r\n"
                + "SET-COOKIE: " + ACCESS + "=; Max-Age=0; Path=/\r\n"
                + "wWw-AuThEnTiCaTe: Bearer realm=\"x\"\r\n"
                + "aCCESS-cONTROL-aLLOW-oRIGIN: https://" + EVIL + "\r\n"
                + "access-control-allow-credentials: true\r\n"
                + "Clear-Site-Data: \"cookies\"\r\n"
                + "Location: /\\" + EVIL + "\r\n"
                + "Content-Location: //" + EVIL + "/x\r\n"
                + "Refresh: 0; url=https://" + EVIL + "/\r\n"
                + "Content-Length: 0\r\n" + CLOSE + "\r\n");

        Response response = RawHttp.send(base, "GET", RAW + "/odd", cookie(valid()));

        assertAll(
                () -> assertEquals(302, response.status(), () -> response.toString()),
                () -> assertEquals(List.of(), response.headers("Set-Cookie"), "the backend's cookies or a clearing"),
                () -> assertEquals(List.of(), response.headers("WWW-Authenticate")),
                () -> assertTrue(response.headers().keySet().stream().noneMatch(h -> h.startsWith("access-control-")),
                        () -> response.headers().keySet().toString()),
                () -> assertEquals(List.of(), response.headers("Clear-Site-Data")),
                () -> assertEquals(List.of(), response.headers("Location")),
                () -> assertEquals(List.of(), response.headers("Content-Location")),
                () -> assertTrue(response.headers("Refresh").stream().noneMatch(v -> v.contains(EVIL)),
                        () -> "an off-site Refresh: " + response.headers("Refresh")));
    }

    /** A Location under the base URL that a browser resolves out of the prefix ({@code %2e%2e}) must not pass. */
    @ParameterizedTest
    @ValueSource(strings = {"%2e%2e/%2e%2e/%2e%2e/admin", "x/%2E%2E/%2E%2E/%2E%2E/admin", ".%2e/.%2e/admin"})
    void locationEncodedDotsNeverLeadTheBrowserOutOfThePrefix(String escape) throws Exception {
        raw.script(V1 + "dots", "HTTP/1.1 302 Found\r\nLocation: " + raw.baseUrl() + V1 + escape + "\r\nContent-Length: 0\r\n"
                + CLOSE + "\r\n");

        Response response = RawHttp.send(base, "GET", RAW + "/dots", cookie(valid()));

        assertEquals(302, response.status(), () -> response.toString());
        response.header("Location").ifPresent(location -> {
            String local = location.startsWith(base.toString()) ? location.substring(base.toString().length()) : location;
            String followed = PathResolution.asBrowserFollows(local);
            assertTrue(followed.startsWith(RAW + "/"), () -> V1 + escape + " became " + location + ", followed to " + followed);
        });
    }

    /** A broken, hostile or odd answer gets the status it had or a 502 with the JSON body; never a 500, never a trace. */
    @ParameterizedTest
    @ValueSource(strings = {"garbage", "http09", "early-hints", "continue-twice", "no-content-body", "not-modified-length",
        "status-999", "status-600", "closed-at-once", "header-folded", "bad-header-name", "two-lengths", "negative-length",
        "huge-header", "many-headers"})
    void brokenBackendAnswersGetNo500AndNoTrace(String kind) throws Exception {
        String answer = switch (kind) {
            case "garbage" -> "\u0000\u0001garbage garbage\r\n\r\n";
            case "http09" -> "<html>hello</html>";
            case "early-hints" -> "HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + CLOSE + "\r\nok";
            case "continue-twice" -> "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + CLOSE + "\r\nok";
            case "no-content-body" -> "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n" + CLOSE + "\r\nhello";
            case "not-modified-length" -> "HTTP/1.1 304 Not Modified\r\nContent-Length: 500\r\nETag: \"x\"\r\n" + CLOSE + "\r\n";
            case "status-999" -> "HTTP/1.1 999 Odd\r\nX-Leak: 1\r\nContent-Length: 2\r\n" + CLOSE + "\r\nok";
            case "status-600" -> "HTTP/1.1 600 Odd\r\nContent-Length: 2\r\n" + CLOSE + "\r\nok";
            case "closed-at-once" -> "";
            case "header-folded" -> "HTTP/1.1 200 OK\r\nX-A: 1\r\n Set-Cookie: folded=1\r\nContent-Length: 2\r\n" + CLOSE + "\r\nok";
            case "bad-header-name" -> "HTTP/1.1 200 OK\r\nSet Cookie : x=1\r\nContent-Length: 2\r\n" + CLOSE + "\r\nok";
            case "two-lengths" -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n" + CLOSE + "\r\nok";
            case "negative-length" -> "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n" + CLOSE + "\r\nok";
            case "huge-header" -> "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(40_000) + "\r\nContent-Length: 2\r\n" + CLOSE + "\r\nok";
            case "many-headers" -> "HTTP/1.1 200 OK\r\n" + "X-Many: ".concat("b".repeat(100)).concat("\r\n").repeat(400)
                    + "Content-Length: 2\r\n" + CLOSE + "\r\nok";
            default -> throw new IllegalArgumentException(kind);
        };
        raw.script(V1 + kind, answer);
        FakeAuthBackend.Tokens pair = auth.issue("alice");
        Response[] response = new Response[1];

        String log = LogCapture.during(() -> response[0] = RawHttp.send(base, "GET", RAW + "/" + kind,
                "Cookie: " + ACCESS + "=" + pair.accessToken() + "; " + REFRESH + "=" + pair.refreshToken()));

        Response r = response[0];
        assertAll(
                () -> assertTrue(r.status() >= 200 && r.status() < 600 && r.status() != 500, () -> kind + " -> " + r),
                () -> assertEquals(List.of(), r.headers("Set-Cookie"), () -> kind + ": a backend failure signs nobody out"),
                () -> assertNoStackTrace(r),
                () -> assertFalse(r.status() == 502 && r.headers().containsKey("x-leak"), "a refused answer's headers leaked"),
                () -> assertNoToken(log, pair.accessToken(), pair.refreshToken()),
                () -> assertNoToken(r.body(), pair.accessToken(), pair.refreshToken()));
    }

    /**
     * A backend that breaks off its chunked answer: the browser (on a keep-alive connection, so the
     * answer is chunked) must see a broken response (no terminating chunk), never a shorter body
     * passed off as complete.
     */
    @Test
    void backendBreakingOffMidAnswerIsNeverPassedOffAsComplete() throws Exception {
        raw.script(V1 + "cut", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "c\r\n{\"items\":[1,\r\n");

        byte[] answer;
        try (Socket browser = new Socket(base.getHost(), base.getPort())) {
            browser.setSoTimeout(5_000);
            // Keep-alive, as a browser asks: the answer is chunked, and only the last chunk says it is complete.
            browser.getOutputStream().write(("GET " + RAW + "/cut HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\n" + cookie(valid()) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            browser.getOutputStream().flush();
            answer = readUntilClosed(browser.getInputStream());
        }

        String text = new String(answer, StandardCharsets.ISO_8859_1);
        String head = text.split("\r\n\r\n", 2)[0].toLowerCase(Locale.ROOT);
        String body = text.contains("\r\n\r\n") ? text.split("\r\n\r\n", 2)[1] : "";
        boolean chunked = head.contains("transfer-encoding: chunked");
        assertAll(
                () -> assertTrue(text.startsWith("HTTP/1.1 200") || text.isEmpty(), () -> text),
                () -> assertFalse(chunked && body.endsWith("0\r\n\r\n"),
                        () -> "the cut answer was ended as complete: " + text),
                () -> assertFalse(!chunked && head.contains("content-length: 12") && body.length() >= 12 && !text.contains("]}"),
                        () -> "framed as complete: " + text));
    }

    // ------------------------------------------------------------ sessions, tokens, CSRF

    @Test
    void anonymousRouteNeverGetsTheTokenWithOrWithoutASession() throws Exception {
        String token = valid();

        Response with = get(ANON + "/with", cookie(token), "Authorization: Bearer " + token);
        Response without = get(ANON + "/without");

        assertAll(
                () -> assertEquals(200, with.status(), () -> with.toString()),
                () -> assertEquals(200, without.status(), () -> without.toString()),
                () -> assertEquals(List.of(), api.only(V1 + "with").headers("Authorization")),
                () -> assertEquals(List.of(), api.only(V1 + "with").headers("Cookie")),
                () -> assertEquals(List.of(), api.only(V1 + "without").headers("Authorization")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-a-jwt", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9."})
    void navigationWithABadOrNoTokenGets401NeverARedirectAndNothingForwarded(String cookieValue) throws Exception {
        int mark = api.count();
        List<String> headers = new ArrayList<>(List.of("Accept: text/html", "Sec-Fetch-Mode: navigate",
                "Sec-Fetch-Dest: document", "Sec-Fetch-Site: none"));
        if (!cookieValue.isEmpty()) {
            headers.add("Cookie: " + ACCESS + "=" + cookieValue);
        }
        Response response = RawHttp.send(base, "GET", BACKEND + "/nav", headers.toArray(String[]::new));

        assertAll(
                () -> assertEquals(401, response.status(), () -> response.toString()),
                () -> assertEquals(List.of(), response.headers("Location")),
                () -> assertEquals(List.of(), api.requestsSince(mark)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PUT|Origin: https://evil.example|Sec-Fetch-Site: cross-site|Content-Type: application/json",
        "DELETE|Origin: https://evil.example|Sec-Fetch-Site: cross-site",
        "POST|Origin: null|Content-Type: application/x-www-form-urlencoded",
        "POST|Origin: null|Sec-Fetch-Site: cross-site|Content-Type: text/plain",
        "POST|Sec-Fetch-Site: cross-site|Content-Type: multipart/form-data; boundary=x",
        "POST|Referer: https://evil.example/page|Content-Type: text/plain",
        "POST|Origin: http://127.0.0.1.evil.example|Content-Type: text/plain",
        "post|Origin: https://evil.example|Sec-Fetch-Site: cross-site|Content-Type: text/plain",
        "PROPFIND|Origin: https://evil.example|Sec-Fetch-Site: cross-site",
        "PATCH|Sec-Fetch-Site: same-site|Origin: http://sub.127.0.0.1",
        "GET|Origin: https://evil.example|Sec-Fetch-Site: cross-site|X-HTTP-Method-Override: DELETE",
        "POST|Sec-Fetch-Site: none|Content-Type: text/plain"})
    void crossSiteUnsafeRequestsWithCookiesAreRefusedAndNeverForwarded(String spec) throws Exception {
        String[] parts = spec.split("\\|");
        String path = "csrf-" + UUID.randomUUID();
        List<String> headers = new ArrayList<>(List.of(parts).subList(1, parts.length));
        headers.add(cookie(valid()));

        Response response = RawHttp.send(base, parts[0], BACKEND + "/" + path, "a=1".getBytes(StandardCharsets.US_ASCII),
                headers.toArray(String[]::new));

        assertAll(
                () -> assertEquals(403, response.status(), () -> spec + " -> " + response),
                () -> assertEquals(List.of(), api.requestsTo(V1 + path), () -> spec + " was forwarded"),
                () -> assertEquals(List.of(), response.headers("Set-Cookie")));
    }

    /** Two requests racing with the same expired pair: neither forward carries the expired token. */
    @Test
    void concurrentRefreshesInPlaceNeverForwardTheOldToken() throws Exception {
        FakeAuthBackend.Tokens old = authClock.travelledBack(Duration.ofHours(2), () -> auth.issue("alice"));
        String cookies = "Cookie: " + ACCESS + "=" + old.accessToken() + "; " + REFRESH + "=" + old.refreshToken();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(http.sendAsync(JavaHttp.request(base, BACKEND + "/race-" + i, Duration.ofSeconds(20), cookies).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            call.get(30, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 4; i++) {
            for (Recorded seen : api.requestsTo(V1 + "race-" + i)) {
                int n = i;
                assertNotEquals(List.of("Bearer " + old.accessToken()), seen.headers("Authorization"),
                        () -> "request " + n + " forwarded the expired token");
            }
        }
    }

    /** Beyond max-concurrency: 503 at once, clearing nothing; meanwhile a refresh in place elsewhere still works. */
    @Test
    void floodBeyondMaxConcurrencyGets503AndRefreshElsewhereStillWorks() throws Exception {
        String token = valid();
        List<Response> flood = new ArrayList<>();
        Response refreshed;
        Response other;
        Pair old;
        try (Hold hold = new Hold()) {
            api.answer(V1 + "flood-held", Answer.status(200).body("held").heldBy(hold));
            CompletableFuture<HttpResponse<String>> first = http.sendAsync(
                    JavaHttp.request(base, SINGLE + "/flood-held", Duration.ofSeconds(30), cookie(token)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            hold.awaitArrivals(1);
            List<CompletableFuture<HttpResponse<String>>> more = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                more.add(http.sendAsync(JavaHttp.request(base, SINGLE + "/flood-" + i, Duration.ofSeconds(30), cookie(token))
                        .GET().build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : more) {
                flood.add(JavaHttp.toResponse(f.get(30, TimeUnit.SECONDS)));
            }
            FakeAuthBackend.Tokens expired = authClock.travelledBack(Duration.ofHours(2), () -> auth.issue("alice"));
            old = new Pair(expired.accessToken(), expired.refreshToken());
            refreshed = get(CTX + "/api/page", RotationScenarios.cookies(old));
            other = get(BACKEND + "/flood-other", cookie(token));
            hold.release();
            assertEquals(200, first.get(30, TimeUnit.SECONDS).statusCode());
        }
        Response r = refreshed;
        assertAll(
                () -> assertTrue(flood.stream().allMatch(f -> f.status() == 503), () -> "statuses " + flood.stream()
                        .map(Response::status).toList()),
                () -> assertTrue(flood.stream().allMatch(f -> f.headers("Set-Cookie").isEmpty()), "a 503 cleared cookies"),
                () -> assertEquals(200, r.status(), () -> "refresh in place while the route is full: " + r),
                () -> RotationScenarios.assertRotated(r, old),
                () -> assertEquals(200, other.status(), () -> "another route: " + other));
    }

    /** After logout the proxy forwards the old token exactly when the application would still accept it, never more. */
    @Test
    void afterLogoutTheOldTokenGoesNoFurtherThanTheApplicationWouldTake() throws Exception {
        FakeAuthBackend.Tokens pair = auth.issue("alice");
        String cookies = "Cookie: " + ACCESS + "=" + pair.accessToken() + "; " + REFRESH + "=" + pair.refreshToken();
        Response logout = RawHttp.send(base, "POST", CTX + "/auth/logout", new byte[0], cookies, sameOrigin(),
                "Sec-Fetch-Site: same-origin", "Accept: application/json");
        int mark = api.count();

        Response withoutCookies = get(BACKEND + "/after-logout");
        List<Recorded> forwardedWithout = api.requestsSince(mark);
        Response replayed = get(BACKEND + "/replayed", cookies);
        Response page = get(CTX + "/api/page-after-logout", cookies);

        assertAll(
                () -> assertTrue(logout.status() < 500, () -> "logout: " + logout),
                () -> assertEquals(401, withoutCookies.status(), () -> withoutCookies.toString()),
                () -> assertEquals(List.of(), forwardedWithout),
                () -> assertEquals(page.status() == 200, replayed.status() == 200 && !api.requestsTo(V1 + "replayed").isEmpty(),
                        () -> "the application answered " + page.status() + " to the replayed cookies, the proxy "
                                + replayed.status()));
    }

    @Test
    void headWithALengthAndTraceOrConnectGetNo500() throws Exception {
        api.answer(V1 + "head", Answer.status(200).header("Content-Type", "application/json").body("x".repeat(1000)));
        String token = valid();
        int mark = api.count();

        Response head = RawHttp.send(base, "HEAD", BACKEND + "/head", cookie(token));
        Response trace = RawHttp.send(base, "TRACE", BACKEND + "/trace", cookie(token));
        List<Recorded> traced = api.requestsTo(V1 + "trace");

        assertAll(
                () -> assertEquals(200, head.status(), () -> head.toString()),
                () -> assertEquals("", head.body()),
                () -> assertTrue(trace.status() == 405 || trace.status() == 400 || trace.status() == 403, () -> trace.toString()),
                () -> assertEquals(List.of(), traced, "TRACE is never forwarded"),
                () -> assertTrue(api.requestsSince(mark).size() <= 1));
    }

    /**
     * Repeated: the next request may arrive while the abandoned one is being ended, and Tomcat
     * hands it the very request and response objects it recycled. Before the forward's thread and
     * the container took turns on the response ({@code ResponseTurns}), about one run in ten of
     * this on Tomcat cut the next answer after its headers.
     */
    @RepeatedTest(25)
    void browserGoingAwayMidDownloadGivesTheSlotBack() throws Exception {
        String token = valid();
        api.answer(V1 + "long-download", Answer.status(200).header("Content-Type", "application/octet-stream")
                .streamed(64L * RecordingBackend.BLOCK_SIZE));
        try (Socket browser = new Socket(base.getHost(), base.getPort())) {
            browser.setSoTimeout(10_000);
            browser.setReceiveBufferSize(4096);
            browser.getOutputStream().write(RawHttp.head(base, "GET", SINGLE + "/long-download", cookie(token)));
            browser.getOutputStream().flush();
            browser.getInputStream().readNBytes(4096);
        } // gone after the first bytes
        Response[] after = new Response[1];
        Await.until("the abandoned download giving its slot back", () -> (after[0] = unchecked(() ->
                get(SINGLE + "/after-download", cookie(token)))).status() != 503, () -> String.valueOf(after[0]));

        assertEquals(200, after[0].status(), () -> after[0].toString());
    }

    // ------------------------------------------------------------ helpers

    private String valid() {
        return auth.accessToken("alice");
    }

    private static String cookie(String token) {
        return "Cookie: " + ACCESS + "=" + token;
    }

    private String sameOrigin() {
        return "Origin: " + base;
    }

    private Response get(String target, String... headers) throws IOException, InterruptedException {
        return JavaHttp.toResponse(http.send(JavaHttp.request(base, target, Duration.ofSeconds(20), headers).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // a reset or a hang both end the read: what matters is what arrived
        }
        return out.toByteArray();
    }

    private static void assertNoStackTrace(Response response) {
        assertFalse(response.body().contains("Exception") || response.body().contains("\tat "), () -> response.toString());
    }

    private static void assertNoToken(String text, String... tokens) {
        for (String token : tokens) {
            assertFalse(text.contains(token), () -> "a token (" + Tokens.fingerprint(token) + ") was written");
        }
    }

    interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T unchecked(Step<T> step) {
        try {
            return step.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
