package io.github.sessiongate.rotation;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.store.InMemoryExpiringStore;
import io.github.sessiongate.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A sign-in handed a token a logout revoked here ({@link Revocations#liftReissued}): a backend that
 * mints tokens without a {@code jti} issues the same string twice in one second, and the new
 * session's token is then lifted from the revocation list; a token with a {@code jti} never is.
 */
class ReissuedTokenTest {
    private final MutableClock clock = new MutableClock();
    private final InMemoryExpiringStore<Boolean> store = new InMemoryExpiringStore<>(100, clock);
    private final Revocations revocations = new Revocations(store, Duration.ofSeconds(30), clock);
    private final long exp = clock.instant().plusSeconds(300).getEpochSecond();

    @Test
    void aTokenWithoutJtiMintedAgainIsLiftedFromTheRevocationList() {
        String token = jws("{\"iss\":\"https://idp\",\"sub\":\"alice\",\"exp\":" + exp + "}", "sig");
        assertTrue(revocations.revoke(token, null));

        assertAll(
                () -> assertTrue(revocations.liftReissued(token), "lifted"),
                () -> assertFalse(revocations.isRevoked(token), "the new session's token is served"),
                () -> assertFalse(revocations.liftReissued(token), "nothing left to lift"));
    }

    @Test
    void anotherSpellingOfItsSignatureIsTheSameTokenAndIsLiftedWithIt() {
        String token = jws("{\"sub\":\"alice\",\"exp\":" + exp + "}", "sig");
        String respelt = jws("{\"sub\":\"alice\",\"exp\":" + exp + "}", "other-sig");
        assertTrue(revocations.revoke(respelt, null));

        assertTrue(revocations.liftReissued(token));
        assertFalse(revocations.isRevoked(respelt), "same header and payload: the same token, by identity");
    }

    @Test
    void aTokenWithAJtiKeepsItsRevocation() {
        String signedOut = jws("{\"iss\":\"https://idp\",\"jti\":\"j1\",\"sub\":\"alice\",\"exp\":" + exp + "}", "sig");
        String sameJti = jws("{\"iss\":\"https://idp\",\"jti\":\"j1\",\"sub\":\"mallory\",\"exp\":" + exp + "}", "sig");
        assertTrue(revocations.revoke(signedOut, null));

        assertAll(
                () -> assertFalse(revocations.liftReissued(sameJti), "(iss, jti) shared without the claims: not lifted"),
                () -> assertTrue(revocations.isRevoked(signedOut)),
                () -> assertFalse(revocations.liftReissued(signedOut), "not even the same string: a jti is unique per token"),
                () -> assertTrue(revocations.isRevoked(signedOut)));
    }

    @Test
    void aTokenNeverRevokedIsNotLifted() {
        String token = jws("{\"sub\":\"alice\",\"exp\":" + exp + "}", "sig");
        assertFalse(revocations.liftReissued(token));
        assertFalse(revocations.liftReissued("an-opaque-token"), "an opaque token has no signing input");
    }

    @Test
    void anOpaqueTokenKeepsItsRevocation() {
        assertTrue(revocations.revoke("an-opaque-token", null));
        assertFalse(revocations.liftReissued("an-opaque-token"));
        assertTrue(revocations.isRevoked("an-opaque-token"));
    }

    private static String jws(String payload, String signature) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(signature.getBytes(StandardCharsets.UTF_8));
    }
}
