package io.github.sessiongate.guest;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Builds signed test tokens shaped like a valid guest token issued at {@link #NOW}; each method
 * changes one thing, so every hostile variant is a real signed token.
 */
final class GuestJwt {
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    /** 32 bytes: just enough for HS256. */
    static final String SECRET = "guest-secret-0123456789abcdef-01";
    static final String OTHER_SECRET = "another-secret-0123456789abcdef-";

    private final Map<String, Object> claims = new LinkedHashMap<>();
    private final Map<String, Object> headers = new LinkedHashMap<>();

    private GuestJwt() {
        claims.put("iss", GuestTokens.ISSUER);
        claims.put("aud", GuestTokens.AUDIENCE);
        claims.put("sub", "guest:AAAAAAAAAAAAAAAAAAAAAA");
        claims.put("iat", NOW.getEpochSecond());
        claims.put("exp", NOW.getEpochSecond() + 600);
        claims.put("jti", "j-1");
        headers.put("typ", GuestTokens.TYPE);
    }

    static GuestJwt token() {
        return new GuestJwt();
    }

    GuestJwt claim(String name, Object value) {
        claims.put(name, value);
        return this;
    }

    GuestJwt without(String name) {
        claims.remove(name);
        return this;
    }

    GuestJwt time(String name, long secondsFromNow) {
        return claim(name, NOW.getEpochSecond() + secondsFromNow);
    }

    GuestJwt header(String name, Object value) {
        headers.put(name, value);
        return this;
    }

    GuestJwt withoutHeader(String name) {
        headers.remove(name);
        return this;
    }

    String hs256() {
        return sign("HS256", new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    /** Signs with any algorithm and key; jose4j's own key and algorithm checks are off. */
    String sign(String alg, Key key) {
        return sign(alg, key, JsonUtil.toJson(claims));
    }

    String sign(String alg, Key key, String payload) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
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
        return b64(JsonUtil.toJson(h)) + "." + b64(JsonUtil.toJson(claims)) + ".";
    }

    static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
