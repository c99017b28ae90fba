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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.testing.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adversarial review of the cold path (issue 11): hostile tokens aimed at the header cache, the
 * strict JSON parser, the re-stated claim checks and the key sources. Each must be refused with a
 * fixed reason (never {@code Unavailable}, which an exception would give), and junk must cost no
 * signature check. Counts, never timings.
 */
class FastPathAttackTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final long T = NOW.getEpochSecond();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

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

    private static JwtTokenValidator hmac(String... more) {
        return JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_SECRET, SECRET, more), CLOCK);
    }

    private static JwtTokenValidator rsa(String... more) {
        return JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(RSA.getPublicKey()), more), CLOCK);
    }

    private static JwtTokenValidator ec() {
        return JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(EC.getPublicKey())), CLOCK);
    }

    private static JwtTokenValidator ed() {
        return JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(EdKeys.ED25519.getPublic()),
                JwtTokenValidator.PARAM_ALGORITHMS, "EdDSA"), CLOCK);
    }

    private JwtTokenValidator jwks(Clock clock, String... more) throws IOException {
        if (server == null) {
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
        }
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
        return JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_JWKS_URL, url, more), clock);
    }

    private static String claims(String extra) {
        return "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"alice\",\"iat\":" + T
                + ",\"exp\":" + (T + 600) + extra + "}";
    }

    /** HS256 over raw header and payload JSON bytes, for bytes jose4j would never write. */
    private static String hs256Raw(byte[] header, byte[] payload) {
        String input = B64.encodeToString(header) + "." + B64.encodeToString(payload);
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hs256Raw(String header, String payload) {
        return hs256Raw(header.getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8));
    }

    private static final String HS_HEADER = "{\"alg\":\"HS256\"}";

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // --- signatures of every length and shape: refused, never an exception ----------------------

    /** Signatures of 0 to 600 bytes (zeros, ones, random, r=n/s=n for ECDSA): always refused as invalid, never unavailable. */
    @Test
    void signaturesOfAnyLengthAndShapeAreRefusedNeverThrow() {
        Random random = new Random(11);
        Map<String, JwtTokenValidator> validators = new java.util.LinkedHashMap<>();
        validators.put("HS256", hmac());
        validators.put("RS256", rsa());
        validators.put("PS256", rsa(JwtTokenValidator.PARAM_ALGORITHMS, "PS256"));
        validators.put("ES256", ec());
        validators.put("EdDSA", ed());
        for (Map.Entry<String, JwtTokenValidator> e : validators.entrySet()) {
            String alg = e.getKey();
            JwtTokenValidator v = e.getValue();
            String input = B64.encodeToString(ascii("{\"alg\":\"" + alg + "\"}")) + "." + b64(claims(""));
            List<byte[]> signatures = new ArrayList<>();
            for (int length : new int[] {0, 1, 2, 3, 31, 32, 33, 63, 64, 65, 66, 96, 127, 128, 131, 132, 133, 255, 256, 257, 512, 600}) {
                signatures.add(new byte[length]);
                byte[] ones = new byte[length];
                Arrays.fill(ones, (byte) 0xff);
                signatures.add(ones);
                byte[] noise = new byte[length];
                random.nextBytes(noise);
                signatures.add(noise);
            }
            byte[] n = unsigned32(EcdsaN.P256_N);
            signatures.add(concat(n, n));
            signatures.add(concat(new byte[31], new byte[] {1}, n));
            long before = v.signatureChecks();
            for (byte[] signature : signatures) {
                ValidationResult r = v.validate(input + "." + B64.encodeToString(signature));
                ValidationResult.Invalid invalid = assertInstanceOf(ValidationResult.Invalid.class, r,
                        () -> alg + " with a " + signature.length + "-byte signature: " + r);
                assertTrue(invalid.reason() == Reason.BAD_SIGNATURE || invalid.reason() == Reason.MALFORMED,
                        () -> alg + " " + signature.length + " bytes: " + invalid.reason());
            }
            assertTrue(v.signatureChecks() - before <= signatures.size());
        }
    }

    private static byte[] unsigned32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        System.arraycopy(raw, Math.max(0, raw.length - 32), out, Math.max(0, 32 - raw.length), Math.min(32, raw.length));
        return out;
    }

    /** The P-256 order, without importing the test helper's package into this one. */
    private static final class EcdsaN {
        static final BigInteger P256_N = io.github.sessiongate.testing.EcdsaMalleability.P256_N;
    }

    /** An Ed25519 signature whose S is replaced by S + L (the group order) is another spelling: refused (RFC 8032 5.1.7). */
    @Test
    void eddsaSignatureWithSPlusTheGroupOrderIsRefused() {
        JwtTokenValidator v = ed();
        String jwt = token().sign("EdDSA", EdKeys.ED25519.getPrivate());
        assertValid(v.validate(jwt));
        byte[] sig = Base64.getUrlDecoder().decode(jwt.substring(jwt.lastIndexOf('.') + 1));
        byte[] sLittle = Arrays.copyOfRange(sig, 32, 64);
        byte[] sBig = new byte[32];
        for (int i = 0; i < 32; i++) {
            sBig[i] = sLittle[31 - i];
        }
        BigInteger order = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
        byte[] raised = new BigInteger(1, sBig).add(order).toByteArray();
        byte[] out = Arrays.copyOf(sig, 64);
        for (int i = 0; i < 32; i++) {
            int from = raised.length - 1 - i;
            out[32 + i] = from >= 0 ? raised[from] : 0;
        }
        String twin = jwt.substring(0, jwt.lastIndexOf('.') + 1) + B64.encodeToString(out);
        assertRefused(Reason.BAD_SIGNATURE, v.validate(twin));
    }

    // --- alg spellings, algorithm confusion ---------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"rs256", "Rs256", "RS256 ", " RS256", "RS256\\u0000", "none", "None", "NONE", "nOnE", "", "HS256", "ES256", "EdDSA", "eddsa", "RS512"})
    void algSpellingsOtherThanTheAllowedOneAreRefusedBeforeSignatureWork(String alg) {
        JwtTokenValidator v = rsa();
        String genuine = token().rs256();
        String rest = genuine.substring(genuine.indexOf('.'));
        String forged = b64("{\"alg\":\"" + alg + "\"}") + rest;
        assertRefused(Reason.DISALLOWED_ALGORITHM, v.validate(forged));
        assertEquals(0, v.signatureChecks());
        assertEquals(0, v.cachedHeaders());
    }

    @Test
    void escapedAlgAndDuplicateAlgAreReadStrictly() {
        JwtTokenValidator v = hmac();
        // "\u0048S256" is HS256: the same value, written with an escape; accepted as jose4j would.
        assertValid(v.validate(hs256Raw("{\"alg\":\"\\u0048S256\"}", claims(""))));
        // A duplicate alg, once spelled with an escaped name: never "last one wins".
        assertRefused(Reason.MALFORMED, v.validate(hs256Raw("{\"alg\":\"none\",\"a\\u006cg\":\"HS256\"}", claims(""))));
        assertRefused(Reason.MALFORMED, v.validate(hs256Raw("{\"alg\":\"HS256\",\"a\\u006cg\":\"none\"}", claims(""))));
        assertRefused(Reason.DISALLOWED_ALGORITHM, v.validate(hs256Raw("{\"alg\":[\"HS256\"]}", claims(""))));
        assertRefused(Reason.DISALLOWED_ALGORITHM, v.validate(hs256Raw("{\"alg\":null}", claims(""))));
        assertRefused(Reason.DISALLOWED_ALGORITHM, v.validate(hs256Raw("{}", claims(""))));
        assertRefused(Reason.DISALLOWED_ALGORITHM, v.validate(hs256Raw("{\"ALG\":\"HS256\"}", claims(""))));
    }

    @Test
    void hs256SignedWithTheRsaPublicKeyBytesIsRefusedForPemAndJwks() throws IOException {
        byte[] pemBytes = pem(RSA.getPublicKey()).getBytes(StandardCharsets.US_ASCII);
        byte[] der = RSA.getPublicKey().getEncoded();
        for (byte[] secret : List.of(pemBytes, der)) {
            String forged = token().kid("rsa-1").sign("HS256", new HmacKey(secret));
            JwtTokenValidator pem = rsa();
            assertRefused(Reason.DISALLOWED_ALGORITHM, pem.validate(forged));
            assertEquals(0, pem.signatureChecks());
        }
        JwtTokenValidator fromJwks = jwks(new MutableClock(NOW));
        assertRefused(Reason.DISALLOWED_ALGORITHM, fromJwks.validate(token().kid("rsa-1").sign("HS256", new HmacKey(der))));
        assertEquals(0, fromJwks.signatureChecks());
    }

    @Test
    void unencodedPayloadJweAndCriticalHeadersAreMalformedBeforeSignatureWork() {
        JwtTokenValidator v = hmac();
        String claims = claims("");
        for (String header : List.of(
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}",
                "{\"alg\":\"HS256\",\"b64\":false}",
                "{\"alg\":\"HS256\",\"b64\":true}",
                "{\"alg\":\"HS256\",\"crit\":[]}",
                "{\"alg\":\"HS256\",\"enc\":\"A128GCM\"}",
                "{\"alg\":\"HS256\",\"cty\":\"jwt\"}",
                "{\"alg\":\"HS256\",\"cty\":\" Application/JWT \"}",
                "{\"alg\":\"HS256\",\"cty\":7}",
                "{\"alg\":\"HS256\",\"kid\":7}",
                "{\"alg\":\"HS256\",\"kid\":[\"a\"]}")) {
            assertRefused(Reason.MALFORMED, v.validate(hs256Raw(header, claims)));
        }
        assertEquals(0, v.signatureChecks());
        assertEquals(0, v.cachedHeaders());
        // An RFC 7797 token whose payload is sent raw (detached would be empty): never read as a JWT.
        String b64 = B64.encodeToString(ascii("{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}"));
        assertRefused(Reason.MALFORMED, v.validate(b64 + ".." + B64.encodeToString(new byte[32])));
    }

    // --- segment counts, lengths ---------------------------------------------------------------

    @Test
    void wrongShapesAreMalformedWithoutSignatureWork() {
        JwtTokenValidator v = hmac();
        String good = token().hs256();
        String[] p = good.split("\\.");
        List<String> shapes = List.of(
                p[0] + "." + p[1] + "." + p[2] + "." + p[2] + "." + p[2], // JWE-shaped, five segments
                p[0] + "." + p[1] + "." + p[2] + ".",
                p[0] + "." + p[1],
                "." + p[1] + "." + p[2],
                p[0] + ".." + p[2],
                "..",
                ".",
                p[0] + "." + p[1] + "." + p[2] + "=",
                p[0] + "=." + p[1] + "." + p[2]);
        for (String shape : shapes) {
            ValidationResult r = v.validate(shape);
            assertInstanceOf(ValidationResult.Invalid.class, r, shape);
            assertEquals(Reason.MALFORMED, ((ValidationResult.Invalid) r).reason(), shape);
        }
        // An empty payload: one signature check (the header is good), then malformed.
        assertTrue(v.signatureChecks() <= 1, "checks: " + v.signatureChecks());
        assertRefused(Reason.BAD_SIGNATURE, v.validate(p[0] + "." + p[1] + "."));
    }

    @Test
    void tokensAtAndOverTheLengthLimit() {
        JwtTokenValidator v = hmac();
        String pad = "x".repeat(TokenValidator.MAX_TOKEN_LENGTH);
        String full = null;
        for (int n = TokenValidator.MAX_TOKEN_LENGTH * 3 / 4; n > 0; n--) {
            String t = hs256Raw(HS_HEADER, claims(",\"pad\":\"" + pad.substring(0, n) + "\""));
            if (t.length() <= TokenValidator.MAX_TOKEN_LENGTH) {
                full = t;
                break;
            }
        }
        assertTrue(full.length() > TokenValidator.MAX_TOKEN_LENGTH - 8, "length " + full.length());
        assertValid(v.validate(full));
        String over = hs256Raw(HS_HEADER, claims(",\"pad\":\"" + pad.substring(0, TokenValidator.MAX_TOKEN_LENGTH * 3 / 4) + "\""));
        assertRefused(Reason.MALFORMED, v.validate(over));
        // A header of nearly the whole length: checked once, cached, bounded.
        String bigHeader = "{\"alg\":\"HS256\",\"x\":\"" + "y".repeat(TokenValidator.MAX_TOKEN_LENGTH / 2) + "\"}";
        assertValid(v.validate(hs256Raw(bigHeader, claims(""))));
    }

    // --- strict JSON in the claims -------------------------------------------------------------

    @Test
    void duplicateClaimsWithEscapedNamesAreMalformed() {
        JwtTokenValidator v = hmac();
        for (String extra : List.of(
                ",\"e\\u0078p\":" + (T + 99999),
                ",\"\\u0073ub\":\"admin\"",
                ",\"i\\u0073s\":\"https://evil\"",
                ",\"aud\":\"other\"",
                ",\"\\u0061\\u0075\\u0064\":[\"my-app\"]")) {
            assertRefused(Reason.MALFORMED, v.validate(hs256Raw(HS_HEADER, claims(extra))));
        }
        // Same name spelled with a raw UTF-8 character and with its escape.
        assertRefused(Reason.MALFORMED, v.validate(hs256Raw(HS_HEADER, claims(",\"\u00e9\":1,\"\\u00e9\":2"))));
        // Surrogate pair escape versus raw 4-byte UTF-8.
        assertRefused(Reason.MALFORMED, v.validate(hs256Raw(HS_HEADER, claims(",\"\\ud83d\\ude00\":1,\"\ud83d\ude00\":2"))));
        // Names that only look alike stay distinct and harmless.
        assertValid(v.validate(hs256Raw(HS_HEADER, claims(",\"exp\\u0000\":1,\"EXP\":2,\"ex\\u200bp\":3"))));
    }

    @Test
    void malformedUtf8AndBytesOutsideJsonAreMalformed() {
        JwtTokenValidator v = hmac();
        byte[] h = ascii(HS_HEADER);
        String base = claims("");
        byte[] body = ascii(base.substring(0, base.length() - 1));
        List<byte[]> payloads = List.of(
                concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, ascii(base)), // BOM
                concat(ascii(base), new byte[] {0}), // trailing NUL
                concat(body, ascii(",\"x\":\""), new byte[] {0}, ascii("\"}")), // raw NUL in a string
                concat(body, ascii(",\"x\":\""), new byte[] {(byte) 0xc0, (byte) 0xaf}, ascii("\"}")), // overlong '/'
                concat(body, ascii(",\"x\":\""), new byte[] {(byte) 0xc0, (byte) 0xa2}, ascii("\"}")), // overlong '"'
                concat(body, ascii(",\"x\":\""), new byte[] {(byte) 0xe0, (byte) 0x80, (byte) 0xa2}, ascii("\"}")),
                concat(body, ascii(",\"x\":\""), new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, ascii("\"}")), // CESU surrogate
                concat(body, ascii(",\"x\":\""), new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, ascii("\"}")),
                concat(body, ascii(",\"x\":\""), new byte[] {(byte) 0xff}, ascii("\"}")),
                concat(body, ascii(",\"x\":\""), new byte[] {(byte) 0xe2, (byte) 0x82}, ascii("\"}")), // truncated
                concat(body, ascii(",\"x\":\"\\ud800\"}")),
                concat(body, ascii(",\"x\":\"\\udc00\\ud800\"}")),
                concat(body, ascii(",\"x\":\"\\u12\"}")),
                concat(body, ascii(",\"x\":\"\\x41\"}")),
                concat(body, ascii(",\"x\":\"\\'\"}")),
                concat(body, ascii(",\"x\":01}")),
                concat(body, ascii(",\"x\":-}")),
                concat(body, ascii(",\"x\":1.}")),
                concat(body, ascii(",\"x\":.5}")),
                concat(body, ascii(",\"x\":1e}")),
                concat(body, ascii(",\"x\":+1}")),
                concat(body, ascii(",\"x\":0x10}")),
                concat(body, ascii(",\"x\":NaN}")),
                concat(body, ascii(",\"x\":Infinity}")),
                concat(body, ascii(",\"x\":1e400}")),
                concat(body, ascii(",\"x\":-1e400}")),
                concat(body, ascii(",\"x\":tru}")),
                concat(body, ascii(",\"x\":[1,]}")),
                concat(body, ascii(",}")),
                concat(body, ascii(",'x':1}")),
                concat(body, ascii("}}")),
                concat(body, ascii(",\"x\":\"\t\"}")), // raw tab in a string
                concat(body, ascii("\u000b}")), // vertical tab as space
                concat(body, ascii("\u00a0}")), // NBSP as space
                ascii("[" + base + "]"),
                ascii("\"" + base + "\""),
                new byte[0]);
        long before = v.signatureChecks();
        for (byte[] payload : payloads) {
            String t = hs256Raw(h, payload);
            assertRefused(Reason.MALFORMED, v.validate(t));
        }
        assertEquals(payloads.size(), v.signatureChecks() - before, "one signature check each, no more");
        // Whitespace RFC 8259 allows, and the escapes it lists, are fine.
        assertValid(v.validate(hs256Raw(h, ascii(" \t\r\n" + base.replace(",", " ,\n") + " \n"))));
        assertValid(v.validate(hs256Raw(h, concat(body, ascii(",\"x\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\uD83D\\uDE00\"}")))));
    }

    @Test
    void nestingDeepOnlyInArraysOrMixedIsBounded() {
        JwtTokenValidator v = hmac();
        // The claims object is depth 1: 31 more levels are allowed, a 32nd is not.
        assertValid(v.validate(hs256Raw(HS_HEADER, claims(",\"d\":" + "[".repeat(31) + "]".repeat(31)))));
        assertRefused(Reason.MALFORMED, v.validate(hs256Raw(HS_HEADER, claims(",\"d\":" + "[".repeat(32) + "]".repeat(32)))));
        assertRefused(Reason.MALFORMED, v.validate(hs256Raw(HS_HEADER, claims(",\"d\":" + "[{\"a\":".repeat(16) + "1" + "}]".repeat(16)))));
        // Unbalanced and very deep: refused at the bound, no stack overflow (which would be 'unavailable').
        assertRefused(Reason.MALFORMED, v.validate(hs256Raw(HS_HEADER, claims(",\"d\":" + "[".repeat(11000)))));
        assertRefused(Reason.MALFORMED, v.validate(hs256Raw("{\"alg\":\"HS256\",\"d\":" + "{\"a\":".repeat(5000) + "}", claims(""))));
    }

    /**
     * A number literal of thousands of digits costs quadratic time to read as a BigInteger (about
     * a millisecond for a 6 kB cookie, far more than a signature check), in a header before any
     * signature work and in claims even under a forged signature: refused by length instead
     * (RFC 8259 section 9 lets a parser limit the range and precision of numbers).
     */
    @Test
    void numberLiteralsOfThousandsOfDigitsAreMalformedBeforeAnyCostlyWork() throws StrictJson.Refused {
        JwtTokenValidator v = hmac();
        String digits = "7".repeat(4500);
        for (String number : List.of("1" + digits, "-1" + digits, "0." + digits, "1" + digits + ".5", "0." + digits + "e5", "1e" + digits)) {
            String header = "{\"alg\":\"HS256\",\"n\":" + number + "}";
            assertRefused(Reason.MALFORMED, v.validate(hs256Raw(header, claims(""))));
            assertRefused(Reason.MALFORMED, v.validate(hs256Raw(HS_HEADER, claims(",\"n\":" + number))));
            assertRefused(Reason.MALFORMED, v.validate(hs256Raw(HS_HEADER, claims(",\"n\":[" + number + "]"))));
        }
        assertEquals(12, v.signatureChecks(), "one check per claims case; the header refusals cost none");
        // Up to 40 characters a number is read as before: a 21-digit integer, a long double.
        String forty = "1" + "0".repeat(39);
        assertEquals(new BigInteger(forty), StrictJson.parseObject(ascii("{\"n\":" + forty + "}"), 32).get("n"));
        assertEquals(-1.2345678901234567e-300, StrictJson.parseObject(ascii("{\"n\":-1.2345678901234567e-300}"), 32).get("n"));
        assertValid(v.validate(hs256Raw(HS_HEADER, claims(",\"n\":" + forty))));
        org.junit.jupiter.api.Assertions.assertThrows(StrictJson.Refused.class,
                () -> StrictJson.parseObject(ascii("{\"n\":" + forty + "0}"), 32));
    }

    // --- claim types and edges -----------------------------------------------------------------

    @Test
    void claimsOfTheWrongTypeAreRefused() {
        JwtTokenValidator v = hmac();
        String base = "\"exp\":" + (T + 600) + ",\"iat\":" + T;
        Map<String, Reason> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"iss\":[\"" + ISSUER + "\"],\"aud\":\"my-app\",\"sub\":\"a\"," + base + "}", Reason.MALFORMED);
        cases.put("{\"iss\":1,\"aud\":\"my-app\",\"sub\":\"a\"," + base + "}", Reason.MALFORMED);
        cases.put("{\"iss\":null,\"aud\":\"my-app\",\"sub\":\"a\"," + base + "}", Reason.WRONG_ISSUER);
        cases.put("{\"iss\":\"" + ISSUER + "/\",\"aud\":\"my-app\",\"sub\":\"a\"," + base + "}", Reason.WRONG_ISSUER);
        cases.put("{\"iss\":\"" + ISSUER.toUpperCase() + "\",\"aud\":\"my-app\",\"sub\":\"a\"," + base + "}", Reason.WRONG_ISSUER);
        cases.put("{\"iss\":\"" + ISSUER + "\",\"aud\":[1,\"my-app\"],\"sub\":\"a\"," + base + "}", Reason.MALFORMED);
        cases.put("{\"iss\":\"" + ISSUER + "\",\"aud\":[[\"my-app\"]],\"sub\":\"a\"," + base + "}", Reason.MALFORMED);
        cases.put("{\"iss\":\"" + ISSUER + "\",\"aud\":{\"my-app\":1},\"sub\":\"a\"," + base + "}", Reason.MALFORMED);
        cases.put("{\"iss\":\"" + ISSUER + "\",\"aud\":[],\"sub\":\"a\"," + base + "}", Reason.WRONG_AUDIENCE);
        cases.put("{\"iss\":\"" + ISSUER + "\",\"aud\":[null],\"sub\":\"a\"," + base + "}", Reason.WRONG_AUDIENCE);
        cases.put("{\"iss\":\"" + ISSUER + "\",\"aud\":\"MY-APP\",\"sub\":\"a\"," + base + "}", Reason.WRONG_AUDIENCE);
        cases.put("{\"iss\":\"" + ISSUER + "\",\"aud\":true,\"sub\":\"a\"," + base + "}", Reason.MALFORMED);
        cases.put("{\"iss\":\"" + ISSUER + "\",\"aud\":\"my-app\",\"sub\":42," + base + "}", Reason.MALFORMED);
        cases.put("{\"iss\":\"" + ISSUER + "\",\"aud\":\"my-app\",\"sub\":[\"a\"]," + base + "}", Reason.MALFORMED);
        cases.put("{\"iss\":\"" + ISSUER + "\",\"aud\":\"my-app\",\"sub\":\" \\t\\n\"," + base + "}", Reason.NO_SUBJECT);
        cases.put("{\"iss\":\"" + ISSUER + "\",\"aud\":\"my-app\",\"sub\":\"\\u2003\"," + base + "}", Reason.NO_SUBJECT);
        cases.put("{\"iss\":\"" + ISSUER + "\",\"aud\":\"my-app\",\"sub\":null," + base + "}", Reason.NO_SUBJECT);
        cases.put("{\"iss\":\"" + ISSUER + "\",\"aud\":\"my-app\",\"sub\":\"a\",\"iat\":" + T + "}", Reason.MISSING_CLAIM);
        cases.put("{\"iss\":\"" + ISSUER + "\",\"aud\":\"my-app\",\"sub\":\"a\",\"exp\":null}", Reason.MISSING_CLAIM);
        for (Map.Entry<String, Reason> e : cases.entrySet()) {
            ValidationResult r = v.validate(hs256Raw(HS_HEADER, e.getKey()));
            assertEquals(ValidationResult.invalid(e.getValue()), r, e.getKey());
        }
        // A null in an audience array beside the right one passes (as jose4j read it).
        assertValid(v.validate(hs256Raw(HS_HEADER, "{\"iss\":\"" + ISSUER + "\",\"aud\":[null,\"my-app\"],\"sub\":\"a\"," + base + "}")));
    }

    @Test
    void numericDatesInEveryHostileSpelling() {
        JwtTokenValidator v = hmac();
        String head = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"my-app\",\"sub\":\"a\"";
        Map<String, Object> cases = new java.util.LinkedHashMap<>();
        // exp spellings
        cases.put(",\"exp\":\"" + (T + 600) + "\"", Reason.MALFORMED);
        cases.put(",\"exp\":true", Reason.MALFORMED);
        cases.put(",\"exp\":[" + (T + 600) + "]", Reason.MALFORMED);
        cases.put(",\"exp\":{}", Reason.MALFORMED);
        cases.put(",\"exp\":" + (T + 600) + ".5", Reason.MALFORMED);
        cases.put(",\"exp\":1e308", Reason.LIFETIME_TOO_LONG);
        cases.put(",\"exp\":1e309", Reason.MALFORMED);
        cases.put(",\"exp\":-1e308", Reason.MALFORMED);
        cases.put(",\"exp\":9223372036854775807", Reason.LIFETIME_TOO_LONG);
        cases.put(",\"exp\":9223372036854775808", Reason.MALFORMED);
        cases.put(",\"exp\":-9223372036854775808", Reason.MALFORMED);
        cases.put(",\"exp\":-9223372036854775809", Reason.MALFORMED);
        cases.put(",\"exp\":" + "9".repeat(400), Reason.MALFORMED);
        cases.put(",\"exp\":-0", "expired");
        cases.put(",\"exp\":-0.0", "expired");
        cases.put(",\"exp\":0e99999", "expired");
        cases.put(",\"exp\":1e-400", "expired");
        cases.put(",\"exp\":" + (T + 600) + "e0", "valid");
        cases.put(",\"exp\":" + (T + 600) + ".000", "valid");
        cases.put(",\"exp\":" + (T + 600) / 100 + "E2", "valid");
        cases.put(",\"exp\":" + (T + 600) + "0e-1", "valid");
        cases.put(",\"exp\":" + (T + 86400 * 2), Reason.LIFETIME_TOO_LONG);
        // nbf and iat
        cases.put(",\"exp\":" + (T + 600) + ",\"nbf\":" + (T + 31), Reason.NOT_YET_VALID);
        cases.put(",\"exp\":" + (T + 600) + ",\"nbf\":" + (T + 30), "valid");
        cases.put(",\"exp\":" + (T + 600) + ",\"iat\":" + (T + 31), Reason.ISSUED_IN_FUTURE);
        cases.put(",\"exp\":" + (T + 600) + ",\"iat\":" + (T + 30), "valid");
        cases.put(",\"exp\":" + (T + 600) + ",\"iat\":" + (T + 601), Reason.MALFORMED);
        cases.put(",\"exp\":" + (T + 600) + ",\"nbf\":" + (T + 601), Reason.MALFORMED);
        cases.put(",\"exp\":" + (T + 600) + ",\"iat\":-9223372036854775808", Reason.MALFORMED);
        cases.put(",\"exp\":" + (T + 600) + ",\"iat\":-1e300", Reason.MALFORMED);
        cases.put(",\"exp\":" + (T + 600) + ",\"nbf\":-9223372036854775808", "valid");
        cases.put(",\"exp\":" + (T + 600) + ",\"iat\":\"0\"", Reason.MALFORMED);
        cases.put(",\"exp\":" + (T + 600) + ",\"nbf\":false", Reason.MALFORMED);
        cases.put(",\"exp\":" + (T + 600) + ",\"iat\":" + (T - 86400 * 3), Reason.LIFETIME_TOO_LONG);
        cases.put(",\"exp\":" + (T + 600) + ",\"iat\":0", Reason.LIFETIME_TOO_LONG);
        // The lifetime without iat counts from now: a far exp is too long even when iat is left out.
        cases.put(",\"exp\":" + (T + 86400 + 1), Reason.LIFETIME_TOO_LONG);
        for (Map.Entry<String, Object> e : cases.entrySet()) {
            String json = head + e.getKey() + "}";
            ValidationResult r = v.validate(hs256Raw(HS_HEADER, json));
            if (e.getValue() instanceof Reason reason) {
                assertEquals(ValidationResult.invalid(reason), r, json);
            } else if (e.getValue().equals("valid")) {
                assertInstanceOf(ValidationResult.Valid.class, r, json);
            } else {
                assertInstanceOf(ValidationResult.Expired.class, r, json);
            }
        }
    }

    @Test
    void typeMarksCannotBeSmuggledPast() {
        JwtTokenValidator v = hmac();
        for (String header : List.of(
                "{\"alg\":\"HS256\",\"typ\":\"Refresh\"}",
                "{\"alg\":\"HS256\",\"typ\":\"application/REFRESH+JWT\"}",
                "{\"alg\":\"HS256\",\"typ\":\" id_token \"}",
                "{\"alg\":\"HS256\",\"typ\":\"logout+jwt\"}",
                "{\"alg\":\"HS256\",\"typ\":\"r\\u0065fresh\"}",
                "{\"alg\":\"HS256\",\"typ\":1}",
                "{\"alg\":\"HS256\",\"typ\":null,\"t\\u0079p\":\"refresh\"}")) {
            ValidationResult r = v.validate(hs256Raw(header, claims("")));
            assertTrue(r.equals(ValidationResult.invalid(Reason.WRONG_TOKEN_TYPE)) || r.equals(ValidationResult.invalid(Reason.MALFORMED)),
                    header + ": " + r);
            // Twice: a cached header keeps its verdict.
            assertEquals(r, v.validate(hs256Raw(header, claims(""))), header);
        }
        for (String extra : List.of(",\"typ\":\"Refresh\"", ",\"typ\":7", ",\"token_use\":\"id\"", ",\"token_use\":\"ACCESS \",\"nonce\":\"n\"",
                ",\"at_hash\":\"x\"", ",\"c_hash\":\"\"", ",\"nonce\":false")) {
            assertRefused(Reason.WRONG_TOKEN_TYPE, v.validate(hs256Raw(HS_HEADER, claims(extra))));
        }
        // A typ-refused header, even on a genuinely signed token, never enters the header cache.
        JwtTokenValidator fresh = hmac();
        String refreshHeader = "{\"alg\":\"HS256\",\"typ\":\"refresh\"}";
        for (int i = 0; i < 3; i++) {
            assertRefused(Reason.WRONG_TOKEN_TYPE, fresh.validate(hs256Raw(refreshHeader, claims(",\"jti\":\"" + i + "\""))));
        }
        assertEquals(0, fresh.cachedHeaders());
    }

    @Test
    void requiredTypeIsAppliedToCachedHeadersToo() {
        JwtTokenValidator v = hmac(JwtTokenValidator.PARAM_REQUIRE_TYPE, "at+jwt");
        String plain = hs256Raw("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims(""));
        String at = hs256Raw("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}", claims(""));
        for (int i = 0; i < 3; i++) {
            assertRefused(Reason.WRONG_TOKEN_TYPE, v.validate(plain));
            assertValid(v.validate(at));
            assertRefused(Reason.WRONG_TOKEN_TYPE, v.validate(hs256Raw(HS_HEADER, claims(""))));
        }
    }

    // --- header cache --------------------------------------------------------------------------

    @Test
    void headerSegmentsThatArePrefixesOfEachOtherNeverShareAVerdict() {
        JwtTokenValidator v = hmac();
        // {"alg":"HS256"} and the same with trailing spaces: each segment is a prefix of the next.
        List<String> headers = new ArrayList<>();
        for (int spaces = 0; spaces <= 12; spaces += 3) {
            headers.add(HS_HEADER + " ".repeat(spaces));
        }
        String prev = null;
        for (String h : headers) {
            String seg = B64.encodeToString(ascii(h));
            if (prev != null) {
                assertTrue(seg.startsWith(prev), seg + " / " + prev);
            }
            prev = seg;
            assertValid(v.validate(hs256Raw(h, claims(""))));
        }
        // A refused variant of a cached header, and a prefix of a cached header that is not JSON.
        String cachedSeg = B64.encodeToString(ascii(HS_HEADER + "   "));
        String genuine = hs256Raw(HS_HEADER + "   ", claims(""));
        String rest = genuine.substring(genuine.indexOf('.'));
        // Four characters fewer is the unpadded header: good, but another signing input.
        assertRefused(Reason.BAD_SIGNATURE, v.validate(cachedSeg.substring(0, cachedSeg.length() - 4) + rest));
        // One fewer: the header with two spaces (canonical, since 'A' has no low bits): also another input.
        assertRefused(Reason.BAD_SIGNATURE, v.validate(cachedSeg.substring(0, cachedSeg.length() - 1) + rest));
        // Two fewer: non-zero unused bits, not canonical.
        assertRefused(Reason.MALFORMED, v.validate(cachedSeg.substring(0, cachedSeg.length() - 2) + rest));
        assertRefused(Reason.MALFORMED, v.validate(cachedSeg + "AAAA" + rest));
    }

    @Test
    void aFloodOfAcceptableHeadersStaysBoundedAndTheGenuineHeaderStillWorks() {
        JwtTokenValidator v = hmac();
        String genuine = token().hs256();
        assertValid(v.validate(genuine));
        String junkSig = "." + B64.encodeToString(new byte[32]);
        for (int i = 0; i < 5000; i++) {
            String h = B64.encodeToString(ascii("{\"alg\":\"HS256\",\"n\":" + i + ",\"pad\":\"" + "p".repeat(200) + "\"}"));
            assertRefused(Reason.BAD_SIGNATURE, v.validate(h + "." + b64(claims("")) + junkSig));
        }
        assertTrue(v.cachedHeaders() <= JwtTokenValidator.HEADER_CACHE_SLOTS);
        assertValid(v.validate(genuine));
        assertRefused(Reason.BAD_SIGNATURE, v.validate(genuine.substring(0, genuine.lastIndexOf('.')) + junkSig));
    }

    /**
     * Without the key, nobody can put a header into the cache: a forged token's header (however
     * acceptable) is checked and used, but kept only once a token with it verified. Otherwise a
     * flood of distinct forged headers would evict the identity provider's own headers and keep up
     * to 256 attacker-chosen segments of up to 16 kB each.
     */
    @Test
    void forgedTokensNeverEnterTheHeaderCache() throws IOException {
        JwtTokenValidator v = hmac();
        String genuine = token().hs256();
        assertValid(v.validate(genuine));
        assertEquals(1, v.cachedHeaders());
        String junkSig = "." + B64.encodeToString(new byte[32]);
        String pad = "p".repeat(8000);
        for (int i = 0; i < 2 * JwtTokenValidator.HEADER_CACHE_SLOTS; i++) {
            String h = B64.encodeToString(ascii("{\"alg\":\"HS256\",\"n\":" + i + ",\"pad\":\"" + pad + "\"}"));
            assertRefused(Reason.BAD_SIGNATURE, v.validate(h + "." + b64(claims("")) + junkSig));
        }
        assertEquals(1, v.cachedHeaders(), "only the genuine token's header is cached");

        JwtTokenValidator fromJwks = jwks(new MutableClock(NOW));
        assertValid(fromJwks.validate(token().kid("rsa-1").rs256()));
        for (int i = 0; i < 50; i++) {
            assertRefused(Reason.BAD_SIGNATURE, fromJwks.validate(token().kid("rsa-1").header("n", i).sign("RS256", OTHER_RSA.getPrivateKey())));
        }
        assertEquals(1, fromJwks.cachedHeaders(), "forged tokens naming a known kid stay out too");
        // A genuine token with a new header is still cached once it verified. (Asked of that
        // header, not counted: the slot is random per cache and may be the first header's.)
        String newHeader = token().kid("rsa-1").header("n", 1).rs256();
        assertFalse(fromJwks.headerCached(newHeader));
        assertValid(fromJwks.validate(newHeader));
        assertTrue(fromJwks.headerCached(newHeader));
    }

    @Test
    void aCachedHeaderWhoseKidIsReusedForANewKeyNoLongerVerifiesOldTokens() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        RsaJsonWebKey reused = new RsaJsonWebKey((java.security.interfaces.RSAPublicKey) OTHER_RSA.getPublicKey());
        reused.setKeyId("rsa-1"); // the old kid, now naming another key
        JwtTokenValidator v = jwks(clock, JwtTokenValidator.PARAM_JWKS_CACHE_DURATION, "0");
        String old = token().kid("rsa-1").rs256();
        assertValid(v.validate(old));
        assertEquals(1, v.cachedHeaders());
        jwksBody = new JsonWebKeySet(reused).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        clock.advance(JwtTokenValidator.DEFAULT_JWKS_REFETCH_INTERVAL);
        assertRefused(Reason.BAD_SIGNATURE, v.validate(old));
        assertValid(v.validate(token().kid("rsa-1").sign("RS256", OTHER_RSA.getPrivateKey())));
    }

    @Test
    void aCachedHeaderForAKidThatLeavesAndComesBackIsResolvedEachTime() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        JwtTokenValidator v = jwks(clock, JwtTokenValidator.PARAM_JWKS_CACHE_DURATION, "0");
        String jwt = token().kid("rsa-1").rs256();
        assertValid(v.validate(jwt));
        jwksBody = new JsonWebKeySet(EC).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        clock.advance(JwtTokenValidator.DEFAULT_JWKS_REFETCH_INTERVAL);
        assertRefused(Reason.UNKNOWN_KEY, v.validate(jwt));
        assertRefused(Reason.UNKNOWN_KEY, v.validate(jwt));
        jwksBody = new JsonWebKeySet(RSA).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        clock.advance(JwtTokenValidator.DEFAULT_JWKS_REFETCH_INTERVAL);
        assertValid(v.validate(jwt));
    }

    // --- key sources ---------------------------------------------------------------------------

    @Test
    void kidInjectionAndJunkKidsCostNoSignatureAndAtMostOneFetch() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        JwtTokenValidator v = jwks(clock);
        assertValid(v.validate(token().kid("rsa-1").rs256()));
        int fetches = hits.get();
        long checks = v.signatureChecks();
        for (String kid : List.of("../../etc/passwd", "' OR 1=1 --", "rsa-1\u0000", "RSA-1", "rsa-1 ", "", "\u202ersa-1",
                "x".repeat(4000), "ec-1", "rsa-1\",\"kid\":\"x")) {
            assertRefused(Reason.UNKNOWN_KEY, v.validate(token().kid(kid).rs256()));
        }
        assertEquals(checks, v.signatureChecks(), "no signature check for an unknown kid");
        assertTrue(hits.get() <= fetches + 1, "at most one refetch in the interval: " + (hits.get() - fetches));
        assertEquals(1, v.cachedHeaders());
    }

    @Test
    void aWeakRsaKeyInTheJwksIsNeverUsed() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        KeyPair weak = g.generateKeyPair();
        RsaJsonWebKey jwk = new RsaJsonWebKey((java.security.interfaces.RSAPublicKey) weak.getPublic());
        jwk.setKeyId("weak");
        jwksBody = new JsonWebKeySet(jwk, RSA).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        JwtTokenValidator v = jwks(new MutableClock(NOW));
        assertRefused(Reason.UNKNOWN_KEY, v.validate(token().kid("weak").sign("RS256", weak.getPrivate())));
        assertEquals(0, v.signatureChecks());
        assertEquals(0, v.cachedHeaders());
        // Without a kid, only the strong key of the set is a candidate.
        assertRefused(Reason.BAD_SIGNATURE, v.validate(token().sign("RS256", weak.getPrivate())));
        assertValid(v.validate(token().sign("RS256", RSA.getPrivateKey())));
    }

    @Test
    void eddsaWithEd448JwkOrAnotherCurveIsUnknownKey() throws Exception {
        jwksBody = new JsonWebKeySet(EdKeys.jwk(EdKeys.ED448, "ed448"), EdKeys.jwk(EdKeys.ED25519, "ed25519"), RSA)
                .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        JwtTokenValidator v = jwks(new MutableClock(NOW), JwtTokenValidator.PARAM_ALGORITHMS, "RS256,EdDSA");
        assertRefused(Reason.UNKNOWN_KEY, v.validate(token().kid("ed448").sign("EdDSA", EdKeys.ED448.getPrivate())));
        assertRefused(Reason.UNKNOWN_KEY, v.validate(token().kid("rsa-1").sign("EdDSA", EdKeys.ED25519.getPrivate())));
        assertRefused(Reason.UNKNOWN_KEY, v.validate(token().kid("ed25519").rs256()));
        assertEquals(0, v.signatureChecks());
        // Without kid: the one Ed25519 key is the only candidate, Ed448's signature fails against it.
        ValidationResult r = v.validate(token().sign("EdDSA", EdKeys.ED448.getPrivate()));
        assertInstanceOf(ValidationResult.Invalid.class, r, r::toString);
        assertValid(v.validate(token().kid("ed25519").sign("EdDSA", EdKeys.ED25519.getPrivate())));
        // EdDSA is not allowed unless listed, even with an Ed25519 key in the set.
        JwtTokenValidator rsOnly = jwks(new MutableClock(NOW));
        assertRefused(Reason.DISALLOWED_ALGORITHM, rsOnly.validate(token().kid("ed25519").sign("EdDSA", EdKeys.ED25519.getPrivate())));
        assertEquals(0, rsOnly.signatureChecks());
    }

    @Test
    void ed448PemKeyAndEd25519WithoutListingEdDsaFailStartUp() {
        org.junit.jupiter.api.Assertions.assertThrows(io.github.sessiongate.ConfigException.class, () ->
                JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(EdKeys.ED448.getPublic()),
                        JwtTokenValidator.PARAM_ALGORITHMS, "EdDSA"), CLOCK));
        org.junit.jupiter.api.Assertions.assertThrows(io.github.sessiongate.ConfigException.class, () ->
                JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_PUBLIC_KEY, pem(EdKeys.ED25519.getPublic())), CLOCK));
    }

    @Test
    void jwksWithoutKidAndSeveralKeysNeverAcceptsAForeignKey() throws Exception {
        jwksBody = new JsonWebKeySet(RSA, OTHER_RSA, EC).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        JwtTokenValidator v = jwks(new MutableClock(NOW));
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair foreign = g.generateKeyPair();
        assertRefused(Reason.UNKNOWN_KEY, v.validate(token().sign("RS256", foreign.getPrivate())));
        // Embedded keys are never used either.
        RsaJsonWebKey embedded = new RsaJsonWebKey((java.security.interfaces.RSAPublicKey) foreign.getPublic());
        assertRefused(Reason.UNKNOWN_KEY, v.validate(token().header("jwk", embedded.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY))
                .sign("RS256", foreign.getPrivate())));
        assertValid(v.validate(token().sign("RS256", OTHER_RSA.getPrivateKey())));
        assertValid(v.validate(token().sign("ES256", EC.getPrivateKey())));
    }

    @Test
    void publicKeyIdRefusesForeignAndMissingKidsBeforeSignatureWork() {
        JwtTokenValidator v = rsa(JwtTokenValidator.PARAM_PUBLIC_KEY_ID, "k1");
        for (TestJwt t : List.of(token(), token().kid("k2"), token().kid("K1"), token().kid("k1 "), token().kid("k1\u0000"))) {
            assertRefused(Reason.UNKNOWN_KEY, v.validate(t.rs256()));
        }
        assertRefused(Reason.MALFORMED, v.validate(token().header("kid", List.of("k1")).rs256()));
        assertRefused(Reason.MALFORMED, v.validate(token().header("kid", 1).rs256()));
        assertEquals(0, v.signatureChecks());
        assertEquals(0, v.cachedHeaders());
        assertValid(v.validate(token().kid("k1").rs256()));
        assertRefused(Reason.BAD_SIGNATURE, v.validate(token().kid("k1").sign("RS256", OTHER_RSA.getPrivateKey())));
    }

    // --- concurrency: the header cache under racing threads -----------------------------------

    @Test
    void racingThreadsOnCollidingHeadersNeverMixVerdicts() throws Exception {
        JwtTokenValidator v = hmac();
        List<String> good = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            good.add(hs256Raw("{\"alg\":\"HS256\",\"g\":" + i + "}", claims("")));
            bad.add(hs256Raw("{\"alg\":\"HS256\",\"typ\":\"refresh\",\"b\":" + i + "}", claims("")));
        }
        AtomicInteger wrong = new AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int seed = t;
            threads[t] = new Thread(() -> {
                Random r = new Random(seed);
                for (int i = 0; i < 3000; i++) {
                    int k = r.nextInt(600);
                    if (r.nextBoolean()) {
                        if (!(v.validate(good.get(k)) instanceof ValidationResult.Valid)) {
                            wrong.incrementAndGet();
                        }
                    } else if (!v.validate(bad.get(k)).equals(ValidationResult.invalid(Reason.WRONG_TOKEN_TYPE))) {
                        wrong.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, wrong.get());
        assertTrue(v.cachedHeaders() <= JwtTokenValidator.HEADER_CACHE_SLOTS);
    }
}
