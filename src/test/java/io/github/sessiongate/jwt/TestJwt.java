package io.github.sessiongate.jwt;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Builds real signed test tokens: starts from a valid access token for {@link #ISSUER} and
 * {@link #AUDIENCE} issued at {@link #NOW}, then each method changes one thing.
 */
final class TestJwt {
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    static final String ISSUER = "https://idp.example.com";
    static final String AUDIENCE = "my-app";
    static final String SUBJECT = "alice";
    /** 32 bytes: just enough for HS256. */
    static final String SECRET = "0123456789abcdef0123456789abcdef";

    /** Generated once per JVM: RSA key generation is the slowest thing in these tests. */
    static final RsaJsonWebKey RSA = rsa("rsa-1");
    static final RsaJsonWebKey OTHER_RSA = rsa("rsa-2");
    static final EllipticCurveJsonWebKey EC = ec("ec-1");

    private final Map<String, Object> claims = new LinkedHashMap<>();
    private final Map<String, Object> headers = new LinkedHashMap<>();
    private String rawPayload;

    private TestJwt() {
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", SUBJECT);
        claims.put("iat", NOW.getEpochSecond());
        claims.put("exp", NOW.getEpochSecond() + 600);
        claims.put("roles", List.of("user", "admin"));
    }

    /** A valid access token's claims, ten minutes to live. */
    static TestJwt token() {
        return new TestJwt();
    }

    TestJwt claim(String name, Object value) {
        claims.put(name, value);
        return this;
    }

    TestJwt without(String name) {
        claims.remove(name);
        return this;
    }

    /** Seconds relative to {@link #NOW}. */
    TestJwt time(String name, long secondsFromNow) {
        return claim(name, NOW.getEpochSecond() + secondsFromNow);
    }

    TestJwt header(String name, Object value) {
        headers.put(name, value);
        return this;
    }

    TestJwt kid(String kid) {
        return header("kid", kid);
    }

    /** Replaces the claims with literal JSON, for values jose4j would not write (e.g. 1e20). */
    TestJwt payload(String json) {
        rawPayload = json;
        return this;
    }

    String hs256() {
        return sign("HS256", new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    String rs256() {
        return sign("RS256", RSA.getPrivateKey());
    }

    String es256() {
        return sign("ES256", EC.getPrivateKey());
    }

    /** Signs with any algorithm and key; jose4j's own key and algorithm checks are off. */
    String sign(String alg, Key key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payloadJson());
        headers.forEach((n, v) -> jws.getHeaders().setObjectHeaderValue(n, v));
        jws.setAlgorithmHeaderValue(alg);
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token: {@code alg: none} and an empty signature. */
    String unsigned() {
        Map<String, Object> h = new LinkedHashMap<>(headers);
        h.put("alg", "none");
        return b64(JsonUtil.toJson(h)) + "." + b64(payloadJson()) + ".";
    }

    private String payloadJson() {
        return rawPayload != null ? rawPayload : JsonUtil.toJson(claims);
    }

    static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static RsaJsonWebKey rsa(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EllipticCurveJsonWebKey ec(String kid) {
        try {
            EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
