package io.github.sessiongate.jwt;

import static io.github.sessiongate.jwt.TestJwt.AUDIENCE;
import static io.github.sessiongate.jwt.TestJwt.ISSUER;
import static io.github.sessiongate.jwt.TestJwt.NOW;
import static io.github.sessiongate.jwt.TestJwt.RSA;
import static io.github.sessiongate.jwt.TestJwt.SECRET;
import static io.github.sessiongate.jwt.TestJwt.b64;
import static io.github.sessiongate.jwt.TestJwt.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * {@link JwtTokenValidator#refusalOnSight} against the full validation, over hostile headers (not
 * JSON, truncated, duplicates, escapes, nesting, numbers, every header parameter the full check
 * reads, foreign and missing {@code kid}s) and the usual junk: whenever it refuses, the full path
 * refuses the same token for the same reason; it refuses the junk the filter meets most (bad base64,
 * wrong segment count, a header that is not JSON, an algorithm outside the list, an unknown
 * {@code kid}); and it never refuses a valid token.
 */
class RefusalOnSightTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String CLAIMS = b64("{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"s\",\"exp\":"
            + (NOW.getEpochSecond() + 600) + "}");

    private static JwtTokenValidator hs256() {
        return JwtTokenValidator.withSecret(SECRET).issuer(ISSUER).audience(AUDIENCE).clock(CLOCK).build();
    }

    private static JwtTokenValidator rs256WithKeyId() {
        return JwtTokenValidator.withPublicKey(RSA.getPublicKey()).publicKeyId("rsa-1").issuer(ISSUER).audience(AUDIENCE)
                .clock(CLOCK).build();
    }

    private static JwtTokenValidator hs256WithKeyId() {
        return JwtTokenValidator.withSecret(SECRET).secretKeyId("rsa-1").issuer(ISSUER).audience(AUDIENCE).clock(CLOCK).build();
    }

    private static List<String> headers() {
        List<String> h = new ArrayList<>();
        for (String alg : new String[] {"HS256", "RS256", "none", "HS512", "hs256", "ES256"}) {
            String a = "\"alg\":\"" + alg + "\"";
            h.add("{" + a + "}");
            h.add(" {\t" + a + " }\r\n");
            h.add("{" + a + ",\"typ\":\"JWT\"}");
            h.add("{" + a + ",\"typ\":\"JWT\",");
            h.add("{" + a + ",\"typ\":\"JWT\"");
            h.add("{" + a + ",\"typ\":\"JWT\"}x");
            h.add("{" + a + ",\"typ\":\"JWT\"}}");
            h.add("{" + a + "," + a + "}");
            h.add("{" + a + ",\"x\":1,\"x\":2}");
            h.add("{" + a + ",\"x\":true,\"x\":false}");
            h.add("{" + a + ",\"kid\":\"rsa-1\"}");
            h.add("{" + a + ",\"kid\":\"rsa-2\"}");
            h.add("{" + a + ",\"kid\":\"rsa-1\",\"kid\":\"rsa-1\"}");
            h.add("{" + a + ",\"kid\":\"rsa-\\u0031\"}");
            h.add("{" + a + ",\"kid\":null}");
            h.add("{" + a + ",\"kid\":true}");
            h.add("{" + a + ",\"kid\":7}");
            h.add("{" + a + ",\"kid\":\"rsa-1\",\"crit\":[\"exp\"]}");
            h.add("{" + a + ",\"kid\":\"rsa-1\",\"crit\":null}");
            h.add("{" + a + ",\"enc\":\"A128GCM\"}");
            h.add("{" + a + ",\"b64\":false}");
            h.add("{" + a + ",\"cty\":\"JWT\"}");
            h.add("{" + a + ",\"cty\":null}");
            h.add("{" + a + ",\"jwk\":{\"kty\":\"oct\"}}");
            h.add("{" + a + ",\"x\":tru}");
            h.add("{" + a + ",\"x\":nul}");
            h.add("{" + a + ",\"x\":\"a\u0001b\"}");
            h.add("{" + a + ",\"x\":\"caf\u00e9\"}");
            h.add("{" + a + ",,}");
            h.add("{" + a + " \"typ\":\"JWT\"}");
            h.add("{" + a + ",\"typ\" \"JWT\"}");
            h.add("{" + a + ",'typ':\"JWT\"}");
        }
        h.add("{\"alg\":\"RS256\",\"kid\":\"x\"}");
        h.add("{\"alg\":\"RS256\",\"kid\":\"x\\\"}\"}");
        h.add("{\"alg\":\"RS256\",\"kid\":\"a\",\"x\":\"\"}");
        h.add("{\"alg\":null}");
        h.add("{\"alg\":true}");
        h.add("{\"alg\":[\"HS256\"]}");
        h.add("{}");
        h.add("[]");
        h.add("");
        h.add("   ");
        h.add("not json");
        h.add("\ufeff{\"alg\":\"HS256\"}");
        h.add("{\"alg\":\"HS256\",\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"k\":11,"
                + "\"l\":12,\"m\":13,\"n\":14,\"o\":15,\"p\":16,\"q\":17}");
        StringBuilder many = new StringBuilder("{\"alg\":\"none\"");
        for (int i = 0; i < 40; i++) {
            many.append(",\"m").append(i).append("\":null");
        }
        h.add(many.append("}").toString());
        return h;
    }

    private static List<String> tokens() {
        List<String> tokens = new ArrayList<>();
        for (String header : headers()) {
            tokens.add(b64(header) + "." + CLAIMS + ".c2lnbmF0dXJl");
        }
        String good = token().hs256();
        String[] parts = good.split("\\.");
        tokens.add(parts[0] + "." + parts[1].substring(0, 10) + "!!!!" + parts[1].substring(14) + "." + parts[2]);
        tokens.add(parts[0] + "." + parts[1]);
        tokens.add(parts[0] + "." + parts[1] + "." + parts[2] + ".x");
        tokens.add(good + "=");
        tokens.add("");
        tokens.add("x".repeat(TokenValidator.MAX_TOKEN_LENGTH + 1));
        tokens.add(token().kid("rsa-2").rs256());
        tokens.add(token().rs256());
        tokens.add(token().sign("HS256", new HmacKey(TestJwt.pem(RSA.getPublicKey()).getBytes(StandardCharsets.US_ASCII))));
        return tokens;
    }

    @Test
    void whatIsRefusedOnSightTheFullValidationRefusesForTheSameReason() {
        int refused = 0;
        JwtTokenValidator quoteInKeyId = JwtTokenValidator.withPublicKey(RSA.getPublicKey()).publicKeyId("x\"}")
                .issuer(ISSUER).audience(AUDIENCE).clock(CLOCK).build();
        for (JwtTokenValidator validator : List.of(hs256(), rs256WithKeyId(), quoteInKeyId, hs256WithKeyId())) {
            for (String t : tokens()) {
                Reason onSight = validator.refusalOnSight(t);
                ValidationResult full = validator.validate(t);
                if (onSight != null) {
                    refused++;
                    assertEquals(ValidationResult.invalid(onSight), full, "token " + t);
                }
            }
            validator.close();
        }
        assertTrue(refused > 150, "most of this junk is refused on sight: " + refused);
    }

    @Test
    void theGlanceNeverThrowsNorReadsPastTheHeader() {
        for (String t : tokens()) {
            if (io.github.sessiongate.internal.CompactJws.isCanonical(t)) {
                String shortest = t.substring(0, t.indexOf('.')) + ".."; // nothing after the header to read by mistake
                for (String keyId : new String[] {null, "rsa-1", "x\"}", "a\",\"x\":\""}) {
                    HeaderGlance.refusal(t, 0, t.indexOf('.'), List.of("RS256", "HS256"), keyId);
                    HeaderGlance.refusal(shortest, 0, shortest.indexOf('.'), List.of("RS256", "HS256"), keyId);
                }
            }
        }
    }

    @Test
    void aTokenInsideACookieHeaderIsJudgedAsTheSameTokenAlone() {
        JwtTokenValidator rs = rs256WithKeyId();
        String cached = token().kid("rsa-1").rs256();
        assertTrue(rs.validate(cached) instanceof ValidationResult.Valid); // its header enters the header cache
        List<String> all = new ArrayList<>(tokens());
        all.add(cached);
        for (String t : all) {
            String header = "theme=dark; __Host-sg_access=" + t + "; other=eyJ.x.y";
            int from = header.indexOf("__Host-sg_access=") + "__Host-sg_access=".length();
            assertEquals(rs.refusalOnSight(t), rs.refusalOnSight(header, from, from + t.length()), t);
        }
        rs.close();
    }

    @Test
    void theUsualJunkIsRefusedOnSight() {
        JwtTokenValidator rs = rs256WithKeyId();
        String good = token().kid("rsa-1").rs256();
        String[] parts = good.split("\\.");
        assertEquals(Reason.MALFORMED, rs.refusalOnSight(parts[0] + "." + parts[1].substring(0, 10) + "!!!!"
                + parts[1].substring(14) + "." + parts[2]));
        assertEquals(Reason.MALFORMED, rs.refusalOnSight(parts[0] + "." + parts[1]));
        assertEquals(Reason.MALFORMED, rs.refusalOnSight(b64("{\"alg\":\"RS256\",\"typ\":\"JWT\",") + "." + parts[1] + "." + parts[2]));
        assertEquals(Reason.UNKNOWN_KEY, rs.refusalOnSight(token().kid("rsa-2").rs256()));
        assertEquals(Reason.UNKNOWN_KEY, rs.refusalOnSight(token().rs256()));
        assertEquals(Reason.DISALLOWED_ALGORITHM, rs.refusalOnSight(token().kid("rsa-1").hs256()));
        assertEquals(Reason.MALFORMED, rs.refusalOnSight("x".repeat(TokenValidator.MAX_TOKEN_LENGTH + 1)));
        assertNull(rs.refusalOnSight(good), "a valid token takes the full path");
        assertTrue(rs.validate(good) instanceof ValidationResult.Valid);
        assertNull(rs.refusalOnSight(good), "nor once its header is cached");
        JwtTokenValidator hs = hs256();
        assertNull(hs.refusalOnSight(token().hs256()));
        assertNull(hs.refusalOnSight(token().kid("anything").hs256()), "without a required kid, any kid takes the full path");
        hs.close();
        JwtTokenValidator hsWithKeyId = hs256WithKeyId();
        assertEquals(Reason.UNKNOWN_KEY, hsWithKeyId.refusalOnSight(token().kid("rsa-2").hs256()));
        assertEquals(Reason.UNKNOWN_KEY, hsWithKeyId.refusalOnSight(token().hs256()));
        assertNull(hsWithKeyId.refusalOnSight(token().kid("rsa-1").hs256()));
        hsWithKeyId.close();
        rs.close();
        assertNull(rs.refusalOnSight("junk"), "a closed validator refuses nothing on sight (validate says unavailable)");
    }
}
