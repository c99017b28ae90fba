package io.github.sessiongate.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.rotation.GraceMemo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Values leave the JVM in a small versioned binary form, and token-carrying ones sealed to their key. */
class ValueCodecTest {
    private static final Instant AT = Instant.parse("2030-01-01T00:00:00.123456789Z");

    @Test
    void everyKindRoundTrips() {
        TokenPair pair = new TokenPair("access.token", "refresh-token", AT);
        assertEquals(pair, ValueCodec.TOKEN_PAIR.decode(ValueCodec.TOKEN_PAIR.encode(pair)));
        TokenPair noRefresh = new TokenPair("a", null, null);
        assertEquals(noRefresh, ValueCodec.TOKEN_PAIR.decode(ValueCodec.TOKEN_PAIR.encode(noRefresh)));
        assertEquals(Boolean.TRUE, ValueCodec.PRESENCE.decode(ValueCodec.PRESENCE.encode(Boolean.TRUE)));
        String longToken = "x".repeat(70_000);
        assertEquals(longToken, ValueCodec.TOKEN.decode(ValueCodec.TOKEN.encode(longToken)));

        GraceMemo.Link link = new GraceMemo.Link("key", List.of(new GraceMemo.Minted("id-1", AT)), "next-refresh");
        assertEquals(link, GraceMemo.LINK_CODEC.decode(GraceMemo.LINK_CODEC.encode(link)));
        GraceMemo.Link last = new GraceMemo.Link("key", List.of(), null);
        assertEquals(last, GraceMemo.LINK_CODEC.decode(GraceMemo.LINK_CODEC.encode(last)));

        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "alice");
        claims.put("n", 7L);
        claims.put("nested", Map.of("k", List.of("a", "b")));
        Session s = Session.builder("alice", "tok").roles(Set.of("admin", "user")).claims(claims).expiresAt(AT).guest(true).build();
        Session back = ValueCodec.SESSION.decode(ValueCodec.SESSION.encode(s));
        assertEquals(s.subject(), back.subject());
        assertEquals(s.roles(), back.roles());
        assertEquals(s.claims(), back.claims());
        assertEquals(s.expiresAt(), back.expiresAt());
        assertEquals(s.token(), back.token());
        assertTrue(back.isGuest());
    }

    @Test
    void anotherVersionTruncatedOrTrailingBytesAreRefused() {
        byte[] good = ValueCodec.TOKEN_PAIR.encode(new TokenPair("a", "r", AT));
        byte[] otherVersion = good.clone();
        otherVersion[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.TOKEN_PAIR.decode(otherVersion));
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.TOKEN_PAIR.decode(Arrays.copyOf(good, good.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.TOKEN_PAIR.decode(Arrays.copyOf(good, good.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.SESSION.decode(new byte[0]));
        byte[] hugeLength = {1, 0x7f, 0x7f, 0x7f, 0x7f};
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.TOKEN.decode(hugeLength));
    }

    @Test
    void onlyTokenCarryingKindsAskToBeSealed() {
        assertFalse(ValueCodec.PRESENCE.carriesToken());
        assertTrue(ValueCodec.TOKEN.carriesToken());
        assertTrue(ValueCodec.TOKEN_PAIR.carriesToken());
        assertTrue(ValueCodec.SESSION.carriesToken());
        assertTrue(GraceMemo.LINK_CODEC.carriesToken());
    }

    @Test
    void aSealOpensOnlyUnderItsKeyForItsStorageKey() {
        StateSeal seal = new StateSeal(new SecretKeySpec(new byte[32], "AES"));
        byte[] key2 = new byte[32];
        key2[0] = 1;
        StateSeal other = new StateSeal(new SecretKeySpec(key2, "AES"));
        byte[] plain = "refresh-token-value".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = seal.seal("sg:g:abc", plain);
        assertFalse(new String(sealed, StandardCharsets.US_ASCII).contains("refresh-token-value"));
        assertArrayEquals(plain, seal.open("sg:g:abc", sealed).orElseThrow());
        assertTrue(seal.open("sg:g:abd", sealed).isEmpty(), "moved to another key");
        assertTrue(other.open("sg:g:abc", sealed).isEmpty(), "another state key");
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 3] ^= 1;
        assertTrue(seal.open("sg:g:abc", tampered).isEmpty());
        assertTrue(seal.open("sg:g:abc", "not a jwe".getBytes(StandardCharsets.US_ASCII)).isEmpty());
        assertFalse(seal.toString().contains("AAAA"));
        assertThrows(IllegalArgumentException.class, () -> new StateSeal(new SecretKeySpec(new byte[16], "AES")));
    }
}
