package io.github.sessiongate.jwt;

import static io.github.sessiongate.jwt.EdKeys.ED25519;
import static io.github.sessiongate.jwt.EdKeys.ED448;
import static io.github.sessiongate.jwt.EdKeys.OTHER_ED25519;
import static io.github.sessiongate.jwt.JwtTokenValidatorTest.assertRefused;
import static io.github.sessiongate.jwt.JwtTokenValidatorTest.assertValid;
import static io.github.sessiongate.jwt.TestJwt.AUDIENCE;
import static io.github.sessiongate.jwt.TestJwt.EC;
import static io.github.sessiongate.jwt.TestJwt.ISSUER;
import static io.github.sessiongate.jwt.TestJwt.NOW;
import static io.github.sessiongate.jwt.TestJwt.RSA;
import static io.github.sessiongate.jwt.TestJwt.SECRET;
import static io.github.sessiongate.jwt.TestJwt.b64;
import static io.github.sessiongate.jwt.TestJwt.pem;
import static io.github.sessiongate.jwt.TestJwt.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.Session;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.testing.TokenSpellings;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.EdECPublicKey;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.keys.EdDsaKeyUtil;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EdDSA (Ed25519) from a PEM key, a certificate or a {@code PublicKey}: valid tokens pass only when
 * {@code jwt.algorithms} lists EdDSA, and the hostile tokens the other algorithms face are refused
 * with the same reasons. Keys from a JWKS are in {@link EdDsaJwksTest}.
 */
class EdDsaTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** The order of the Ed25519 group: a signature's S must be below it (RFC 8032 section 5.1.7). */
    private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

    static Map<String, String> params(String keyParam, String keyValue, String... more) {
        Map<String, String> p = new HashMap<>();
        p.put(keyParam, keyValue);
        p.put(JwtTokenValidator.PARAM_ISSUER, ISSUER);
        p.put(JwtTokenValidator.PARAM_AUDIENCE, AUDIENCE);
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    /** An Ed25519 PEM key with {@code jwt.algorithms=EdDSA}. */
    private static JwtTokenValidator ed(String... more) {
        Map<String, String> p = params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(ED25519.getPublic()),
                JwtTokenValidator.PARAM_ALGORITHMS, "EdDSA");
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return JwtTokenValidator.fromParams(p, CLOCK);
    }

    static String eddsa(TestJwt jwt) {
        return eddsa(jwt, ED25519);
    }

    static String eddsa(TestJwt jwt, KeyPair pair) {
        return jwt.sign("EdDSA", pair.getPrivate());
    }

    private static ConfigException startFails(Map<String, String> params) {
        return assertThrows(ConfigException.class, () -> JwtTokenValidator.fromParams(params, CLOCK));
    }

    /** The token with its signature segment replaced by these bytes. */
    private static String withSignature(String jwt, byte[] signature) {
        return jwt.substring(0, jwt.lastIndexOf('.') + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    private static byte[] signatureOf(String jwt) {
        return Base64.getUrlDecoder().decode(jwt.substring(jwt.lastIndexOf('.') + 1));
    }

    // --- valid tokens ------------------------------------------------------------------------

    @Test
    void edDsaTokenPassesWithAnEd25519PemKeyWhenEdDsaIsListed() {
        JwtTokenValidator validator = ed();
        Session session = assertValid(validator.validate(eddsa(token())));
        assertEquals("alice", session.subject());
        assertTrue(validator.describe().contains("public-key=Ed25519 (inline)"), validator.describe());
        assertTrue(validator.describe().contains("algorithms=[EdDSA]"), validator.describe());
        // The name is matched case-insensitively in the configuration, as the other names are.
        assertValid(ed(JwtTokenValidator.PARAM_ALGORITHMS, "eddsa").validate(eddsa(token())));
    }

    @Test
    void edDsaTokenPassesWithAnEd25519Certificate() {
        JwtTokenValidator validator = JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_PUBLIC_KEY,
                EdKeys.certificatePem(ED25519), JwtTokenValidator.PARAM_ALGORITHMS, "EdDSA"), CLOCK);
        assertValid(validator.validate(eddsa(token())));
    }

    @Test
    void edDsaTokenPassesWithAPublicKeyFromCode() {
        JwtTokenValidator validator = JwtTokenValidator.withPublicKey(ED25519.getPublic()).algorithms("EdDSA")
                .issuer(ISSUER).audience(AUDIENCE).clock(CLOCK).build();
        assertValid(validator.validate(eddsa(token())));
        assertRefused(Reason.BAD_SIGNATURE, validator.validate(eddsa(token(), OTHER_ED25519)));
    }

    @Test
    void expiredEdDsaTokenIsExpiredNotInvalid() {
        assertEquals(ValidationResult.Kind.EXPIRED, ed().validate(eddsa(token().time("iat", -700).time("exp", -100))).kind());
    }

    // --- start-up ----------------------------------------------------------------------------

    @Test
    void anEd25519KeyNeedsEdDsaListedExplicitly() {
        ConfigException e = startFails(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(ED25519.getPublic())));
        assertEquals(JwtTokenValidator.PARAM_ALGORITHMS, e.parameter(), e.getMessage());
        assertTrue(e.getMessage().contains("EdDSA"), e.getMessage());
        assertEquals(JwtTokenValidator.PARAM_ALGORITHMS, assertThrows(ConfigException.class,
                () -> JwtTokenValidator.withPublicKey(ED25519.getPublic()).issuer(ISSUER).audience(AUDIENCE).build()).parameter());
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "ES256", "ES512", "HS256", "EdDSA, RS256", "EdDSA, ES256", "HS512, EdDSA"})
    void anEd25519KeyWithAnotherAlgorithmFailsStartUpNamingJwtAlgorithms(String algorithms) {
        ConfigException e = startFails(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(ED25519.getPublic()),
                JwtTokenValidator.PARAM_ALGORITHMS, algorithms));
        assertEquals(JwtTokenValidator.PARAM_ALGORITHMS, e.parameter(), e.getMessage());
    }

    @Test
    void edDsaWithAnRsaEcOrHmacKeyFailsStartUpNamingJwtAlgorithms() {
        for (String key : List.of(pem(RSA.getPublicKey()), pem(EC.getPublicKey()))) {
            ConfigException e = startFails(params(JwtTokenValidator.PARAM_PUBLIC_KEY, key, JwtTokenValidator.PARAM_ALGORITHMS, "EdDSA"));
            assertEquals(JwtTokenValidator.PARAM_ALGORITHMS, e.parameter(), e.getMessage());
        }
        ConfigException e = startFails(params(JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_ALGORITHMS, "EdDSA"));
        assertEquals(JwtTokenValidator.PARAM_ALGORITHMS, e.parameter(), e.getMessage());
    }

    @Test
    void anEd448KeyIsRefusedNamingThePublicKey() {
        assertEquals("Ed448", ((EdECPublicKey) ED448.getPublic()).getParams().getName());
        for (String value : List.of(pem(ED448.getPublic()), EdKeys.certificatePem(ED448))) {
            ConfigException e = startFails(params(JwtTokenValidator.PARAM_PUBLIC_KEY, value, JwtTokenValidator.PARAM_ALGORITHMS, "EdDSA"));
            assertEquals(JwtTokenValidator.PARAM_PUBLIC_KEY, e.parameter(), e.getMessage());
            assertTrue(e.getMessage().contains("Ed448") && e.getMessage().contains("Ed25519"), e.getMessage());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> JwtTokenValidator.withPublicKey(ED448.getPublic()));
        assertEquals(JwtTokenValidator.PARAM_PUBLIC_KEY, e.parameter());
    }

    @Test
    void anX25519KeyIsRefusedNamingThePublicKey() {
        ConfigException e = startFails(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(EdKeys.generate("X25519").getPublic()),
                JwtTokenValidator.PARAM_ALGORITHMS, "EdDSA"));
        assertEquals(JwtTokenValidator.PARAM_PUBLIC_KEY, e.parameter(), e.getMessage());
    }

    @Test
    void edDsaIsInNoDefaultAlgorithmList() {
        String jwt = eddsa(token());
        assertRefused(Reason.DISALLOWED_ALGORITHM, JwtTokenValidator.fromParams(
                params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(RSA.getPublicKey())), CLOCK).validate(jwt));
        assertRefused(Reason.DISALLOWED_ALGORITHM, JwtTokenValidator.fromParams(
                params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(EC.getPublicKey())), CLOCK).validate(jwt));
        assertRefused(Reason.DISALLOWED_ALGORITHM, JwtTokenValidator.fromParams(
                params(JwtTokenValidator.PARAM_SECRET, SECRET), CLOCK).validate(jwt));
        assertEquals(List.of("RS256", "ES256"), JwtTokenValidator.DEFAULT_ALGORITHMS_JWKS);
    }

    // --- hostile tokens ----------------------------------------------------------------------

    @Test
    void unsignedAlgNoneTokenIsRefused() {
        assertRefused(Reason.DISALLOWED_ALGORITHM, ed().validate(token().unsigned()));
        assertRefused(Reason.DISALLOWED_ALGORITHM, ed().validate(token().unsigned() + "c2ln"));
        assertRefused(Reason.DISALLOWED_ALGORITHM, ed().validate(eddsa(token())
                .replaceFirst("^[^.]+", b64("{\"alg\":\"none\"}"))));
    }

    @Test
    void hs256SignedWithTheEd25519PublicKeyBytesIsRefused() {
        byte[] der = ED25519.getPublic().getEncoded();
        byte[] raw = new EdDsaKeyUtil().rawPublicKey(ED25519.getPublic()); // 32 bytes: a valid HS256 key length
        byte[] pemBytes = pem(ED25519.getPublic()).getBytes(StandardCharsets.US_ASCII);
        for (byte[] secret : List.of(der, raw, pemBytes)) {
            assertRefused(Reason.DISALLOWED_ALGORITHM, ed().validate(token().sign("HS256", new HmacKey(secret))));
        }
    }

    @Test
    void tokensOfOtherAlgorithmsAreRefusedBeforeAnyKeyWork() {
        assertRefused(Reason.DISALLOWED_ALGORITHM, ed().validate(token().rs256()));
        assertRefused(Reason.DISALLOWED_ALGORITHM, ed().validate(token().es256()));
        assertRefused(Reason.DISALLOWED_ALGORITHM, ed().validate(token().hs256()));
        // An EdDSA signature under another name, and other spellings of the name.
        String jwt = eddsa(token());
        for (String alg : List.of("Ed25519", "EDDSA", "eddsa", "EdDSA ", "ES256")) {
            assertRefused(Reason.DISALLOWED_ALGORITHM, ed().validate(jwt.replaceFirst("^[^.]+", b64("{\"alg\":\"" + alg + "\"}"))));
        }
    }

    @Test
    void tamperedSignatureOrPayloadAndAnotherKeyAreRefused() {
        String jwt = eddsa(token());
        byte[] sig = signatureOf(jwt);
        sig[5] ^= 1;
        assertRefused(Reason.BAD_SIGNATURE, ed().validate(withSignature(jwt, sig)));
        String[] parts = jwt.split("\\.");
        String forged = parts[0] + "." + b64("{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE
                + "\",\"sub\":\"mallory\",\"exp\":" + (NOW.getEpochSecond() + 60) + "}") + "." + parts[2];
        assertRefused(Reason.BAD_SIGNATURE, ed().validate(forged));
        assertRefused(Reason.BAD_SIGNATURE, ed().validate(eddsa(token(), OTHER_ED25519)));
        // Signed with an Ed448 key under the name EdDSA: a 114-byte signature.
        assertRefused(Reason.BAD_SIGNATURE, ed().validate(eddsa(token(), ED448)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 32, 63, 65, 114, 4096})
    void signaturesOfZerosOrOfTheWrongLengthAreRefused(int length) {
        String jwt = eddsa(token());
        assertRefused(Reason.BAD_SIGNATURE, ed().validate(withSignature(jwt, new byte[length])));
        byte[] noise = new byte[length];
        new Random(length).nextBytes(noise);
        assertRefused(Reason.BAD_SIGNATURE, ed().validate(withSignature(jwt, noise)));
    }

    @Test
    void aSignatureOfAllZerosIsRefused() {
        assertRefused(Reason.BAD_SIGNATURE, ed().validate(withSignature(eddsa(token()), new byte[64])));
    }

    @Test
    void theMalleableTwinOfASignatureIsRefused() {
        // S + L verifies the same equation; RFC 8032 requires S < L, so a second spelling of one
        // token, with other signature bytes, is refused, as the validation cache needs.
        String jwt = eddsa(token());
        byte[] sig = signatureOf(jwt);
        byte[] sLittle = Arrays.copyOfRange(sig, 32, 64);
        byte[] sBig = reverse(sLittle);
        byte[] twin = new BigInteger(1, sBig).add(L).toByteArray();
        byte[] twinLittle = reverse(twin.length > 32 ? Arrays.copyOfRange(twin, twin.length - 32, twin.length) : pad32(twin));
        assertEquals(new BigInteger(1, sBig), new BigInteger(1, reverse(twinLittle)).subtract(L), "the twin's S is S + L");
        System.arraycopy(twinLittle, 0, sig, 32, 32);
        assertValid(ed().validate(jwt));
        assertRefused(Reason.BAD_SIGNATURE, ed().validate(withSignature(jwt, sig)));
    }

    private static byte[] pad32(byte[] bigEndian) {
        byte[] out = new byte[32];
        System.arraycopy(bigEndian, 0, out, 32 - bigEndian.length, bigEndian.length);
        return out;
    }

    private static byte[] reverse(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }

    @Test
    void anEmbeddedJwkOrKeyUrlIsIgnored() throws Exception {
        Map<String, Object> attackerJwk = EdKeys.jwk(OTHER_ED25519, "attacker").toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        assertRefused(Reason.BAD_SIGNATURE, ed().validate(eddsa(token().header("jwk", attackerJwk), OTHER_ED25519)));
        assertRefused(Reason.BAD_SIGNATURE, ed().validate(eddsa(token().header("jku", "https://evil.example/jwks")
                .header("x5u", "https://evil.example/cert"), OTHER_ED25519)));
    }

    @Test
    void kidTricksNeitherHelpNorHurtWithoutAKeyId() {
        for (Object kid : List.of("../../../dev/null", "", "' OR 1=1 --", "ed-1")) {
            assertRefused(Reason.BAD_SIGNATURE, ed().validate(eddsa(token().header("kid", kid), OTHER_ED25519)));
        }
        // A kid is a string (RFC 7515 §4.1.4): any other JSON value makes the header malformed.
        for (Object kid : List.of(42, List.of("a"))) {
            assertRefused(Reason.MALFORMED, ed().validate(eddsa(token().header("kid", kid), OTHER_ED25519)));
        }
        // Without jwt.public-key-id the kid is not looked at (as for RSA and EC keys).
        assertValid(ed().validate(eddsa(token().kid("whatever"))));
    }

    @Test
    void nestedEncryptedAndCriticalTokensAreMalformed() {
        String inner = eddsa(token());
        assertRefused(Reason.MALFORMED, ed().validate(eddsa(token().header("cty", "JWT"))));
        assertRefused(Reason.MALFORMED, ed().validate(eddsa(token().payload(inner).header("cty", "JWT"))));
        assertRefused(Reason.MALFORMED, ed().validate(eddsa(token().header("crit", List.of("exp")).header("exp", 1))));
        assertRefused(Reason.MALFORMED, ed().validate("eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aXY.Y3Q.dGFn"));
        assertRefused(Reason.MALFORMED, ed().validate("eyJhbGciOiJFZERTQSIsImVuYyI6IkExMjhHQ00ifQ.a2V5.aXY.Y3Q.dGFn"));
    }

    @Test
    void otherSpellingsOfAGenuineTokenAreMalformed() {
        String jwt = TokenSpellings.withUrlSafeCharacter(() -> eddsa(token().claim("jti", Long.toString(new Random().nextLong()))));
        assertValid(ed().validate(jwt));
        assertRefused(Reason.MALFORMED, ed().validate(TokenSpellings.padded(jwt))); // 86 characters: 2 mod 4
        assertRefused(Reason.MALFORMED, ed().validate(TokenSpellings.standardAlphabet(jwt)));
        assertRefused(Reason.MALFORMED, ed().validate(TokenSpellings.nonZeroPadBits(jwt)));
    }

    @Test
    void garbageNeverThrows() {
        for (String garbage : List.of("", "a.b.c", "eyJhbGciOiJFZERTQSJ9.e30.", "eyJhbGciOiJFZERTQSJ9.e30.c2ln",
                "eyJhbGciOiJFZERTQSJ9.bm90IGpzb24." + "A".repeat(86), "eyJhbGciOiJFZERTQSJ9..")) {
            assertInstanceOf(ValidationResult.Invalid.class, ed().validate(garbage), garbage);
        }
    }
}
