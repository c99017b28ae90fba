package io.github.sessiongate.jwt;

import static io.github.sessiongate.jwt.EdDsaTest.params;
import static io.github.sessiongate.jwt.JwtTokenValidatorTest.assertRefused;
import static io.github.sessiongate.jwt.JwtTokenValidatorTest.assertValid;
import static io.github.sessiongate.jwt.TestJwt.AUDIENCE;
import static io.github.sessiongate.jwt.TestJwt.ISSUER;
import static io.github.sessiongate.jwt.TestJwt.NOW;
import static io.github.sessiongate.jwt.TestJwt.RSA;
import static io.github.sessiongate.jwt.TestJwt.SECRET;
import static io.github.sessiongate.jwt.TestJwt.pem;
import static io.github.sessiongate.jwt.TestJwt.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * {@code jwt.secret-key-id}, the HMAC twin of {@code jwt.public-key-id}: with it, a token whose
 * {@code kid} is missing or different is refused as an unknown key before any HMAC is computed
 * (the validator's signature-check count stays at zero, and a garbage signature under a foreign
 * {@code kid} is an unknown key, not a bad signature); without it, behaviour is as before.
 */
class SecretKeyIdTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String OTHER_SECRET = "fedcba9876543210fedcba9876543210";

    private static JwtTokenValidator byParams(String kid) {
        return JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_SECRET, SECRET,
                JwtTokenValidator.PARAM_SECRET_KEY_ID, kid), CLOCK);
    }

    private static JwtTokenValidator byBuilder(String kid) {
        return JwtTokenValidator.withSecret(SECRET).secretKeyId(kid).issuer(ISSUER).audience(AUDIENCE).clock(CLOCK).build();
    }

    private static String withGarbageSignature(String jwt, int bytes) {
        byte[] junk = new byte[bytes];
        new Random(bytes).nextBytes(junk);
        return jwt.substring(0, jwt.lastIndexOf('.') + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(junk);
    }

    private static String signedWith(TestJwt t, String secret) {
        return t.sign("HS256", new HmacKey(secret.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTokenNamingTheKeyIdPassesByParamsAndByBuilder() {
        for (Supplier<JwtTokenValidator> v : List.<Supplier<JwtTokenValidator>>of(() -> byParams("hs-1"), () -> byBuilder("hs-1"))) {
            JwtTokenValidator validator = v.get();
            assertNull(validator.refusalOnSight(token().kid("hs-1").hs256()), "the right kid takes the full path");
            assertValid(validator.validate(token().kid("hs-1").hs256()));
            assertEquals(1, validator.signatureChecks());
            validator.close();
        }
    }

    @Test
    void aMissingOrDifferentKidIsAnUnknownKeyWithoutAnyHmac() {
        JwtTokenValidator validator = byParams("hs-1");
        // Genuinely signed with the configured secret: only the kid is wrong.
        for (TestJwt t : List.of(token(), token().kid("hs-2"), token().kid("HS-1"), token().kid("hs-1 "),
                token().kid(" hs-1"), token().kid(""))) {
            String jwt = t.hs256();
            assertEquals(Reason.UNKNOWN_KEY, validator.refusalOnSight(jwt), "refused on sight: " + jwt);
            assertRefused(Reason.UNKNOWN_KEY, validator.validate(jwt));
        }
        // An escaped kid is past what the glance reads: the full check refuses it, still before any HMAC.
        String escaped = token().kid("hs-1\u0000").hs256();
        assertNull(validator.refusalOnSight(escaped));
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(escaped));
        // A kid that is not a string (RFC 7515 §4.1.4) makes the header malformed, before any key is looked at.
        for (Object kid : List.of(1, List.of("hs-1"), Map.of("kid", "hs-1"))) {
            assertRefused(Reason.MALFORMED, validator.validate(token().header("kid", kid).hs256()));
        }
        assertEquals(0, validator.signatureChecks(), "no HMAC was computed");
        assertEquals(0, validator.cachedHeaders(), "refused headers never enter the header cache");
        validator.close();
    }

    @Test
    void aForeignKidWithAGarbageSignatureIsUnknownKeyNotBadSignature() {
        JwtTokenValidator validator = byBuilder("hs-1");
        ValidationResult foreign = validator.validate(withGarbageSignature(token().kid("elsewhere").hs256(), 4096));
        assertRefused(Reason.UNKNOWN_KEY, foreign);
        String detail = assertInstanceOf(ValidationResult.Invalid.class, foreign).detail();
        assertTrue(detail.contains("secret=[PROTECTED], kid=hs-1"), detail);
        assertFalse(detail.contains(SECRET), detail);
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(withGarbageSignature(token().hs256(), 4096)));
        // Signed with another secret under a foreign kid: refused for the kid, never verified.
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(signedWith(token().kid("other"), OTHER_SECRET)));
        assertEquals(0, validator.signatureChecks(), "no HMAC was computed");
        // The same garbage under the right kid does reach the HMAC.
        assertRefused(Reason.BAD_SIGNATURE, validator.validate(withGarbageSignature(token().kid("hs-1").hs256(), 4096)));
        assertRefused(Reason.BAD_SIGNATURE, validator.validate(signedWith(token().kid("hs-1"), OTHER_SECRET)));
        assertEquals(2, validator.signatureChecks());
        validator.close();
    }

    @Test
    void withoutAKeyIdTheKidIsIgnoredAndEveryWellFormedTokenCostsOneHmac() {
        JwtTokenValidator validator = JwtTokenValidator.withSecret(SECRET).issuer(ISSUER).audience(AUDIENCE).clock(CLOCK).build();
        assertValid(validator.validate(token().kid("anything").hs256()));
        assertValid(validator.validate(token().hs256()));
        assertNull(validator.refusalOnSight(token().kid("foreign").hs256()));
        assertRefused(Reason.BAD_SIGNATURE, validator.validate(withGarbageSignature(token().kid("foreign").hs256(), 32)));
        assertEquals(3, validator.signatureChecks(), "a foreign kid reaches the HMAC: what jwt.secret-key-id prevents");
        assertFalse(validator.describe().contains("kid="), validator.describe());
        validator.close();
    }

    @Test
    void theKeyIdIsNamedInTheDescriptionButNeverTheSecret() {
        JwtTokenValidator validator = byParams("hs-1");
        assertTrue(validator.describe().contains("secret=[PROTECTED], kid=hs-1"), validator.describe());
        assertFalse(validator.describe().contains(SECRET), validator.describe());
        validator.close();
    }

    @Test
    void theKeyIdNeedsTheSecret() {
        for (Map<String, String> p : List.of(
                params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(RSA.getPublicKey()), JwtTokenValidator.PARAM_SECRET_KEY_ID, "k"),
                params(JwtTokenValidator.PARAM_JWKS_URL, "https://idp.example.com/jwks", JwtTokenValidator.PARAM_SECRET_KEY_ID, "k"))) {
            ConfigException e = assertThrows(ConfigException.class, () -> JwtTokenValidator.fromParams(p, CLOCK));
            assertEquals(JwtTokenValidator.PARAM_SECRET_KEY_ID, e.parameter(), e.getMessage());
            assertTrue(e.getMessage().contains("applies only with " + JwtTokenValidator.PARAM_SECRET), e.getMessage());
            assertTrue(e.getMessage().contains(JwtTokenValidator.PARAM_PUBLIC_KEY_ID), "names the fix: " + e.getMessage());
        }
        for (JwtTokenValidator.Builder b : List.of(JwtTokenValidator.withPublicKey(RSA.getPublicKey()),
                JwtTokenValidator.withJwkSetUri(URI.create("https://idp.example.com/jwks")),
                JwtTokenValidator.withOidcDiscovery(URI.create("https://idp.example.com")))) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> b.secretKeyId("k").issuer(ISSUER).audience(AUDIENCE).build());
            assertEquals(JwtTokenValidator.PARAM_SECRET_KEY_ID, e.parameter(), e.getMessage());
        }
        // And the public key id still needs the public key, naming this setting as the secret's.
        ConfigException e = assertThrows(ConfigException.class, () -> JwtTokenValidator.fromParams(
                params(JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_PUBLIC_KEY_ID, "k"), CLOCK));
        assertEquals(JwtTokenValidator.PARAM_PUBLIC_KEY_ID, e.parameter(), e.getMessage());
        assertTrue(e.getMessage().contains(JwtTokenValidator.PARAM_SECRET_KEY_ID), "names the fix: " + e.getMessage());
    }

    @Test
    void builderAndInitParamsRefuseAlike() {
        List<Map.Entry<Map<String, String>, Runnable>> rows = List.of(
                Map.entry(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(RSA.getPublicKey()), JwtTokenValidator.PARAM_SECRET_KEY_ID, "k"),
                        () -> JwtTokenValidator.withPublicKey(RSA.getPublicKey()).secretKeyId("k").issuer(ISSUER).audience(AUDIENCE).build()),
                Map.entry(params(JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_SECRET_KEY_ID, "a\tb"),
                        () -> JwtTokenValidator.withSecret(SECRET).secretKeyId("a\tb")));
        for (Map.Entry<Map<String, String>, Runnable> row : rows) {
            ConfigException byParams = assertThrows(ConfigException.class, () -> JwtTokenValidator.fromParams(row.getKey(), CLOCK));
            ConfigException byBuilder = assertThrows(ConfigException.class, row.getValue()::run);
            assertEquals(JwtTokenValidator.PARAM_SECRET_KEY_ID, byParams.parameter(), byParams.getMessage());
            assertEquals(byParams.parameter(), byBuilder.parameter());
            assertEquals(byParams.getMessage(), byBuilder.getMessage());
        }
    }

    @Test
    void anUnusableKeyIdFailsStartUpNamingItAndTheFix() {
        for (String bad : List.of("", "  ", "a\nb", "a\u007fb", "x".repeat(SingleKey.MAX_KEY_ID_LENGTH + 1))) {
            ConfigException e = assertThrows(ConfigException.class, () -> JwtTokenValidator.withSecret(SECRET).secretKeyId(bad));
            assertEquals(JwtTokenValidator.PARAM_SECRET_KEY_ID, e.parameter(), e.getMessage());
            assertTrue(e.getMessage().contains("must be the key's kid: 1 to " + SingleKey.MAX_KEY_ID_LENGTH), e.getMessage());
        }
        assertValid(byBuilder("x".repeat(SingleKey.MAX_KEY_ID_LENGTH)).validate(token().kid("x".repeat(SingleKey.MAX_KEY_ID_LENGTH)).hs256()));
        ConfigException e = assertThrows(ConfigException.class, () -> byParams("a\tb"));
        assertEquals(JwtTokenValidator.PARAM_SECRET_KEY_ID, e.parameter(), e.getMessage());
    }

    @Test
    void theSourceAnswersOnlyToItsKeyId() {
        SecretKeySource plain = SecretKeySource.parse(JwtTokenValidator.PARAM_SECRET, SECRET);
        assertNull(plain.requiredKeyId());
        assertEquals(1, plain.resolve("HS256", null).keys().size());
        assertEquals(1, plain.resolve("HS256", "anything").keys().size());
        SecretKeySource named = plain.withKeyId(JwtTokenValidator.PARAM_SECRET_KEY_ID, "hs-1");
        assertEquals("hs-1", named.requiredKeyId());
        assertEquals(1, named.resolve("HS256", "hs-1").keys().size());
        for (String kid : new String[] {null, "hs-2", "HS-1"}) {
            assertTrue(named.resolve("HS256", kid).keys().isEmpty(), "kid " + kid);
        }
        assertTrue(named.resolve("HS256", "hs-1").generation() == named, "matches belong to the keyed source");
        named.close();
    }
}
