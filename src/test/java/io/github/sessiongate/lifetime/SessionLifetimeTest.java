package io.github.sessiongate.lifetime;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.LifetimeSettings;
import static io.github.sessiongate.LifetimeSettings.PARAM_ABSOLUTE_TIMEOUT;
import static io.github.sessiongate.LifetimeSettings.PARAM_IDLE_TIMEOUT;
import static io.github.sessiongate.LifetimeSettings.PARAM_SIGNING_SECRET;
import static io.github.sessiongate.LifetimeSettings.PARAM_SLIDING_EXPIRY;
import static io.github.sessiongate.LifetimeSettings.PARAM_SLIDING_INTERVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.lifetime.SessionLifetime.Verdict;
import io.github.sessiongate.lifetime.SessionLifetime.Verdict.Kind;
import io.github.sessiongate.secret.HmacSecret;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every verdict of the meta cookie, on a clock moved by hand. */
class SessionLifetimeTest {
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    static final String SECRET = "meta-signing-secret-0123456789ab";
    static final String OTHER_SECRET = "another-meta-secret-0123456789ab";

    private final MutableClock clock = new MutableClock(NOW);
    /** idle 30m, absolute 12h, interval 1m. */
    private final SessionLifetime lifetime = lifetime(PARAM_IDLE_TIMEOUT, "30m", PARAM_ABSOLUTE_TIMEOUT, "12h");

