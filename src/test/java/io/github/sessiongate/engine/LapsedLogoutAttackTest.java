package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.cookie.CookieKind;
import io.github.sessiongate.engine.ProviderFactsTest.FactsFlow;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import jakarta.servlet.FilterChain;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Adversarial probes of the logout's provider facts next to an access token the validator calls
 * expired past the skew: only a token whose signature and every other check passed may name the
 * subject the facts are bound to; forged, unsigned, foreign-issuer and odd tokens give no hint and
 * never a server error; nothing of the token reaches the log.
 */
class LapsedLogoutAttackTest {
    private static final CookieCodec CODEC = new CookieCodec(CookieSettings.defaults(),
            CookieCodec.sessionKinds(false, false, true), null);
    private static final String ACCESS = CODEC.accessCookieName(true);
    private static final String REFRESH = CODEC.refreshCookieName(true);
    private static final String FACTS = CODEC.cookieName(CookieKind.PROVIDER_FACTS, 0, true);
    private static final String TRANSACTION = CODEC.cookieName(CookieKind.LOGIN_TRANSACTION, 0, true);
    private static final String ISSUER = "https://idp.example.com";
    private static final String AUDIENCE = "my-app";
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String OTHER_SECRET = "fedcba9876543210fedcba9876543210";

    private final MutableClock clock = new MutableClock();
    private final FactsFlow flow = new FactsFlow();
    private SessionFilter filter;

    @AfterEach
    void stop() {
        if (filter != null) {
            filter.destroy();
        }
    }

    private void start(TokenValidator validator) throws Exception {
        filter = new SessionFilter(GateConfig.builder().validator(validator).protectedPaths("/app/**").loginFlow(flow)
                .clock(clock).build());
        filter.init(null);
    }

    private void startJwt() throws Exception {
        start(JwtTokenValidator.withSecret(SECRET).issuer(ISSUER).audience(AUDIENCE).clock(clock).build());
    }

    @Test
    void aGenuinelyLapsedTokenStillGivesItsOwnFacts() throws Exception {
        startJwt();
        InMemoryResponse carol = signIn(jwt(SECRET, ISSUER, "carol", 300));
        clock.advance(Duration.ofMinutes(30));
        InMemoryResponse r = logout(carol.cookie(ACCESS).orElseThrow().getValue(), carol, carol);
        assertEquals(303, r.status());
        assertEquals(1, flow.ended.size());
        assertTrue(flow.ended.get(0).isPresent(), "control: a lapsed genuine token binds its own facts");
    }

    @Test
    void forgedUnsignedOrForeignLapsedTokensNeverOpenTheFacts() throws Exception {
        startJwt();
        InMemoryResponse carol = signIn(jwt(SECRET, ISSUER, "carol", 300));
        clock.advance(Duration.ofMinutes(30));
        long past = clock.instant().getEpochSecond() - 600;
        List<String> forged = new ArrayList<>();
        forged.add(jwt(OTHER_SECRET, ISSUER, "carol", -600)); // another key
        forged.add(jwt(SECRET, "https://evil.example", "carol", -600)); // another issuer, our key
        forged.add(jwtWithAudience(SECRET, ISSUER, "carol", "other-app")); // another audience
        String b64h = b64("{\"alg\":\"none\"}");
        String claims = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"carol\",\"exp\":" + past
                + ",\"iat\":" + (past - 300) + "}";
        forged.add(b64h + "." + b64(claims) + "."); // alg none, empty signature
        forged.add(b64("{\"alg\":\"HS256\"}") + "." + b64(claims) + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(new byte[32])); // garbage signature
        String genuine = carol.cookie(ACCESS).orElseThrow().getValue();
        String[] parts = genuine.split("\\.");
        forged.add(parts[0] + "." + b64(claims.replace("carol", "carol ")) + "." + parts[2]); // payload swapped
        for (String token : forged) {
            flow.ended.clear();
            InMemoryResponse r = logout(token, carol, carol);
            assertEquals(303, r.status(), token);
            assertEquals(List.of(Optional.empty()), flow.ended, () -> "a forged lapsed token opened the facts: " + token);
        }
    }

    @Test
    void ownLapsedTokenNextToAnotherUsersFactsGivesNoHint() throws Exception {
        startJwt();
        InMemoryResponse carol = signIn(jwt(SECRET, ISSUER, "carol", 300));
        InMemoryResponse mallory = signIn(jwt(SECRET, ISSUER, "mallory", 300));
        clock.advance(Duration.ofMinutes(30));
        for (String[] accept : List.of(new String[] {"text/html"}, new String[] {"application/json"})) {
            flow.ended.clear();
            InMemoryResponse r = logoutAccepting(accept[0], mallory.cookie(ACCESS).orElseThrow().getValue(), mallory, carol);
            assertTrue(r.status() == 303 || r.status() == 204 || r.status() == 200, () -> r.status() + " " + r.body());
            assertEquals(List.of(Optional.empty()), flow.ended, "carol's facts never serve mallory's logout");
        }
    }

