package io.github.sessiongate.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One token, one identity (issue 7 section 5): never the signature bytes. */
class TokenIdentityTest {
    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static final String HEADER = b64("{\"alg\":\"ES256\"}");

    @Test
    void withAJtiTheIdentityIsIssuerAndJtiWhateverTheSignatureOrTheRestOfThePayload() {
        String a = HEADER + "." + b64("{\"iss\":\"https://idp\",\"jti\":\"42\",\"exp\":1}") + ".sigA";
        String b = HEADER + "." + b64("{\"jti\":\"42\",\"iss\":\"https://idp\"}") + ".sigB";
        String otherIssuer = HEADER + "." + b64("{\"iss\":\"https://other\",\"jti\":\"42\"}") + ".sigA";
        assertEquals(TokenIdentity.of(a), TokenIdentity.of(b));
        assertNotEquals(TokenIdentity.of(a), TokenIdentity.of(otherIssuer));
        assertTrue(TokenIdentity.of(a).startsWith("jti:"));
    }

    @Test
    void withoutAJtiTheIdentityIsTheSigningInputExactlyAsReceived() {
        String payload = b64("{\"iss\":\"https://idp\",\"sub\":\"alice\"}");
        String s1 = HEADER + "." + payload + ".AAAA";
        String s2 = HEADER + "." + payload + ".BBBB";
        assertEquals(TokenIdentity.of(s1), TokenIdentity.of(s2), "a re-signed (r, n-s) token is the same token");
        assertNotEquals(TokenIdentity.of(s1), TokenIdentity.of(HEADER + "." + payload + "x.AAAA"));
        assertTrue(TokenIdentity.of(s1).startsWith("in:"));
    }

    @Test
    void anOpaqueOrUnreadableTokenIsKeyedOnItsWholeDigest() {
        assertEquals("tok:" + TokenKey.of("opaque-token"), TokenIdentity.of("opaque-token"));
        assertEquals("tok:" + TokenKey.of("a.b.c.d.e"), TokenIdentity.of("a.b.c.d.e"));
        assertTrue(TokenIdentity.of("a.%%%.c").startsWith("in:"), "a payload that is not base64url: the signing input");
        String deep = HEADER + "." + b64("[".repeat(100) + "]".repeat(100)) + ".sig";
        assertTrue(TokenIdentity.of(deep).startsWith("in:"));
    }

    @Test
    void claimedExpiryIsReadUnverified() {
        assertEquals(Optional.of(Instant.ofEpochSecond(1_900_000_000L)),
                TokenIdentity.claimedExpiry(HEADER + "." + b64("{\"exp\":1900000000}") + ".x"));
        assertEquals(Optional.empty(), TokenIdentity.claimedExpiry("opaque"));
        assertEquals(Optional.empty(), TokenIdentity.claimedExpiry(HEADER + "." + b64("{\"exp\":\"soon\"}") + ".x"));
    }
}
