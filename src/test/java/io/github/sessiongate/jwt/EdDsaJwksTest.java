package io.github.sessiongate.jwt;

import static io.github.sessiongate.jwt.EdDsaTest.eddsa;
import static io.github.sessiongate.jwt.EdKeys.ED25519;
import static io.github.sessiongate.jwt.EdKeys.ED448;
import static io.github.sessiongate.jwt.EdKeys.OTHER_ED25519;
import static io.github.sessiongate.jwt.JwtTokenValidatorTest.assertRefused;
import static io.github.sessiongate.jwt.JwtTokenValidatorTest.assertValid;
import static io.github.sessiongate.jwt.TestJwt.AUDIENCE;
import static io.github.sessiongate.jwt.TestJwt.ISSUER;
import static io.github.sessiongate.jwt.TestJwt.NOW;
import static io.github.sessiongate.jwt.TestJwt.RSA;
import static io.github.sessiongate.jwt.TestJwt.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.ValidatorInit;
import io.github.sessiongate.testing.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.keys.EdDsaKeyUtil;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * EdDSA with {@code OKP} keys from a real JWKS endpoint on 127.0.0.1 (as {@link JwksTest}): Ed25519
 * keys verify when {@code jwt.algorithms} lists EdDSA, other {@code OKP} curves are ignored, and a
 * {@code kid} never crosses key types.
 */
