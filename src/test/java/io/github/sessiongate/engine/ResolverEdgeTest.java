package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.audit.GateMetrics;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.engine.Resolution.Authenticated;
import io.github.sessiongate.engine.Resolution.CookieWrite;
import io.github.sessiongate.engine.Resolution.Refresh;
import io.github.sessiongate.rotation.Bulkhead;
import io.github.sessiongate.rotation.GraceMemo;
import io.github.sessiongate.rotation.Refresher;
import io.github.sessiongate.rotation.Revocations;
import io.github.sessiongate.rotation.ValidationCache;
import io.github.sessiongate.rotation.Validations;
import io.github.sessiongate.store.InMemoryExpiringStore;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.web.RequestOrigin;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The resolver's edges the decision table does not reach, one case each, with the outcome written
 * out: a refusal that cannot be recorded (FAILED_CLOSED), new tokens over the cookie budget (the
 * writer applies the resolution's fallback), refresh-ahead of a valid token's expiry, and sealed
 * cookies that do not open. Real collaborators over a hand-moved clock, no container.
 */
class ResolverEdgeTest {
    static final String SEAL_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(
            StandardCharsets.US_ASCII));
    /** The validator's valid tokens expire this long after they are checked. */
    static final Duration VALID_FOR = Duration.ofMinutes(5);

    /** How the backend answers a refresh. */
    enum Outcome { ROTATED, ROTATED_HUGE, REFUSED, UNAVAILABLE }

    // ---------------------------------------------------------------- FAILED_CLOSED

    @Test
    void aRefusalThatCannotBeRecordedFailsClosedAndClearsNothing() {
        Fixture f = new Fixture(Outcome.REFUSED, Duration.ZERO, 1, false);
        assertTrue(f.revocations.revoke("someone-else", MutableClock.START.plusSeconds(3600)), "fills the store");
        HttpServletRequest request = f.cookies("expired-1", "refresh-1");

        Credentials credentials = f.credentials(request);
        Resolution resolution = f.resolve(credentials);

        assertInstanceOf(Resolution.NoVerdict.class, resolution);
        assertEquals(Refresh.FAILED_CLOSED, resolution.refresh());
        assertTrue(resolution.noVerdict(), "no verdict: the request steps answer 503");
        assertNull(resolution.sessionOrNull());
        assertEquals(1, f.storeFull.get(), "the full store is counted and warned about once");
        InMemoryResponse response = f.apply(request, credentials, resolution);
        assertTrue(response.cookies().isEmpty(), "nothing cleared: a retry ends it all " + response.cookies());
    }

    @Test
    void theSameRefusalWithRoomRevokesTheTokenAndEnds() {
        Fixture f = new Fixture(Outcome.REFUSED, Duration.ZERO, 1, false);
        HttpServletRequest request = f.cookies("expired-1", "refresh-1");

        Credentials credentials = f.credentials(request);
        Resolution resolution = f.resolve(credentials);

        assertInstanceOf(Resolution.Ended.class, resolution);
        assertEquals(Refresh.ENDED, resolution.refresh());
        assertEquals(0, f.storeFull.get());
        assertTrue(f.revocations.isRevoked("expired-1"), "the presented token is revoked");
        InMemoryResponse response = f.apply(request, credentials, resolution);
        assertEquals(0, response.cookie(f.codec.accessCookieName(false)).orElseThrow().getMaxAge(), "cleared");
    }

    // ---------------------------------------------------------------- over the cookie budget

    @Test
    void rotatedTokensOverTheBudgetFallBackToNoVerdictAndClearNothing() {
        Fixture f = new Fixture(Outcome.ROTATED_HUGE, Duration.ZERO, 100, false);
        HttpServletRequest request = f.cookies("expired-1", "refresh-1");

        Credentials credentials = f.credentials(request);
        Resolution resolution = f.resolve(credentials);
        assertInstanceOf(Authenticated.class, resolution, "the resolver rotated");
        assertEquals(Refresh.ROTATED, resolution.refresh());

        InMemoryResponse response = new InMemoryResponse();
        Resolution applied = f.writer.apply(f.exchange(request, response, credentials), resolution);

        assertInstanceOf(Resolution.NoVerdict.class, applied, "the fallback: no verdict on the new session");
        assertEquals(Refresh.UNAVAILABLE, applied.refresh());
        assertNull(applied.sessionOrNull());
        assertTrue(response.cookies().isEmpty(), "nothing written, nothing cleared: " + response.cookies());
    }

    @Test
    void refreshAheadOverTheBudgetKeepsThePresentedSession() {
        Fixture f = new Fixture(Outcome.ROTATED_HUGE, Duration.ofMinutes(10), 100, false);
        HttpServletRequest request = f.cookies("valid-1", "refresh-1");

        Credentials credentials = f.credentials(request);
        Resolution resolution = f.resolve(credentials);
        assertEquals(Refresh.ROTATED, resolution.refresh());

        InMemoryResponse response = new InMemoryResponse();
        Resolution applied = f.writer.apply(f.exchange(request, response, credentials), resolution);

        assertInstanceOf(Authenticated.class, applied, "the fallback keeps the still-valid session");
        assertEquals("valid-1", applied.sessionOrNull().token());
        assertEquals(Refresh.UNAVAILABLE, applied.refresh());
        assertTrue(response.cookies().isEmpty(), "nothing written, nothing cleared: " + response.cookies());
    }

    // ---------------------------------------------------------------- refresh-ahead

    @Test
    void aValidTokenWithinRefreshAheadIsRotated() {
        Fixture f = new Fixture(Outcome.ROTATED, Duration.ofMinutes(10), 100, false);
        HttpServletRequest request = f.cookies("valid-1", "refresh-1");

        Credentials credentials = f.credentials(request);
        Resolution resolution = f.resolve(credentials);

        assertInstanceOf(Authenticated.class, resolution);
        assertEquals(Refresh.ROTATED, resolution.refresh());
        assertEquals("valid-2", resolution.sessionOrNull().token());
        assertInstanceOf(CookieWrite.Tokens.class, ((Authenticated) resolution).write());
        assertEquals(1, f.validator.refreshes.size());
        InMemoryResponse response = f.apply(request, credentials, resolution);
        assertEquals("valid-2", response.cookie(f.codec.accessCookieName(false)).orElseThrow().getValue());
        assertEquals("refresh-2", response.cookie(f.codec.refreshCookieName(false)).orElseThrow().getValue());
    }

    @Test
    void aValidTokenExactlyAtTheRefreshAheadMarkIsRotated() {
        Fixture f = new Fixture(Outcome.ROTATED, VALID_FOR, 100, false);
        Resolution resolution = f.resolve(f.credentials(f.cookies("valid-1", "refresh-1")));
        assertEquals(Refresh.ROTATED, resolution.refresh());
        assertEquals("valid-2", resolution.sessionOrNull().token());
    }

    @Test
    void aValidTokenOutsideRefreshAheadIsNotRotated() {
        Fixture f = new Fixture(Outcome.ROTATED, VALID_FOR.minusSeconds(1), 100, false);
        Resolution resolution = f.resolve(f.credentials(f.cookies("valid-1", "refresh-1")));
        assertInstanceOf(Authenticated.class, resolution);
        assertEquals(Refresh.NONE, resolution.refresh());
        assertEquals("valid-1", resolution.sessionOrNull().token());
        assertTrue(f.validator.refreshes.isEmpty(), "the backend is not asked");
    }

    @Test
    void withoutRefreshAheadAValidTokenIsNeverRotated() {
        Fixture f = new Fixture(Outcome.ROTATED, Duration.ZERO, 100, false);
        Resolution resolution = f.resolve(f.credentials(f.cookies("valid-1", "refresh-1")));
        assertEquals(Refresh.NONE, resolution.refresh());
        assertEquals("valid-1", resolution.sessionOrNull().token());
        assertTrue(f.validator.refreshes.isEmpty());
    }

    @Test
    void refreshAheadIsNotTriedWhereRefreshIsNotAllowed() {
        Fixture f = new Fixture(Outcome.ROTATED, Duration.ofMinutes(10), 100, false);
        Credentials credentials = f.credentials(f.cookies("valid-1", "refresh-1"));
        Resolution resolution = f.resolver.resolve(credentials, false, Resolver.Where.of("/app", "127.0.0.1"));
        assertEquals(Refresh.NONE, resolution.refresh());
        assertEquals("valid-1", resolution.sessionOrNull().token());
        assertTrue(f.validator.refreshes.isEmpty());
    }

    @Test
    void refreshAheadWithoutAVerdictKeepsTheValidSessionAndClearsNothing() {
        Fixture f = new Fixture(Outcome.UNAVAILABLE, Duration.ofMinutes(10), 100, false);
        HttpServletRequest request = f.cookies("valid-1", "refresh-1");
        Credentials credentials = f.credentials(request);
        Resolution resolution = f.resolve(credentials);

        assertInstanceOf(Authenticated.class, resolution);
        assertEquals(Refresh.UNAVAILABLE, resolution.refresh());
        assertEquals("valid-1", resolution.sessionOrNull().token());
        assertTrue(f.apply(request, credentials, resolution).cookies().isEmpty());
    }

    @Test
    void refreshAheadRefusedRevokesTheValidTokenAndEnds() {
        Fixture f = new Fixture(Outcome.REFUSED, Duration.ofMinutes(10), 100, false);
        HttpServletRequest request = f.cookies("valid-1", "refresh-1");
        Credentials credentials = f.credentials(request);
        Resolution resolution = f.resolve(credentials);

        assertInstanceOf(Resolution.Ended.class, resolution);
        assertTrue(f.revocations.isRevoked("valid-1"), "a refused chain takes its still-valid token with it");
        InMemoryResponse response = f.apply(request, credentials, resolution);
        assertEquals(0, response.cookie(f.codec.accessCookieName(false)).orElseThrow().getMaxAge(), "cleared");
    }

    // ---------------------------------------------------------------- sealed cookies

    @Test
    void aSealedRotationIsOpenedBeforeTheResolverAndSealedByTheWriter() {
        Fixture f = new Fixture(Outcome.ROTATED, Duration.ZERO, 100, true);
        HttpServletRequest request = f.cookies("expired-1", "refresh-1");
        Credentials credentials = f.credentials(request);
        Resolution resolution = f.resolve(credentials);

        assertEquals(List.of("expired-1", "valid-2"), f.validator.validated, "the validator sees opened tokens only");
        assertEquals(List.of("refresh-1"), f.validator.refreshes, "the backend sees the opened refresh token");
        assertEquals("valid-2", resolution.sessionOrNull().token());
        InMemoryResponse response = f.apply(request, credentials, resolution);
        String access = response.cookie(f.codec.accessCookieName(false)).orElseThrow().getValue();
        String refresh = response.cookie(f.codec.refreshCookieName(false)).orElseThrow().getValue();
        assertNotEquals("valid-2", access);
        assertNotEquals("refresh-2", refresh);
        assertEquals(Optional.of("valid-2"), f.seal.orElseThrow().open(access));
        assertEquals(Optional.of("refresh-2"), f.seal.orElseThrow().open(refresh));
    }

    @Test
    void aRawAccessCookieWhereSealingIsOnIsInvalidAndCleared() {
        Fixture f = new Fixture(Outcome.ROTATED, Duration.ZERO, 100, true);
        InMemoryRequest raw = InMemoryRequest.get("/app").cookie(f.codec.accessCookieName(false), "valid-1");
        HttpServletRequest request = raw.build();
        Credentials credentials = f.credentials(request);
        Resolution resolution = f.resolve(credentials);

        assertFalse(f.validator.validated.contains("valid-1"), "an unsealed value is never taken as a token");
        assertInstanceOf(Resolution.Anonymous.class, resolution);
        assertInstanceOf(CookieWrite.ClearAll.class, ((Resolution.Anonymous) resolution).write());
        assertEquals(0, f.apply(request, credentials, resolution).cookie(f.codec.accessCookieName(false))
                .orElseThrow().getMaxAge());
    }

    @Test
    void aSealedRefreshCookieThatDoesNotOpenIsNoRefreshToken() {
        Fixture f = new Fixture(Outcome.ROTATED, Duration.ZERO, 100, true);
        HttpServletRequest request = InMemoryRequest.get("/app")
                .cookie(f.codec.accessCookieName(false), f.seal.orElseThrow().seal("expired-1"))
                .cookie(f.codec.refreshCookieName(false), "refresh-1").build();
        Resolution resolution = f.resolve(f.credentials(request));

        assertTrue(f.validator.refreshes.isEmpty(), "the backend is never asked with an unopened value");
        assertInstanceOf(Resolution.Anonymous.class, resolution);
        assertEquals(Refresh.NONE, resolution.refresh());
    }

    // ---------------------------------------------------------------- fixture

    /** One case's collaborators, all real but the validator. */
    static final class Fixture {
        final MutableClock clock = new MutableClock();
        final EdgeValidator validator;
        final Revocations revocations;
        final AtomicInteger storeFull = new AtomicInteger();
        final Optional<CookieSeal> seal;
        final CookieCodec codec = new CookieCodec(CookieSettings.defaults(), false, false);
        final Resolver resolver;
        final SessionWriter writer;

        /**
         * @param revocationCapacity room of the revocation list (a full one cannot record a refusal)
         */
        Fixture(Outcome outcome, Duration refreshAhead, int revocationCapacity, boolean sealed) {
            validator = new EdgeValidator(clock, outcome);
            GateConfig.Builder config = GateConfig.builder().validator(validator).clock(clock).refreshAhead(refreshAhead);
            if (sealed) {
                config.cookieSeal(CookieSealSettings.builder().key("k1", SEAL_KEY).build());
            }
            GateConfig built = config.build();
            seal = Features.of(built).cookieSeal();
            GateMetrics metrics = new GateMetrics(clock);
            revocations = new Revocations(new InMemoryExpiringStore<>(revocationCapacity, clock), Duration.ZERO, clock);
            Validations validations = new Validations(validator,
                    new ValidationCache(new InMemoryExpiringStore<>(100, clock), Duration.ofSeconds(30), clock),
                    new Bulkhead(4), Duration.ofSeconds(1), revocations);
            GraceMemo memo = new GraceMemo(new InMemoryExpiringStore<>(100, clock), new InMemoryExpiringStore<>(100, clock),
                    new InMemoryExpiringStore<>(100, clock), InMemoryExpiringStore.evicting(100, clock),
                    new InMemoryExpiringStore<>(100, clock), new InMemoryExpiringStore<>(100, clock),
                    Duration.ofSeconds(30), Duration.ZERO, clock);
            Refresher refresher = new Refresher(validator, validations, memo, new Bulkhead(4), Duration.ofSeconds(1));
            AuditLog audit = new AuditLog(List.of(), clock);
            resolver = new Resolver(validations, refresher, Optional.empty(), Optional.empty(), audit, metrics,
                    built.refreshAhead(), clock, storeFull::incrementAndGet);
            writer = new SessionWriter(codec, seal, audit, metrics);
        }

        /** A request with these session cookies, sealed when sealing is on. */
        HttpServletRequest cookies(String access, String refresh) {
            return InMemoryRequest.get("/app")
                    .cookie(codec.accessCookieName(false), seal.map(s -> s.seal(access)).orElse(access))
                    .cookie(codec.refreshCookieName(false), seal.map(s -> s.seal(refresh)).orElse(refresh)).build();
        }

        Credentials credentials(HttpServletRequest request) {
            return Credentials.read(request, codec, false, true, seal.orElse(null));
        }

        Resolution resolve(Credentials credentials) {
            return resolver.resolve(credentials, true, Resolver.Where.of("/app", "127.0.0.1"));
        }

        Exchange exchange(HttpServletRequest request, InMemoryResponse response, Credentials credentials) {
            return new Exchange(request, response.servlet(), "/app", new RequestOrigin("http", "localhost", 8080,
                    "127.0.0.1"), false, credentials);
        }

        /** Applies {@code resolution}, asserting it fit the budget; the response it wrote. */
        InMemoryResponse apply(HttpServletRequest request, Credentials credentials, Resolution resolution) {
            InMemoryResponse response = new InMemoryResponse();
            assertEquals(resolution, writer.apply(exchange(request, response, credentials), resolution));
            return response;
        }
    }

    /** Answers by the token's prefix (valid ones expire {@link #VALID_FOR} from now) and records what it is asked. */
    static final class EdgeValidator extends TokenValidator {
        final List<String> validated = new ArrayList<>();
        final List<String> refreshes = new ArrayList<>();
        private final MutableClock clock;
        private final Outcome outcome;

        EdgeValidator(MutableClock clock, Outcome outcome) {
            this.clock = clock;
            this.outcome = outcome;
        }

        @Override
        protected ValidationResult doValidate(String token) {
            validated.add(token);
            if (token.startsWith("valid-")) {
                return ValidationResult.valid(Session.builder("alice", token).expiresAt(clock.instant().plus(VALID_FOR)).build());
            } else if (token.startsWith("expired-")) {
                return ValidationResult.expired();
            }
            return ValidationResult.invalid(ValidationResult.Reason.BAD_SIGNATURE);
        }

        @Override
        protected RefreshResult doRefresh(String refreshToken) {
            refreshes.add(refreshToken);
            return switch (outcome) {
                case ROTATED -> RefreshResult.refreshed(new TokenPair("valid-2", "refresh-2", null));
                case ROTATED_HUGE -> RefreshResult.refreshed(new TokenPair("valid-2" + "x".repeat(8000), "refresh-2", null));
                case REFUSED -> RefreshResult.refused();
                case UNAVAILABLE -> RefreshResult.unavailable("backend down");
            };
        }
    }
}
