package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.TokenSpellings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * EdDSA access cookies over real HTTP ({@link JettyEdDsaTokenTest}, {@link TomcatEdDsaTokenTest}):
 * the {@code eddsa} webapp (an Ed25519 {@code jwt.public-key} from a file, {@code jwt.algorithms=EdDSA},
 * {@code jwt.public-key-id=ed-1}) serves a genuine token, and answers every hostile one with 401,
 * never 200 or 500, audited with its reason under the token's fingerprint and never the token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EdDsaTokenScenarios {
    static final String APP = "/ed";
    static final String ACCESS_COOKIE = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;

    private final Teardown teardown = new Teardown();
    private final KeyPair key = generate();
    private final KeyPair attacker = generate();
    private Path keyFile;
    private URI base;

    abstract Container newContainer();

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    void startContainer() throws Exception {
        keyFile = Files.createTempFile("eddsa-it", ".pem");
        Files.writeString(keyFile, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n", StandardCharsets.US_ASCII);
        teardown.add(new ScenarioProperties()).set("sessiongate.it.eddsa.public-key", "file:" + keyFile.toAbsolutePath());
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(APP, "eddsa")));
    }

    @AfterAll
    void stopContainer() throws Exception {
        teardown.close();
        Files.deleteIfExists(keyFile);
    }

    /** A token for the webapp's issuer and audience, ten minutes to live, with this header. */
    private static String sign(String alg, Key signingKey, Map<String, Object> header) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(Tokens.ISSUER);
        claims.setAudience(Tokens.AUDIENCE);
        claims.setSubject("alice");
        claims.setJwtId(UUID.randomUUID().toString());
        long now = Instant.now().getEpochSecond();
        claims.setIssuedAt(NumericDate.fromSeconds(now - 5));
        claims.setExpirationTime(NumericDate.fromSeconds(now + 600));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        header.forEach((n, v) -> jws.getHeaders().setObjectHeaderValue(n, v));
        jws.setAlgorithmHeaderValue(alg);
        jws.setKey(signingKey);
        jws.setDoKeyValidation(false);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        try {
            return jws.getCompactSerialization();
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response get(String token) throws Exception {
        return RawHttp.send(base, "GET", APP + "/api/orders", "Cookie: " + ACCESS_COOKIE + "=" + token);
    }

    @Test
    void aGenuineEdDsaTokenNamingTheKeyIdIsServed() throws Exception {
        Response r = get(sign("EdDSA", key.getPrivate(), Map.of("kid", "ed-1")));
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.body().contains(EchoServlet.MARKER), r::toString);
    }

    @Test
    void hostileTokensAreUnauthenticatedWithTheirReasonAndNeverLogged() throws Exception {
        String genuine = TokenSpellings.withUrlSafeCharacter(() -> sign("EdDSA", key.getPrivate(), Map.of("kid", "ed-1")));
        byte[] raw = new org.jose4j.keys.EdDsaKeyUtil().rawPublicKey(key.getPublic());
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"kid\":\"ed-1\"}".getBytes(StandardCharsets.UTF_8))
                + genuine.substring(genuine.indexOf('.'), genuine.lastIndexOf('.') + 1);
        List<Map.Entry<String, String>> hostile = List.of(
                Map.entry("unknown_key", sign("EdDSA", key.getPrivate(), Map.of("kid", "ed-2"))),
                Map.entry("unknown_key", sign("EdDSA", key.getPrivate(), Map.of())),
                Map.entry("bad_signature", sign("EdDSA", attacker.getPrivate(), Map.of("kid", "ed-1"))),
                Map.entry("bad_signature", genuine.substring(0, genuine.lastIndexOf('.') + 1) + "A".repeat(86)),
                Map.entry("disallowed_algorithm", sign("HS256", new HmacKey(raw), Map.of("kid", "ed-1"))),
                Map.entry("disallowed_algorithm", unsigned),
                Map.entry("malformed", TokenSpellings.standardAlphabet(genuine)),
                Map.entry("malformed", TokenSpellings.padded(genuine)),
                Map.entry("malformed", sign("EdDSA", key.getPrivate(), Map.of("kid", "ed-1", "crit", List.of("exp"), "exp", 1))));
        for (Map.Entry<String, String> e : hostile) {
            String reason = e.getKey();
            String token = e.getValue();
            Response[] response = new Response[1];
            String log = LogCapture.during(() -> response[0] = get(token));
            Response r = response[0];
            String signature = token.substring(token.lastIndexOf('.') + 1);
            assertAll(reason,
                    () -> assertEquals(401, r.status(), r::toString),
                    () -> assertFalse(r.body().contains(EchoServlet.MARKER), "reached the application"),
                    () -> assertTrue(log.lines().anyMatch(l -> l.contains(AuditLog.LOGGER_NAME) && l.contains("event=invalid_token")
                            && l.contains("reason=" + reason) && l.contains("token=" + Tokens.fingerprint(token))),
                            () -> "no " + reason + " audit line in:\n" + log),
                    () -> assertFalse(log.contains(token) || (signature.length() > 8 && log.contains(signature)),
                            () -> "token in the logs:\n" + log));
        }
    }
}