class EdDsaJwksTest {
    private final AtomicInteger hits = new AtomicInteger();
    private final MutableClock clock = new MutableClock(NOW);
    private volatile String body = jwks(RSA, EdKeys.jwk(ED25519, "ed-1"));
    private HttpServer server;
    private String base;
    private String url;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            hits.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        url = base + "/jwks";
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static String jwks(JsonWebKey... keys) {
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    private JwtTokenValidator validator(String algorithms) {
        Map<String, String> p = new HashMap<>();
        p.put(JwtTokenValidator.PARAM_JWKS_URL, url);
        p.put(JwtTokenValidator.PARAM_ISSUER, ISSUER);
        p.put(JwtTokenValidator.PARAM_AUDIENCE, AUDIENCE);
        if (algorithms != null) {
            p.put(JwtTokenValidator.PARAM_ALGORITHMS, algorithms);
        }
        return JwtTokenValidator.fromParams(p, clock);
    }

    @Test
    void ed25519KeysFromTheJwksVerifyEdDsaTokensBesideRsaOnes() {
        assertTrue(body.contains("\"kty\":\"OKP\"") && body.contains("\"crv\":\"Ed25519\""), body);
        JwtTokenValidator validator = validator("RS256, EdDSA");
        assertValid(validator.validate(eddsa(token().kid("ed-1"))));
        assertValid(validator.validate(token().kid("rsa-1").rs256()));
        assertValidBecause(validator.validate(eddsa(token())), "without kid: the set's only Ed25519 key");
        assertRefused(Reason.BAD_SIGNATURE, validator.validate(eddsa(token().kid("ed-1"), OTHER_ED25519)));
        assertEquals(1, hits.get());
        assertValid(JwtTokenValidator.withJwkSetUri(java.net.URI.create(url)).algorithms("EdDSA").issuer(ISSUER)
                .audience(AUDIENCE).clock(clock).build().validate(eddsa(token().kid("ed-1"))));
    }

    private static void assertValidBecause(ValidationResult result, String why) {
        assertInstanceOf(ValidationResult.Valid.class, result, () -> why + ": " + result);
    }

    @Test
    void withoutEdDsaListedAnEdDsaTokenIsDisallowedAndNothingIsFetched() {
        JwtTokenValidator byDefault = validator(null);
        JwtTokenValidator rs256 = validator("RS256");
        hits.set(0); // the start-up fetches
        assertRefused(Reason.DISALLOWED_ALGORITHM, byDefault.validate(eddsa(token().kid("ed-1"))));
        assertRefused(Reason.DISALLOWED_ALGORITHM, rs256.validate(eddsa(token().kid("ed-1"))));
        assertEquals(0, hits.get());
    }

    @Test
    void aKidNeverCrossesKeyTypes() {
        JwtTokenValidator validator = validator("RS256, ES256, EdDSA");
        // An EdDSA token naming the RSA key, an RS256 token naming the Ed25519 key.
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(eddsa(token().kid("rsa-1"))));
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(token().kid("ed-1").rs256()));
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(token().kid("ed-1").es256()));
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(eddsa(token().kid("../../../dev/null"))));
        // HS256 keyed with the Ed25519 key's public bytes, naming it.
        byte[] raw = new EdDsaKeyUtil().rawPublicKey(ED25519.getPublic());
        assertRefused(Reason.DISALLOWED_ALGORITHM, validator.validate(token().kid("ed-1").sign("HS256", new HmacKey(raw))));
        assertRefused(Reason.DISALLOWED_ALGORITHM, validator.validate(token().kid("ed-1").unsigned()));
    }

    @Test
    void otherOkpCurvesInTheSetAreIgnored() throws Exception {
        OctetKeyPairJsonWebKey ed448 = EdKeys.jwk(ED448, "ed448-1");
        OctetKeyPairJsonWebKey x25519 = EdKeys.jwk(EdKeys.generate("X25519"), "x-1");
        assertEquals("Ed448", ed448.getSubtype());
        body = jwks(RSA, ed448, x25519);
        JwtTokenValidator validator = validator("RS256, EdDSA");
        // A genuine Ed448 signature by the key the set names: jose4j would verify it; it is ignored.
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(eddsa(token().kid("ed448-1"), ED448)));
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(eddsa(token(), ED448)));
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(eddsa(token().kid("x-1"))));
        assertValid(validator.validate(token().kid("rsa-1").rs256()));
        // Beside an Ed25519 key, only that one is tried for a token without kid.
        body = jwks(ed448, EdKeys.jwk(ED25519, "ed-1"));
        clock.advance(JwtTokenValidator.DEFAULT_JWKS_REFETCH_INTERVAL);
        JwtTokenValidator both = validator("EdDSA");
        assertValid(both.validate(eddsa(token())));
        assertRefused(Reason.BAD_SIGNATURE, both.validate(eddsa(token(), ED448)));
        assertEquals(List.of(), JwksKeySource.usable(List.of(ed448, x25519)));
        assertTrue(JwksKeySource.usable(EdKeys.jwk(ED25519, "e")));
    }

    @Test
    void anEmbeddedJwkOrKeyUrlIsIgnored() throws Exception {
        Map<String, Object> attacker = EdKeys.jwk(OTHER_ED25519, "ed-1").toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        JwtTokenValidator validator = validator("EdDSA");
        assertRefused(Reason.BAD_SIGNATURE, validator.validate(eddsa(token().kid("ed-1").header("jwk", attacker), OTHER_ED25519)));
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(eddsa(token().kid("attacker").header("jwk", attacker)
                .header("jku", base + "/evil"), OTHER_ED25519)));
    }

    @Test
    void discoveredProviderKeysVerifyEdDsaToo() {
        InitParams params = InitParams.resolve(Map.of("oidc.issuer", base, "oidc.jwks-uri", url,
                JwtTokenValidator.PARAM_AUDIENCE, AUDIENCE, JwtTokenValidator.PARAM_ALGORITHMS, "EdDSA"));
        params.get("oidc.issuer");
        params.get("oidc.jwks-uri");
        JwtTokenValidator validator = ValidatorInit.init(new JwtTokenValidator(), params, clock);
        assertValidBecause(validator.validate(eddsa(token().kid("ed-1").claim("iss", base))), "by the provider's keys");
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(eddsa(token().kid("rsa-1").claim("iss", base))));
        validator.close();
    }
}
