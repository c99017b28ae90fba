package io.github.sessiongate.jwt;

import static io.github.sessiongate.jwt.JwtTokenValidatorTest.assertRefused;
import static io.github.sessiongate.jwt.JwtTokenValidatorTest.assertValid;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.sessiongate.Session;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.testing.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cold path's own promises (issue 11): one signature check per new token and none for junk,
 * a bounded header cache that never holds a refused header, claims parsed strictly once, and the
 * same hostile-token verdicts for every key source. Counts, never timings.
 */
class JwtTokenValidatorFastPathTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final long T = NOW.getEpochSecond();

    private HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();
    private volatile String jwksBody = new JsonWebKeySet(RSA, EC).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

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

    private static JwtTokenValidator hmac() {
        return JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_SECRET, SECRET), CLOCK);
    }

    private static JwtTokenValidator rsa() {
        return JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(RSA.getPublicKey())), CLOCK);
    }

    private static JwtTokenValidator ec() {
        return JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(EC.getPublicKey())), CLOCK);
    }

    private JwtTokenValidator jwks(Clock clock, String... more) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            hits.incrementAndGet();
            byte[] bytes = jwksBody.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
        return JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_JWKS_URL, url, more), clock);
    }

    /** The token with its claims segment replaced by {@code json}, signature kept. */
    private static String withPayload(String jwt, String json) {
        String[] parts = jwt.split("\\.");
        return parts[0] + "." + b64(json) + "." + parts[2];
    }

    private static String claims(String extra) {
        return "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"alice\",\"iat\":" + T
                + ",\"exp\":" + (T + 600) + extra + "}";
    }

    // --- claims parsed strictly, once ---------------------------------------------------------

    @Test
    void duplicateClaimNamesAreMalformedAtAnyDepth() {
        JwtTokenValidator v = hmac();
        assertRefused(Reason.MALFORMED, v.validate(token().payload(claims(",\"sub\":\"mallory\"")).hs256()));
        assertRefused(Reason.MALFORMED, v.validate(token().payload(claims(",\"exp\":" + (T + 60))).hs256()));
        assertRefused(Reason.MALFORMED, v.validate(token().payload(claims(",\"t\":{\"id\":1,\"id\":2}")).hs256()));
        // A duplicate that is null the first time is a duplicate too.
        assertRefused(Reason.MALFORMED, v.validate(token().payload(claims(",\"x\":null,\"x\":1")).hs256()));
        assertValid(v.validate(token().payload(claims(",\"t\":{\"id\":1},\"u\":{\"id\":2}")).hs256()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"exp", "nbf", "iat"})
    void fractionalTimesAreMalformed(String claim) {
        Map<String, String> times = new java.util.LinkedHashMap<>(Map.of("exp", (T + 600) + "", "iat", (T - 10) + "", "nbf", (T - 10) + ""));
        String whole = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"alice\"";
        String json = whole;
        for (Map.Entry<String, String> e : times.entrySet()) {
            whole += ",\"" + e.getKey() + "\":" + e.getValue();
            json += ",\"" + e.getKey() + "\":" + e.getValue() + (e.getKey().equals(claim) ? ".5" : "");
        }
        assertValid(hmac().validate(token().payload(whole + "}").hs256()));
        assertRefused(Reason.MALFORMED, hmac().validate(token().payload(json + "}").hs256()));
    }

    @Test
    void integralTimesWrittenWithAFractionOrExponentStayIntegers() {
        JwtTokenValidator v = hmac();
        assertValid(v.validate(token().payload(claims("").replace("\"exp\":" + (T + 600), "\"exp\":" + (T + 600) + ".0")).hs256()));
        assertValid(v.validate(token().payload(claims("").replace("\"exp\":" + (T + 600), "\"exp\":" + (T + 600) / 100 + "e2")).hs256()));
    }

    @Test
    void nestingBeyondTheBoundIsMalformedInClaimsAndHeader() {
        JwtTokenValidator v = hmac();
        String deep = "[".repeat(JwtTokenValidator.MAX_JSON_DEPTH) + "]".repeat(JwtTokenValidator.MAX_JSON_DEPTH);
        assertRefused(Reason.MALFORMED, v.validate(token().payload(claims(",\"x\":" + deep)).hs256()));
        String shallower = "[".repeat(JwtTokenValidator.MAX_JSON_DEPTH - 1) + "]".repeat(JwtTokenValidator.MAX_JSON_DEPTH - 1);
        assertValid(v.validate(token().payload(claims(",\"x\":" + shallower)).hs256()));
        assertRefused(Reason.MALFORMED, v.validate(token().hs256().replaceFirst("^[^.]+", b64("{\"alg\":\"HS256\",\"x\":" + deep + "}"))));
    }

    @Test
    void nonStrictJsonIsMalformed() {
        JwtTokenValidator v = hmac();
        for (String bad : new String[] {claims(",\"x\":1,"), claims(",\"x\":01"), claims(",\"x\":\"\\ud800\""),
                claims(",\"x\":\"a\u0001b\""), claims(",\"x\":\"\\x\""), claims("") + " x", "\ufeff" + claims("")}) {
            assertRefused(Reason.MALFORMED, v.validate(token().payload(bad).hs256()));
        }
        // Bytes that are not UTF-8 in a string.
        String good = token().hs256();
        String[] parts = good.split("\\.");
        byte[] json = claims(",\"x\":\"\u00ff\"").getBytes(StandardCharsets.ISO_8859_1);
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json);
        String signed = TestJwtSigner.hs256(forged);
        assertRefused(Reason.MALFORMED, v.validate(signed));
        assertValid(v.validate(token().claim("name", "Zoë \uD83D\uDE00").hs256()));
    }

    @Test
    void goodHeaderWithBrokenPayloadIsMalformedAfterOneSignatureCheck() {
        JwtTokenValidator v = hmac();
        assertRefused(Reason.MALFORMED, v.validate(token().payload("{\"sub\":").hs256()));
        assertEquals(1, v.signatureChecks());
        // Unsigned junk in the payload: still malformed, not a bad signature, as with jose4j's consumer.
        assertRefused(Reason.MALFORMED, v.validate(withPayload(token().hs256(), "not json")));
        assertRefused(Reason.BAD_SIGNATURE, v.validate(withPayload(token().hs256(), claims(",\"x\":1"))));
    }

    @Test
    void claimsAreTheParsedValuesImmutable() {
        Session s = assertValid(hmac().validate(token().claim("n", 1).claim("big", new java.math.BigInteger("123456789012345678901234"))
                .claim("d", 1.5).claim("l", List.of(true, "x")).hs256()));
        assertEquals(1L, s.claims().get("n"));
        assertEquals(new java.math.BigInteger("123456789012345678901234"), s.claims().get("big"));
        assertEquals(1.5, s.claims().get("d"));
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) s.claims().get("l");
        assertEquals(List.of(true, "x"), l);
        assertThrows(UnsupportedOperationException.class, () -> l.add("y"));
    }

    // --- garbage costs no signature work ------------------------------------------------------

    @Test
    void junkIsRefusedWithoutSignatureWork() {
        JwtTokenValidator v = rsa();
        String good = token().rs256();
        String[] junk = {"a.b", good + "=", good.replace('-', '+'), "e30.e30.c2ln", "eyJ.e30.c2ln",
                token().unsigned(), token().sign("HS256", new HmacKey(RSA.getPublicKey().getEncoded())),
                token().header("crit", List.of("exp")).rs256(), token().header("cty", "JWT").rs256(),
                token().header("enc", "A128GCM").rs256(), token().header("b64", true).rs256(),
                token().header("kid", 5).rs256(), "eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aXY.Y3Q.dGFn"};
        for (String t : junk) {
            assertInstanceOf(ValidationResult.Invalid.class, v.validate(t), t);
        }
        assertEquals(0, v.signatureChecks());
        assertEquals(0, v.cachedHeaders(), "refused headers never enter the cache");
    }

    @Test
    void unknownKidIsRefusedBeforeAnySignatureWorkAndRefetchesAtMostOncePerInterval() throws IOException {
        MutableClock clock = new MutableClock(NOW);
        JwtTokenValidator v = jwks(clock);
        assertValid(v.validate(token().kid("rsa-1").rs256()));
        assertEquals(1, v.signatureChecks());
        for (int i = 0; i < 20; i++) {
            assertRefused(Reason.UNKNOWN_KEY, v.validate(token().kid("nowhere-" + i).rs256()));
            assertRefused(Reason.UNKNOWN_KEY, v.validate(token().kid("../../../../dev/null").sign("RS256", OTHER_RSA.getPrivateKey())));
        }
        assertEquals(1, v.signatureChecks(), "an unknown kid costs no signature check");
        assertEquals(1, hits.get(), "and no fetch within the refetch interval");
        assertEquals(1, v.cachedHeaders(), "only the accepted header is cached");
    }

    @Test
    void aCachedHeaderSeesItsKeyLeaveTheKeySet() throws IOException {
        MutableClock clock = new MutableClock(NOW);
        JwtTokenValidator v = jwks(clock, JwtTokenValidator.PARAM_JWKS_CACHE_DURATION, "0");
        String jwt = token().kid("rsa-1").rs256();
        assertValid(v.validate(jwt));
        assertEquals(1, v.cachedHeaders());
        jwksBody = new JsonWebKeySet(EC, OTHER_RSA).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        clock.advance(JwtTokenValidator.DEFAULT_JWKS_REFETCH_INTERVAL);
        assertRefused(Reason.UNKNOWN_KEY, v.validate(jwt));
        assertEquals(0, v.cachedHeaders(), "the header whose key left is dropped");
        assertValid(v.validate(token().kid("rsa-2").sign("RS256", OTHER_RSA.getPrivateKey())));
    }

    @Test
    void headerCacheIsBoundedAndKeepsOnlyAcceptedHeaders() {
        JwtTokenValidator v = hmac();
        for (int i = 0; i < 5 * JwtTokenValidator.HEADER_CACHE_SLOTS; i++) {
            assertValid(v.validate(token().header("n", i).hs256()));
        }
        assertTrue(v.cachedHeaders() <= JwtTokenValidator.HEADER_CACHE_SLOTS, "cached: " + v.cachedHeaders());
        assertTrue(v.cachedHeaders() > JwtTokenValidator.HEADER_CACHE_SLOTS / 2, "cached: " + v.cachedHeaders());
        JwtTokenValidator fresh = hmac();
        for (int i = 0; i < 100; i++) {
            fresh.validate(token().header("n", i).header("crit", List.of("n")).hs256());
            fresh.validate(token().header("n", i).header("typ", "refresh").hs256().replaceFirst("^[^.]+",
                    b64("{\"alg\":\"none\",\"n\":" + i + "}")));
        }
        assertEquals(0, fresh.cachedHeaders());
        assertEquals(0, fresh.signatureChecks());
    }

    @Test
    void theSameHeaderIsParsedOnceAndStillAppliesItsTypeCheck() {
        JwtTokenValidator v = hmac();
        String refresh = token().header("typ", "refresh").hs256();
        assertRefused(Reason.WRONG_TOKEN_TYPE, v.validate(refresh));
        assertRefused(Reason.WRONG_TOKEN_TYPE, v.validate(token().header("typ", "refresh").claim("jti", "2").hs256()));
        // With another problem the token had before, the reason is the one it had: the issuer.
        assertRefused(Reason.WRONG_ISSUER, v.validate(token().header("typ", "refresh").claim("iss", "https://evil").hs256()));
    }

    // --- hostile tokens, every key source -----------------------------------------------------

    @Test
    void embeddedKeysAreNeverUsed() throws Exception {
        PublicJsonWebKey attacker = OTHER_RSA;
        Map<String, Object> jwk = attacker.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        String withJwk = token().header("jwk", jwk).sign("RS256", attacker.getPrivateKey());
        assertRefused(Reason.BAD_SIGNATURE, rsa().validate(withJwk));
        String withJku = token().header("jku", "https://evil.example/jwks").header("x5u", "https://evil.example/x5")
                .sign("RS256", attacker.getPrivateKey());
        assertRefused(Reason.BAD_SIGNATURE, rsa().validate(withJku));
        JwtTokenValidator fromJwks = jwks(new MutableClock(NOW));
        assertRefused(Reason.UNKNOWN_KEY, fromJwks.validate(token().kid("attacker").header("jwk", jwk).sign("RS256", attacker.getPrivateKey())));
        assertRefused(Reason.BAD_SIGNATURE, fromJwks.validate(token().kid("rsa-1").header("jwk", jwk).sign("RS256", attacker.getPrivateKey())));
        assertEquals(1, fromJwks.signatureChecks());
    }

    @Test
    void kidTricksChangeNothingForAFixedKey() {
        JwtTokenValidator v = rsa();
        assertValid(v.validate(token().kid("../../../../dev/null").rs256()));
        assertValid(v.validate(token().kid("' OR 1=1 --").rs256()));
        assertRefused(Reason.BAD_SIGNATURE, v.validate(token().kid("rsa-1").sign("RS256", OTHER_RSA.getPrivateKey())));
        assertRefused(Reason.MALFORMED, v.validate(token().header("kid", List.of("rsa-1")).rs256()));
    }

    @Test
    void ecdsaZeroAndTruncatedSignaturesAreRefused() {
        JwtTokenValidator v = ec();
        String jwt = token().es256();
        String input = jwt.substring(0, jwt.lastIndexOf('.') + 1);
        String zeros = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
        assertRefused(Reason.BAD_SIGNATURE, v.validate(input + zeros));
        String half = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        assertRefused(Reason.BAD_SIGNATURE, v.validate(input + half));
        assertValid(v.validate(jwt));
        assertRefused(Reason.DISALLOWED_ALGORITHM, v.validate(token().rs256()));
    }

    @Test
    void nestedEncryptedAndCriticalTokensAreMalformedForEveryKeySource() {
        for (JwtTokenValidator v : List.of(hmac(), rsa())) {
            boolean secret = v.describe().contains("secret");
            TestJwt base = token();
            java.util.function.Function<TestJwt, String> sign = t -> secret ? t.hs256() : t.rs256();
            assertRefused(Reason.MALFORMED, v.validate(sign.apply(token().header("cty", "JWT"))));
            assertRefused(Reason.MALFORMED, v.validate(sign.apply(token().header("cty", "application/jwt"))));
            assertRefused(Reason.MALFORMED, v.validate(sign.apply(token().header("crit", List.of("exp")).header("exp", 1))));
            assertRefused(Reason.MALFORMED, v.validate(sign.apply(token().header("enc", "A256GCM"))));
            assertValid(v.validate(sign.apply(base)));
        }
    }

    /** HS256 over a given signing input, for bytes {@link TestJwt} would not write. */
    private static final class TestJwtSigner {
        static String hs256(String input) {
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return input + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
