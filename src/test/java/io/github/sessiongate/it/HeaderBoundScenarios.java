package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.web.SafeRedirect;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Response headers stay within the containers' limits whatever the request line holds
 * ({@link JettyHeaderBoundTest}, {@link TomcatHeaderBoundTest}): a page navigation with a query of
 * 7 to 8 kB (under both containers' 8 kB request-header limit, nothing raised) used to make a 9 kB
 * {@code Location} and a 500; now its login redirect keeps {@code from} only as long as the login
 * endpoint accepts it back, dropping the query, then the whole {@code from}.
 *
 * <p>Three webapps: {@value #APP} ({@code gate}: default {@code login-max-body-bytes}, so the
 * {@code from} budget is {@link SafeRedirect#MAX_LENGTH}), {@value #EP} ({@code endpoints}:
 * {@code login-max-body-bytes=1024}, so the budget is 512, and a login backend) and {@value #HB}
 * ({@code header-bounds}: {@code cookie-max-total-bytes=6400}; the {@code Location} after a login,
 * which carries the session cookies too, gets what the response budget leaves next to them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HeaderBoundScenarios {
    static final String APP = "/app";
    static final String EP = "/ep";
    static final String HB = "/hb";
    static final String LOGIN = GateConfig.DEFAULT_LOGIN_PATH;
    static final String PROP_PREFIX = "sessiongate.it.ep.";
    /** Both containers refuse response headers past 8 kB (Jetty's responseHeaderSize, Tomcat's maxHttpResponseHeaderSize). */
    static final int CONTAINER_LIMIT = 8192;

    private final Teardown teardown = new Teardown();
    private URI base;

    /** A fresh, unstarted container. */
    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        FakeAuthBackend backend = teardown.add(FakeAuthBackend.builder().build().start());
        teardown.add(new ScenarioProperties(PROP_PREFIX)).backend(backend)
                .prefixed("client-token-secret", "it-client-token-secret-" + UUID.randomUUID())
                .set(Tokens.SECRET_PROPERTY, Tokens.SECRET);
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(APP, "gate"),
                Container.Webapp.of(EP, "endpoints"), Container.Webapp.of(HB, "header-bounds")));
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    /** A query of about {@code length} characters, half of them {@code &} and {@code =}, which encode to three each. */
    private static String query(int length) {
        StringBuilder q = new StringBuilder(length);
        for (int i = 0; q.length() < length; i++) {
            q.append(q.length() == 0 ? "" : "&").append("k").append(i % 10).append('=').append(i % 10);
        }
        return q.substring(0, length);
    }

    private Response navigate(String target) throws Exception {
        return RawHttp.send(base, "GET", target, "Sec-Fetch-Mode: navigate", "Accept: text/html");
    }

    @Test
    void navigationWithAnEightKilobyteQueryRedirectsToLoginWithoutTheQuery() throws Exception {
        String q = query(7600);
        Response response = navigate(APP + "/dashboard/home?" + q);

        String location = location(response);
        assertAll(
                () -> assertEquals(302, response.status(), response::toString),
                () -> assertEquals(APP + "/dashboard/home", from(location), "the query is dropped, the path kept"),
                () -> assertTrue(location.length() <= (APP + LOGIN + "?from=").length() + SafeRedirect.MAX_LENGTH,
                        () -> location.length() + " characters"),
                () -> assertTrue(headerBytes(response) < CONTAINER_LIMIT / 2, () -> headerBytes(response) + " header bytes"));
    }

    @Test
    void navigationWithASevenKilobytePathRedirectsToLoginWithoutFrom() throws Exception {
        Response response = navigate(APP + "/dashboard/" + "p".repeat(7000) + "?" + query(500));

        assertEquals(302, response.status(), response::toString);
        assertEquals(APP + LOGIN, location(response), "nothing of the request in the Location");
    }

    @Test
    void navigationWithAShortQueryKeepsIt() throws Exception {
        Response response = navigate(APP + "/dashboard/home?tab=2&sort=name");

        assertEquals(302, response.status(), response::toString);
        assertEquals(APP + "/dashboard/home?tab=2&sort=name", from(location(response)));
    }

    @Test
    void fromBudgetFollowsTheLoginBodyLimit() throws Exception {
        // 600 characters would fit the default budget, not the 512 of login-max-body-bytes=1024.
        String q = "q=" + "x".repeat(598);
        Response response = navigate(EP + "/api/orders?" + q);

        String location = location(response);
        assertAll(
                () -> assertEquals(302, response.status(), response::toString),
                () -> assertEquals(EP + "/api/orders", from(location)),
                () -> assertTrue(location.length() <= (EP + LOGIN + "?from=").length() + 512, location));
    }

    @Test
    void failedFormLoginWithALongFromReturnsToTheLoginPageWithinTheBudget() throws Exception {
        // Accepted by the login endpoint (under 2048 decoded, body under 1024), but percent-encoded
        // once more for the login page's Location it would be ~800 characters: over the 512 budget.
        String from = EP + "/orders?" + query(400);
        String body = "username=alice&password=wrong&from=" + URLEncoder.encode(from, StandardCharsets.UTF_8);
        assertTrue(body.length() < 1024, "the body must fit login-max-body-bytes: " + body.length());
        Response response = RawHttp.send(base, "POST", EP + "/auth/login", body.getBytes(StandardCharsets.ISO_8859_1),
                "Content-Type: application/x-www-form-urlencoded", "Origin: " + base);

        String location = location(response);
        assertAll(
                () -> assertEquals(303, response.status(), response::toString),
                () -> assertTrue(location.startsWith(EP + LOGIN + "?error=1&from="), location),
                () -> assertEquals(EP + "/orders", from(location), "the query is dropped, the path kept"),
                () -> assertTrue(location.length() <= (EP + LOGIN + "?error=1&from=").length() + 512, location));
    }

    @Test
    void failedFormLoginWithAShortFromKeepsIt() throws Exception {
        String body = "username=alice&password=wrong&from=" + URLEncoder.encode(EP + "/orders?tab=2", StandardCharsets.UTF_8);
        Response response = RawHttp.send(base, "POST", EP + "/auth/login", body.getBytes(StandardCharsets.ISO_8859_1),
                "Content-Type: application/x-www-form-urlencoded", "Origin: " + base);

        assertEquals(303, response.status(), response::toString);
        assertEquals(EP + "/orders?tab=2", from(location(response)));
    }

    @Test
    void successfulFormLoginWithALongFromKeepsItNextToSmallCookies() throws Exception {
        // Accepted by the login endpoint (under 2048); the Location's budget is measured from the
        // cookies as written, not from cookie-max-total-bytes, so next to small tokens it all fits.
        // (Tokens at the budget: ResponseBudgetScenarios.)
        String from = HB + "/orders?q=" + "x".repeat(700);
        Response response = formLogin(HB, from);

        assertAll(
                () -> assertEquals(303, response.status(), response::toString),
                () -> assertEquals(from, location(response)),
                () -> assertTrue(response.headers("Set-Cookie").stream().anyMatch(c -> c.startsWith("sg_access=")),
                        () -> "no session cookie: " + response));
    }

    @Test
    void successfulFormLoginWithAShortFromGoesThereWithItsQuery() throws Exception {
        Response response = formLogin(HB, HB + "/orders?tab=2");

        assertEquals(303, response.status(), response::toString);
        assertEquals(HB + "/orders?tab=2", location(response));
    }

    private Response formLogin(String context, String from) throws Exception {
        String body = "username=alice&password=alice-password&from=" + URLEncoder.encode(from, StandardCharsets.UTF_8);
        return RawHttp.send(base, "POST", context + "/auth/login", body.getBytes(StandardCharsets.ISO_8859_1),
                "Content-Type: application/x-www-form-urlencoded", "Origin: " + base);
    }

    // ---------------------------------------------------------------- helpers

    private static String location(Response response) {
        return response.header("Location").orElseThrow(() -> new AssertionError("no Location: " + response));
    }

    /** The decoded {@code from} parameter of a login redirect. */
    private static String from(String location) {
        Matcher m = Pattern.compile("[?&]from=([^&]*)").matcher(location);
        assertTrue(m.find(), () -> "no from= in " + location);
        String value = m.group(1);
        assertFalse(m.find(), () -> "two from= in " + location);
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /** The response's header bytes as the container wrote them (names, values, ": " and CRLF). */
    private static int headerBytes(Response response) {
        return response.headers().entrySet().stream()
                .mapToInt(e -> e.getValue().stream().mapToInt(v -> e.getKey().length() + 2 + v.length() + 2).sum())
                .sum();
    }

}
