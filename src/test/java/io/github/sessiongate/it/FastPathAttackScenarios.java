package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.LogCapture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The JWT cold path's hostile tokens over real HTTP ({@link JettyFastPathAttackTest},
 * {@link TomcatFastPathAttackTest}), on the {@code gate} webapp (HS256 {@link Tokens}, {@code /api/*}
 * protected, {@code /admin/*} for role admin): tokens correctly signed with the real key but
 * holding what the strict claims parser must refuse (escaped duplicate names, NumericDates in odd
 * spellings, bad UTF-8, deep nesting, numbers of thousands of digits), header tricks ({@code alg} spellings, {@code b64},
 * {@code crit}, escaped duplicate {@code alg}), and a flood of distinct acceptable headers: each
 * answered 401 (403 for a role), never 200 and never 500, at most one clearing {@code Set-Cookie},
 * with no token in the logs; the genuine token is still served after the flood.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FastPathAttackScenarios {
    static final String APP = "/app";
    static final String ACCESS_COOKIE = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Teardown teardown = new Teardown();
    private URI base;

    abstract Container newContainer();

    @BeforeAll
    void startContainer() throws Exception {
        teardown.add(new ScenarioProperties()).set(Tokens.SECRET_PROPERTY, Tokens.SECRET);
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(APP, "gate")));
    }

    @AfterAll
    void stopContainer() throws Exception {
        teardown.close();
    }

    /** Signed with the webapp's real key over these exact header and payload bytes. */
    private static String sign(byte[] header, byte[] payload) {
        String input = B64.encodeToString(header) + "." + B64.encodeToString(payload);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Tokens.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(String header, String payload) {
        return sign(header.getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8));
    }

    private static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    /** Genuine claims for the webapp, with {@code extra} members appended; {@code exp} set by {@code expJson}. */
    private static String claims(String expJson, String extra) {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + Tokens.ISSUER + "\",\"aud\":\"" + Tokens.AUDIENCE + "\",\"sub\":\"alice\",\"iat\":" + (now - 5)
                + ",\"exp\":" + expJson + ",\"roles\":[\"user\"]" + extra + "}";
    }

    private static String claims(String extra) {
        return claims(Long.toString(Instant.now().getEpochSecond() + 600), extra);
    }

    private Response get(String path, String token) throws Exception {
        return RawHttp.send(base, "GET", APP + path, "Cookie: " + ACCESS_COOKIE + "=" + token);
    }

    @Test
    void theGenuineRawSignedTokenIsServed() throws Exception {
        Response r = get("/api/orders", sign(HEADER, claims("")));
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.body().contains(EchoServlet.MARKER), r::toString);
    }

    @Test
    void hostileTokensSignedWithTheRealKeyAreUnauthenticatedNeverServedNorAnError() throws Exception {
        long now = Instant.now().getEpochSecond();
        String c = claims("");
        String open = c.substring(0, c.length() - 1);
        Map<String, String> hostile = new LinkedHashMap<>();
        hostile.put("escaped duplicate exp", sign(HEADER, claims(",\"e\\u0078p\":" + (now + 999999))));
        hostile.put("escaped duplicate sub", sign(HEADER, claims(",\"\\u0073ub\":\"admin\"")));
        hostile.put("escaped duplicate iss", sign(HEADER, claims(",\"i\\u0073s\":\"https://evil.example\"")));
        hostile.put("exp as a string", sign(HEADER, claims("\"" + (now + 600) + "\"", "")));
        hostile.put("exp fractional", sign(HEADER, claims((now + 600) + ".5", "")));
        hostile.put("exp 1e308", sign(HEADER, claims("1e308", "")));
        hostile.put("exp 1e309", sign(HEADER, claims("1e309", "")));
        hostile.put("exp beyond a long", sign(HEADER, claims("9223372036854775808", "")));
        hostile.put("exp at Long.MAX_VALUE", sign(HEADER, claims("9223372036854775807", "")));
        hostile.put("exp -0", sign(HEADER, claims("-0", "")));
        hostile.put("iat at Long.MIN_VALUE", sign(HEADER, "{\"iss\":\"" + Tokens.ISSUER + "\",\"aud\":\"" + Tokens.AUDIENCE
                + "\",\"sub\":\"alice\",\"iat\":-9223372036854775808,\"exp\":" + (now + 600) + "}"));
        hostile.put("sub as a number", sign(HEADER, "{\"iss\":\"" + Tokens.ISSUER + "\",\"aud\":\"" + Tokens.AUDIENCE
                + "\",\"sub\":42,\"exp\":" + (now + 600) + "}"));
        hostile.put("aud array with a number", sign(HEADER, "{\"iss\":\"" + Tokens.ISSUER + "\",\"aud\":[1,\"" + Tokens.AUDIENCE
                + "\"],\"sub\":\"alice\",\"exp\":" + (now + 600) + "}"));
        hostile.put("iss as an array", sign(HEADER, "{\"iss\":[\"" + Tokens.ISSUER + "\"],\"aud\":\"" + Tokens.AUDIENCE
                + "\",\"sub\":\"alice\",\"exp\":" + (now + 600) + "}"));
        hostile.put("lone surrogate", sign(HEADER, claims(",\"x\":\"\\ud800\"")));
        hostile.put("overlong UTF-8", sign(HEADER.getBytes(StandardCharsets.UTF_8), concat(
                open.getBytes(StandardCharsets.UTF_8), ",\"x\":\"".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xc0, (byte) 0xaf}, "\"}".getBytes(StandardCharsets.US_ASCII))));
        hostile.put("BOM", sign(HEADER.getBytes(StandardCharsets.UTF_8), concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                c.getBytes(StandardCharsets.UTF_8))));
        hostile.put("nesting over the bound", sign(HEADER, claims(",\"d\":" + "[".repeat(40) + "]".repeat(40))));
        hostile.put("leading zero", sign(HEADER, claims(",\"x\":0123")));
        hostile.put("trailing comma", sign(HEADER, claims(",\"x\":[1,]")));
        hostile.put("typ refresh claim", sign(HEADER, claims(",\"typ\":\"Refresh\"")));
        hostile.put("escaped duplicate alg", sign("{\"alg\":\"none\",\"a\\u006cg\":\"HS256\"}", c));
        hostile.put("alg lower case", sign("{\"alg\":\"hs256\"}", c));
        hostile.put("alg none", B64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.US_ASCII)) + "."
                + B64.encodeToString(c.getBytes(StandardCharsets.UTF_8)) + ".");
        hostile.put("b64 false", sign("{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}", c));
        hostile.put("crit", sign("{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}", c));
        hostile.put("nested cty", sign("{\"alg\":\"HS256\",\"cty\":\"JWT\"}", c));
        hostile.put("typ refresh header", sign("{\"alg\":\"HS256\",\"typ\":\"refresh+jwt\"}", c));
        hostile.put("kid as a number", sign("{\"alg\":\"HS256\",\"kid\":7}", c));
        hostile.put("2,000-digit number in the header", sign("{\"alg\":\"HS256\",\"n\":1" + "7".repeat(2000) + "}", c));
        hostile.put("2,000-digit number in the claims", sign(HEADER, claims(",\"n\":-1" + "7".repeat(2000))));
        String good = sign(HEADER, c);
        hostile.put("five segments", good + "." + good.substring(good.lastIndexOf('.') + 1) + ".AAAA");
        hostile.put("empty signature", good.substring(0, good.lastIndexOf('.') + 1));
        for (Map.Entry<String, String> e : hostile.entrySet()) {
            String token = e.getValue();
            Response[] response = new Response[1];
            String log = LogCapture.during(() -> response[0] = get("/api/orders", token));
            Response r = response[0];
            String signature = token.substring(token.lastIndexOf('.') + 1);
            List<String> clearing = r.headers("set-cookie").stream().filter(h -> h.startsWith(ACCESS_COOKIE + "=")).toList();
            assertAll(e.getKey(),
                    () -> assertEquals(401, r.status(), r::toString),
                    () -> assertFalse(r.body().contains(EchoServlet.MARKER), "reached the application"),
                    () -> assertTrue(clearing.size() <= 1, () -> "clearing Set-Cookie headers: " + clearing),
                    () -> assertFalse(log.contains(token) || (signature.length() > 8 && log.contains(signature)),
                            () -> "token in the logs:\n" + log));
        }
    }

    @Test
    void aRoleSmuggledByAnEscapedDuplicateNameNeverReachesTheAdminPath() throws Exception {
        String smuggled = sign(HEADER, claims(",\"r\\u006fles\":[\"admin\"]"));
        Response r = get("/admin/panel", smuggled);
        assertEquals(401, r.status(), r::toString);
        Response user = get("/admin/panel", sign(HEADER, claims("")));
        assertEquals(403, user.status(), user::toString);
    }

    @Test
    void aFloodOfDistinctAcceptableHeadersLeavesTheGenuineTokenServed() throws Exception {
        String c = claims("");
        for (int i = 0; i < 300; i++) {
            String header = "{\"alg\":\"HS256\",\"n\":" + i + "}";
            String junk = B64.encodeToString(header.getBytes(StandardCharsets.US_ASCII)) + "."
                    + B64.encodeToString(c.getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(new byte[32]);
            Response r = get("/api/orders", junk);
            assertEquals(401, r.status(), r::toString);
        }
        Response r = get("/api/orders", sign(HEADER, c));
        assertEquals(200, r.status(), r::toString);
    }

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
}
