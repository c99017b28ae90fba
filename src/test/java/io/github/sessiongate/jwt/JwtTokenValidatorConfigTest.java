package io.github.sessiongate.jwt;

import static io.github.sessiongate.jwt.TestJwt.AUDIENCE;
import static io.github.sessiongate.jwt.TestJwt.EC;
import static io.github.sessiongate.jwt.TestJwt.ISSUER;
import static io.github.sessiongate.jwt.TestJwt.NOW;
import static io.github.sessiongate.jwt.TestJwt.RSA;
import static io.github.sessiongate.jwt.TestJwt.SECRET;
import static io.github.sessiongate.jwt.TestJwt.pem;
import static io.github.sessiongate.jwt.TestJwt.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Settings that must fail start-up, each naming the parameter at fault. */
class JwtTokenValidatorConfigTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static Map<String, String> params(String... pairs) {
        Map<String, String> p = new HashMap<>();
        p.put(JwtTokenValidator.PARAM_ISSUER, ISSUER);
        p.put(JwtTokenValidator.PARAM_AUDIENCE, AUDIENCE);
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                p.remove(pairs[i]);
            } else {
                p.put(pairs[i], pairs[i + 1]);
            }
        }
        return p;
    }

    private static ConfigException refused(String... pairs) {
        return assertThrows(ConfigException.class, () -> JwtTokenValidator.fromParams(params(pairs), CLOCK));
    }

    private static void assertRefusedNaming(String parameter, String... pairs) {
        ConfigException e = refused(pairs);
        assertEquals(parameter, e.parameter(), e::getMessage);
    }

    @Test
    void noKeySourceIsRefused() {
        ConfigException e = refused();
        assertTrue(e.getMessage().contains("exactly one"), e.getMessage());
    }

    @Test
    void twoKeySourcesAreRefused() {
        refused(JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_PUBLIC_KEY, pem(RSA.getPublicKey()));
        refused(JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_JWKS_URL, "https://idp.example.com/jwks");
    }

    @Test
    void shortHmacSecretIsRefusedWithoutEchoingIt() {
        String shortSecret = "too-short-secret-31-bytes-long!";
        ConfigException e = refused(JwtTokenValidator.PARAM_SECRET, shortSecret);
        assertEquals(JwtTokenValidator.PARAM_SECRET, e.parameter());
        assertFalse(e.getMessage().contains(shortSecret), e.getMessage());
    }

    @Test
    void hmacSecretMustMatchTheLongestAllowedHash() {
        assertRefusedNaming(JwtTokenValidator.PARAM_SECRET, JwtTokenValidator.PARAM_SECRET, SECRET,
                JwtTokenValidator.PARAM_ALGORITHMS, "HS256, HS512");
        assertRefusedNaming(JwtTokenValidator.PARAM_SECRET, JwtTokenValidator.PARAM_SECRET, SECRET + "0123456789abcdef",
                JwtTokenValidator.PARAM_ALGORITHMS, "HS512");
    }

    @Test
    void base64SecretIsDecodedAndItsLengthCounted() {
        byte[] key = new byte[64];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 3);
        }
        JwtTokenValidator validator = JwtTokenValidator.fromParams(params(
                JwtTokenValidator.PARAM_SECRET, "base64:" + Base64.getEncoder().encodeToString(key),
                JwtTokenValidator.PARAM_ALGORITHMS, "HS512"), CLOCK);
        JwtTokenValidatorTest.assertValid(validator.validate(token().sign("HS512", new HmacKey(key))));
        // 32 encoded characters are only 24 bytes.
        assertRefusedNaming(JwtTokenValidator.PARAM_SECRET, JwtTokenValidator.PARAM_SECRET,
                "base64:" + Base64.getEncoder().encodeToString(new byte[24]));
        assertRefusedNaming(JwtTokenValidator.PARAM_SECRET, JwtTokenValidator.PARAM_SECRET, "base64:not*base64!");
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "NONE", "HS256,none", "HS256 None"})
    void noneInAlgorithmsIsRefused(String algorithms) {
        assertRefusedNaming(JwtTokenValidator.PARAM_ALGORITHMS,
                JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_ALGORITHMS, algorithms);
    }

    @Test
    void unknownAlgorithmIsRefused() {
        assertRefusedNaming(JwtTokenValidator.PARAM_ALGORITHMS,
                JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_ALGORITHMS, "HS257");
    }

    @Test
    void algorithmThatDoesNotFitTheKeyIsRefused() {
        String rsaPem = pem(RSA.getPublicKey());
        String ecPem = pem(EC.getPublicKey());
        assertRefusedNaming(JwtTokenValidator.PARAM_ALGORITHMS,
                JwtTokenValidator.PARAM_PUBLIC_KEY, rsaPem, JwtTokenValidator.PARAM_ALGORITHMS, "HS256");
        assertRefusedNaming(JwtTokenValidator.PARAM_ALGORITHMS,
                JwtTokenValidator.PARAM_PUBLIC_KEY, rsaPem, JwtTokenValidator.PARAM_ALGORITHMS, "RS256,ES256");
        assertRefusedNaming(JwtTokenValidator.PARAM_ALGORITHMS,
                JwtTokenValidator.PARAM_PUBLIC_KEY, ecPem, JwtTokenValidator.PARAM_ALGORITHMS, "ES384");
        assertRefusedNaming(JwtTokenValidator.PARAM_ALGORITHMS,
                JwtTokenValidator.PARAM_PUBLIC_KEY, ecPem, JwtTokenValidator.PARAM_ALGORITHMS, "RS256");
        assertRefusedNaming(JwtTokenValidator.PARAM_ALGORITHMS,
                JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_ALGORITHMS, "RS256");
        assertRefusedNaming(JwtTokenValidator.PARAM_ALGORITHMS, JwtTokenValidator.PARAM_JWKS_URL,
                "https://idp.example.com/jwks", JwtTokenValidator.PARAM_ALGORITHMS, "HS256");
    }

    @Test
    void algorithmNamesAreCanonicalised() {
        JwtTokenValidator validator = JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_PUBLIC_KEY,
                pem(RSA.getPublicKey()), JwtTokenValidator.PARAM_ALGORITHMS, "rs256 ps256"), CLOCK);
        assertTrue(validator.describe().contains("algorithms=[RS256, PS256]"), validator.describe());
    }

    @Test
    void issuerIsRequired() {
        assertRefusedNaming(JwtTokenValidator.PARAM_ISSUER,
                JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_ISSUER, null);
        assertRefusedNaming(JwtTokenValidator.PARAM_ISSUER,
                JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_ISSUER, "  ");
    }

    @Test
    void audienceIsRequiredUnlessAnyAudienceIsOptedIn() {
        assertRefusedNaming(JwtTokenValidator.PARAM_AUDIENCE,
                JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_AUDIENCE, null);
        assertRefusedNaming(JwtTokenValidator.PARAM_ALLOW_ANY_AUDIENCE,
                JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_ALLOW_ANY_AUDIENCE, "true");
        assertRefusedNaming(JwtTokenValidator.PARAM_ALLOW_ANY_AUDIENCE, JwtTokenValidator.PARAM_SECRET, SECRET,
                JwtTokenValidator.PARAM_AUDIENCE, null, JwtTokenValidator.PARAM_ALLOW_ANY_AUDIENCE, "yes");
    }

    @Test
    void clockSkewAndLifetimeAreBounded() {
        assertRefusedNaming(JwtTokenValidator.PARAM_CLOCK_SKEW,
                JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_CLOCK_SKEW, "6m");
        assertRefusedNaming(JwtTokenValidator.PARAM_MAX_LIFETIME,
                JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_MAX_LIFETIME, "365d");
        assertRefusedNaming(JwtTokenValidator.PARAM_MAX_LIFETIME,
                JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_MAX_LIFETIME, "soon");
    }

    @Test
    void requiredTypeMustBeAnAccessTokenMediaType() {
        assertRefusedNaming(JwtTokenValidator.PARAM_REQUIRE_TYPE,
                JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_REQUIRE_TYPE, "refresh+jwt");
        assertRefusedNaming(JwtTokenValidator.PARAM_REQUIRE_TYPE,
                JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_REQUIRE_TYPE, "at jwt;");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://idp.example.com/jwks", "http://10.0.0.1/jwks", "http://127.0.0.1.evil.com/jwks",
            "http://localhost.evil.com/jwks", "http://0177.0.0.1/jwks", "http://[::2]/jwks", "ftp://idp.example.com/jwks",
            "https://user:pass@idp.example.com/jwks", "/jwks", "https:///jwks", "not a url"})
    void jwksUrlThatIsNotHttpsOrLoopbackIsRefused(String url) {
        assertRefusedNaming(JwtTokenValidator.PARAM_JWKS_URL, JwtTokenValidator.PARAM_JWKS_URL, url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://idp.example.com/jwks", "http://127.0.0.1:8080/jwks", "http://127.1.2.3/jwks",
            "http://localhost/jwks", "http://LOCALHOST:1/jwks", "http://[::1]:8080/jwks"})
    void httpsOrLoopbackJwksUrlIsAcceptedWithoutFetchingAtStartUp(String url) {
        JwtTokenValidator validator = JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_JWKS_URL, url), CLOCK);
        assertTrue(validator.describe().startsWith("JwtTokenValidator[jwks=" + url + ", "), validator.describe());
        assertTrue(validator.describe().endsWith("algorithms=[RS256, ES256]]"), validator.describe());
    }

    @Test
    void jwksSettingsOutOfRangeOrWithoutJwksUrlAreRefused() {
        assertRefusedNaming(JwtTokenValidator.PARAM_JWKS_TIMEOUT,
                JwtTokenValidator.PARAM_SECRET, SECRET, JwtTokenValidator.PARAM_JWKS_TIMEOUT, "1s");
        assertRefusedNaming(JwtTokenValidator.PARAM_JWKS_REFETCH_INTERVAL, JwtTokenValidator.PARAM_JWKS_URL,
                "https://idp.example.com/jwks", JwtTokenValidator.PARAM_JWKS_REFETCH_INTERVAL, "0");
    }

    @Test
    void privateKeyIsRefusedAsPublicKey() {
        String privatePem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(RSA.getPrivateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        ConfigException e = refused(JwtTokenValidator.PARAM_PUBLIC_KEY, privatePem);
        assertEquals(JwtTokenValidator.PARAM_PUBLIC_KEY, e.parameter());
        assertTrue(e.getMessage().contains("private key"), e.getMessage());
    }

    @Test
    void unusablePublicKeysAreRefused() throws Exception {
        assertRefusedNaming(JwtTokenValidator.PARAM_PUBLIC_KEY, JwtTokenValidator.PARAM_PUBLIC_KEY, "not a key");
        assertRefusedNaming(JwtTokenValidator.PARAM_PUBLIC_KEY, JwtTokenValidator.PARAM_PUBLIC_KEY,
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----");
        assertRefusedNaming(JwtTokenValidator.PARAM_PUBLIC_KEY, JwtTokenValidator.PARAM_PUBLIC_KEY,
                pem(RSA.getPublicKey()).replace("PUBLIC KEY", "RSA PUBLIC KEY"));
        assertRefusedNaming(JwtTokenValidator.PARAM_PUBLIC_KEY, JwtTokenValidator.PARAM_PUBLIC_KEY,
                pem(RSA.getPublicKey()) + pem(EC.getPublicKey()));
        assertRefusedNaming(JwtTokenValidator.PARAM_PUBLIC_KEY, JwtTokenValidator.PARAM_PUBLIC_KEY,
                "file:/nonexistent/sessiongate/key.pem");
        assertRefusedNaming(JwtTokenValidator.PARAM_PUBLIC_KEY, JwtTokenValidator.PARAM_PUBLIC_KEY, "file:relative.pem");
        KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
        weak.initialize(1024);
        assertRefusedNaming(JwtTokenValidator.PARAM_PUBLIC_KEY, JwtTokenValidator.PARAM_PUBLIC_KEY,
                pem(weak.generateKeyPair().getPublic()));
    }

    @Test
    void describeNeverShowsTheSecret() {
        String secret = "a-very-secret-value-that-is-long-enough-for-hs256";
        JwtTokenValidator validator = JwtTokenValidator.fromParams(
                params(JwtTokenValidator.PARAM_SECRET, secret), CLOCK);
        assertFalse(validator.describe().contains(secret));
        assertFalse(validator.toString().contains(secret));
        assertFalse(SecretKeySource.parse("p", secret).toString().contains(secret));
    }
}
