package io.github.sessiongate.jwt;

import static io.github.sessiongate.jwt.TestJwt.AUDIENCE;
import static io.github.sessiongate.jwt.TestJwt.EC;
import static io.github.sessiongate.jwt.TestJwt.ISSUER;
import static io.github.sessiongate.jwt.TestJwt.NOW;
import static io.github.sessiongate.jwt.TestJwt.OTHER_RSA;
import static io.github.sessiongate.jwt.TestJwt.RSA;
import static io.github.sessiongate.jwt.TestJwt.SECRET;
import static io.github.sessiongate.jwt.TestJwt.b64;
import static io.github.sessiongate.jwt.TestJwt.pem;
import static io.github.sessiongate.jwt.TestJwt.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.Session;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile and valid tokens against a validator on a fixed clock. */
class JwtTokenValidatorTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static Map<String, String> params(String keyParam, String keyValue, String... more) {
        Map<String, String> p = new HashMap<>();
        p.put(keyParam, keyValue);
        p.put(JwtTokenValidator.PARAM_ISSUER, ISSUER);
        p.put(JwtTokenValidator.PARAM_AUDIENCE, AUDIENCE);
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    private static JwtTokenValidator hmac(String... more) {
        return JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_SECRET, SECRET, more), CLOCK);
    }

    private static JwtTokenValidator rsa(String... more) {
        return JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(RSA.getPublicKey()), more), CLOCK);
    }

    private static JwtTokenValidator ec(String... more) {
        return JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(EC.getPublicKey()), more), CLOCK);
    }

    static Session assertValid(ValidationResult result) {
        return assertInstanceOf(ValidationResult.Valid.class, result, () -> "expected valid, got " + result).session();
    }

    static void assertRefused(Reason expected, ValidationResult result) {
        assertEquals(ValidationResult.invalid(expected), result);
    }

    // --- valid tokens ------------------------------------------------------------------------

    @Test
    void validHs256TokenGivesSessionWithSubjectRolesClaimsAndExpiry() {
        String jwt = token().hs256();
        Session session = assertValid(hmac().validate(jwt));
        assertEquals("alice", session.subject());
        assertEquals(Set.of("user", "admin"), session.roles());
        assertEquals(ISSUER, session.claims().get("iss"));
        assertEquals(Optional.of(NOW.plusSeconds(600)), session.expiresAt());
        assertEquals(jwt, session.token());
        assertFalse(session.isGuest());
    }

    @Test
    void validRs256TokenPassesWithPemPublicKey() {
        assertValid(rsa().validate(token().rs256()));
    }

    @Test
    void validEs256TokenPassesWithEcPublicKeyAndDefaultAlgorithmFromCurve() {
        assertValid(ec().validate(token().es256()));
    }

    @Test
    void publicKeyIsReadFromFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("key.pem");
        Files.writeString(file, pem(RSA.getPublicKey()), StandardCharsets.UTF_8);
        JwtTokenValidator validator = JwtTokenValidator.fromParams(
                params(JwtTokenValidator.PARAM_PUBLIC_KEY, "file:" + file), CLOCK);
        assertValid(validator.validate(token().rs256()));
        assertTrue(validator.describe().contains("file:" + file), validator.describe());
    }

    @Test
    void psAlgorithmPassesWhenAllowedForAnRsaKey() {
        assertValid(rsa(JwtTokenValidator.PARAM_ALGORITHMS, "PS256").validate(token().sign("PS256", RSA.getPrivateKey())));
    }

    @Test
    void audienceArrayPassesWhenOneValueIsAccepted() {
        assertValid(hmac().validate(token().claim("aud", List.of("other", AUDIENCE)).hs256()));
        assertValid(hmac(JwtTokenValidator.PARAM_AUDIENCE, "a, my-app").validate(token().hs256()));
    }

    @Test
    void anyAudienceIsAcceptedOnlyWhenOptedIn() {
        Map<String, String> p = params(JwtTokenValidator.PARAM_SECRET, SECRET,
                JwtTokenValidator.PARAM_ALLOW_ANY_AUDIENCE, "true");
        p.remove(JwtTokenValidator.PARAM_AUDIENCE);
        JwtTokenValidator validator = JwtTokenValidator.fromParams(p, CLOCK);
        assertValid(validator.validate(token().claim("aud", "someone-else").hs256()));
        assertValid(validator.validate(token().without("aud").hs256()));
        assertTrue(validator.describe().contains("audience=any"), validator.describe());
    }

    // --- algorithm and signature -------------------------------------------------------------

    @Test
    void unsignedAlgNoneTokenIsRefused() {
        assertRefused(Reason.DISALLOWED_ALGORITHM, hmac().validate(token().unsigned()));
        assertRefused(Reason.DISALLOWED_ALGORITHM, rsa().validate(token().unsigned()));
        // "none" with a signature part appended is no better.
        assertRefused(Reason.DISALLOWED_ALGORITHM, rsa().validate(token().unsigned() + "c2ln"));
    }

    @Test
    void hs256SignedWithTheRsaPublicKeyAsHmacSecretIsRefused() {
        byte[] der = RSA.getPublicKey().getEncoded();
        byte[] pemBytes = pem(RSA.getPublicKey()).getBytes(StandardCharsets.US_ASCII);
        assertRefused(Reason.DISALLOWED_ALGORITHM, rsa().validate(token().sign("HS256", new HmacKey(der))));
        assertRefused(Reason.DISALLOWED_ALGORITHM, rsa().validate(token().sign("HS256", new HmacKey(pemBytes))));
    }

    @Test
    void algorithmOutsideTheAllowListIsRefused() {
        assertRefused(Reason.DISALLOWED_ALGORITHM, rsa().validate(token().sign("RS384", RSA.getPrivateKey())));
        assertRefused(Reason.DISALLOWED_ALGORITHM, rsa().validate(token().sign("PS256", RSA.getPrivateKey())));
        assertRefused(Reason.DISALLOWED_ALGORITHM, hmac(JwtTokenValidator.PARAM_SECRET, SECRET + SECRET)
                .validate(token().sign("HS512", new HmacKey((SECRET + SECRET).getBytes(StandardCharsets.UTF_8)))));
        // Algorithm names are case-sensitive in tokens.
        assertRefused(Reason.DISALLOWED_ALGORITHM, hmac().validate(token().hs256()
                .replaceFirst("^[^.]+", b64("{\"alg\":\"hs256\"}"))));
    }

    @Test
    void tamperedSignatureIsRefused() {
        String jwt = token().rs256();
        char last = jwt.charAt(jwt.length() - 5);
        String tampered = jwt.substring(0, jwt.length() - 5) + (last == 'A' ? 'B' : 'A') + jwt.substring(jwt.length() - 4);
        assertRefused(Reason.BAD_SIGNATURE, rsa().validate(tampered));
    }

    @Test
    void tamperedPayloadIsRefused() {
        String[] parts = token().hs256().split("\\.");
        String forged = parts[0] + "." + b64("{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE
                + "\",\"sub\":\"mallory\",\"exp\":" + (NOW.getEpochSecond() + 60) + "}") + "." + parts[2];
        assertRefused(Reason.BAD_SIGNATURE, hmac().validate(forged));
    }

    @Test
    void tokenSignedByAnotherKeyIsRefused() {
        assertRefused(Reason.BAD_SIGNATURE, rsa().validate(token().sign("RS256", OTHER_RSA.getPrivateKey())));
        assertRefused(Reason.BAD_SIGNATURE, hmac().validate(
                token().sign("HS256", new HmacKey("another-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8)))));
    }

    // --- time --------------------------------------------------------------------------------

    @Test
    void tokenPastExpIsExpiredWithoutClockSkew() {
        JwtTokenValidator validator = hmac();
        assertLapsed(validator.validate(token().time("exp", 0).hs256()));
        assertLapsed(validator.validate(token().time("iat", -60).time("exp", -1).hs256()));
        assertEquals(ValidationResult.expired(), validator.validate(token().time("iat", -7200).time("exp", -3600).hs256()));
        assertValid(validator.validate(token().time("exp", 1).hs256()));
    }

    @Test
    void tokenExpiredWithinTheSkewCarriesItsSessionForUseOnlyWhenNoRefreshIsPossible() {
        JwtTokenValidator validator = hmac();
        ValidationResult within = validator.validate(token().time("iat", -60).time("exp", -29).hs256());
        assertEquals("alice", ((ValidationResult.Expired) within).lapsedWithinSkew().orElseThrow().subject());
        assertEquals(ValidationResult.expired(), validator.validate(token().time("iat", -60).time("exp", -30).hs256()));
    }

    private static void assertLapsed(ValidationResult result) {
        assertEquals(ValidationResult.Kind.EXPIRED, result.kind());
        assertTrue(((ValidationResult.Expired) result).lapsedWithinSkew().isPresent(), "expired within the skew");
    }

    @Test
    void tokenExpiresWhenTheClockPassesExp() {
        MutableClock clock = new MutableClock(NOW);
        JwtTokenValidator validator = JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_SECRET, SECRET), clock);
        String jwt = token().hs256();
        assertValid(validator.validate(jwt));
        clock.advance(Duration.ofSeconds(599));
        assertValid(validator.validate(jwt));
        clock.advance(Duration.ofSeconds(1));
        assertLapsed(validator.validate(jwt));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(ValidationResult.expired(), validator.validate(jwt));
    }

    @Test
    void expiredTokenThatFailsAnotherCheckIsInvalidNotExpired() {
        JwtTokenValidator validator = hmac();
        assertRefused(Reason.WRONG_ISSUER, validator.validate(token().time("iat", -120).time("exp", -60).claim("iss", "https://evil").hs256()));
        assertRefused(Reason.WRONG_AUDIENCE, validator.validate(token().time("iat", -120).time("exp", -60).claim("aud", "other").hs256()));
        assertRefused(Reason.NO_SUBJECT, validator.validate(token().time("iat", -120).time("exp", -60).claim("sub", "").hs256()));
        assertRefused(Reason.WRONG_TOKEN_TYPE, validator.validate(token().time("iat", -120).time("exp", -60).header("typ", "refresh").hs256()));
        assertRefused(Reason.BAD_SIGNATURE, validator.validate(
                token().time("iat", -120).time("exp", -60).sign("HS256", new HmacKey("x".repeat(32).getBytes(StandardCharsets.UTF_8)))));
        assertRefused(Reason.LIFETIME_TOO_LONG, validator.validate(token().time("iat", -400_000).time("exp", -60).hs256()));
    }

    @Test
    void nbfInTheFutureBeyondSkewIsNotYetValid() {
        assertRefused(Reason.NOT_YET_VALID, hmac().validate(token().time("nbf", 31).hs256()));
        assertValid(hmac().validate(token().time("nbf", 30).hs256()));
        assertRefused(Reason.NOT_YET_VALID, hmac(JwtTokenValidator.PARAM_CLOCK_SKEW, "0").validate(token().time("nbf", 1).hs256()));
    }

    @Test
    void iatInTheFutureBeyondSkewIsRefused() {
        assertRefused(Reason.ISSUED_IN_FUTURE, hmac().validate(token().time("iat", 31).hs256()));
        assertValid(hmac().validate(token().time("iat", 30).hs256()));
    }

    @Test
    void lifetimeLongerThanMaxIsRefused() {
        JwtTokenValidator validator = hmac();
        assertRefused(Reason.LIFETIME_TOO_LONG, validator.validate(token().time("exp", 86_401).hs256()));
        assertValid(validator.validate(token().time("exp", 86_400).hs256()));
        // Without iat the lifetime is measured from now.
        assertRefused(Reason.LIFETIME_TOO_LONG, validator.validate(token().without("iat").time("exp", 86_401).hs256()));
        // A ten-year token, and one issued long ago that is still "valid".
        assertRefused(Reason.LIFETIME_TOO_LONG, validator.validate(token().time("exp", 10L * 365 * 86_400).hs256()));
        assertRefused(Reason.LIFETIME_TOO_LONG, validator.validate(token().time("iat", -30L * 86_400).hs256()));
        assertRefused(Reason.LIFETIME_TOO_LONG,
                hmac(JwtTokenValidator.PARAM_MAX_LIFETIME, "5m").validate(token().time("exp", 301).hs256()));
    }

    @Test
    void expOf1e20IsRefused() {
        String claims = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"alice\",\"iat\":"
                + NOW.getEpochSecond() + ",\"exp\":1e20}";
        assertRefused(Reason.LIFETIME_TOO_LONG, hmac().validate(token().payload(claims).hs256()));
        String noIat = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"alice\",\"exp\":1e20}";
        assertRefused(Reason.LIFETIME_TOO_LONG, hmac().validate(token().payload(noIat).hs256()));
        String huge = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"alice\",\"exp\":"
                + "1" + "0".repeat(40) + "}";
        assertRefused(Reason.MALFORMED, hmac().validate(token().payload(huge).hs256()));
    }

    @Test
    void missingExpIsRefused() {
        assertRefused(Reason.MISSING_CLAIM, hmac().validate(token().without("exp").hs256()));
    }

    // --- issuer, audience, subject, required claims ------------------------------------------

    @Test
    void wrongOrMissingIssuerIsRefused() {
        assertRefused(Reason.WRONG_ISSUER, hmac().validate(token().claim("iss", "https://evil.example.com").hs256()));
        assertRefused(Reason.WRONG_ISSUER, hmac().validate(token().claim("iss", ISSUER + "/").hs256()));
        assertRefused(Reason.WRONG_ISSUER, hmac().validate(token().without("iss").hs256()));
    }

    @Test
    void wrongOrMissingAudienceIsRefused() {
        assertRefused(Reason.WRONG_AUDIENCE, hmac().validate(token().claim("aud", "other-app").hs256()));
        assertRefused(Reason.WRONG_AUDIENCE, hmac().validate(token().claim("aud", List.of()).hs256()));
        assertRefused(Reason.WRONG_AUDIENCE, hmac().validate(token().without("aud").hs256()));
    }

    @Test
    void emptyBlankOrMissingSubjectIsRefused() {
        assertRefused(Reason.NO_SUBJECT, hmac().validate(token().claim("sub", "").hs256()));
        assertRefused(Reason.NO_SUBJECT, hmac().validate(token().claim("sub", "  ").hs256()));
        assertRefused(Reason.NO_SUBJECT, hmac().validate(token().without("sub").hs256()));
        assertRefused(Reason.MALFORMED, hmac().validate(token().claim("sub", 42).hs256()));
    }

    @Test
    void requiredClaimMustBePresent() {
        JwtTokenValidator validator = hmac(JwtTokenValidator.PARAM_REQUIRED_CLAIMS, "jti, tenant.id");
        assertRefused(Reason.MISSING_CLAIM, validator.validate(token().claim("jti", "1").hs256()));
        assertRefused(Reason.MISSING_CLAIM, validator.validate(token().claim("tenant", Map.of("id", "t1")).hs256()));
        assertValid(validator.validate(token().claim("jti", "1").claim("tenant", Map.of("id", "t1")).hs256()));
    }

    // --- token type --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"refresh", "Refresh", "REFRESH", "refresh_token", "Offline", "ID", "id", "id_token",
            "guest", "client", "sessiongate-guest", "sessiongate-client", "application/refresh+jwt", "logout+jwt"})
    void nonAccessTypInHeaderOrClaimIsRefused(String typ) {
        assertRefused(Reason.WRONG_TOKEN_TYPE, hmac().validate(token().header("typ", typ).hs256()));
        assertRefused(Reason.WRONG_TOKEN_TYPE, hmac().validate(token().claim("typ", typ).hs256()));
    }

    @Test
    void nonStringTypIsRefused() {
        assertRefused(Reason.WRONG_TOKEN_TYPE, hmac().validate(token().claim("typ", List.of("Bearer")).hs256()));
    }

    @Test
    void tokenUseOtherThanAccessIsRefused() {
        assertRefused(Reason.WRONG_TOKEN_TYPE, hmac().validate(token().claim("token_use", "id").hs256()));
        assertRefused(Reason.WRONG_TOKEN_TYPE, hmac().validate(token().claim("token_use", "refresh").hs256()));
        assertValid(hmac().validate(token().claim("token_use", "access").hs256()));
    }

    @Test
    void idTokenShapeIsRefused() {
        assertRefused(Reason.WRONG_TOKEN_TYPE, hmac().validate(token().claim("nonce", "n-0S6_WzA2Mj").hs256()));
        assertRefused(Reason.WRONG_TOKEN_TYPE, hmac().validate(token().claim("at_hash", "77QmUPtjPfzWtF2AnpK9RQ").hs256()));
    }

    @Test
    void aNonceInAnAccessTokenPassesOnlyWithTheOptInAndAnIdTokenStillNever() {
        String withNonce = token().claim("nonce", "n-0S6_WzA2Mj").hs256();
        assertRefused(Reason.WRONG_TOKEN_TYPE, hmac().validate(withNonce));
        // The audience list names the client too, so only the ID-token rule can refuse the last cases.
        JwtTokenValidator interop = hmac(JwtTokenValidator.PARAM_ACCEPT_ACCESS_TOKEN_NONCE, "true",
                "oauth2.client-id", "web-client", JwtTokenValidator.PARAM_AUDIENCE, AUDIENCE + ", web-client");
        assertValid(interop.validate(withNonce));
        // Still an ID token: its hashes, its type, or the client as its only audience.
        assertRefused(Reason.WRONG_TOKEN_TYPE, interop.validate(token().claim("nonce", "n").claim("at_hash", "77QmUPtjPfzWtF2AnpK9RQ").hs256()));
        assertRefused(Reason.WRONG_TOKEN_TYPE, interop.validate(token().claim("nonce", "n").claim("c_hash", "LDktKdoQak3Pk0cnXxCltA").hs256()));
        assertRefused(Reason.WRONG_TOKEN_TYPE, interop.validate(token().claim("nonce", "n").header("typ", "id_token+jwt").hs256()));
        assertRefused(Reason.WRONG_TOKEN_TYPE, interop.validate(token().claim("nonce", "n").claim("aud", "web-client").hs256()));
        assertRefused(Reason.WRONG_TOKEN_TYPE, interop.validate(token().claim("aud", List.of("web-client")).hs256()));
        // The client among other audiences, one of them this application's: an access token.
        assertValid(interop.validate(token().claim("nonce", "n").claim("aud", List.of("web-client", AUDIENCE)).hs256()));
    }

    @Test
    void theNonceOptInNeedsTheOpenIdClientId() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> hmac(JwtTokenValidator.PARAM_ACCEPT_ACCESS_TOKEN_NONCE, "true"));
        assertEquals(JwtTokenValidator.PARAM_ACCEPT_ACCESS_TOKEN_NONCE, e.parameter());
        assertThrows(ConfigException.class, () -> JwtTokenValidator.withSecret(SECRET).acceptNonceInAccessTokens(" "));
    }

    @Test
    void typJwtAndBearerAndAtJwtPass() {
        assertValid(hmac().validate(token().header("typ", "JWT").hs256()));
        assertValid(hmac().validate(token().header("typ", "JWT").claim("typ", "Bearer").hs256()));
        assertValid(hmac().validate(token().header("typ", "at+jwt").hs256()));
    }

    @Test
    void requiredAtJwtTypeAcceptsOnlyThatHeader() {
        JwtTokenValidator validator = hmac(JwtTokenValidator.PARAM_REQUIRE_TYPE, "at+jwt");
        assertValid(validator.validate(token().header("typ", "at+jwt").hs256()));
        assertValid(validator.validate(token().header("typ", "application/at+jwt").hs256()));
        assertValid(validator.validate(token().header("typ", "AT+JWT").hs256()));
        assertRefused(Reason.WRONG_TOKEN_TYPE, validator.validate(token().header("typ", "JWT").hs256()));
        assertRefused(Reason.WRONG_TOKEN_TYPE, validator.validate(token().hs256()));
        assertRefused(Reason.WRONG_TOKEN_TYPE, validator.validate(token().claim("typ", "at+jwt").hs256()));
    }

    // --- roles -------------------------------------------------------------------------------

    @Test
    void rolesComeFromANestedPath() {
        JwtTokenValidator validator = hmac(JwtTokenValidator.PARAM_ROLES_CLAIM, "realm_access.roles");
        Session session = assertValid(validator.validate(
                token().claim("realm_access", Map.of("roles", List.of("viewer", "editor"))).hs256()));
        assertEquals(Set.of("viewer", "editor"), session.roles());
    }

    @Test
    void rolesComeFromASpaceSeparatedScope() {
        Session session = assertValid(hmac(JwtTokenValidator.PARAM_ROLES_CLAIM, "scope")
                .validate(token().claim("scope", "openid  profile orders:read").hs256()));
        assertEquals(Set.of("openid", "profile", "orders:read"), session.roles());
    }

    @Test
    void rolesComeFromGroupsAndDottedClaimNames() {
        assertEquals(Set.of("g1"), assertValid(hmac(JwtTokenValidator.PARAM_ROLES_CLAIM, "groups")
                .validate(token().claim("groups", List.of("g1", 7)).hs256())).roles());
        assertEquals(Set.of("r"), assertValid(hmac(JwtTokenValidator.PARAM_ROLES_CLAIM, "https://example.com/roles")
                .validate(token().claim("https://example.com/roles", List.of("r")).hs256())).roles());
    }

    @Test
    void absentRolesClaimGivesNoRoles() {
        assertEquals(Set.of(), assertValid(hmac().validate(token().without("roles").hs256())).roles());
        assertEquals(Set.of(), assertValid(hmac(JwtTokenValidator.PARAM_ROLES_CLAIM, "realm_access.roles")
                .validate(token().claim("realm_access", "x").hs256())).roles());
    }

    @Test
    void sessionClaimsAreImmutableAllTheWayDown() {
        Session session = assertValid(hmac().validate(token().claim("nested", Map.of("list", List.of("a"))).hs256()));
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) session.claims().get("nested");
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) nested.get("list");
        assertThrows(UnsupportedOperationException.class, () -> list.add("b"));
        assertThrows(UnsupportedOperationException.class, () -> nested.put("x", "y"));
    }

    // --- hostile input -----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"abc", "a.b", "a.b.c", "..", "...", "a.b.c.d", "a.b.c.d.e", "{\"alg\":\"HS256\"}",
            "eyJhbGciOiJIUzI1NiJ9", "eyJhbGciOiJIUzI1NiJ9..", "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln",
            "W10.e30.c2ln", "bnVsbA.e30.c2ln", "eyJhbGciOjF9.e30.c2ln", "eyJhbGciOm51bGx9.e30.c2ln",
            "%%%.%%%.%%%", "eyJhbGciOiJIUzI1NiIsImFsZyI6IkhTMjU2In0.e30.c2ln"})
    void garbageIsMalformedOrDisallowedAndNeverThrows(String garbage) {
        ValidationResult result = hmac().validate(garbage);
        ValidationResult.Invalid invalid = assertInstanceOf(ValidationResult.Invalid.class, result, result::toString);
        assertTrue(Set.of(Reason.MALFORMED, Reason.DISALLOWED_ALGORITHM).contains(invalid.reason()), result::toString);
    }

    @Test
    void emptyOrNullTokenIsMalformed() {
        assertRefused(Reason.MALFORMED, hmac().validate(""));
        assertRefused(Reason.MALFORMED, hmac().validate(null));
    }

    @Test
    void validlySignedGarbageClaimsAreMalformed() {
        assertRefused(Reason.MALFORMED, hmac().validate(token().payload("not json").hs256()));
        assertRefused(Reason.MALFORMED, hmac().validate(token().payload("[1,2]").hs256()));
        assertRefused(Reason.MALFORMED, hmac().validate(token().payload("{\"sub\":\"a\",\"sub\":\"b\"}").hs256()));
        assertRefused(Reason.MALFORMED, hmac().validate(token().claim("exp", "tomorrow").hs256()));
        assertRefused(Reason.MALFORMED, hmac().validate(token().claim("iss", List.of(ISSUER)).hs256()));
        assertRefused(Reason.MALFORMED, hmac().validate(token().time("iat", -10).time("exp", -20).hs256()));
    }

    @Test
    void deeplyNestedClaimsAreMalformedWithoutStackOverflow() {
        String deep = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"exp\":" + (NOW.getEpochSecond() + 60)
                + ",\"sub\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertRefused(Reason.MALFORMED, hmac().validate(token().payload(deep).hs256()));
    }

    @Test
    void nestedEncryptedAndCriticalTokensAreMalformed() {
        assertRefused(Reason.MALFORMED, hmac().validate(token().header("cty", "JWT").hs256()));
        assertRefused(Reason.MALFORMED, hmac().validate(token().header("crit", List.of("exp")).header("exp", 1).hs256()));
        assertRefused(Reason.MALFORMED, hmac().validate("eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aXY.Y3Q.dGFn"));
    }

    @Test
    void oversizedTokenIsMalformed() {
        assertRefused(Reason.MALFORMED, hmac().validate(token().claim("pad", "x".repeat(20_000)).hs256()));
    }

    // --- lifecycle, description, hooks -------------------------------------------------------

    @Test
    void describeNamesKeySourceIssuerAudienceAndAlgorithmsButNeverTheSecret() {
        String description = hmac().describe();
        assertEquals("JwtTokenValidator[secret=[PROTECTED], issuer=" + ISSUER + ", audience=[" + AUDIENCE
                + "], algorithms=[HS256]]", description);
        assertFalse(description.contains(SECRET));
        assertTrue(rsa().describe().contains("public-key=RSA-2048 (inline)"), rsa().describe());
        assertTrue(ec().describe().contains("public-key=EC P-256"), ec().describe());
        assertTrue(ec().describe().contains("algorithms=[ES256]"), ec().describe());
    }

    @Test
    void closedValidatorIsUnavailableNotInvalid() {
        JwtTokenValidator validator = hmac();
        validator.close();
        assertInstanceOf(ValidationResult.Unavailable.class, validator.validate(token().hs256()));
        assertTrue(validator.describe().endsWith("[closed]"));
    }

    @Test
    void unconfiguredValidatorIsUnavailable() {
        assertInstanceOf(ValidationResult.Unavailable.class, new JwtTokenValidator().validate(token().hs256()));
    }

    @Test
    void unknownParameterFailsFromParams() {
        ConfigException e = assertThrows(ConfigException.class, () -> hmac("jwt.isuer", ISSUER));
        assertEquals("jwt.isuer", e.parameter());
    }

    @Test
    void hooksAddClaimChecksAndRoles() {
        JwtTokenValidator custom = JwtTokenValidator.withSecret(SECRET).issuer(ISSUER).audience(AUDIENCE).clock(CLOCK)
                .build(() -> new JwtTokenValidator() {
            @Override
            protected Optional<Reason> checkClaims(Map<String, Object> claims) {
                return "t1".equals(claims.get("tenant")) ? Optional.empty() : Optional.of(Reason.REJECTED_BY_BACKEND);
            }

            @Override
            protected Set<String> roles(Map<String, Object> claims) {
                return Set.of("tenant-" + claims.get("tenant"));
            }
        });
        assertEquals(Set.of("tenant-t1"), assertValid(custom.validate(token().claim("tenant", "t1").hs256())).roles());
        assertRefused(Reason.REJECTED_BY_BACKEND, custom.validate(token().claim("tenant", "t2").hs256()));
        // Checked before expiry: a refused token is not reported as expired.
        assertRefused(Reason.REJECTED_BY_BACKEND, custom.validate(token().claim("tenant", "t2").time("iat", -60).time("exp", -5).hs256()));
    }

    @Test
    void timeComesFromTheInjectedClockNotTheSystemClock() {
        Instant farFuture = Instant.parse("2100-01-01T00:00:00Z");
        JwtTokenValidator validator = JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_SECRET, SECRET),
                Clock.fixed(farFuture, ZoneOffset.UTC));
        assertEquals(ValidationResult.expired(), validator.validate(token().hs256()));
        assertNotNull(validator.describe());
    }
}
