package io.github.sessiongate.jwt;

import static io.github.sessiongate.jwt.EdDsaTest.eddsa;
import static io.github.sessiongate.jwt.EdDsaTest.params;
import static io.github.sessiongate.jwt.EdKeys.ED25519;
import static io.github.sessiongate.jwt.JwtTokenValidatorTest.assertRefused;
import static io.github.sessiongate.jwt.JwtTokenValidatorTest.assertValid;
import static io.github.sessiongate.jwt.TestJwt.AUDIENCE;
import static io.github.sessiongate.jwt.TestJwt.ISSUER;
import static io.github.sessiongate.jwt.TestJwt.NOW;
import static io.github.sessiongate.jwt.TestJwt.OTHER_RSA;
import static io.github.sessiongate.jwt.TestJwt.RSA;
import static io.github.sessiongate.jwt.TestJwt.SECRET;
import static io.github.sessiongate.jwt.TestJwt.pem;
import static io.github.sessiongate.jwt.TestJwt.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.ValidationResult.Reason;
import java.math.BigInteger;
import java.net.URI;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code jwt.public-key-id}: with it, a token whose {@code kid} is missing or different is refused
 * as an unknown key before any signature work, proved by a key that counts every read of its
 * material (jose4j and the JDK read the modulus for each verification); without it, behaviour is as
 * before (the {@code kid} is ignored, one verification per token).
 */
class PublicKeyIdTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** An RSA public key that counts how often its material is read. */
    static final class CountingRsaKey implements RSAPublicKey {
        private final RSAPublicKey key;
        final AtomicInteger reads = new AtomicInteger();

        CountingRsaKey(RSAPublicKey key) {
            this.key = key;
        }

        @Override
        public BigInteger getModulus() {
            reads.incrementAndGet();
            return key.getModulus();
        }

        @Override
        public BigInteger getPublicExponent() {
            reads.incrementAndGet();
            return key.getPublicExponent();
        }

        @Override
        public String getAlgorithm() {
            return key.getAlgorithm();
        }

        @Override
        public String getFormat() {
            return key.getFormat();
        }

        @Override
        public byte[] getEncoded() {
            reads.incrementAndGet();
            return key.getEncoded();
        }
    }

    private static JwtTokenValidator rsaWithId(String kid) {
        return JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(RSA.getPublicKey()),
                JwtTokenValidator.PARAM_PUBLIC_KEY_ID, kid), CLOCK);
    }

    private static String withGarbageSignature(String jwt, int bytes) {
        byte[] junk = new byte[bytes];
        new Random(bytes).nextBytes(junk);
        return jwt.substring(0, jwt.lastIndexOf('.') + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(junk);
    }

    @Test
    void aTokenNamingTheKeyIdPasses() {
        assertValid(rsaWithId("rsa-1").validate(token().kid("rsa-1").rs256()));
        JwtTokenValidator ed = JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(ED25519.getPublic()),
                JwtTokenValidator.PARAM_ALGORITHMS, "EdDSA", JwtTokenValidator.PARAM_PUBLIC_KEY_ID, "ed-1"), CLOCK);
        assertValid(ed.validate(eddsa(token().kid("ed-1"))));
        assertRefused(Reason.UNKNOWN_KEY, ed.validate(eddsa(token().kid("ed-2"))));
        assertRefused(Reason.UNKNOWN_KEY, ed.validate(eddsa(token())));
    }

    @Test
    void aMissingOrDifferentKidIsAnUnknownKeyEvenWhenTheSignatureIsGenuine() {
        JwtTokenValidator validator = rsaWithId("rsa-1");
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(token().rs256()));
        for (Object kid : List.of("rsa-2", "RSA-1", "rsa-1 ", " rsa-1", "", "rsa-1\u0000")) {
            assertRefused(Reason.UNKNOWN_KEY, validator.validate(token().header("kid", kid).rs256()));
        }
        // A kid that is not a string (RFC 7515 §4.1.4) makes the header malformed, before any key is looked at.
        for (Object kid : List.of(1, List.of("rsa-1"), Map.of("kid", "rsa-1"))) {
            assertRefused(Reason.MALFORMED, validator.validate(token().header("kid", kid).rs256()));
        }
    }

    @Test
    void aMismatchedKidWithAHugeGarbageSignatureIsUnknownKeyNotBadSignature() {
        JwtTokenValidator validator = rsaWithId("rsa-1");
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(withGarbageSignature(token().kid("elsewhere").rs256(), 4096)));
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(withGarbageSignature(token().rs256(), 4096)));
        // The same garbage under the right kid does reach the signature check.
        assertRefused(Reason.BAD_SIGNATURE, validator.validate(withGarbageSignature(token().kid("rsa-1").rs256(), 4096)));
    }

    @Test
    void aMismatchedKidCostsNoSignatureVerification() {
        CountingRsaKey key = new CountingRsaKey(RSA.getRsaPublicKey());
        JwtTokenValidator validator = JwtTokenValidator.withPublicKey(key).publicKeyId("rsa-1")
                .issuer(ISSUER).audience(AUDIENCE).clock(CLOCK).build();
        key.reads.set(0);
        assertValid(validator.validate(token().kid("rsa-1").rs256()));
        assertTrue(key.reads.get() > 0, "the seam sees a verification");

        key.reads.set(0);
        for (int i = 0; i < 20; i++) {
            assertRefused(Reason.UNKNOWN_KEY, validator.validate(token().kid("other-" + i).sign("RS256", OTHER_RSA.getPrivateKey())));
            assertRefused(Reason.UNKNOWN_KEY, validator.validate(withGarbageSignature(token().claim("jti", "j" + i).rs256(), 256)));
        }
        assertEquals(0, key.reads.get(), "the key was never touched");
    }

    @Test
    void withoutAKeyIdTheKidIsIgnoredAndEveryWellFormedTokenCostsOneVerification() {
        CountingRsaKey key = new CountingRsaKey(RSA.getRsaPublicKey());
        JwtTokenValidator validator = JwtTokenValidator.withPublicKey(key).issuer(ISSUER).audience(AUDIENCE).clock(CLOCK).build();
        assertValid(validator.validate(token().kid("anything").rs256()));
        assertValid(validator.validate(token().rs256()));
        key.reads.set(0);
        assertRefused(Reason.BAD_SIGNATURE, validator.validate(withGarbageSignature(token().kid("foreign").rs256(), 256)));
        assertTrue(key.reads.get() > 0, "a foreign kid reaches the signature check: what jwt.public-key-id prevents");
    }

    @Test
    void theKeyIdIsNamedInTheDescription() {
        assertTrue(rsaWithId("rsa-1").describe().contains("public-key=RSA-2048 (inline), kid=rsa-1"), rsaWithId("rsa-1").describe());
        assertFalse(JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(RSA.getPublicKey())), CLOCK)
                .describe().contains("kid="));
    }

    @Test
    void theKeyIdNeedsASinglePublicKey() {
        for (Map<String, String> p : List.of(
                params(JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_PUBLIC_KEY_ID, "k"),
                params(JwtTokenValidator.PARAM_JWKS_URL, "https://idp.example.com/jwks", JwtTokenValidator.PARAM_PUBLIC_KEY_ID, "k"))) {
            ConfigException e = assertThrows(ConfigException.class, () -> JwtTokenValidator.fromParams(p, CLOCK));
            assertEquals(JwtTokenValidator.PARAM_PUBLIC_KEY_ID, e.parameter(), e.getMessage());
        }
        for (JwtTokenValidator.Builder b : List.of(JwtTokenValidator.withSecret(SECRET),
                JwtTokenValidator.withJwkSetUri(URI.create("https://idp.example.com/jwks")),
                JwtTokenValidator.withOidcDiscovery(URI.create("https://idp.example.com")))) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> b.publicKeyId("k").issuer(ISSUER).audience(AUDIENCE).build());
            assertEquals(JwtTokenValidator.PARAM_PUBLIC_KEY_ID, e.parameter(), e.getMessage());
        }
    }

    @Test
    void builderAndInitParamsRefuseAlike() {
        List<Map.Entry<Map<String, String>, Runnable>> rows = List.of(
                Map.entry(params(JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_PUBLIC_KEY_ID, "k"),
                        () -> JwtTokenValidator.withSecret(SECRET).publicKeyId("k").issuer(ISSUER).audience(AUDIENCE).build()),
                Map.entry(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(RSA.getPublicKey()), JwtTokenValidator.PARAM_PUBLIC_KEY_ID, "a\tb"),
                        () -> JwtTokenValidator.withPublicKey(RSA.getPublicKey()).publicKeyId("a\tb")),
                Map.entry(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(ED25519.getPublic())),
                        () -> JwtTokenValidator.withPublicKeyPem(pem(ED25519.getPublic())).issuer(ISSUER).audience(AUDIENCE).build()));
        for (Map.Entry<Map<String, String>, Runnable> row : rows) {
            ConfigException byParams = assertThrows(ConfigException.class, () -> JwtTokenValidator.fromParams(row.getKey(), CLOCK));
            ConfigException byBuilder = assertThrows(ConfigException.class, row.getValue()::run);
            assertEquals(byParams.parameter(), byBuilder.parameter());
            assertEquals(byParams.getMessage(), byBuilder.getMessage());
        }
    }

    @Test
    void anUnusableKeyIdFailsStartUpNamingIt() {
        for (String bad : List.of("", "  ", "a\nb", "x".repeat(SingleKey.MAX_KEY_ID_LENGTH + 1))) {
            ConfigException e = assertThrows(ConfigException.class, () -> JwtTokenValidator.withPublicKey(RSA.getPublicKey()).publicKeyId(bad));
            assertEquals(JwtTokenValidator.PARAM_PUBLIC_KEY_ID, e.parameter(), e.getMessage());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> rsaWithId("a\tb"));
        assertEquals(JwtTokenValidator.PARAM_PUBLIC_KEY_ID, e.parameter(), e.getMessage());
    }

    @Test
    void acceptsKidIsTheCheckAFastPathCalls() {
        PublicKeySource plain = PublicKeySource.of(JwtTokenValidator.PARAM_PUBLIC_KEY, RSA.getPublicKey(), "code");
        assertTrue(plain.acceptsKid(null) && plain.acceptsKid("anything"));
        PublicKeySource named = plain.withKeyId(JwtTokenValidator.PARAM_PUBLIC_KEY_ID, "rsa-1");
        assertTrue(named.acceptsKid("rsa-1"));
        assertFalse(named.acceptsKid(null) || named.acceptsKid("rsa-2") || named.acceptsKid("RSA-1"));
        assertEquals("rsa-1", named.requiredKeyId());
    }
}
