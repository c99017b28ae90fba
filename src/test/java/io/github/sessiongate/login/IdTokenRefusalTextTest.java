package io.github.sessiongate.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.TestOidcProvider;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The text of an ID-token refusal, which the callback logs at WARN, never carries the ID token, any
 * of its parts or its claims (a wrong signature, a foreign key, a claim that breaks out of what the
 * log line strips), whatever the provider, or one who sits in its place, sends.
 */
class IdTokenRefusalTextTest {
    private static final String CLIENT = "web";
    private static final String NONCE = "n-0123456789abcdefghijklmnop";
    private static final String SECRET_CLAIM = "private-claim-value-4711";

    private final MutableClock clock = new MutableClock();
    private TestOidcProvider provider;
    private RsaJsonWebKey key;
    private OidcDiscovery discovery;
    private IdTokenCheck idTokens;

    @BeforeEach
    void start() throws Exception {
        provider = TestOidcProvider.start();
        key = provider.key();
        OidcSettings settings = OidcSettings.builder().issuer(provider.issuer()).client(CLIENT, "secret").build();
        discovery = new OidcDiscovery(settings, provider.http(), clock);
        idTokens = new IdTokenCheck(settings, discovery, clock);
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private String idToken(RsaJsonWebKey signer, String algorithm, Consumer<JwtClaims> change) throws Exception {
        JwtClaims c = provider.claims(clock, CLIENT);
        c.setClaim("nonce", NONCE);
        c.setClaim("email", SECRET_CLAIM);
        change.accept(c);
        return TestOidcProvider.sign(c, signer, algorithm);
    }

    private void assertRefusalHidesTheToken(String token) {
        OidcTransaction pending = new OidcTransaction("s", NONCE, "v", clock.instant().minusSeconds(10), "http://app/cb", "", Optional.empty());
        Exception e = assertThrows(Exception.class, () -> idTokens.validate(discovery.provider().orElseThrow(), token, pending,
                "an-access-token"));
        assertEquals("Refused", e.getClass().getSimpleName(), e::toString);
        String text = e.getMessage();
        String[] parts = token.split("\\.");
        assertFalse(text.contains(parts[1].substring(0, 20)) || text.contains(parts[2].substring(0, 20)), () -> "the token: " + text);
        assertFalse(text.contains(SECRET_CLAIM), () -> "a claim: " + text);
    }

    @Test
    void aWrongSignatureDoesNotPutTheTokenInTheRefusal() throws Exception {
        RsaJsonWebKey other = RsaJwkGenerator.generateJwk(2048);
        assertRefusalHidesTheToken(idToken(other, AlgorithmIdentifiers.RSA_USING_SHA256, c -> { }));
        assertRefusalHidesTheToken(idToken(key, AlgorithmIdentifiers.RSA_USING_SHA256, c -> c.setAudience("another")) + "x");
    }

    @Test
    void aWrongIssuerIsNamedPrintablyOnOneLine() throws Exception {
        String token = idToken(key, AlgorithmIdentifiers.RSA_USING_SHA256, c -> c.setIssuer("https://evil.example/\r\nFAKE LOG LINE"));
        OidcTransaction pending = new OidcTransaction("s", NONCE, "v", clock.instant().minusSeconds(10), "http://app/cb", "", Optional.empty());
        IdTokenCheck.Refused e = assertThrows(IdTokenCheck.Refused.class,
                () -> idTokens.validate(discovery.provider().orElseThrow(), token, pending, "an-access-token"));
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e::getMessage);
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("https://evil.example/"), () -> "expected versus actual: "
                + e.getMessage());
    }

    @Test
    void claimsThatBreakTheStrippingDoNotReachTheRefusal() throws Exception {
        for (Consumer<JwtClaims> change : List.<Consumer<JwtClaims>>of(
                c -> c.setClaim("name", "x}) y"),
                c -> {
                    c.setClaim("name", "x}) y");
                    c.setAudience("another");
                },
                c -> {
                    c.setClaim("nested", java.util.Map.of("a", "}) "));
                    c.setExpirationTime(NumericDate.fromMilliseconds(clock.instant().minusSeconds(600).toEpochMilli()));
                },
                c -> c.setClaim("name", "}) x}) " + SECRET_CLAIM + " }) "))) {
            String token = idToken(key, AlgorithmIdentifiers.RSA_USING_SHA256, change);
            OidcTransaction pending = new OidcTransaction("s", NONCE, "v", clock.instant().minusSeconds(10), "http://app/cb", "", Optional.empty());
            try {
                idTokens.validate(discovery.provider().orElseThrow(), token, pending, "an-access-token");
            } catch (IdTokenCheck.Refused e) {
                assertFalse(e.getMessage().contains(SECRET_CLAIM), () -> "a claim: " + e.getMessage());
            }
        }
    }
}
