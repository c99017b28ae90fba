package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.FakeAuthBackend;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole response the filter writes stays within the containers' 8 kB response-header limit
 * ({@link JettyResponseBudgetTest}, {@link TomcatResponseBudgetTest}): a backend whose tokens just
 * fit {@code cookie-max-total-bytes}, about 80 planted session-shaped cookies (so clearing headers are
 * due) and a {@code from} of several kB used to give a 500 on both containers, at login and at a
 * rotation in place, because the {@code Location} and the clearing headers were bounded each on its
 * own, ignoring the cookies' attributes. Now the cookies are written first and counted, the clearing
 * headers get what remains, and the {@code Location} what remains after them.
 *
 * <p>Webapp {@value #RB} ({@code response-budget}): the default cookie budget (6144), a lifetime (so a
 * meta cookie goes with every write), plain HTTP ({@code sg_} names, {@code __Host-} the other form),
 * and an application that adds {@value ReservedHeadersServlet#HEADER_BYTES} bytes of headers of its
 * own ({@link ReservedHeadersServlet}), within the reserve the filter leaves it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ResponseBudgetScenarios {
    static final String RB = "/rb";
    static final String PROP_PREFIX = "sessiongate.it.rb.";
    /** Both containers refuse response heads past 8 kB (Jetty's responseHeaderSize, Tomcat's maxHttpHeaderSize). */
    static final int CONTAINER_LIMIT = 8192;
    static final int BUDGET = CookieSettings.DEFAULT_MAX_TOTAL_BYTES;
    /** The largest response head each scenario saw, for the report. */
    static final Map<String, Integer> LARGEST = new LinkedHashMap<>();

    private final Teardown teardown = new Teardown();
    private Container container;
    private FakeAuthBackend backend;
    private URI base;
    /** The access-token length at which access, refresh and meta cookies just fit the budget. */
    private int fullAccessLength;

    /** A fresh, unstarted container. */
    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        // Registered first, so it runs last, once every scenario recorded its largest head.
        teardown.add(() -> System.out.println("ResponseBudgetScenarios largest response heads (bytes): " + LARGEST));
        backend = teardown.add(FakeAuthBackend.builder().build().start());
        teardown.add(new ScenarioProperties(PROP_PREFIX)).backend(backend)
                .prefixed("signing-secret", "it-rb-signing-secret-" + UUID.randomUUID());
        container = teardown.add(newContainer());
        base = container.startServing(List.of(Container.Webapp.of(RB, "response-budget")));
        // Measure a login with natural tokens, then size the access token so all three cookies fill the budget:
        // sg_access.0=, sg_access.1=, sg_refresh=, sg_meta= and the "; " between the four.
        Map<String, String> cookies = cookies(formLogin("/rb/orders", ""));
        int others = cookies.get("sg_refresh").length() + cookies.get("sg_meta").length();
        fullAccessLength = BUDGET - 2 * "sg_access.0=".length() - "sg_refresh=".length() - "sg_meta=".length() - 3 * 2
                - others - 8; // the meta cookie's length may differ by a digit or two between logins
        backend.accessTokenLength(fullAccessLength);
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    // ---------------------------------------------------------------- scenarios

    @Test
    void formLoginAtTheBudgetWithPlantedCookiesAndALongFromIsASeeOtherWithinTheLimit() throws Exception {
        String from = RB + "/orders?q=" + "x".repeat(2000 - (RB + "/orders?q=").length()); // the most /auth/login takes
        Response response = formLogin(from, planted(true));

        assertWithinTheLimit("form login", 303, response);
        String location = response.header("Location").orElseThrow();
        assertTrue(location.equals(RB + "/orders") || location.equals(RB + "/welcome"),
                () -> "the query goes first, then the whole from: " + location);
    }

    @Test
    void formLoginWithAFromOfSeveralKilobytesGoesToTheSuccessPath() throws Exception {
        Response response = formLogin(RB + "/orders?q=" + "x".repeat(6000), planted(true));

        assertWithinTheLimit("form login, 6 kB from", 303, response);
        assertEquals(RB + "/welcome", response.header("Location").orElseThrow());
    }

    @Test
    void jsonLoginAtTheBudgetWithPlantedCookiesIsOkWithinTheLimit() throws Exception {
        String body = "{\"username\":\"alice\",\"password\":\"alice-password\",\"from\":\"" + RB + "/orders?q="
                + "x".repeat(1900) + "\"}";
        Response response = RawHttp.send(base, "POST", RB + "/auth/login", body.getBytes(StandardCharsets.UTF_8),
                "Content-Type: application/json", "Origin: " + base, "Cookie: " + planted(true));

        assertWithinTheLimit("JSON login", 200, response);
    }

    @Test
    void rotationInPlaceAtTheBudgetWithPlantedCookiesServesThePageWithinTheLimit() throws Exception {
        Map<String, String> session = cookies(formLogin(RB + "/orders", ""));
        // No access cookie of ours (planted chunks read as junk), so the navigation rotates in place.
        String cookie = "sg_refresh=" + session.get("sg_refresh") + "; sg_meta=" + session.get("sg_meta") + "; "
                + planted(false);
        Response response = RawHttp.send(base, "GET", RB + "/api/orders?q=" + "x".repeat(3000),
                "Sec-Fetch-Mode: navigate", "Accept: text/html", "Cookie: " + cookie);

        assertWithinTheLimit("rotation", 200, response);
        assertEquals(ReservedHeadersServlet.HEADER_BYTES - ReservedHeadersServlet.NAME.length() - 4,
                response.header(ReservedHeadersServlet.NAME).orElseThrow().length(), "the application's own headers");
        assertTrue(response.body().contains("\"subject\":\"alice\""), response::toString);
    }

    @Test
    void navigationWithPlantedCookiesAndALongQueryRedirectsToLoginWithinTheLimit() throws Exception {
        Response response = RawHttp.send(base, "GET", RB + "/api/orders?q=" + "x".repeat(5000),
                "Sec-Fetch-Mode: navigate", "Accept: text/html", "Cookie: " + planted(true));

        assertEquals(302, response.status(), response::toString);
        int head = headBytes(response);
        record("login redirect", head);
        assertTrue(head < CONTAINER_LIMIT, head + " bytes");
    }

    // ---------------------------------------------------------------- helpers

    private Response formLogin(String from, String cookieHeader) throws Exception {
        String body = "username=alice&password=alice-password&from=" + URLEncoder.encode(from, StandardCharsets.UTF_8);
        List<String> headers = new ArrayList<>(List.of("Content-Type: application/x-www-form-urlencoded", "Origin: " + base));
        if (!cookieHeader.isEmpty()) {
            headers.add("Cookie: " + cookieHeader);
        }
        return RawHttp.send(base, "POST", RB + "/auth/login", body.getBytes(StandardCharsets.ISO_8859_1),
                headers.toArray(String[]::new));
    }

    /**
     * About 80 session-shaped names as a sibling subdomain plants them: every name of ours within the
     * chunk range in both prefix forms (these are cleared), and out-of-range chunks and unconfigured
     * kinds (ignored). Without {@code ourCanonicalSession}, no canonical refresh or meta name, so the
     * real ones the request carries stay readable.
     */
    static String planted(boolean ourCanonicalSession) {
        List<String> names = new ArrayList<>(List.of("sg_access", "sg_access.0", "sg_access.1"));
        if (ourCanonicalSession) {
            names.addAll(List.of("sg_refresh.0", "sg_refresh.1", "sg_meta.0", "sg_meta.1"));
        }
        for (String base : List.of("sg_access", "sg_refresh", "sg_meta")) {
            names.addAll(List.of("__Host-" + base, "__Host-" + base + ".0", "__Host-" + base + ".1"));
        }
        for (int i = 2; names.size() < 80; i++) {
            names.add((i % 2 == 0 ? "sg_access." : "sg_guest.") + i);
        }
        StringBuilder header = new StringBuilder();
        for (String name : names) {
            header.append(header.length() == 0 ? "" : "; ").append(name).append("=x");
        }
        return header.toString();
    }

    /** The cookies a response sets, name to value (the last one wins), clearing ones with "". */
    private static Map<String, String> cookies(Response response) {
        Map<String, String> cookies = new LinkedHashMap<>();
        for (String header : response.headers("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            cookies.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return cookies;
    }

    /** The status, a new session in cookies that fill the budget, and a response head under 8 kB. */
    private void assertWithinTheLimit(String what, int status, Response response) {
        int head = headBytes(response);
        record(what, head);
        Map<String, String> set = cookies(response);
        int sessionBytes = 0;
        int count = 0;
        for (String name : List.of("sg_access", "sg_access.0", "sg_access.1", "sg_refresh", "sg_meta")) {
            String value = set.get(name);
            if (value != null && !value.isEmpty()) {
                sessionBytes += name.length() + 1 + value.length();
                count++;
            }
        }
        int total = sessionBytes + 2 * Math.max(0, count - 1);
        assertAll(
                () -> assertEquals(status, response.status(), response::toString),
                () -> assertTrue(head < CONTAINER_LIMIT, head + " bytes of response head: " + response),
                () -> assertTrue(set.get("sg_access.0") != null && !set.get("sg_access.0").isEmpty()
                        && set.get("sg_access.1") != null && !set.get("sg_access.1").isEmpty(),
                        () -> "the access token in two chunks: " + set.keySet()),
                () -> assertTrue(set.get("sg_refresh") != null && !set.get("sg_refresh").isEmpty(), set::toString),
                () -> assertTrue(total > BUDGET - 64 && total <= BUDGET,
                        () -> "the session cookies just fit the budget: " + total + " of " + BUDGET));
    }

    /**
     * The response head's bytes as the container wrote them: the status line, then each header as
     * {@code Name: value} plus CRLF, then the empty line.
     */
    static int headBytes(Response response) {
        int statusLine = "HTTP/1.1 303 See Other\r\n".length();
        int headers = response.headers().entrySet().stream()
                .mapToInt(e -> e.getValue().stream().mapToInt(v -> e.getKey().length() + 2 + v.length() + 2).sum())
                .sum();
        return statusLine + headers + 2;
    }

    private void record(String what, int head) {
        LARGEST.merge(container.name() + " " + what, head, Math::max);
    }
}
