package io.github.sessiongate.web;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.ClientTokenSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.InitParams;
import io.github.sessiongate.Session;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

/** Minting and verifying real client tokens on a clock the tests move. */
class ClientTokensTest {
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    /** 32 bytes: just enough for HS256. */
    static final String SECRET = "client-token-secret-0123456789ab";
    static final String OTHER_SECRET = "another-secret-0123456789abcdefg";
    static final String ACCESS_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW9mLWFjY2Vzcw";
    static final String REFRESH_TOKEN = "rt-3f9a0c2e7b5d4a1f8e6c0b2a9d7f5e3c";

    private final MutableClock clock = new MutableClock(NOW);
    private final ClientTokens tokens = tokens(SECRET);

    static InitParams params(String... pairs) {
        Map<String, String> raw = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            raw.put(pairs[i], pairs[i + 1]);
        }
        return InitParams.resolve(raw, k -> null, k -> null);
    }

    private ClientTokens tokens(String secret, String... more) {
        String[] pairs = new String[more.length + 2];
        pairs[0] = ClientTokenSettings.PARAM_SECRET;
        pairs[1] = secret;
        System.arraycopy(more, 0, pairs, 2, more.length);
        return FromParams.clientTokens(params(pairs), clock, List.of()).orElseThrow();
    }

    private static Session alice() {
        return Session.builder("alice", ACCESS_TOKEN).roles(Set.of("user", "admin")).build();
    }

    private static Map<String, Object> json(String token, int part) throws JoseException {
        String text = new String(Base64.getUrlDecoder().decode(token.split("\\.")[part]), StandardCharsets.UTF_8);
        return new LinkedHashMap<>(JsonUtil.parseJson(text));
    }

    private static String sign(Map<String, Object> header, Map<String, Object> claims, String alg, byte[] key)
            throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        header.forEach((n, v) -> jws.getHeaders().setObjectHeaderValue(n, v));
        jws.setAlgorithmHeaderValue(alg);
        jws.setPayload(JsonUtil.toJson(claims));
        jws.setKey(new HmacKey(key));
        jws.setDoKeyValidation(false);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        return jws.getCompactSerialization();
    }

    private static Reason reason(ValidationResult result) {
        return assertInstanceOf(ValidationResult.Invalid.class, result).reason();
    }

    @Test
    void mintedTokenVerifiesWithSessionSubjectRolesAndClaims() throws Exception {
        String binding = tokens.bindingOf(REFRESH_TOKEN);
        String token = tokens.mint(alice(), binding);

        Session session = assertInstanceOf(ValidationResult.Valid.class, tokens.verify(token)).session();
        assertEquals("alice", session.subject());
        assertEquals(Set.of("user", "admin"), session.roles());
        assertFalse(session.isGuest());
        assertEquals(token, session.token());
        assertEquals(NOW.plus(ClientTokenSettings.DEFAULT_TTL), session.expiresAt().orElseThrow());
        assertEquals(ClientTokenSettings.DEFAULT_ISSUER, session.claims().get("iss"));
        assertEquals(ClientTokenSettings.DEFAULT_AUDIENCE, session.claims().get("aud"));
        assertEquals(binding, session.claims().get(ClientTokens.CLAIM_SESSION_BINDING));

        Map<String, Object> header = json(token, 0);
        assertEquals(ClientTokens.TYPE, header.get("typ"));
        assertEquals("HS256", header.get("alg"));
        Map<String, Object> claims = json(token, 1);
        assertEquals(NOW.getEpochSecond(), ((Number) claims.get("iat")).longValue());
        assertEquals(NOW.plus(ClientTokenSettings.DEFAULT_TTL).getEpochSecond(), ((Number) claims.get("exp")).longValue());
        assertTrue(claims.get("jti") instanceof String jti && jti.length() >= 22);
        assertEquals(List.of("admin", "user"), claims.get("roles"));
    }

    @Test
    void eachTokenHasItsOwnJti() throws Exception {
        String binding = tokens.bindingOf(REFRESH_TOKEN);
        assertNotEquals(json(tokens.mint(alice(), binding), 1).get("jti"), json(tokens.mint(alice(), binding), 1).get("jti"));
    }

    @Test
    void withoutSessionTheSubjectIsRandomAnonymousAndAGuest() throws Exception {
        String first = tokens.mint(null, null);
        String second = tokens.mint(null, null);

        Session session = assertInstanceOf(ValidationResult.Valid.class, tokens.verify(first)).session();
        assertTrue(session.subject().startsWith(ClientTokens.ANONYMOUS_PREFIX));
        assertTrue(session.subject().length() > ClientTokens.ANONYMOUS_PREFIX.length() + 16);
        assertTrue(session.isGuest());
        assertTrue(session.roles().isEmpty());
        assertNull(session.claims().get(ClientTokens.CLAIM_SESSION_BINDING));
        assertNull(json(first, 1).get("roles"));
        assertNotEquals(json(first, 1).get("sub"), json(second, 1).get("sub"));
    }

    @Test
    void guestSessionStaysAGuest() {
        Session guest = Session.builder("guest:7f3a", ACCESS_TOKEN).guest(true).build();
        String token = tokens.mint(guest, tokens.bindingOf(ACCESS_TOKEN));
        Session session = assertInstanceOf(ValidationResult.Valid.class, tokens.verify(token)).session();
        assertTrue(session.isGuest());
        assertEquals("guest:7f3a", session.subject());
    }

    @Test
    void tokenExpiresAfterTtlOnTheMovedClock() {
        String token = tokens.mint(alice(), tokens.bindingOf(REFRESH_TOKEN));
        clock.advance(ClientTokenSettings.DEFAULT_TTL.minusSeconds(1));
        assertEquals(ValidationResult.Kind.VALID, tokens.verify(token).kind());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(ValidationResult.Kind.EXPIRED, tokens.verify(token).kind());
        clock.advance(Duration.ofDays(1));
        assertEquals(ValidationResult.Kind.EXPIRED, tokens.verify(token).kind());
    }

    @Test
    void configuredTtlSetsExpiry() {
        ClientTokens shortLived = tokens(SECRET, ClientTokenSettings.PARAM_TTL, "30s");
        assertEquals(Duration.ofSeconds(30), shortLived.ttl());
        String token = shortLived.mint(null, null);
        clock.advance(Duration.ofSeconds(30));
        assertEquals(ValidationResult.Kind.EXPIRED, shortLived.verify(token).kind());
    }

    @Test
    void tokenIssuedInTheFutureIsRefused() {
        String token = tokens.mint(null, null);
        clock.advance(Duration.ofSeconds(-10));
        assertEquals(Reason.ISSUED_IN_FUTURE, reason(tokens.verify(token)));
    }

    @Test
    void tamperedPayloadIsRefused() throws Exception {
        String token = tokens.mint(alice(), tokens.bindingOf(REFRESH_TOKEN));
        String[] parts = token.split("\\.");
        Map<String, Object> claims = json(token, 1);
        claims.put("roles", List.of("admin", "superuser"));
        String forged = parts[0] + "." + b64(JsonUtil.toJson(claims)) + "." + parts[2];
        assertEquals(Reason.BAD_SIGNATURE, reason(tokens.verify(forged)));

        char[] sig = parts[2].toCharArray();
        sig[sig.length / 2] = sig[sig.length / 2] == 'A' ? 'B' : 'A';
        assertEquals(Reason.BAD_SIGNATURE, reason(tokens.verify(parts[0] + "." + parts[1] + "." + new String(sig))));
    }

    @Test
    void tokenFromAnotherKeyIsRefused() {
        String foreign = tokens(OTHER_SECRET).mint(alice(), tokens.bindingOf(REFRESH_TOKEN));
        assertEquals(Reason.BAD_SIGNATURE, reason(tokens.verify(foreign)));
    }

    @Test
    void unsignedAndOtherAlgorithmsAreRefused() throws Exception {
        String token = tokens.mint(alice(), tokens.bindingOf(REFRESH_TOKEN));
        Map<String, Object> header = json(token, 0);
        Map<String, Object> claims = json(token, 1);

        Map<String, Object> none = new HashMap<>(header);
        none.put("alg", "none");
        String unsigned = b64(JsonUtil.toJson(none)) + "." + token.split("\\.")[1] + ".";
        assertEquals(Reason.DISALLOWED_ALGORITHM, reason(tokens.verify(unsigned)));

        byte[] key = SECRET.getBytes(StandardCharsets.UTF_8);
        assertEquals(Reason.DISALLOWED_ALGORITHM,
                reason(tokens.verify(sign(header, claims, AlgorithmIdentifiers.HMAC_SHA512, key))));
        assertEquals(ValidationResult.Kind.VALID,
                tokens.verify(sign(header, claims, AlgorithmIdentifiers.HMAC_SHA256, key)).kind(), "control");
    }

    @Test
    void tokenWithoutClientTypeIsRefused() throws Exception {
        String token = tokens.mint(alice(), tokens.bindingOf(REFRESH_TOKEN));
        Map<String, Object> claims = json(token, 1);
        byte[] key = SECRET.getBytes(StandardCharsets.UTF_8);
        assertEquals(Reason.WRONG_TOKEN_TYPE, reason(tokens.verify(sign(Map.of(), claims, "HS256", key))));
        assertEquals(Reason.WRONG_TOKEN_TYPE, reason(tokens.verify(sign(Map.of("typ", "JWT"), claims, "HS256", key))));
    }

    @Test
    void wrongIssuerOrAudienceIsRefused() {
        ClientTokens otherIssuer = tokens(SECRET, ClientTokenSettings.PARAM_ISSUER, "https://elsewhere.example.com");
        ClientTokens otherAudience = tokens(SECRET, ClientTokenSettings.PARAM_AUDIENCE, "other-sdk");
        String token = tokens.mint(null, null);
        assertEquals(Reason.WRONG_ISSUER, reason(otherIssuer.verify(token)));
        assertEquals(Reason.WRONG_AUDIENCE, reason(otherAudience.verify(token)));
        assertEquals(ValidationResult.Kind.VALID, otherIssuer.verify(otherIssuer.mint(null, null)).kind());
    }

    @Test
    void tokenLivingLongerThanTheTtlIsRefused() {
        String hourLong = tokens(SECRET, ClientTokenSettings.PARAM_TTL, "1h").mint(null, null);
        assertEquals(Reason.LIFETIME_TOO_LONG, reason(tokens.verify(hourLong)));
    }

    @Test
    void junkIsMalformedAndNeverThrows() {
        for (String junk : new String[] {null, "", ".", "..", "a.b.c", "a.b.c.d.e", "eyJ.eyJ.", "x".repeat(20_000),
                "\u0000.\u0000.\u0000", b64("{\"typ\":\"" + ClientTokens.TYPE + "\",\"alg\":\"HS256\"}") + ".e30.AAAA"}) {
            ValidationResult result = tokens.verify(junk);
            assertEquals(ValidationResult.Kind.INVALID, result.kind(), String.valueOf(junk));
        }
    }

    @Test
    void sidIsTheCallersBindingNotATokenAndNeverContainsOne() throws Exception {
        Session session = alice();
        String binding = tokens.bindingOf(REFRESH_TOKEN);
        String token = tokens.mint(session, binding);

        Map<String, Object> claims = json(token, 1);
        assertEquals(binding, claims.get("sid"));
        assertNotEquals(REFRESH_TOKEN, claims.get("sid"));
        assertNotEquals(ACCESS_TOKEN, claims.get("sid"));
        String everything = token + new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertFalse(everything.contains(REFRESH_TOKEN));
        assertFalse(everything.contains(ACCESS_TOKEN));
        for (String part : ACCESS_TOKEN.split("\\.")) {
            assertFalse(everything.contains(part), "no part of the access token");
        }
    }

    @Test
    void bindingIsKeyedStableAndUnlikeAPlainHash() {
        String binding = tokens.bindingOf(REFRESH_TOKEN);
        assertEquals(binding, tokens.bindingOf(REFRESH_TOKEN));
        assertEquals(43, binding.length());
        assertNotEquals(binding, tokens.bindingOf(ACCESS_TOKEN));
        assertNotEquals(binding, tokens(OTHER_SECRET).bindingOf(REFRESH_TOKEN), "keyed by the secret");
        assertNotEquals(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(io.github.sessiongate.audit.Fingerprint.sha256(REFRESH_TOKEN)), binding);
    }

    @Test
    void aTokenOrNonHashIsRefusedAsBinding() {
        Session session = alice();
        assertThrows(IllegalArgumentException.class, () -> tokens.mint(session, session.token()));
        assertThrows(IllegalArgumentException.class, () -> tokens.mint(session, ACCESS_TOKEN), "dots: a JWT");
        assertThrows(IllegalArgumentException.class, () -> tokens.mint(session, null), "a session needs a binding");
        assertThrows(IllegalArgumentException.class, () -> tokens.mint(session, "short"));
        assertThrows(IllegalArgumentException.class, () -> tokens.mint(session, "a".repeat(129)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tokens.mint(null, "has spaces and = padding!"));
        assertFalse(e.getMessage().contains("padding!"), "the value is not echoed");
    }

    @Test
    void jwtTokenValidatorWithTheSameSecretRefusesClientTokensForTheirType() throws Exception {
        // Misconfiguration on purpose: the access-token validator trusts the client-token secret,
        // issuer and audience. Only the typ header keeps client tokens out.
        JwtTokenValidator validator = JwtTokenValidator.fromParams(Map.of(
                JwtTokenValidator.PARAM_SECRET, SECRET,
                JwtTokenValidator.PARAM_ISSUER, ClientTokenSettings.DEFAULT_ISSUER,
                JwtTokenValidator.PARAM_AUDIENCE, ClientTokenSettings.DEFAULT_AUDIENCE), clock);
        try {
            for (String token : List.of(tokens.mint(alice(), tokens.bindingOf(REFRESH_TOKEN)), tokens.mint(null, null))) {
                assertEquals(Reason.WRONG_TOKEN_TYPE, reason(validator.validate(token)));

                // Control: the same claims under the same key without the typ header pass, so the
                // refusal above is the type check and nothing else.
                String untyped = sign(Map.of(), json(token, 1), "HS256", SECRET.getBytes(StandardCharsets.UTF_8));
                assertEquals(ValidationResult.Kind.VALID, validator.validate(untyped).kind());
            }
        } finally {
            validator.close();
        }
    }

    @Test
    void describeAndToStringHideTheSecret() {
        assertFalse(tokens.describe().contains(SECRET));
        assertFalse(tokens.toString().contains(SECRET));
        assertTrue(tokens.describe().contains("[PROTECTED]"));
    }

    static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
