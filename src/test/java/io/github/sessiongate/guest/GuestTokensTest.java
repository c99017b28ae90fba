package io.github.sessiongate.guest;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.GuestSettings;
import static io.github.sessiongate.guest.GuestJwt.NOW;
import static io.github.sessiongate.guest.GuestJwt.OTHER_SECRET;
import static io.github.sessiongate.guest.GuestJwt.SECRET;
import static io.github.sessiongate.guest.GuestJwt.b64;
import static io.github.sessiongate.guest.GuestJwt.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.Session;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.secret.HmacSecret;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Guest tokens minted and verified here: real signed tokens, a clock moved by hand. */
class GuestTokensTest {
    private static final String JWT_SECRET = "jwt-secret-0123456789abcdef-0123";

    private final MutableClock clock = new MutableClock(NOW);
    private final GuestTokens guests = guests(clock);

    static InitParams params(String... nameValues) {
        Map<String, String> raw = new HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            raw.put(nameValues[i], nameValues[i + 1]);
        }
        return InitParams.resolve(raw, k -> null, k -> null);
    }

    private static GuestTokens guests(MutableClock clock, String... more) {
        String[] all = new String[more.length + 4];
        all[0] = GuestSettings.PARAM_ENABLED;
        all[1] = "true";
        all[2] = GuestSettings.PARAM_SECRET;
        all[3] = SECRET;
        System.arraycopy(more, 0, all, 4, more.length);
        return FromParams.guests(params(all), clock, List.of()).orElseThrow();
    }

    private static void assertRefused(Reason reason, ValidationResult result) {
        assertInstanceOf(ValidationResult.Invalid.class, result, result::toString);
        assertEquals(reason, ((ValidationResult.Invalid) result).reason());
    }

    private static Session valid(ValidationResult result) {
        assertInstanceOf(ValidationResult.Valid.class, result, result::toString);
        return ((ValidationResult.Valid) result).session();
    }

    // ------------------------------------------------------------------ round trip

    @Test
    void mintedTokenVerifiesAsAGuestWithoutRoles() throws Exception {
        String token = guests.mint();
        Session session = valid(guests.verify(token));
        assertTrue(session.isGuest());
        assertEquals(Set.of(), session.roles());
        assertTrue(session.subject().matches("guest:[A-Za-z0-9_-]{22}"), session.subject());
        assertEquals(Optional.of(NOW.plus(Duration.ofHours(1))), session.expiresAt());
        assertEquals(token, session.token());
        assertEquals(GuestTokens.ISSUER, session.claims().get("iss"));
        assertEquals(GuestTokens.AUDIENCE, session.claims().get("aud"));
        assertEquals(NOW.getEpochSecond(), ((Number) session.claims().get("iat")).longValue());
        assertTrue(session.claims().get("jti") instanceof String j && j.length() == 22);
        assertThrows(UnsupportedOperationException.class, () -> session.claims().put("x", 1));

        JsonWebStructure jws = JsonWebStructure.fromCompactSerialization(token);
        assertEquals("HS256", jws.getAlgorithmHeaderValue());
        assertEquals(GuestTokens.TYPE, jws.getHeader("typ"));
    }

    @Test
    void everyMintIsANewVisitor() {
        Session a = valid(guests.verify(guests.mint()));
        Session b = valid(guests.verify(guests.mint()));
        assertNotEquals(a.subject(), b.subject());
        assertNotEquals(a.claims().get("jti"), b.claims().get("jti"));
    }

    @Test
    void issueMintsLocallyWithTheTtlAsMaxAge() {
        assertTrue(guests.mintsLocally());
        GuestTokens.Issued issued = guests.issue().orElseThrow();
        assertEquals(Duration.ofHours(1), issued.maxAge());
        assertTrue(valid(guests.verify(issued.token())).isGuest());
        assertFalse(issued.toString().contains(issued.token()));
    }

    @Test
    void verifiesAcrossClockSecondsWithTheCachedConsumerRebuiltPerSecond() {
        String token = guests.mint();
        for (int i = 0; i < 3; i++) {
            valid(guests.verify(token));
            valid(guests.verify(token));
            clock.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void typHeaderIsComparedIgnoringCaseWithOrWithoutApplicationPrefix() {
        valid(guests.verify(token().header("typ", "application/sessiongate-guest+jwt").hs256()));
        valid(guests.verify(token().header("typ", "SessionGate-Guest+JWT").hs256()));
    }

    // ------------------------------------------------------------------ expiry

    @Test
    void expiresExactlyAtTheTtlWithNoSkewOnExp() {
        String token = guests.mint();
        clock.advance(Duration.ofHours(1).minusSeconds(1));
        valid(guests.verify(token));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(ValidationResult.expired(), guests.verify(token));
        clock.advance(Duration.ofDays(3));
        assertEquals(ValidationResult.expired(), guests.verify(token));
    }

    @Test
    void expiredTokenThatFailsAnotherCheckIsInvalidNotExpired() {
        clock.advance(Duration.ofHours(2));
        assertRefused(Reason.WRONG_AUDIENCE, guests.verify(token().claim("aud", "my-app").hs256()));
        assertRefused(Reason.WRONG_TOKEN_TYPE, guests.verify(token().withoutHeader("typ").hs256()));
        assertRefused(Reason.BAD_SIGNATURE, guests.verify(token().sign("HS256", key(OTHER_SECRET))));
    }

    // ------------------------------------------------------------------ hostile tokens

    @Test
    void tamperedPayloadOrSignatureIsABadSignature() {
        String token = guests.mint();
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forged = parts[0] + "." + b64(payload.replace("\"guest:", "\"admin:guest:")) + "." + parts[2];
        assertRefused(Reason.BAD_SIGNATURE, guests.verify(forged));
        char last = parts[2].charAt(5);
        String badSignature = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 5) + (last == 'A' ? 'B' : 'A')
                + parts[2].substring(6);
        assertRefused(Reason.BAD_SIGNATURE, guests.verify(badSignature));
    }

    @Test
    void tokenSignedWithAnotherKeyIsABadSignature() {
        assertRefused(Reason.BAD_SIGNATURE, guests.verify(token().sign("HS256", key(OTHER_SECRET))));
        assertRefused(Reason.BAD_SIGNATURE, guests.verify(token().sign("HS256", key(JWT_SECRET))));
    }

    @Test
    void algNoneAndOtherAlgorithmsAreRefusedWhateverTheKey() {
        assertRefused(Reason.DISALLOWED_ALGORITHM, guests.verify(token().unsigned()));
        assertRefused(Reason.DISALLOWED_ALGORITHM, guests.verify(token().sign("HS384", key(SECRET))));
        assertRefused(Reason.DISALLOWED_ALGORITHM, guests.verify(token().sign("HS512", key(SECRET))));
        assertRefused(Reason.DISALLOWED_ALGORITHM, guests.verify(token().header("alg", "hs256").unsigned()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "at+jwt", "sessiongate-guest", "guest+jwt", "sessiongate-guest+jwt ", ""})
    void otherTypIsTheWrongTokenType(String typ) {
        String token = token().header("typ", typ).hs256();
        if (typ.strip().equals(GuestTokens.TYPE)) {
            valid(guests.verify(token)); // surrounding spaces are stripped
        } else {
            assertRefused(Reason.WRONG_TOKEN_TYPE, guests.verify(token));
        }
    }

    @Test
    void missingOrNonStringTypIsTheWrongTokenType() {
        assertRefused(Reason.WRONG_TOKEN_TYPE, guests.verify(token().withoutHeader("typ").hs256()));
        assertRefused(Reason.WRONG_TOKEN_TYPE, guests.verify(token().header("typ", List.of(GuestTokens.TYPE)).hs256()));
    }

    @Test
    void wrongOrMissingAudienceOrIssuerIsRefused() {
        assertRefused(Reason.WRONG_AUDIENCE, guests.verify(token().claim("aud", "my-app").hs256()));
        assertRefused(Reason.WRONG_AUDIENCE, guests.verify(token().without("aud").hs256()));
        assertRefused(Reason.WRONG_ISSUER, guests.verify(token().claim("iss", "https://idp.example.com").hs256()));
        assertRefused(Reason.WRONG_ISSUER, guests.verify(token().without("iss").hs256()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "guest:", "Guest:abc", " guest:abc", "admin"})
    void subjectWithoutTheGuestPrefixIsNeverAGuest(String subject) {
        assertRefused(Reason.WRONG_TOKEN_TYPE, guests.verify(token().claim("sub", subject).hs256()));
    }

    @Test
    void missingClaimsAreRefused() {
        assertRefused(Reason.NO_SUBJECT, guests.verify(token().without("sub").hs256()));
        assertRefused(Reason.MISSING_CLAIM, guests.verify(token().without("exp").hs256()));
        assertRefused(Reason.MISSING_CLAIM, guests.verify(token().without("iat").hs256()));
        assertRefused(Reason.MISSING_CLAIM, guests.verify(token().without("jti").hs256()));
    }

    @Test
    void lifetimeLongerThanTheTtlOrIssuedInTheFutureIsRefused() {
        assertRefused(Reason.LIFETIME_TOO_LONG, guests.verify(token().time("exp", 3601).hs256()));
        valid(guests.verify(token().time("exp", 3600).hs256()));
        assertRefused(Reason.ISSUED_IN_FUTURE, guests.verify(token().time("iat", 31).time("exp", 600).hs256()));
        valid(guests.verify(token().time("iat", 30).time("exp", 600).hs256()));
        assertRefused(Reason.MALFORMED, guests.verify(token().time("iat", 20).time("exp", 10).hs256()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''", "x", "a.b", "a.b.c", "a.b.c.d.e", "....", "eyJ.eyJ.sig"})
    void garbageIsMalformedAndNeverThrows(String token) {
        assertRefused(Reason.MALFORMED, guests.verify(token));
    }

    @Test
    void nullHugeDeepAndNestedTokensAreMalformed() {
        assertRefused(Reason.MALFORMED, guests.verify(null));
        assertRefused(Reason.MALFORMED, guests.verify("a".repeat(20_000)));
        assertRefused(Reason.MALFORMED, guests.verify(token().sign("HS256", key(SECRET),
                "{\"sub\":\"guest:x\",\"x\":" + "[".repeat(50) + "]".repeat(50) + "}")));
        assertRefused(Reason.MALFORMED, guests.verify(token().header("cty", "JWT").hs256()));
        assertRefused(Reason.MALFORMED, guests.verify(token().header("crit", List.of("exp")).hs256()));
        assertRefused(Reason.MALFORMED, guests.verify(token().sign("HS256", key(SECRET), "not json")));
    }

    // ------------------------------------------------------------------ guest tokens and access tokens

    /** An access token is never a guest, and a guest token never passes as an access token. */
    @Test
    void accessTokensAreNeverGuestsAndGuestTokensAreNeverAccessTokens() {
        JwtTokenValidator validator = JwtTokenValidator.fromParams(Map.of(JwtTokenValidator.PARAM_SECRET, JWT_SECRET,
                JwtTokenValidator.PARAM_ISSUER, "https://idp.example.com", JwtTokenValidator.PARAM_AUDIENCE, "my-app"),
                clock);
        String access = token().withoutHeader("typ").claim("iss", "https://idp.example.com").claim("aud", "my-app")
                .claim("sub", "alice").sign("HS256", key(JWT_SECRET));
        assertFalse(valid(validator.validate(access)).isGuest());
        String guestLookingAccess = token().withoutHeader("typ").claim("iss", "https://idp.example.com")
                .claim("aud", "my-app").sign("HS256", key(JWT_SECRET));
        Session notAGuest = valid(validator.validate(guestLookingAccess));
        assertTrue(notAGuest.subject().startsWith("guest:"));
        assertFalse(notAGuest.isGuest(), "a guest: subject in an access token does not make a guest");
        assertFalse(guests.verify(access) instanceof ValidationResult.Valid);
        assertRefused(Reason.BAD_SIGNATURE, guests.verify(guestLookingAccess));

        String guest = guests.mint();
        assertRefused(Reason.BAD_SIGNATURE, validator.validate(guest));
        // Even a validator misconfigured with the guest key, issuer and audience refuses it by its typ.
        JwtTokenValidator misconfigured = JwtTokenValidator.fromParams(Map.of(JwtTokenValidator.PARAM_SECRET, SECRET,
                JwtTokenValidator.PARAM_ISSUER, GuestTokens.ISSUER, JwtTokenValidator.PARAM_AUDIENCE,
                GuestTokens.AUDIENCE), clock);
        assertRefused(Reason.WRONG_TOKEN_TYPE, misconfigured.validate(guest));
    }

    // ------------------------------------------------------------------ configuration

    @Test
    void disabledByDefaultAndThenNoGuestParameterIsAccepted() {
        assertEquals(Optional.empty(), FromParams.guests(params(), clock, List.of()));
        for (String param : List.of(GuestSettings.PARAM_SECRET, GuestSettings.PARAM_TTL, GuestSettings.PARAM_URL,
                GuestSettings.PARAM_URL_TIMEOUT)) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> FromParams.guests(params(param, "x"), clock, List.of()));
            assertEquals(param, e.parameter());
            assertTrue(e.getMessage().contains(GuestSettings.PARAM_ENABLED), e.getMessage());
        }
    }

    @Test
    void everyGuestParameterIsReadAndTheTtlApplies() {
        InitParams p = params(GuestSettings.PARAM_ENABLED, "TRUE", GuestSettings.PARAM_SECRET, SECRET,
                GuestSettings.PARAM_TTL, "2h");
        GuestTokens g = FromParams.guests(p, clock, List.of()).orElseThrow();
        assertEquals(Set.of(), p.unread());
        assertEquals(Duration.ofHours(2), g.ttl());
        assertEquals(Optional.of(NOW.plus(Duration.ofHours(2))), valid(g.verify(g.mint())).expiresAt());
    }

    @Test
    void secretIsRequiredWhenEnabled() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> FromParams.guests(params(GuestSettings.PARAM_ENABLED, "true"), clock, List.of()));
        assertEquals(GuestSettings.PARAM_SECRET, e.parameter());
    }

    @Test
    void shortSecretIsRefusedWithoutEchoingIt() {
        for (String shortSecret : List.of("only-31-bytes-0123456789abcdef0", "base64:" + base64(31))) {
            ConfigException e = assertThrows(ConfigException.class, () -> FromParams.guests(
                    params(GuestSettings.PARAM_ENABLED, "true", GuestSettings.PARAM_SECRET, shortSecret), clock, List.of()));
            assertEquals(GuestSettings.PARAM_SECRET, e.parameter());
            assertTrue(e.getMessage().contains("31 bytes"), e.getMessage());
            assertFalse(e.getMessage().contains(shortSecret), e.getMessage());
        }
        guests(clock, GuestSettings.PARAM_SECRET, "base64:" + base64(32)); // 32 random bytes are enough
    }

    @Test
    void secretEqualToJwtSecretIsRefusedNamingGuestSecret() {
        for (String jwtForm : List.of(SECRET, "base64:" + Base64.getEncoder().encodeToString(SECRET.getBytes(
                StandardCharsets.UTF_8)), "base64:" + Base64.getUrlEncoder().encodeToString(SECRET.getBytes(
                StandardCharsets.UTF_8)))) {
            ConfigException e = assertThrows(ConfigException.class, () -> FromParams.guests(params(
                    GuestSettings.PARAM_ENABLED, "true", GuestSettings.PARAM_SECRET, SECRET,
                    JwtTokenValidator.PARAM_SECRET, jwtForm), clock, List.of()));
            assertEquals(GuestSettings.PARAM_SECRET, e.parameter());
            assertTrue(e.getMessage().contains("must differ from " + JwtTokenValidator.PARAM_SECRET), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        }
    }

    @Test
    void secretEqualToTheSigningSecretOrAnyOtherKeyIsRefused() {
        ConfigException signing = assertThrows(ConfigException.class, () -> FromParams.guests(params(
                GuestSettings.PARAM_ENABLED, "true", GuestSettings.PARAM_SECRET, SECRET,
                "session-signing-secret", SECRET), clock, List.of()));
        assertEquals(GuestSettings.PARAM_SECRET, signing.parameter());
        assertTrue(signing.getMessage().contains("session-signing-secret"), signing.getMessage());
        ConfigException other = assertThrows(ConfigException.class, () -> FromParams.guests(params(
                GuestSettings.PARAM_ENABLED, "true", GuestSettings.PARAM_SECRET, SECRET), clock,
                java.util.Arrays.asList(null, OTHER_SECRET, SECRET)));
        assertEquals(GuestSettings.PARAM_SECRET, other.parameter());
        FromParams.guests(params(GuestSettings.PARAM_ENABLED, "true", GuestSettings.PARAM_SECRET, SECRET,
                JwtTokenValidator.PARAM_SECRET, JWT_SECRET), clock, java.util.Arrays.asList(null, OTHER_SECRET));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "guest-ttl|59s", "guest-ttl|31d", "guest-ttl|1500ms", "guest-ttl|soon", "guest-tokens|yes",
            "guest-url-timeout|1s"})
    void badValueFailsNamingTheParameter(String param, String value) {
        InitParams p = params(GuestSettings.PARAM_ENABLED, "true", GuestSettings.PARAM_SECRET, SECRET, param, value);
        assertEquals(param, assertThrows(ConfigException.class,
                () -> FromParams.guests(p, clock, List.of())).parameter());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://idp.example.com/guest", "http://idp.example.com/guest",
            "https://user:pw@idp.example.com/guest", "https:///guest", "not a url", "https://idp.example.com/g#x",
            "http://127.0.0.1.evil.example/guest"})
    void badGuestUrlIsRefused(String url) {
        ConfigException e = assertThrows(ConfigException.class, () -> FromParams.guests(
                params(GuestSettings.PARAM_ENABLED, "true", GuestSettings.PARAM_URL, url), clock, List.of()));
        assertEquals(GuestSettings.PARAM_URL, e.parameter());
        assertFalse(e.getMessage().contains("pw@"), e.getMessage());
    }

    @Test
    void guestUrlAndGuestSecretExcludeEachOther() {
        ConfigException e = assertThrows(ConfigException.class, () -> FromParams.guests(params(
                GuestSettings.PARAM_ENABLED, "true", GuestSettings.PARAM_URL, "https://idp.example.com/guest",
                GuestSettings.PARAM_SECRET, SECRET), clock, List.of()));
        assertEquals(GuestSettings.PARAM_SECRET, e.parameter());
    }

    @Test
    void describeAndToStringNeverShowTheSecret() {
        assertFalse(guests.describe().contains(SECRET));
        assertTrue(guests.toString().contains("[PROTECTED]") && guests.toString().contains("PT1H"), guests::toString);
    }

    @Test
    void nothingLoggedEverShowsATokenOrTheSecret() throws Exception {
        String token;
        String log;
        try (LogCapture capture = new LogCapture(GuestTokens.class)) {
            GuestTokens g = guests(clock);
            token = g.mint();
            g.verify(token);
            g.verify(token.substring(0, token.length() - 3) + "AAA");
            g.verify(token().claim("aud", "x").hs256());
            clock.advance(Duration.ofHours(2));
            g.verify(token);
            log = capture.text();
        }
        assertTrue(log.contains("ready") && log.contains("refused") && log.contains("expired"), log);
        for (String secret : List.of(SECRET, token.substring(0, 20), token.split("\\.")[1].substring(0, 20),
                token.split("\\.")[2].substring(0, 20))) {
            assertFalse(log.contains(secret), "logged a secret: " + log);
        }
    }

    private static HmacKey key(String secret) {
        return new HmacKey(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static String base64(int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) (i * 37 + 11);
        }
        return Base64.getEncoder().encodeToString(b);
    }
}
