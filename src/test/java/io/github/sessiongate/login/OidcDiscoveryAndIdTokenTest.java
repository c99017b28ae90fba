package io.github.sessiongate.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.TestOidcProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OidcLoginFlow}'s discovery (exact issuer, retried after a failure only once
 * {@link OidcLoginFlow#RETRY_DISCOVERY} passed) and its ID-token checks (OIDC Core 3.1.3.7), against
 * a small provider in this JVM signing with a test key; time from a {@link MutableClock}.
 */
class OidcDiscoveryAndIdTokenTest {
    private static final String CLIENT = "web";
    private static final String NONCE = "n-0123456789abcdefghijklmnop";
    private static final String ACCESS = "an-access-token";

    private final MutableClock clock = new MutableClock();
    private TestOidcProvider provider;
    private String issuer;
    private OidcDiscovery discovery;
    private IdTokenCheck idTokens;

    @BeforeEach
    void start() throws Exception {
        provider = TestOidcProvider.start();
        issuer = provider.issuer();
        discovery = new OidcDiscovery(OidcSettings.builder().issuer(issuer).client("web", "secret").build(), provider.http(), clock);
        idTokens = new IdTokenCheck(OidcSettings.builder().issuer(issuer).client(CLIENT, "secret").build(), discovery, clock);
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    @Test
    void discoveryNeedsTheExactIssuerAndRetriesOnlyAfterTheInterval() {
        provider.discoveryIssuer(issuer + "/");
        assertTrue(discovery.provider().isEmpty(), "an issuer that differs by a slash is refused");
        provider.discoveryIssuer(issuer);
        assertTrue(discovery.provider().isEmpty(), "not asked again at once");
        clock.advance(OidcLoginFlow.RETRY_DISCOVERY);
        assertEquals(issuer + "/token", discovery.provider().orElseThrow().token().toString());
    }

    private OidcTransaction pending() {
        return new OidcTransaction("s", NONCE, "v", clock.instant().minusSeconds(10), "http://app/cb", "", java.util.Optional.empty());
    }

    private String idToken(Consumer<JwtClaims> change) throws Exception {
        JwtClaims c = provider.claims(clock, CLIENT);
        c.setClaim("nonce", NONCE);
        c.setClaim("sid", "provider-session");
        change.accept(c);
        return provider.sign(c);
    }

    private IdTokenCheck.IdToken validate(Consumer<JwtClaims> change) throws Exception {
        return idTokens.validate(discovery.provider().orElseThrow(), idToken(change), pending(), ACCESS);
    }

    private void refused(Consumer<JwtClaims> change) {
        Exception e = assertThrows(Exception.class, () -> validate(change));
        assertEquals("Refused", e.getClass().getSimpleName(), () -> "a refusal, not a failure: " + e);
    }

    private static String atHash(String token) throws Exception {
        byte[] h = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(h, 16));
    }

    @Test
    void aValidIdTokenGivesItsFacts() throws Exception {
        IdTokenCheck.IdToken id = validate(c -> c.setClaim("at_hash", uncheckedAtHash(ACCESS)));
        assertEquals(new IdTokenCheck.IdToken(issuer, "alice", java.util.Optional.of("provider-session")), id);
        validate(c -> {
            c.setAudience(List.of(CLIENT, "api"));
            c.setClaim("azp", CLIENT);
        });
    }

    @Test
    void everyCheckRefuses() throws Exception {
        refused(c -> c.setIssuer(issuer + "/"));
        refused(c -> c.setAudience("someone-else"));
        refused(c -> c.setAudience(List.of(CLIENT, "api")));
        refused(c -> c.setClaim("azp", "someone-else"));
        refused(c -> c.setClaim("nonce", "another-nonce-0123456789abcdef"));
        refused(c -> c.unsetClaim("nonce"));
        refused(c -> c.setClaim("at_hash", uncheckedAtHash("another-access-token")));
        refused(c -> c.setExpirationTime(NumericDate.fromMilliseconds(clock.instant().minusSeconds(60).toEpochMilli())));
        refused(c -> c.setIssuedAt(NumericDate.fromMilliseconds(clock.instant().plusSeconds(120).toEpochMilli())));
        refused(c -> c.setIssuedAt(NumericDate.fromMilliseconds(clock.instant().minusSeconds(3600).toEpochMilli())));
        refused(c -> c.unsetClaim("sub"));
        // Signed with a shared secret (an algorithm outside the allow-list) instead of the provider's key.
        JwtClaims c = provider.claims(clock, CLIENT);
        c.setClaim("nonce", NONCE);
        JsonWebSignature hs = new JsonWebSignature();
        hs.setPayload(c.toJson());
        hs.setKey(new HmacKey(new byte[32]));
        hs.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        String forged = hs.getCompactSerialization();
        Exception e = assertThrows(Exception.class, () -> idTokens.validate(discovery.provider().orElseThrow(), forged, pending(), ACCESS));
        assertEquals("Refused", e.getClass().getSimpleName(), e::toString);
    }

    private static String uncheckedAtHash(String token) {
        try {
            return atHash(token);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theTransactionRoundTripsAndRefusesAnythingElse() {
        String value = String.join("|", "o2", "s".repeat(43), "n".repeat(43), "v".repeat(64), "1893456000",
                Base64.getUrlEncoder().withoutPadding().encodeToString("http://app/cb".getBytes(StandardCharsets.UTF_8)), "", "");
        OidcTransaction p = OidcTransaction.parse(value).orElseThrow();
        assertEquals(Instant.ofEpochSecond(1893456000L), p.issuedAt());
        assertEquals("http://app/cb", p.redirectUri());
        assertTrue(OidcTransaction.parse(value.replace("o2|", "o1|")).isEmpty(), "an earlier version is refused");
        assertTrue(OidcTransaction.parse("o1|a|b|c|1|x|y").isEmpty());
        assertTrue(OidcTransaction.parse(value + "|more").isEmpty());
        assertTrue(!p.toString().contains("sss"), "toString shows no state, nonce or verifier");
    }
}
