package io.github.sessiongate.engine;

import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.LifetimeSettings;
import io.github.sessiongate.GuestSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.github.sessiongate.guest.GuestTokens;
import io.github.sessiongate.lifetime.SessionLifetime;
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
import io.github.sessiongate.web.PrivateCacheResponse;
import io.github.sessiongate.web.RequestOrigin;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision table of {@link Resolver}, without a container: every combination of the presented
 * access token's validation result (a valid one within refresh-ahead of its expiry included), the
 * refresh outcome, the lifetime record, cookie or bearer, sealed cookies or not, and a guest cookie,
 * against the rules written out once more in {@link #expected}. Real collaborators (validations, refresher, stores, lifetime, guest tokens,
 * seal, codec; the features made as production makes them) over a hand-moved clock; the
 * {@link SessionWriter} applies each resolution to an in-memory response, so privacy headers and
 * "no verdict writes nothing" are checked too.
 *
 * <p>Sealing is no input of the resolver: the credentials step opens sealed cookies before it
 * and the writer seals after it. So {@link #expected} ignores {@code sealedCookies}, and the
 * dimension checks that pipeline around the resolver: the presented cookies really are sealed,
 * the validator and the backend only ever see opened tokens (a value that did not open would
 * turn every valid row invalid), and a rotation writes sealed cookies that open to the new pair.
 * What the table does not reach (FAILED_CLOSED, the over-budget fallback, refresh-ahead's
 * boundaries, sealed cookies that do not open) is in {@link ResolverEdgeTest}.
 */
class ResolverTableTest {
    /**
     * The presented access token's validation result. VALID expires in 5 minutes, past
     * {@link #REFRESH_AHEAD}; VALID_SOON in 1 minute, within it: it refreshes while still valid.
     */
    enum Validation { VALID, VALID_SOON, EXPIRED, INVALID, UNAVAILABLE, NONE }

    /** What the backend makes of the refresh token; NONE: no refresh token presented. */
    enum Outcome { ROTATED, REFUSED, UNAVAILABLE, UNSUPPORTED, NONE }

    /** The lifetime record: OFF (no server-enforced lifetime), ALIVE, OVER (idle timeout passed), another subject's. */
    enum Lifetime { OFF, ALIVE, OVER, OTHER_SUBJECT }

    enum Transport { COOKIE, BEARER }

    record Row(Validation validation, Outcome outcome, Lifetime lifetime, Transport transport, boolean sealedCookies,
            boolean guest) {
        @Override
        public String toString() {
            return validation + " access, refresh " + outcome + ", lifetime " + lifetime + ", " + transport
                    + (sealedCookies ? ", sealed cookies" : "") + (guest ? ", guest cookie" : "");
        }
    }

    /** What a row must resolve to; {@code after} is what the request carries on with once guests are resumed. */
    record Expected(Class<? extends Resolution> kind, Refresh refresh, Class<? extends CookieWrite> write,
            String accessToken, String after) { }

    static final String GUEST_SECRET = "guest-secret-0123456789abcdef-0123";
    static final String LIFETIME_SECRET = "meta-signing-secret-0123456789ab";
    static final String SEAL_KEY = Base64.getEncoder().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

    /** One clock for the class, set back to its start for each row (rows run one at a time). */
    static final MutableClock CLOCK = new MutableClock();
    /** A token as the validator hands it out or the fixture presents it, before sealing. */
    static final Pattern RAW = Pattern.compile("(valid|soon|expired|invalid|unavailable|refresh)-\\d");
    /**
     * The features as production makes them ({@link Features#of}: typed settings, every key checked
     * against every other), made once: stateless but for the clock. Idle timeout 30 minutes, no
     * sliding expiry; guests minted here (their plan needs no transport); one sealing key.
     */
    static final GateConfig CONFIG = GateConfig.builder()
            .validator(new TableValidator(CLOCK, Outcome.NONE))
            .clock(CLOCK)
            .refreshAhead(Duration.ofMinutes(2))
            .lifetime(LifetimeSettings.builder().idleTimeout(Duration.ofMinutes(30)).signingSecret(LIFETIME_SECRET).build())
            .guests(GuestSettings.builder().enabled(true).secret(GUEST_SECRET).build())
            .cookieSeal(CookieSealSettings.builder().key("k1", SEAL_KEY).build())
            .build();
    static final Features FEATURES = Features.of(CONFIG);
    /** Refresh a valid token this long before it expires: VALID_SOON is within, VALID is not. */
    static final Duration REFRESH_AHEAD = CONFIG.refreshAhead();
    static final SessionLifetime LIFETIME = FEATURES.lifetime().orElseThrow();
    static final GuestTokens GUESTS = FEATURES.guests().orElseThrow().apply(null);
    static final CookieSeal SEAL = FEATURES.cookieSeal().orElseThrow();

    static Stream<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (Validation v : Validation.values()) {
            for (Outcome o : Outcome.values()) {
                for (Lifetime l : Lifetime.values()) {
                    for (Transport t : Transport.values()) {
                        for (boolean sealed : new boolean[] {false, true}) {
                            for (boolean guest : new boolean[] {false, true}) {
                                rows.add(new Row(v, o, l, t, sealed, guest));
                            }
                        }
                    }
                }
            }
        }
        return rows.stream();
    }

    /** The rules, written out once more: what the resolver must decide for a row. */
    static Expected expected(Row row) {
        boolean bearer = row.transport() == Transport.BEARER && row.validation() != Validation.NONE;
        boolean access = row.validation() != Validation.NONE;
        boolean refreshToken = row.transport() == Transport.COOKIE && row.outcome() != Outcome.NONE;
        boolean lifetime = row.lifetime() != Lifetime.OFF && !bearer;
        boolean record = lifetime && row.transport() == Transport.COOKIE; // the lifetime cookie is presented
        boolean valid = row.validation() == Validation.VALID || row.validation() == Validation.VALID_SOON;
        String presented = row.validation() == Validation.VALID_SOON ? "soon-1" : "valid-1";
        // The valid session kept: an alive record of this subject is touched (the lifetime cookie alone:
        // no sliding expiry here); another subject's record starts nothing.
        Class<? extends CookieWrite> keptWrite = record && row.lifetime() == Lifetime.ALIVE
                ? CookieWrite.Lifetime.class : CookieWrite.Nothing.class;
        String guestAfter = row.guest() && !bearer ? "guest" : "none";

        if (lifetime && record && (access || refreshToken) && row.lifetime() == Lifetime.OVER) {
            return new Expected(Resolution.Ended.class, Refresh.ENDED, CookieWrite.ClearAll.class, null, guestAfter);
        }
        // Alive as far as can be told: without a subject, another subject's record reads alive.
        boolean alive = record && (row.lifetime() == Lifetime.ALIVE || row.lifetime() == Lifetime.OTHER_SUBJECT && !valid);
        boolean refreshing = refreshToken && switch (row.validation()) {
            case NONE, EXPIRED, INVALID, VALID_SOON -> true; // refresh-ahead: valid, but expiring within the window
            default -> false;
        };
        if (refreshing && lifetime && !alive) {
            return new Expected(Resolution.Ended.class, Refresh.ENDED, CookieWrite.ClearAll.class, null, guestAfter);
        }
        if (refreshing) {
            return switch (row.outcome()) {
                case ROTATED -> row.lifetime() == Lifetime.OTHER_SUBJECT
                        ? new Expected(Resolution.Ended.class, Refresh.ENDED, CookieWrite.ClearAll.class, null, guestAfter)
                        : new Expected(Authenticated.class, Refresh.ROTATED, CookieWrite.Tokens.class, "valid-2", "user");
                case REFUSED -> new Expected(Resolution.Ended.class, Refresh.ENDED, CookieWrite.ClearAll.class, null, guestAfter);
                // A transient failure or no refresh at all: a still-valid token keeps its session.
                case UNAVAILABLE -> valid
                        ? new Expected(Authenticated.class, Refresh.UNAVAILABLE, keptWrite, presented, "user")
                        : new Expected(Resolution.NoVerdict.class, Refresh.UNAVAILABLE, null, null, "none");
                case UNSUPPORTED -> valid
                        ? new Expected(Authenticated.class, Refresh.UNSUPPORTED, keptWrite, presented, "user")
                        : new Expected(Resolution.Anonymous.class, Refresh.UNSUPPORTED, CookieWrite.Nothing.class, null,
                                guestAfter);
                case NONE -> throw new AssertionError("no refresh token");
            };
        }
        if (row.validation() == Validation.INVALID && !bearer && !refreshToken) {
            return new Expected(Resolution.Anonymous.class, Refresh.NONE, CookieWrite.ClearAll.class, null, guestAfter);
        }
        if (row.validation() == Validation.UNAVAILABLE) {
            return new Expected(Resolution.NoVerdict.class, Refresh.NONE, null, null, "none");
        }
        if (!valid) {
            return new Expected(Resolution.Anonymous.class, Refresh.NONE, CookieWrite.Nothing.class, null, guestAfter);
        }
        return new Expected(Authenticated.class, Refresh.NONE, keptWrite, presented, "user");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void resolvesAsTheTableSays(Row row) {
        Fixture f = new Fixture(row);
        Expected want = expected(row);
        if (row.sealedCookies() && row.transport() == Transport.COOKIE) {
            for (Cookie c : f.request.getCookies() == null ? new Cookie[0] : f.request.getCookies()) {
                if (c.getName().equals(f.codec.accessCookieName(false)) || c.getName().equals(f.codec.refreshCookieName(false))) {
                    assertFalse(RAW.matcher(c.getValue()).matches(), "the presented cookie is sealed: " + c.getName());
                }
            }
        }

        Credentials credentials = Credentials.read(f.request, f.codec, false, true, f.seal.orElse(null));
        Resolution resolution = f.resolver.resolve(credentials, true, Resolver.Where.of("/app", "127.0.0.1"));

        assertInstanceOf(want.kind(), resolution, row.toString());
        assertEquals(want.refresh(), resolution.refresh(), "refresh");
        if (resolution instanceof Authenticated a) {
            assertInstanceOf(want.write(), a.write(), "write");
            assertEquals(want.accessToken(), a.session().token(), "session");
            assertFalse(a.session().isGuest());
            assertEquals(want.refresh() == Refresh.ROTATED, resolution.rotated());
        } else if (resolution instanceof Resolution.Anonymous a) {
            assertInstanceOf(want.write(), a.write(), "write");
        } else if (resolution instanceof Resolution.Ended e) {
            assertTrue(e.clearCookies(), "a cookie request's end clears its cookies");
            assertNull(resolution.sessionOrNull());
        } else {
            assertTrue(resolution.noVerdict());
        }

        // The writer applies it; then guests, as the request steps do.
        InMemoryResponse response = new InMemoryResponse();
        Exchange ex = new Exchange(f.request, response.servlet(), "/app", new RequestOrigin("http", "localhost", 8080,
                "127.0.0.1"), false, credentials);
        Resolution applied = f.writer.apply(ex, resolution);
        assertEquals(resolution, applied, "everything fits the budget");
        Session session = applied.sessionOrNull();
        if (session == null && !applied.noVerdict() && !credentials.fromBearer()) {
            session = f.writer.apply(ex, f.resolver.guest(credentials, false)).sessionOrNull();
        }
        assertEquals(want.after(), session == null ? "none" : session.isGuest() ? "guest" : "user", "after guests");
        for (String seen : f.validator.seen) {
            assertTrue(RAW.matcher(seen).matches(), "the validator and the backend see opened tokens only: " + seen);
        }

        if (resolution.noVerdict()) {
            assertTrue(response.cookies().isEmpty(), "no verdict writes and clears nothing: " + response.cookies());
        }
        if (!response.cookies().isEmpty()) {
            assertTrue(ex.out instanceof PrivateCacheResponse, "a response carrying cookies is private");
            assertEquals(Boolean.TRUE, f.request.getAttribute(Exchange.PRIVATE_ATTRIBUTE));
        }
        Optional<Cookie> accessCookie = response.cookie(f.codec.accessCookieName(false));
        if (resolution.rotated()) {
            String written = accessCookie.orElseThrow().getValue();
            String writtenRefresh = response.cookie(f.codec.refreshCookieName(false)).orElseThrow().getValue();
            if (row.sealedCookies()) {
                assertNotEquals("valid-2", written, "a sealed cookie never carries the raw token");
                assertNotEquals("refresh-2", writtenRefresh, "a sealed cookie never carries the raw token");
                assertEquals(Optional.of("valid-2"), f.seal.orElseThrow().open(written));
                assertEquals(Optional.of("refresh-2"), f.seal.orElseThrow().open(writtenRefresh));
            } else {
                assertEquals("valid-2", written);
                assertEquals("refresh-2", writtenRefresh);
            }
            assertEquals(1, f.metrics.readOnly().getRefreshesOk());
        }
        if (want.write() == CookieWrite.ClearAll.class) {
            assertEquals(0, accessCookie.map(Cookie::getMaxAge).orElse(0), "cleared");
        }
    }

    /** One row's collaborators, all real, over a clock moved by hand. */
    static final class Fixture {
        final MutableClock clock = CLOCK;
        final GateMetrics metrics;
        final Optional<SessionLifetime> lifetime;
        final Optional<GuestTokens> guests;
        final Optional<CookieSeal> seal;
        final CookieCodec codec;
        final TableValidator validator;
        final Resolver resolver;
        final SessionWriter writer;
        final HttpServletRequest request;

        Fixture(Row row) {
            clock.set(MutableClock.START);
            metrics = new GateMetrics(clock);
            lifetime = row.lifetime() == Lifetime.OFF ? Optional.empty() : Optional.of(LIFETIME);
            guests = row.guest() ? Optional.of(GUESTS) : Optional.empty();
            seal = row.sealedCookies() ? Optional.of(SEAL) : Optional.empty();
            codec = new CookieCodec(CookieSettings.defaults(), guests.isPresent(), lifetime.isPresent());
            validator = new TableValidator(clock, row.outcome());
            Validations validations = new Validations(validator,
                    new ValidationCache(new InMemoryExpiringStore<>(100, clock), Duration.ofSeconds(30), clock),
                    new Bulkhead(4), Duration.ofSeconds(1),
                    new Revocations(new InMemoryExpiringStore<>(100, clock), Duration.ZERO, clock));
            GraceMemo memo = new GraceMemo(new InMemoryExpiringStore<>(100, clock), new InMemoryExpiringStore<>(100, clock),
                    new InMemoryExpiringStore<>(100, clock), InMemoryExpiringStore.evicting(100, clock),
                    new InMemoryExpiringStore<>(100, clock), new InMemoryExpiringStore<>(100, clock),
                    Duration.ofSeconds(30), Duration.ZERO, clock);
            Refresher refresher = new Refresher(validator, validations, memo, new Bulkhead(4), Duration.ofSeconds(1));
            AuditLog audit = new AuditLog(List.of(), clock);
            resolver = new Resolver(validations, refresher, lifetime, guests, audit, metrics, REFRESH_AHEAD, clock, () -> { });
            writer = new SessionWriter(codec, seal, audit, metrics);
            request = request(row);
        }

        private HttpServletRequest request(Row row) {
            String access = switch (row.validation()) {
                case VALID -> "valid-1";
                case VALID_SOON -> "soon-1";
                case EXPIRED -> "expired-1";
                case INVALID -> "invalid-1";
                case UNAVAILABLE -> "unavailable-1";
                case NONE -> null;
            };
            InMemoryRequest r = InMemoryRequest.get("/app");
            if (row.transport() == Transport.BEARER) {
                if (access != null) {
                    r.header("Authorization", "Bearer " + access);
                }
            } else {
                if (access != null) {
                    r.cookie(codec.accessCookieName(false), sealed(access));
                }
                if (row.outcome() != Outcome.NONE) {
                    r.cookie(codec.refreshCookieName(false), sealed("refresh-1"));
                }
                if (lifetime.isPresent()) {
                    String subject = row.lifetime() == Lifetime.OTHER_SUBJECT ? "bob" : "alice";
                    r.cookie(codec.metaCookieName(false), lifetime.get().start(subject));
                }
            }
            if (guests.isPresent()) {
                r.cookie(codec.guestCookieName(false), guests.get().mint());
            }
            // The record was started 2 minutes ago (so it is touched now), or 31 (idle timeout passed).
            clock.advance(row.lifetime() == Lifetime.OVER ? Duration.ofMinutes(31) : Duration.ofMinutes(2));
            return r.build();
        }

        private String sealed(String token) {
            return seal.map(s -> s.seal(token)).orElse(token);
        }
    }

    /** Answers by the token's prefix; refreshes as the row says. */
    static final class TableValidator extends TokenValidator {
        /** Every token it was asked to validate or refresh with. */
        final List<String> seen = new ArrayList<>();
        private final MutableClock clock;
        private final Outcome outcome;

        TableValidator(MutableClock clock, Outcome outcome) {
            this.clock = clock;
            this.outcome = outcome;
        }

        @Override
        protected ValidationResult doValidate(String token) {
            seen.add(token);
            if (token.startsWith("valid-")) {
                return ValidationResult.valid(Session.builder("alice", token).expiresAt(clock.instant().plusSeconds(300)).build());
            } else if (token.startsWith("soon-")) {
                return ValidationResult.valid(Session.builder("alice", token).expiresAt(clock.instant().plusSeconds(60)).build());
            } else if (token.startsWith("expired-")) {
                return ValidationResult.expired();
            } else if (token.startsWith("unavailable-")) {
                return ValidationResult.unavailable("backend down");
            }
            return ValidationResult.invalid(ValidationResult.Reason.BAD_SIGNATURE);
        }

        @Override
        protected RefreshResult doRefresh(String refreshToken) {
            seen.add(refreshToken);
            return switch (outcome) {
                case ROTATED -> RefreshResult.refreshed(new TokenPair("valid-2", "refresh-2", null));
                case REFUSED -> RefreshResult.refused();
                case UNAVAILABLE -> RefreshResult.unavailable("backend down");
                case UNSUPPORTED, NONE -> RefreshResult.unsupported();
            };
        }
    }
}
