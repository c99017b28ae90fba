package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.cookie.CookieKind;
import io.github.sessiongate.engine.ProviderFactsTest.FactsFlow;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import jakarta.servlet.FilterChain;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider facts at a logout whose access token has lapsed past the skew (the usual case after
 * a few idle minutes): the subject of the token the validator found expired binds them, so the
 * provider still gets its hint; facts of another user stay unused.
 */
class LapsedLogoutFactsTest {
    private static final CookieCodec CODEC = new CookieCodec(CookieSettings.defaults(),
            CookieCodec.sessionKinds(false, false, true), null);
    private static final String ACCESS = CODEC.accessCookieName(true);
    private static final String REFRESH = CODEC.refreshCookieName(true);
    private static final String FACTS = CODEC.cookieName(CookieKind.PROVIDER_FACTS, 0, true);
    private static final String TRANSACTION = CODEC.cookieName(CookieKind.LOGIN_TRANSACTION, 0, true);

    private final MutableClock clock = new MutableClock();
    private final FactsFlow flow = new FactsFlow();
    private final LapsingValidator validator = new LapsingValidator();
    private SessionFilter filter;

    @BeforeEach
    void start() throws Exception {
        filter = new SessionFilter(GateConfig.builder().validator(validator).protectedPaths("/app/**").loginFlow(flow)
                .clock(clock).build());
        filter.init(null);
    }

    @AfterEach
    void stop() {
        filter.destroy();
    }

    @Test
    void aLapsedTokenOfTheSameUserStillGivesTheLogoutItsFacts() throws Exception {
        InMemoryResponse login = signIn("carol");
        validator.lapsed = true;
        clock.advance(Duration.ofMinutes(10)); // past the validation cache
        InMemoryResponse logout = logout(login, login);
        assertEquals(303, logout.status());
        assertEquals(1, flow.ended.size());
        assertTrue(flow.ended.get(0).isPresent(), "the facts serve although the access token lapsed");
        assertEquals("carol", flow.ended.get(0).get().subject());
    }

    @Test
    void aLapsedTokenNextToAnotherUsersFactsGivesNoHint() throws Exception {
        InMemoryResponse carol = signIn("carol");
        InMemoryResponse mallory = signIn("mallory");
        validator.lapsed = true;
        clock.advance(Duration.ofMinutes(10)); // past the validation cache
        InMemoryResponse logout = logout(carol, mallory);
        assertEquals(303, logout.status());
        assertEquals(List.of(Optional.empty()), flow.ended, "mallory's facts never serve carol's logout");
    }

    private InMemoryResponse signIn(String subject) throws Exception {
        flow.access = jwt(subject);
        String tx = run(InMemoryRequest.get("/app/page").navigation()).cookie(TRANSACTION).orElseThrow().getValue();
        InMemoryResponse r = run(InMemoryRequest.get("/auth/callback").query("state=s1").header("Sec-Fetch-Site", "cross-site")
                .navigation().cookie(TRANSACTION, tx));
        assertEquals(303, r.status(), r.body());
        return r;
    }

    private InMemoryResponse logout(InMemoryResponse session, InMemoryResponse factsOf) throws Exception {
        return run(InMemoryRequest.post("/auth/logout").header("Origin", "http://localhost:8080").header("Accept", "text/html")
                .cookie(ACCESS, session.cookie(ACCESS).orElseThrow().getValue())
                .cookie(REFRESH, session.cookie(REFRESH).orElseThrow().getValue())
                .cookie(FACTS, factsOf.cookie(FACTS).orElseThrow().getValue()));
    }

    private InMemoryResponse run(InMemoryRequest request) throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        FilterChain chain = (req, res) -> { };
        filter.doFilter(request.build(), response.servlet(), chain);
        return response;
    }

    /** A JWT-shaped token whose payload names {@code subject}; this test's validator reads it. */
    private static String jwt(String subject) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"" + subject + "\"}").getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(new byte[32]);
    }

    /** Valid until {@link #lapsed}, then expired past the skew (no session), as a JWT validator says. */
    private static final class LapsingValidator extends TokenValidator {
        volatile boolean lapsed;

        @Override
        protected ValidationResult doValidate(String token) {
            String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
            String subject = payload.replaceAll(".*\"sub\":\"([^\"]+)\".*", "$1");
            return lapsed ? ValidationResult.expired() : ValidationResult.valid(Session.builder(subject, token).build());
        }

        @Override
        protected RefreshResult doRefresh(String refreshToken) {
            return RefreshResult.unavailable("not in this test");
        }
    }
}