    static InitParams params(String... nameValues) {
        Map<String, String> raw = new HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            raw.put(nameValues[i], nameValues[i + 1]);
        }
        return InitParams.resolve(raw, k -> null, k -> null);
    }

    private SessionLifetime lifetime(String... settings) {
        return lifetimeWith(SECRET, settings);
    }

    private SessionLifetime lifetimeWith(String secret, String... settings) {
        List<String> all = new ArrayList<>(List.of(PARAM_SIGNING_SECRET, secret));
        all.addAll(List.of(settings));
        return FromParams.lifetime(params(all.toArray(new String[0])), clock, List.of()).orElseThrow();
    }

    private static ConfigException refused(String... settings) {
        return assertThrows(ConfigException.class,
                () -> FromParams.lifetime(params(settings), new MutableClock(NOW), List.of()));
    }

    /** The documented format, built independently of the implementation. */
    static String forge(String secret, int version, String subject, long first, long last) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update("sessiongate/meta/subject\0".getBytes(StandardCharsets.US_ASCII));
        byte[] tag = Arrays.copyOf(mac.doFinal(subject.getBytes(StandardCharsets.UTF_8)), 16);
        ByteBuffer body = ByteBuffer.allocate(33).put((byte) version).put(tag).putLong(first).putLong(last);
        mac.update("sessiongate/meta/v1\0".getBytes(StandardCharsets.US_ASCII));
        byte[] sig = mac.doFinal(body.array());
        byte[] all = ByteBuffer.allocate(65).put(body.array()).put(sig).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(all);
    }

    private static long at(Duration fromNow) {
        return NOW.plus(fromNow).getEpochSecond();
    }

    // ------------------------------------------------------------------ start and ALIVE

    @Test
    void startedMetaIsAliveForItsSubjectAndFollowsTheDocumentedFormat() throws Exception {
        String meta = lifetime.start("alice");
        assertEquals(87, meta.length());
        assertTrue(meta.matches("[A-Za-z0-9_-]{87}"), meta);
        assertEquals(forge(SECRET, 1, "alice", NOW.getEpochSecond(), NOW.getEpochSecond()), meta);
        Verdict v = lifetime.check(meta, "alice");
        assertEquals(Kind.ALIVE, v.kind());
        assertEquals(Optional.of(NOW), v.firstLogin());
        assertEquals(Optional.of(NOW), v.lastActivity());
        assertTrue(v.subjectChecked());
        assertFalse(v.mustSignIn());
    }

    @Test
    void withoutASubjectOnlyIntegrityAndTimesAreChecked() {
        String meta = lifetime.start("alice");
        Verdict v = lifetime.check(meta, null);
        assertEquals(Kind.ALIVE, v.kind());
        assertFalse(v.subjectChecked());
        assertFalse(v.mustSignIn());
        clock.advance(Duration.ofMinutes(30));
        assertEquals(Kind.IDLE_EXPIRED, lifetime.check(meta, null).kind());
    }

    // ------------------------------------------------------------------ MISSING

    @Test
    void absentMetaIsMissingWithNoTimesAndNeedsNoSignIn() {
        // What the filter does with MISSING (serve a valid token, start no record, allow no refresh)
        // is the engine's rule: EndpointScenarios.validTokensWithoutAMetaCookiePassButStartNoLifetimeAndCannotRefresh.
        for (String absent : Arrays.asList(null, "")) {
            Verdict v = lifetime.check(absent, "alice");
            assertEquals(Kind.MISSING, v.kind());
            assertEquals(Optional.empty(), v.firstLogin());
            assertFalse(v.mustSignIn());
            assertEquals(Kind.MISSING, lifetime.check(absent, null).kind());
        }
    }

    @Test
    void genuineMetaOfAnotherSubjectIsMissingNotInvalid() {
        String alices = lifetime.start("alice");
        Verdict v = lifetime.check(alices, "bob");
        assertEquals(Kind.MISSING, v.kind(), "another subject's genuine record is not this session's, and not tampered");
        assertFalse(v.mustSignIn());
        assertEquals(Kind.ALIVE, lifetime.check(lifetime.start("bob"), "bob").kind());
        assertEquals(Optional.empty(), lifetime.touch(alices, "bob"));
    }

    // ------------------------------------------------------------------ INVALID

    @Test
    void everyTamperedCharacterMakesTheMetaInvalidEvenInTheSpareBits() {
        String meta = lifetime.start("alice");
        for (int i = 0; i < meta.length(); i++) {
            char c = meta.charAt(i);
            String tampered = meta.substring(0, i) + (c == 'A' ? 'B' : 'A') + meta.substring(i + 1);
            Verdict v = lifetime.check(tampered, "alice");
            assertEquals(Kind.INVALID, v.kind(), "position " + i);
            assertTrue(v.mustSignIn());
            assertEquals(Kind.INVALID, lifetime.check(tampered, null).kind());
        }
    }

    @Test
    void nonCanonicalSpellingOfAGenuineMetaIsInvalid() {
        String meta = lifetime.start("alice");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(meta.charAt(meta.length() - 1));
        assertEquals(0, last & 3, "65 bytes leave two spare bits in the last character");
        for (int spare = 1; spare <= 3; spare++) {
            String variant = meta.substring(0, meta.length() - 1) + alphabet.charAt(last | spare);
            assertEquals(Kind.INVALID, lifetime.check(variant, "alice").kind());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "not-base64-at-all!", "====", "%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%"
            + "%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig"})
    void garbageIsInvalidAndNeverThrows(String garbage) {
        assertEquals(Kind.INVALID, lifetime.check(garbage, "alice").kind());
    }

    @Test
    void truncatedExtendedPaddedOrStandardAlphabetMetaIsInvalid() {
        String meta = lifetime.start("alice");
        assertEquals(Kind.INVALID, lifetime.check(meta.substring(1), "alice").kind());
        assertEquals(Kind.INVALID, lifetime.check(meta + "A", "alice").kind());
        assertEquals(Kind.INVALID, lifetime.check(meta + "=", "alice").kind());
        assertEquals(Kind.INVALID, lifetime.check(meta.replace('-', '+').replace('_', '/') + "==", "alice").kind());
    }

    @Test
    void metaSignedWithAnotherSecretIsInvalidSoRotationSignsEveryoneOut() {
        String old = lifetimeWith(OTHER_SECRET, PARAM_IDLE_TIMEOUT, "30m").start("alice");
        assertEquals(Kind.INVALID, lifetime.check(old, "alice").kind());
    }

    @Test
    void genuineMacWithAnotherVersionOrImpossibleTimesIsInvalid() throws Exception {
        long now = NOW.getEpochSecond();
        assertEquals(Kind.INVALID, lifetime.check(forge(SECRET, 2, "alice", now, now), "alice").kind());
        assertEquals(Kind.INVALID, lifetime.check(forge(SECRET, 0, "alice", now, now), "alice").kind());
        assertEquals(Kind.INVALID, lifetime.check(forge(SECRET, 1, "alice", now, now - 1), "alice").kind(),
                "last activity before first login");
        assertEquals(Kind.INVALID, lifetime.check(forge(SECRET, 1, "alice", now, at(Duration.ofMinutes(6))), "alice")
                .kind(), "activity in the future");
        assertEquals(Kind.ALIVE, lifetime.check(forge(SECRET, 1, "alice", now, at(Duration.ofMinutes(5))), "alice")
                .kind(), "another node's clock may be a little ahead");
    }

    // ------------------------------------------------------------------ IDLE_EXPIRED and ABSOLUTE_EXPIRED

    @Test
    void idleTimeoutExpiresExactlyAfterTheIdleTime() {
        String meta = lifetime.start("alice");
        clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        assertEquals(Kind.ALIVE, lifetime.check(meta, "alice").kind());
        clock.advance(Duration.ofSeconds(1));
        Verdict v = lifetime.check(meta, "alice");
        assertEquals(Kind.IDLE_EXPIRED, v.kind());
        assertEquals(Optional.of(NOW), v.lastActivity());
        assertTrue(v.mustSignIn());
        assertEquals(Optional.empty(), lifetime.touch(meta, "alice"), "an expired session is not revived");
    }

    @Test
    void activityKeepsTheSessionAliveUntilTheAbsoluteTimeout() {
        String meta = lifetime.start("alice");
        for (int minutes = 10; minutes < 12 * 60; minutes += 10) {
            clock.advance(Duration.ofMinutes(10));
            assertEquals(Kind.ALIVE, lifetime.check(meta, "alice").kind(), minutes + " minutes");
            meta = lifetime.touch(meta, "alice").orElseThrow();
        }
        assertEquals(Optional.of(NOW), lifetime.check(meta, "alice").firstLogin(), "touch keeps the first login");
        clock.set(NOW.plus(Duration.ofHours(12)).minusSeconds(1));
        assertEquals(Kind.ALIVE, lifetime.check(meta, "alice").kind());
        clock.advance(Duration.ofSeconds(1));
        Verdict v = lifetime.check(meta, "alice");
        assertEquals(Kind.ABSOLUTE_EXPIRED, v.kind());
        assertTrue(v.mustSignIn());
    }

    @Test
    void absoluteTimeoutIsReportedWhenBothHavePassed() {
        String meta = lifetime.start("alice");
        clock.advance(Duration.ofDays(1));
        assertEquals(Kind.ABSOLUTE_EXPIRED, lifetime.check(meta, "alice").kind());
    }

    @Test
    void absoluteOnlyNeverExpiresForIdlenessAndNeverNeedsATouch() {
        SessionLifetime absolute = lifetime(PARAM_ABSOLUTE_TIMEOUT, "8h");
        String meta = absolute.start("alice");
        clock.advance(Duration.ofHours(7));
        assertEquals(Kind.ALIVE, absolute.check(meta, "alice").kind());
        assertEquals(Optional.empty(), absolute.touch(meta, "alice"));
        clock.advance(Duration.ofHours(1));
        assertEquals(Kind.ABSOLUTE_EXPIRED, absolute.check(meta, "alice").kind());
    }

    @Test
    void idleOnlyHasNoAbsoluteLimit() {
        SessionLifetime idle = lifetime(PARAM_IDLE_TIMEOUT, "15m");
        String meta = idle.start("alice");
        for (int i = 0; i < 400; i++) {
            clock.advance(Duration.ofMinutes(14));
            meta = idle.touch(meta, "alice").orElseThrow();
        }
        assertEquals(Kind.ALIVE, idle.check(meta, "alice").kind());
    }

    // ------------------------------------------------------------------ start with a login time

    @Test
    void startWithTheLoginTimeBindsTheAbsoluteTimeout() {
        String meta = lifetime.start("alice", NOW.minus(Duration.ofHours(11)));
        Verdict v = lifetime.check(meta, "alice");
        assertEquals(Kind.ALIVE, v.kind());
        assertEquals(Optional.of(NOW.minus(Duration.ofHours(11))), v.firstLogin());
        assertEquals(Optional.of(NOW), v.lastActivity());
        clock.advance(Duration.ofHours(1));
        assertEquals(Kind.ABSOLUTE_EXPIRED, lifetime.check(meta, "alice").kind());

        assertEquals(Kind.ABSOLUTE_EXPIRED, lifetime.check(lifetime.start("bob", NOW.minus(Duration.ofDays(2))), "bob")
                .kind(), "a login longer ago than the absolute timeout");
        assertEquals(Optional.of(clock.instant()), lifetime.check(lifetime.start("carol", clock.instant()
                .plus(Duration.ofHours(1))), "carol").firstLogin(), "never later than now");
    }

    // ------------------------------------------------------------------ touch

    @Test
    void touchRecordsActivityAtMostOncePerInterval() {
        String meta = lifetime.start("alice");
        clock.advance(Duration.ofSeconds(59));
        assertEquals(Optional.empty(), lifetime.touch(meta, "alice"));
        clock.advance(Duration.ofSeconds(1));
        String touched = lifetime.touch(meta, "alice").orElseThrow();
        Verdict v = lifetime.check(touched, "alice");
        assertEquals(Optional.of(NOW), v.firstLogin());
        assertEquals(Optional.of(NOW.plusSeconds(60)), v.lastActivity());
        assertEquals(Optional.empty(), lifetime.touch(touched, "alice"), "just recorded");
    }

    @Test
    void touchGivesNothingForInvalidMissingOrForeignMeta() {
        assertEquals(Optional.empty(), lifetime.touch(null, "alice"));
        assertEquals(Optional.empty(), lifetime.touch("garbage", "alice"));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Optional.empty(), lifetime.touch(lifetimeWith(OTHER_SECRET, PARAM_IDLE_TIMEOUT, "30m")
                .start("alice"), "alice"));
    }

    @Test
    void sessionMayBeJudgedIdleUpToOneIntervalEarlyButNeverLate() {
        SessionLifetime idle = lifetime(PARAM_IDLE_TIMEOUT, "10m", PARAM_SLIDING_INTERVAL, "5m");
        String meta = idle.start("alice");
        clock.advance(Duration.ofMinutes(4).plusSeconds(59)); // activity, not recorded: within the interval
        assertEquals(Optional.empty(), idle.touch(meta, "alice"));
        clock.set(NOW.plus(Duration.ofMinutes(10)));
        assertEquals(Kind.IDLE_EXPIRED, idle.check(meta, "alice").kind(), "5m01s after the last request");
    }

    // ------------------------------------------------------------------ sliding expiry

    @Test
    void slidingExpiryIsEnforcedHereAndGivesTheCookieMaxAge() {
        SessionLifetime sliding = lifetime(PARAM_SLIDING_EXPIRY, "15m");
        String meta = sliding.start("alice");
        assertEquals(Optional.of(Duration.ofMinutes(15)), sliding.slidingMaxAge(meta));
        clock.advance(Duration.ofMinutes(10));
        meta = sliding.touch(meta, "alice").orElseThrow();
        assertEquals(Optional.of(Duration.ofMinutes(15)), sliding.slidingMaxAge(meta));
        clock.advance(Duration.ofMinutes(15));
        assertEquals(Kind.IDLE_EXPIRED, sliding.check(meta, "alice").kind());
        assertEquals(Optional.empty(), sliding.slidingMaxAge(meta), "not alive");
    }

    @Test
    void slidingMaxAgeNeverOutlivesTheAbsoluteTimeout() {
        SessionLifetime both = lifetime(PARAM_SLIDING_EXPIRY, "15m", PARAM_ABSOLUTE_TIMEOUT, "1h");
        String meta = both.start("alice");
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(10));
            meta = both.touch(meta, "alice").orElseThrow();
        }
        assertEquals(Optional.of(Duration.ofMinutes(10)), both.slidingMaxAge(meta), "50 minutes in, 10 left");
    }

    @Test
    void slidingMaxAgeIsEmptyWithoutSlidingExpiryOrForABadMeta() {
        assertEquals(Optional.empty(), lifetime.slidingMaxAge(lifetime.start("alice")));
        SessionLifetime sliding = lifetime(PARAM_SLIDING_EXPIRY, "15m");
        assertEquals(Optional.empty(), sliding.slidingMaxAge(null));
        assertEquals(Optional.empty(), sliding.slidingMaxAge("garbage"));
    }

    @Test
    void theShorterOfIdleTimeoutAndSlidingExpiryApplies() {
        SessionLifetime both = lifetime(PARAM_IDLE_TIMEOUT, "10m", PARAM_SLIDING_EXPIRY, "15m");
        String meta = both.start("alice");
        clock.advance(Duration.ofMinutes(10));
        assertEquals(Kind.IDLE_EXPIRED, both.check(meta, "alice").kind());
        SessionLifetime shorterSliding = lifetime(PARAM_IDLE_TIMEOUT, "30m", PARAM_SLIDING_EXPIRY, "15m");
        String other = shorterSliding.start("alice");
        clock.advance(Duration.ofMinutes(15));
        assertEquals(Kind.IDLE_EXPIRED, shorterSliding.check(other, "alice").kind());
    }

    // ------------------------------------------------------------------ programmer errors, threads, logs

    @Test
    void blankOrNullSubjectIsAProgrammerError() {
        String meta = lifetime.start("alice");
        assertThrows(NullPointerException.class, () -> lifetime.start(null));
        assertThrows(IllegalArgumentException.class, () -> lifetime.start(" "));
        assertThrows(IllegalArgumentException.class, () -> lifetime.check(meta, ""));
        assertThrows(NullPointerException.class, () -> lifetime.touch(meta, null));
    }

    @Test
    void concurrentUseGivesConsistentAnswers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String subject = "user-" + t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        String meta = lifetime.start(subject);
                        if (lifetime.check(meta, subject).kind() != Kind.ALIVE
                                || lifetime.check(meta, subject + "x").kind() != Kind.MISSING) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void nothingLoggedShowsAMetaValueOrTheSecret() throws Exception {
        String log;
        String meta;
        try (LogCapture capture = new LogCapture(SessionLifetime.class)) {
            SessionLifetime l = lifetime(PARAM_IDLE_TIMEOUT, "30m");
            meta = l.start("alice");
            l.check(meta, "alice");
            l.check(meta, "bob");
            l.check(meta + "x", "alice");
            clock.advance(Duration.ofHours(1));
            l.check(meta, "alice");
            log = capture.text();
        }
        assertTrue(log.contains("ready") && log.contains("IDLE_EXPIRED") && log.contains("INVALID"), log);
        assertFalse(log.contains(SECRET) || log.contains(meta.substring(0, 16)) || log.contains(meta.substring(60)), log);
    }

    @Test
    void describeAndVerdictToStringShowNoSecret() {
        String d = lifetime.describe();
        assertEquals("SessionLifetime[idle=PT30M, absolute=PT12H, sliding=off, interval=PT1M, secret=[PROTECTED]]", d);
        assertEquals(d, lifetime.toString());
        assertTrue(lifetime.check(lifetime.start("alice"), null).toString().contains("subject not checked"));
    }

    // ------------------------------------------------------------------ configuration

    @Test
    void offByDefaultOrWhenSaidSo() {
        assertEquals(Optional.empty(), FromParams.lifetime(params(), clock, List.of()));
        assertEquals(Optional.empty(), FromParams.lifetime(params(PARAM_IDLE_TIMEOUT, "off",
                PARAM_ABSOLUTE_TIMEOUT, "OFF", PARAM_SLIDING_EXPIRY, "Off"), clock, List.of()));
    }

    @Test
    void everyParameterIsReadAndTheSettingsApply() {
        InitParams p = params(PARAM_SIGNING_SECRET, SECRET, PARAM_IDLE_TIMEOUT, "20m", PARAM_ABSOLUTE_TIMEOUT, "P1D",
                PARAM_SLIDING_EXPIRY, "30m", PARAM_SLIDING_INTERVAL, "30s");
        SessionLifetime l = FromParams.lifetime(p, clock, List.of()).orElseThrow();
        assertEquals(Set.of(), p.unread());
        assertEquals(Optional.of(Duration.ofMinutes(20)), l.idleTimeout());
        assertEquals(Optional.of(Duration.ofDays(1)), l.absoluteTimeout());
        assertEquals(Optional.of(Duration.ofMinutes(30)), l.slidingExpiry());
        assertEquals(Duration.ofSeconds(30), l.slidingInterval());
        assertEquals(Duration.ofMinutes(1), lifetime.slidingInterval(), "the default");
    }

    @Test
    void secretOrIntervalWithoutAnyTimeoutIsRefused() {
        assertEquals(PARAM_SIGNING_SECRET, refused(PARAM_SIGNING_SECRET, SECRET).parameter());
        assertEquals(PARAM_SLIDING_INTERVAL, refused(PARAM_SLIDING_INTERVAL, "30s").parameter());
        assertEquals(PARAM_SLIDING_INTERVAL, refused(PARAM_SIGNING_SECRET, SECRET, PARAM_ABSOLUTE_TIMEOUT, "1h",
                PARAM_SLIDING_INTERVAL, "30s").parameter(), "an absolute timeout records no activity");
    }

    @Test
    void anyTimeoutRequiresTheSigningSecret() {
        for (String timeout : List.of(PARAM_IDLE_TIMEOUT, PARAM_ABSOLUTE_TIMEOUT, PARAM_SLIDING_EXPIRY)) {
            ConfigException e = refused(timeout, "1h");
            assertEquals(PARAM_SIGNING_SECRET, e.parameter());
            assertTrue(e.getMessage().contains("is required"), e.getMessage());
        }
    }

    @Test
    void shortSecretIsRefused() {
        ConfigException e = refused(PARAM_IDLE_TIMEOUT, "30m", PARAM_SIGNING_SECRET, "31-bytes-0123456789abcdef012345");
        assertEquals(PARAM_SIGNING_SECRET, e.parameter());
        assertTrue(e.getMessage().contains("31 bytes"), e.getMessage());
        assertEquals(PARAM_SIGNING_SECRET, refused(PARAM_IDLE_TIMEOUT, "30m", PARAM_SIGNING_SECRET, "base64:%%").parameter());
    }

    @Test
    void secretEqualToAnotherKeyOfTheFilterIsRefusedInConstantTime() {
        for (String other : List.of("jwt.secret", "guest-secret")) {
            ConfigException e = refused(PARAM_IDLE_TIMEOUT, "30m", PARAM_SIGNING_SECRET, SECRET, other, SECRET);
            assertEquals(PARAM_SIGNING_SECRET, e.parameter());
            assertTrue(e.getMessage().contains("must differ from " + other), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        }
        String base64 = "base64:" + Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
        assertEquals(PARAM_SIGNING_SECRET, refused(PARAM_IDLE_TIMEOUT, "30m", PARAM_SIGNING_SECRET, base64,
                "jwt.secret", SECRET).parameter());
        assertEquals(PARAM_SIGNING_SECRET, assertThrows(ConfigException.class, () -> FromParams.lifetime(
                params(PARAM_IDLE_TIMEOUT, "30m", PARAM_SIGNING_SECRET, SECRET), clock, List.of(OTHER_SECRET, SECRET)))
                .parameter());
    }

    @Test
    void idleTimeoutMustBeShorterThanTheAbsoluteTimeout() {
        assertEquals(PARAM_IDLE_TIMEOUT, refused(PARAM_SIGNING_SECRET, SECRET, PARAM_IDLE_TIMEOUT, "2h",
                PARAM_ABSOLUTE_TIMEOUT, "2h").parameter());
    }

    @Test
    void intervalMustBeAtMostHalfTheIdleTime() {
        ConfigException e = refused(PARAM_SIGNING_SECRET, SECRET, PARAM_IDLE_TIMEOUT, "1m");
        assertEquals(PARAM_SLIDING_INTERVAL, e.parameter());
        assertTrue(e.getMessage().contains(PARAM_IDLE_TIMEOUT) && e.getMessage().contains("early"), e.getMessage());
        assertEquals(PARAM_SLIDING_INTERVAL, refused(PARAM_SIGNING_SECRET, SECRET, PARAM_SLIDING_EXPIRY, "10m",
                PARAM_SLIDING_INTERVAL, "301s").parameter());
        lifetime(PARAM_IDLE_TIMEOUT, "1m", PARAM_SLIDING_INTERVAL, "30s");
        lifetime(PARAM_SLIDING_EXPIRY, "10m", PARAM_SLIDING_INTERVAL, "5m");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "idle-timeout|59s", "idle-timeout|31d", "idle-timeout|soon", "idle-timeout|90500ms",
            "absolute-timeout|30s", "absolute-timeout|401d", "sliding-expiry|0", "sliding-expiry|401d",
            "sliding-interval|0s", "sliding-interval|1500ms", "sliding-interval|2d"})
    void badValueFailsNamingTheParameter(String param, String value) {
        List<String> settings = new ArrayList<>(List.of(PARAM_SIGNING_SECRET, SECRET));
        if (!param.equals(PARAM_IDLE_TIMEOUT)) {
            settings.addAll(List.of(PARAM_IDLE_TIMEOUT, "1h"));
        }
        settings.addAll(List.of(param, value));
        assertEquals(param, refused(settings.toArray(new String[0])).parameter());
    }

    @Test
    void differentSecretsGiveDifferentMetas() {
        assertNotEquals(lifetime.start("alice"), lifetimeWith(OTHER_SECRET, PARAM_IDLE_TIMEOUT, "30m").start("alice"));
    }
}
