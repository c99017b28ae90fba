package io.github.sessiongate.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.AuditEvent;
import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.web.LoginDelay;
import io.github.sessiongate.web.LoginLimiter;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The password flow against a recording {@link LoginFlow.Context}: what it answers before any backend call. */
class PasswordLoginFlowTest {
    private static final LoginFlow.Route LOGIN = new LoginFlow.Route("/auth/login", LoginFlow.Csrf.ENDPOINT_RULE);

    private final MutableClock clock = new MutableClock();
    private final LoginLimiter limiter = new LoginLimiter(2, 10, Duration.ofMinutes(5), Duration.ZERO,
            LoginLimiter.DEFAULT_MAX_TRACKED, clock);
    private final PasswordLoginFlow flow = new PasswordLoginFlow(EndpointSettings.defaults(), "/login", Optional.empty(),
            Optional.empty(), Duration.ofSeconds(1), limiter, new LoginDelay(4, 2, d -> { }));

    @Test
    void withoutABackendItServesNoRouteAndRevokesNothing() {
        assertEquals(List.of(), flow.routes(), "the login path then goes to the application");
        assertTrue(flow.revoker().isEmpty());
        assertTrue(flow.refresher().isEmpty(), "sessions refresh through the validator's refresh");
        assertEquals(Map.of(), flow.sessionDetails(null), "the session endpoint shows nothing more");
    }

    @Test
    void theEntryPointIsTheLoginPageWithFrom() throws Exception {
        Recording context = new Recording(InMemoryRequest.get("/app/page").query("a=1").build(), "/app/page");
        flow.enter(context);
        assertEquals(302, context.status);
        assertEquals("/login?from=%2Fapp%2Fpage%3Fa%3D1", context.location);
    }

    @Test
    void onlyAPostLogsIn() throws Exception {
        Recording context = new Recording(InMemoryRequest.get("/auth/login").build(), "/auth/login");
        flow.handle(LOGIN, context);
        assertEquals(405, context.status);
        assertEquals("POST", context.allow);
    }

    @Test
    void aBodyTooLargeIs413() throws Exception {
        Recording context = new Recording(InMemoryRequest.post("/auth/login")
                .body("application/x-www-form-urlencoded", "username=a&password=" + "x".repeat(9000)).build(), "/auth/login");
        flow.handle(LOGIN, context);
        assertEquals(413, context.status);
        assertEquals(Map.of("error", "too_large"), context.body);
    }

    @Test
    void aLimitedPairIs429WithRetryAfterAndNoBackendCall() throws Exception {
        for (int i = 0; i < 2; i++) {
            try (LoginLimiter.Ticket ticket = limiter.begin("alice", "198.51.100.7")) {
                ticket.failed();
            }
        }
        Recording context = new Recording(InMemoryRequest.post("/auth/login")
                .body("application/json", "{\"username\":\"alice\",\"password\":\"guess\"}").build(), "/auth/login");
        flow.handle(LOGIN, context); // no backend: a call to it would throw
        assertEquals(429, context.status);
        assertEquals(Map.of("error", "too_many_attempts"), context.body);
        assertTrue(Long.parseLong(context.headers.get("Retry-After")) > 0);
        assertEquals(List.of(AuditEvent.Event.LOGIN_FAILED), context.audited);
    }

    /** Records the one answer; starts no session. */
    private static final class Recording implements LoginFlow.Context {
        private final HttpServletRequest request;
        private final String path;
        final Map<String, String> headers = new LinkedHashMap<>();
        final List<AuditEvent.Event> audited = new ArrayList<>();
        int status;
        String location;
        String allow;
        Map<String, ?> body;

        Recording(HttpServletRequest request, String path) {
            this.request = request;
            this.path = path;
        }

        @Override
        public HttpServletRequest request() {
            return request;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public String clientAddress() {
            return "198.51.100.7";
        }

        @Override
        public Optional<String> safeTarget(String raw) {
            return Optional.of(raw);
        }

        @Override
        public int locationRoom() {
            return 4096;
        }

        @Override
        public LoginFlow.SessionStart startSession(TokenPair tokens, Optional<LoginFlow.ProviderFacts> facts) {
            throw new AssertionError("no session starts here");
        }

        @Override
        public List<LoginFlow.Transaction> loginTransactions() {
            return List.of();
        }

        @Override
        public int saveLoginTransaction(String value) {
            throw new IllegalStateException();
        }

        @Override
        public void clearLoginTransaction(int slot) {
            throw new IllegalStateException();
        }

        @Override
        public void audit(AuditEvent.Event event, String detail, String token) {
            audited.add(event);
        }

        @Override
        public void countUnavailable() {
        }

        @Override
        public void header(String name, String value) {
            headers.put(name, value);
        }

        @Override
        public void json(int status, Map<String, ?> body) {
            this.status = status;
            this.body = body;
        }

        @Override
        public void redirect(int status, String location) {
            this.status = status;
            this.location = location;
        }

        @Override
        public void noContent() {
            status = 204;
        }

        @Override
        public void unavailable() {
            status = 503;
        }

        @Override
        public void methodNotAllowed(String allow) {
            status = 405;
            this.allow = allow;
        }
    }
}
