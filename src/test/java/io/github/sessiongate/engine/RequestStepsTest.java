package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.Cookie;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request steps without a container: a {@code new SessionFilter(settings)} driven through
 * {@code init}, {@code doFilter} and {@code destroy} with in-memory requests and responses.
 * Firewall, route, credentials, CSRF, resolve, write, decide and chain, one row each at least.
 */
public class RequestStepsTest {
    private static final String SAME_ORIGIN = "http://localhost:8080";
    /** The default cookie names: secure always, so {@code __Host-} prefixed. */
    private static final CookieCodec CODEC = new CookieCodec(CookieSettings.defaults());
    private static final String ACCESS = CODEC.accessCookieName(true);
    private static final String REFRESH = CODEC.refreshCookieName(true);

    private final MutableClock clock = new MutableClock();
    private SessionFilter filter;
    private ServletRequest chained;

    @BeforeEach
    void start() throws Exception {
        filter = new SessionFilter(GateConfig.builder()
                .validator(new StepsValidator(clock))
                .protectedPaths("/app/**")
                .publicPaths("/home")
                .roleRules("/admin/**=admin")
                .loginPath("/login")
                .acceptBearerHeader(true)
                .clock(clock)
                .build());
        filter.init(null);
    }

    @AfterEach
    void stop() {
        filter.destroy();
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("firewall: a dot segment is refused", r -> InMemoryRequest.get("/app/../admin"), 400, null),
                row("route: a public page goes on without a session", r -> InMemoryRequest.get("/home"), 200, ""),
                row("decide: a protected page without a session redirects to the login page",
                        r -> InMemoryRequest.get("/app/page").navigation(), 302, null),
                row("decide: a protected API call without a session is 401", r -> InMemoryRequest.get("/app/data"), 401, null),
                row("resolve: a valid cookie reaches the app with its session",
                        r -> InMemoryRequest.get("/app/data").cookie(ACCESS, "valid-alice"), 200, "alice"),
                row("resolve: no verdict on the token is 503", r -> InMemoryRequest.get("/app/data")
                        .cookie(ACCESS, "unavailable-1"), 503, null),
                row("resolve + write: an expired token is rotated in place", r -> InMemoryRequest.get("/app/data")
                        .cookie(ACCESS, "expired-1").cookie(REFRESH, "refresh-ok"), 200, "alice"),
                row("resolve: a refused refresh ends the session", r -> InMemoryRequest.get("/app/data")
                        .cookie(ACCESS, "expired-1").cookie(REFRESH, "refresh-refused"), 401, null),
                row("resolve: a refresh without a verdict is 503, nothing cleared", r -> InMemoryRequest.get("/app/data")
                        .cookie(ACCESS, "expired-1").cookie(REFRESH, "refresh-down"), 503, null),
                row("credentials: a bearer token is accepted", r -> InMemoryRequest.get("/app/data")
                        .header("Authorization", "Bearer valid-alice"), 200, "alice"),
                row("decide: a missing role is 403", r -> InMemoryRequest.get("/admin/panel")
                        .cookie(ACCESS, "valid-alice"), 403, null),
                row("decide: a present role passes", r -> InMemoryRequest.get("/admin/panel")
                        .cookie(ACCESS, "valid-admin"), 200, "admin"),
                row("csrf: a cross-site unsafe request with cookies is 403", r -> InMemoryRequest.post("/app/data")
                        .header("Origin", "https://evil.example").cookie(ACCESS, "valid-alice"), 403, null),
                row("csrf: a same-origin unsafe request passes", r -> InMemoryRequest.post("/app/data")
                        .header("Origin", SAME_ORIGIN).cookie(ACCESS, "valid-alice"), 200, "alice"),
                row("endpoint: the session endpoint answers without the app", r -> InMemoryRequest.get("/auth/session")
                        .header("Origin", SAME_ORIGIN).cookie(ACCESS, "valid-alice"), 200, null));
    }

    private static Arguments row(String name, UnaryOperator<InMemoryRequest> request, int status, String subject) {
        return Arguments.of(name, request, status, subject);
    }

    /**
     * @param subject who the application sees ({@code ""}: the chain runs without a session;
     *     {@code null}: the filter answers and the application never runs)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void stepsDecide(String name, UnaryOperator<InMemoryRequest> request, int status, String subject) throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        filter.doFilter(request.apply(null).build(), response.servlet(), chain());
        assertEquals(status, response.status(), name);
        if (subject == null) {
            assertNull(chained, "the application must not run");
        } else {
            assertNotNull(chained, "the application runs");
            assertEquals(subject, Session.from(chained).map(Session::subject).orElse(""));
        }
    }

    @Test
    void rotationWritesTheNewTokensOnAPrivateResponse() throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        filter.doFilter(InMemoryRequest.get("/app/data").cookie(ACCESS, "expired-1").cookie(REFRESH, "refresh-ok")
                .build(), response.servlet(), chain());
        assertEquals("valid-alice-2", response.cookie(ACCESS).map(Cookie::getValue).orElseThrow());
        assertEquals("refresh-ok-2", response.cookie(REFRESH).map(Cookie::getValue).orElseThrow());
        assertTrue(response.header("Cache-Control").orElse("").contains("private"), response.header("Cache-Control").toString());
        assertEquals(1, filter.metrics().getRefreshesOk());
    }

    @Test
    void aRefusedRefreshClearsTheCookiesAndNoVerdictClearsNothing() throws Exception {
        InMemoryResponse refused = new InMemoryResponse();
        filter.doFilter(InMemoryRequest.get("/app/data").cookie(ACCESS, "expired-1")
                .cookie(REFRESH, "refresh-refused").build(), refused.servlet(), chain());
        assertEquals(0, refused.cookie(ACCESS).orElseThrow().getMaxAge());
        assertEquals(0, refused.cookie(REFRESH).orElseThrow().getMaxAge());

        InMemoryResponse down = new InMemoryResponse();
        filter.doFilter(InMemoryRequest.get("/app/data").cookie(ACCESS, "expired-1")
                .cookie(REFRESH, "refresh-down").build(), down.servlet(), chain());
        assertTrue(down.cookies().isEmpty(), "a transient failure never clears cookies: " + down.cookies());
        assertTrue(down.header("Retry-After").isPresent(), "503 says when to retry");
    }

    @Test
    void aJunkAccessCookieAloneGetsExactlyOneClearingAndTheFixedBody() throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        filter.doFilter(InMemoryRequest.get("/app/data").cookie(ACCESS, "junk").cookie("other_app", "x").build(),
                response.servlet(), chain());
        assertEquals(401, response.status());
        assertEquals(List.of(ACCESS), names(response), "only the cookie the request carried is cleared");
        assertEquals(0, response.cookie(ACCESS).orElseThrow().getMaxAge());
        assertEquals("{\"error\":\"unauthenticated\"}", response.body(), "the 401 body is small and fixed");
        assertNull(chained);
    }

    @Test
    void aRefusedPairClearsExactlyTheAccessAndRefreshCookiesItCarried() throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        filter.doFilter(InMemoryRequest.get("/app/data").cookie(ACCESS, "junk").cookie(REFRESH, "refresh-refused")
                .build(), response.servlet(), chain());
        assertEquals(401, response.status());
        assertEquals(List.of(ACCESS, REFRESH), names(response));
        assertTrue(response.cookies().stream().allMatch(c -> c.getMaxAge() == 0), "both are clearings");
    }

    @Test
    void aJunkChunkedAccessTokenClearsEveryChunkItCarried() throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        filter.doFilter(InMemoryRequest.get("/app/data").cookie(ACCESS + ".0", "junk-part-one")
                .cookie(ACCESS + ".1", "junk-part-two").build(), response.servlet(), chain());
        assertEquals(401, response.status());
        assertEquals(List.of(ACCESS + ".0", ACCESS + ".1"), names(response));
    }

    @Test
    void logoutStillClearsTheNamesTheRequestDidNotCarry() throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        filter.doFilter(InMemoryRequest.post("/auth/logout").header("Origin", SAME_ORIGIN)
                .header("X-Requested-With", "fetch").cookie(ACCESS, "valid-alice").build(), response.servlet(), chain());
        assertEquals(204, response.status());
        assertEquals(0, response.cookie(REFRESH).orElseThrow().getMaxAge(), "a logout clears every canonical name");
    }

    private static List<String> names(InMemoryResponse response) {
        return response.cookies().stream().map(Cookie::getName).toList();
    }

    @Test
    void logoutClearsTheCookies() throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        filter.doFilter(InMemoryRequest.post("/auth/logout").header("Origin", SAME_ORIGIN)
                .header("X-Requested-With", "fetch").cookie(ACCESS, "valid-alice").cookie(REFRESH, "refresh-ok")
                .build(), response.servlet(), chain());
        assertEquals(204, response.status());
        assertEquals(0, response.cookie(ACCESS).orElseThrow().getMaxAge());
        assertNull(chained);
    }

    @Test
    void destroyReleasesTheFilter() {
        filter.destroy();
        assertThrows(IllegalStateException.class, filter::metrics);
        filter = new SessionFilter(GateConfig.builder().validator(new StepsValidator(clock)).build()); // for stop()
    }

    private FilterChain chain() {
        chained = null;
        return (request, response) -> chained = request;
    }

    /** Answers by the token's shape: {@code valid-<subject>}, {@code expired-*}, {@code unavailable-*}; refreshes by name. */
    public static final class StepsValidator extends TokenValidator {
        private final MutableClock clock;

        public StepsValidator(MutableClock clock) {
            this.clock = clock;
        }

        @Override
        protected ValidationResult doValidate(String token) {
            if (token.startsWith("valid-")) {
                String subject = token.substring("valid-".length()).replaceAll("-\\d+$", "");
                Session.Builder session = Session.builder(subject, token).expiresAt(clock.instant().plusSeconds(300));
                if (subject.equals("admin")) {
                    session.roles(java.util.Set.of("admin"));
                }
                return ValidationResult.valid(session.build());
            } else if (token.startsWith("expired-")) {
                return ValidationResult.expired();
            } else if (token.startsWith("unavailable-")) {
                return ValidationResult.unavailable("backend down");
            }
            return ValidationResult.invalid(ValidationResult.Reason.BAD_SIGNATURE);
        }

        @Override
        protected RefreshResult doRefresh(String refreshToken) {
            return switch (refreshToken) {
                case "refresh-ok" -> RefreshResult.refreshed(new TokenPair("valid-alice-2", "refresh-ok-2", null));
                case "refresh-refused" -> RefreshResult.refused();
                case "refresh-down" -> RefreshResult.unavailable("backend down");
                default -> RefreshResult.unsupported();
            };
        }
    }
}
