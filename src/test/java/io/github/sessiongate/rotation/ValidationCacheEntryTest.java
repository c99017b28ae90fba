package io.github.sessiongate.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.sessiongate.Session;
import io.github.sessiongate.StateStore;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.store.InMemoryStateStore;
import io.github.sessiongate.store.StateSlot;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/** A cache entry hands out the validator's session as is, and keeps one copy of the claims, not two. */
class ValidationCacheEntryTest {
    private static final String SECRET = "a-test-secret-of-at-least-thirty-two-bytes";

    @Test
    void theTokensIdentityReadSharesTheSessionsClaims() throws Exception {
        Clock clock = Clock.systemUTC();
        JwtTokenValidator validator = JwtTokenValidator.fromParams(Map.of("jwt.secret", SECRET, "jwt.issuer",
                "https://idp.example", "jwt.audience", "app"), clock);
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("https://idp.example");
        claims.setAudience("app");
        claims.setSubject("alice");
        claims.setGeneratedJwtId();
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setStringListClaim("roles", List.of("user", "admin"));
        claims.setStringClaim("sid", "s-1");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)));
        String token = jws.getCompactSerialization();
        Session session = ((ValidationResult.Valid) validator.validate(token)).session();

        ValidationCache cache = new ValidationCache(new StateSlot<>(new InMemoryStateStore(10, 1, clock), "v:",
                StateStore.EntryClass.CACHE, ValidationCache.CODEC, null, clock, what -> { }), Duration.ofSeconds(2), clock);
        cache.put(token, session);
        ValidationCache.Entry entry = cache.entryByKey(TokenKey.of(token)).orElseThrow();

        assertSame(session, entry.session(), "a hit hands out the cached session, no copy");
        TokenIdentity.Read read = entry.read(token);
        assertEquals(TokenIdentity.read(token).identity(), read.identity());
        assertEquals(TokenIdentity.read(token).claims(), read.claims());
        assertSame(session.claims(), read.claims(), "one copy of the claims per entry");
        assertSame(read, entry.read(token), "read once per entry");
    }
}