    @Test
    void oddPayloadsOfATokenCalledExpiredNeverFailTheLogout() throws Exception {
        // A validator that calls everything expired: the payload is read though no validator would pass it.
        start(new AlwaysExpired());
        flow.access = "opaque-carol";
        InMemoryResponse carol = signIn("opaque-carol");
        String h = b64("{\"alg\":\"RS256\"}");
        String sig = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        List<String> payloads = List.of("[".repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
                "{\"sub\":1}", "{\"sub\":null}", "{\"sub\":{\"x\":\"carol\"}}", "{\"sub\":[\"carol\"]}",
                "{\"sub\":\"mallory\",\"sub\":\"carol\"}", "{\"sub\":\"carol\",\"sub\":\"mallory\"}", "{\"sub\":\"\"}",
                "{\"sub\":\"carol\u0000\"}", "{\"sub\":\"" + "x".repeat(3000) + "\"}", "not json", "", "{", "\"carol\"",
                "{\"sub\":\"\\ud800\"}", "{\"sub\":\"carol\"}garbage");
        List<String> tokens = new ArrayList<>();
        for (String p : payloads) {
            tokens.add(h + "." + b64(p) + "." + sig);
        }
        byte[] notUtf8 = {'{', '"', 's', 'u', 'b', '"', ':', '"', (byte) 0xff, (byte) 0xfe, 'c', '"', '}'};
        tokens.add(h + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(notUtf8) + "." + sig);
        tokens.add(h + "." + b64("{\"sub\":\"carol\"}") + "=." + sig); // padded: not canonical
        tokens.add(h + "." + b64("{\"sub\":\"carol\"}") + "." + sig + ".x.y"); // five parts (JWE shape)
        tokens.add(h + ".." + sig);
        tokens.add("..");
        String log = LogCapture.during(() -> {
            for (String token : tokens) {
                for (String accept : List.of("text/html", "application/json")) {
                    flow.ended.clear();
                    InMemoryResponse r = logoutAccepting(accept, token, carol, carol);
                    assertTrue(r.status() == 303 || r.status() == 204 || r.status() == 200,
                            () -> r.status() + " for " + token.substring(0, Math.min(60, token.length())));
                }
            }
        });
        for (String token : tokens) {
            if (token.length() > 20) {
                assertFalse(log.contains(token.split("\\.")[1].isEmpty() ? token : token.split("\\.")[1]),
                        "a token's payload in the log");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private InMemoryResponse signIn(String access) throws Exception {
        flow.access = access;
        String tx = run(InMemoryRequest.get("/app/page").navigation()).cookie(TRANSACTION).orElseThrow().getValue();
        InMemoryResponse r = run(InMemoryRequest.get("/auth/callback").query("state=s1").header("Sec-Fetch-Site", "cross-site")
                .navigation().cookie(TRANSACTION, tx));
        assertEquals(303, r.status(), r.body());
        flow.ended.clear();
        return r;
    }

    private InMemoryResponse logout(String access, InMemoryResponse refreshOf, InMemoryResponse factsOf) throws Exception {
        return logoutAccepting("text/html", access, refreshOf, factsOf);
    }

    private InMemoryResponse logoutAccepting(String accept, String access, InMemoryResponse refreshOf, InMemoryResponse factsOf)
            throws Exception {
        InMemoryRequest request = InMemoryRequest.post("/auth/logout").header("Origin", "http://localhost:8080")
                .header("Accept", accept)
                .cookie(ACCESS, access)
                .cookie(REFRESH, refreshOf.cookie(REFRESH).orElseThrow().getValue())
                .cookie(FACTS, factsOf.cookie(FACTS).orElseThrow().getValue());
        if (accept.contains("json")) {
            request.header("Content-Type", "application/json").header("X-Requested-With", "fetch");
        }
        return run(request);
    }

    private InMemoryResponse run(InMemoryRequest request) throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        FilterChain chain = (req, res) -> { };
        filter.doFilter(request.build(), response.servlet(), chain);
        return response;
    }

    private String jwt(String secret, String issuer, String subject, long expiresIn) throws Exception {
        JwtClaims c = new JwtClaims();
        c.setIssuer(issuer);
        c.setAudience(AUDIENCE);
        c.setSubject(subject);
        long now = clock.instant().getEpochSecond();
        c.setIssuedAt(NumericDate.fromSeconds(now - (expiresIn < 0 ? -expiresIn + 300 : 0)));
        c.setExpirationTime(NumericDate.fromSeconds(now + expiresIn));
        return sign(c, secret);
    }

    private String jwtWithAudience(String secret, String issuer, String subject, String audience) throws Exception {
        JwtClaims c = new JwtClaims();
        c.setIssuer(issuer);
        c.setAudience(audience);
        c.setSubject(subject);
        long now = clock.instant().getEpochSecond();
        c.setIssuedAt(NumericDate.fromSeconds(now - 900));
        c.setExpirationTime(NumericDate.fromSeconds(now - 600));
        return sign(c, secret);
    }

    private static String sign(JwtClaims c, String secret) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(new HmacKey(secret.getBytes(StandardCharsets.UTF_8)));
        return jws.getCompactSerialization();
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Calls every token expired past the skew; valid only for the sign-in token. */
    private static final class AlwaysExpired extends TokenValidator {
        @Override
        protected ValidationResult doValidate(String token) {
            return "opaque-carol".equals(token)
                    ? ValidationResult.valid(io.github.sessiongate.Session.builder("carol", token).build())
                    : ValidationResult.expired();
        }

        @Override
        protected RefreshResult doRefresh(String refreshToken) {
            return RefreshResult.unavailable("not in this test");
        }
    }
}
