package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.engine.RecordingBackChannelFilter;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.TestOidcProvider;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Attacks on the back-channel logout endpoint through a real container ({@link JettyBackChannelAttackTest},
 * {@link TomcatBackChannelAttackTest}), the webapp {@code backchannel} with its recording revoker: forged,
 * unsigned, HMAC-with-the-public-key, foreign-key and wrongly typed tokens, hostile headers, oversized and
 * chunked or cut-off bodies, content-type and method variants, path variants. Each gets a clear 4xx (never a
 * 500), revokes nothing, and leaves no token in the log; a well-formed post in an odd but legal shape still works.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BackChannelAttackScenarios {
    static final String CONTEXT = "/bc";
    static final String ENDPOINT = CONTEXT + "/auth/backchannel-logout";
    static final String CLIENT_ID = "sessiongate-web";
    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    static final String FORM = "Content-Type: application/x-www-form-urlencoded";

    private final Teardown teardown = new Teardown();
    private TestOidcProvider provider;
    private URI base;
    private RecordingBackChannelFilter.Recorder recorder;
    private RsaJsonWebKey stranger;

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        provider = TestOidcProvider.start();
        teardown.add(provider::close);
        teardown.add(new ScenarioProperties("sessiongate.it.backchannel.")
                .prefixed("issuer", provider.issuer()).prefixed("jwks-url", provider.issuer() + "/jwks")
                .prefixed("client-id", CLIENT_ID).prefixed("client-secret", "it-secret-" + UUID.randomUUID()));
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(CONTEXT, "backchannel")));
        recorder = RecordingBackChannelFilter.recorder(CONTEXT);
        stranger = RsaJwkGenerator.generateJwk(2048);
        stranger.setKeyId(TestOidcProvider.KEY_ID);
    }

    @BeforeEach
    void clear() {
        recorder.full(false);
        recorder.clear();
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    private JwtClaims claims() {
        JwtClaims c = new JwtClaims();
        c.setIssuer(provider.issuer());
        c.setAudience(CLIENT_ID);
        c.setIssuedAtToNow();
        c.setExpirationTimeMinutesInTheFuture(2);
        c.setJwtId(UUID.randomUUID().toString());
        c.setClaim("events", Map.of(EVENT, Map.of()));
        c.setClaim("sid", "victim-sid");
        c.setSubject("victim");
        return c;
    }

    /** A JWS over good claims; {@code shape} sets its key, algorithm and headers (provider key, RS256, logout+jwt by default). */
    private String token(Consumer<JsonWebSignature> shape) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims().toJson());
        jws.setKey(provider.key().getPrivateKey());
        jws.setKeyIdHeaderValue(TestOidcProvider.KEY_ID);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "logout+jwt");
        shape.accept(jws);
        return jws.getCompactSerialization();
    }

    private String good() throws Exception {
        return token(j -> { });
    }

    private Response post(String target, String body, String... headers) throws Exception {
        return RawHttp.send(base, "POST", target, body.getBytes(StandardCharsets.US_ASCII), headers);
    }

    private static void refused(Response r, String what) {
        assertEquals(400, r.status(), () -> what + ": " + r);
        assertEquals("invalid_request", Json.object(r.body()).get("error"), () -> what + ": " + r);
        assertEquals("no-store", r.header("Cache-Control").orElse(""), () -> what + ": " + r);
        assertEquals(List.of(), r.headers("set-cookie"), () -> what + ": no cookie written: " + r);
    }

    private void nothingRevoked(String what) {
        assertEquals(List.of(), recorder.revoked(), what);
    }

    @Test
    void forgedTokensAreRefusedWith400AndRevokeNothing() throws Exception {
        String unsigned = token(j -> {
            j.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
            j.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
            j.setKey(null);
        });
        String hmacWithPublicKey = token(j -> {
            j.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            j.setKey(new HmacKey(provider.key().getPublicKey().getEncoded()));
            j.setDoKeyValidation(false);
        });
        String hmacWithJwk = token(j -> {
            j.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            j.setKey(new HmacKey(provider.key().toJson().getBytes(StandardCharsets.UTF_8)));
            j.setDoKeyValidation(false);
        });
        String strangersKeyWithProvidersKid = token(j -> j.setKey(stranger.getPrivateKey()));
        String embeddedJwk = token(j -> {
            j.setKey(stranger.getPrivateKey());
            j.setKeyIdHeaderValue(null);
            j.setJwkHeader(stranger);
        });
        String jkuElsewhere = token(j -> {
            j.setKey(stranger.getPrivateKey());
            j.setKeyIdHeaderValue("elsewhere");
            j.setHeader("jku", "https://evil.example/jwks");
        });
        String unknownKid = token(j -> j.setKeyIdHeaderValue("no-such-key"));
        String hugeKid = token(j -> j.setKeyIdHeaderValue("k".repeat(8_000)));
        String unknownCrit = token(j -> j.setCriticalHeaderNames("x-must-understand"));
        String[] goodParts = good().split("\\.");
        String stripped = goodParts[0] + "." + goodParts[1] + ".";
        String tampered = goodParts[0] + "." + goodParts[1].substring(0, goodParts[1].length() - 2) + "AA." + goodParts[2];
        Map<String, String> attacks = new java.util.LinkedHashMap<>();
        attacks.put("alg none", unsigned);
        attacks.put("HS256 keyed with the public key", hmacWithPublicKey);
        attacks.put("HS256 keyed with the JWK", hmacWithJwk);
        attacks.put("another key under the provider's kid", strangersKeyWithProvidersKid);
        attacks.put("a jwk header", embeddedJwk);
        attacks.put("a jku header", jkuElsewhere);
        attacks.put("an unknown kid", unknownKid);
        attacks.put("an 8000-character kid", hugeKid);
        attacks.put("an unknown crit header", unknownCrit);
        attacks.put("the signature stripped", stripped);
        attacks.put("the payload tampered", tampered);
        attacks.put("five parts (JWE shape)", "a.b.c.d.e");
        attacks.put("deeply nested header JSON", b64("[".repeat(9_000)) + "." + goodParts[1] + "." + goodParts[2]);
        attacks.put("a header that is not JSON", b64("\u0000\u00ff") + "." + goodParts[1] + "." + goodParts[2]);
        for (Map.Entry<String, String> a : attacks.entrySet()) {
            refused(post(ENDPOINT, "logout_token=" + a.getValue(), FORM), a.getKey());
        }
        nothingRevoked("no forged token revokes anything");
    }

    @Test
    void aTokenTypedAsAnythingButALogoutTokenIsRefused() throws Exception {
        refused(post(ENDPOINT, "logout_token=" + token(j -> j.setHeader("typ", "JWT")), FORM), "typ JWT");
        refused(post(ENDPOINT, "logout_token=" + token(j -> j.setHeader("typ", "at+jwt")), FORM), "typ at+jwt (an access token)");
        refused(post(ENDPOINT, "logout_token=" + token(j -> j.setHeader("typ", "logout+jwt2")), FORM), "typ logout+jwt2");
        refused(post(ENDPOINT, "logout_token=" + token(j -> j.getHeaders().setObjectHeaderValue("typ", 7)), FORM), "typ a number");
        refused(post(ENDPOINT, "logout_token=" + token(j -> j.getHeaders().setObjectHeaderValue("typ", List.of("logout+jwt"))),
                FORM), "typ an array");
        nothingRevoked("no mistyped token revokes anything");
        assertEquals(200, post(ENDPOINT, "logout_token=" + token(j -> j.setHeader("typ", "application/logout+JWT")), FORM)
                .status(), "the media-type spelling, any case, is a logout token");
    }

    @Test
    void oversizedBodiesAndManyParametersNeverAnswer500() throws Exception {
        String huge = good() + "&pad=" + "x".repeat(64 * 1024);
        Response big = post(ENDPOINT, "logout_token=" + huge, FORM);
        assertTrue(big.status() == 400 || big.status() == 413, big::toString);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            many.append("p").append(i).append("=&");
        }
        Response manyAhead = post(ENDPOINT, many + "logout_token=" + good(), FORM);
        assertTrue(manyAhead.status() == 200 || manyAhead.status() == 400, manyAhead::toString);
        refused(post(ENDPOINT, "logout_token=" + "a".repeat(15_000), FORM), "a 15 KB junk token");
        refused(post(ENDPOINT, "logout_token=%ZZ" + good(), FORM), "a broken percent escape");
        refused(post(ENDPOINT, "logout_token=" + good() + "&logout_token=", FORM), "logout_token twice, once empty");
        refused(post(ENDPOINT, "logout_token=", FORM), "an empty logout_token");
        refused(post(ENDPOINT, "", FORM), "an empty body");
        Response lying = RawHttp.send(base, "POST", ENDPOINT, (byte[]) null, FORM, "Content-Length: 999999999");
        assertTrue(lying.status() >= 400 && lying.status() < 500, () -> "a body announced far over the limit: " + lying);
        assertTrue(recorder.revoked().size() <= 1, () -> "at most the one good token: " + recorder.revoked());
    }

    @Test
    void aChunkedBodyIsReadAndAnOversizedOrCutOffOneIsRefusedOrDropped() throws Exception {
        String ok = "logout_token=" + good();
        Response chunked = chunked(List.of(ok.substring(0, 100), ok.substring(100)));
        assertEquals(200, chunked.status(), chunked::toString);
        assertEquals(List.of("sid:victim-sid"), recorder.revoked());
        recorder.clear();

        List<String> chunks = new ArrayList<>();
        chunks.add("logout_token=" + good() + "&pad=");
        for (int i = 0; i < 40; i++) {
            chunks.add("y".repeat(1024));
        }
        Response overlong = chunked(chunks);
        assertTrue(overlong.status() == 400 || overlong.status() == 413, overlong::toString);

        // A body cut off mid-way (the client goes away): nothing revoked, the server keeps serving.
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + ENDPOINT + " HTTP/1.1\r\nHost: x\r\n" + FORM + "\r\nContent-Length: 4000\r\n\r\n" + ok.substring(0, 200))
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        assertEquals(200, post(ENDPOINT, "logout_token=" + good(), FORM).status(), "still serving");
        assertEquals(List.of("sid:victim-sid"), recorder.revoked(), "only the complete post revoked");
    }

    @Test
    void contentTypesAreMatchedOnTheMediaTypeAlone() throws Exception {
        assertEquals(200, post(ENDPOINT, "logout_token=" + good(), "Content-Type: Application/X-WWW-Form-URLEncoded ; Charset=UTF-8")
                .status(), "case and parameters do not matter");
        assertEquals(200, post(ENDPOINT, "logout_token=" + good().replace(".", "%2E"), FORM).status(), "percent-encoded dots");
        recorder.clear();
        for (String type : List.of("application/x-www-form-urlencodedx", "text/plain", "multipart/form-data; boundary=x",
                "text/plain; type=application/x-www-form-urlencoded", "application/json", "*/*", "")) {
            refused(post(ENDPOINT, "logout_token=" + good(), "Content-Type: " + type), type);
        }
        refused(post(ENDPOINT, "logout_token=" + good()), "no content type");
        nothingRevoked("only a form post counts");
    }

    @Test
    void otherMethodsAnswer405AndTheQueryStringIsNeverRead() throws Exception {
        String q = "?logout_token=" + good();
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
            Response r = RawHttp.send(base, method, ENDPOINT + q, method.equals("GET") ? null : new byte[0], FORM);
            assertEquals(405, r.status(), () -> method + ": " + r);
            assertEquals("POST", r.header("Allow").orElse(""), () -> method + ": " + r);
        }
        refused(post(ENDPOINT + q, "", FORM), "the token in the query of a POST with an empty body");
        refused(post(ENDPOINT + q, "other=1", FORM), "the token in the query of a POST without one in its body");
        nothingRevoked("a token in a URL revokes nothing");
    }

    @Test
    void pathVariantsNeverAnswer500NorReachTheApplication() throws Exception {
        List<String> variants = List.of(ENDPOINT + ";jsessionid=ABC", CONTEXT + "/auth//backchannel-logout",
                CONTEXT + "//auth/backchannel-logout", CONTEXT + "/auth/backchannel%2Dlogout", CONTEXT + "/auth/backchannel-logout%2F",
                CONTEXT + "/auth/./backchannel-logout", CONTEXT + "/auth/x/../backchannel-logout", CONTEXT + "/auth/backchannel-logout//",
                CONTEXT + "/AUTH/backchannel-logout", CONTEXT + "/auth/backchannel-logout%00", CONTEXT + "/auth/backchannel-logout/x",
                CONTEXT + "/auth/backchannel-logout%3Bx");
        for (String v : variants) {
            Response r = post(v, "logout_token=" + good(), FORM);
            assertNotEquals(500, r.status(), () -> v + ": " + r);
            assertTrue(r.status() == 200 || r.status() >= 300 && r.status() < 500, () -> v + ": " + r);
            assertFalse(r.status() == 200 && !r.body().isEmpty(), () -> v + " reached the application: " + r);
        }
    }

    @Test
    void noAttackLeavesTheTokenInTheLog() throws Exception {
        String forged = token(j -> j.setKey(stranger.getPrivateKey()));
        String mistyped = token(j -> j.setHeader("typ", "JWT"));
        String replayed = good();
        String log = LogCapture.during(() -> {
            post(ENDPOINT, "logout_token=" + forged, FORM);
            post(ENDPOINT, "logout_token=" + mistyped, FORM);
            post(ENDPOINT, "logout_token=" + replayed, FORM);
            post(ENDPOINT, "logout_token=" + replayed, FORM);
            post(ENDPOINT, "logout_token=" + replayed, "Content-Type: text/plain");
            RawHttp.send(base, "GET", ENDPOINT + "?logout_token=" + replayed);
        });
        for (String t : List.of(forged, mistyped, replayed)) {
            String payload = t.split("\\.")[1];
            assertFalse(log.contains(payload.substring(0, 40)), () -> "no token in the log: " + log);
        }
        assertFalse(log.contains("victim-sid"), log);
        assertFalse(log.contains("Exception"), () -> "no stack trace: " + log);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Posts a form body as chunks (Transfer-Encoding: chunked); the response read as RawHttp does. */
    private Response chunked(List<String> chunks) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String c : chunks) {
            body.writeBytes((Integer.toHexString(c.length()) + "\r\n" + c + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + ENDPOINT + " HTTP/1.1\r\nHost: x\r\n" + FORM + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(body.toByteArray());
                out.flush();
            } catch (java.io.IOException e) {
                // the server may answer and close before the whole body is sent
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    raw.write(buf, 0, n);
                }
            } catch (java.net.SocketException e) {
                if (raw.size() == 0) {
                    throw e;
                }
            }
            String text = raw.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(text.split(" ", 3)[1]);
            return new Response(status, Map.of(), text.substring(Math.max(0, text.indexOf("\r\n\r\n") + 4)));
        }
    }
}
