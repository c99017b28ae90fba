package io.github.sessiongate.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.sessiongate.Session;
import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@link ValidationCache#heldToken}: a region of a longer string (the Cookie header) is answered with
 * the held token string only when every character is that token's; a lookalike differing in one
 * character (sampled by the hash or not), a prefix, a longer region or another length gets nothing.
 */
class TokenTableHeldTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final MutableClock clock = new MutableClock(NOW);

    /** A 758-character token, as the RS256 benchmark's, of distinct-ish characters. */
    private static String token(char variant) {
        StringBuilder sb = new StringBuilder("eyJhbGciOiJSUzI1NiJ9.");
        for (int i = 0; sb.length() < 758; i++) {
            sb.append((char) ('A' + (i * 7 + variant) % 26));
        }
        return sb.toString();
    }

    private ValidationCache cacheHolding(String token) {
        ValidationCache cache = new ValidationCache(100, Duration.ofSeconds(2), clock);
        cache.put(token, Session.builder("alice", token).expiresAt(NOW.plusSeconds(60)).build());
        return cache;
    }

    private static String header(String value) {
        return "theme=dark; __Host-sg_access=" + value + "; lang=en";
    }

    private static String held(ValidationCache cache, String value) {
        String header = header(value);
        int from = header.indexOf("sg_access=") + "sg_access=".length();
        return cache.heldToken(header, from, from + value.length());
    }

    @Test
    void theSameCharactersAnswerTheHeldStringItself() {
        String token = token('a');
        ValidationCache cache = cacheHolding(token);
        assertSame(token, held(cache, new String(token.toCharArray())));
    }

    @Test
    void aLookalikeGetsNothingWhereverItDiffers() {
        String token = token('a');
        ValidationCache cache = cacheHolding(token);
        // First, an unsampled middle character (not a multiple of the stride), a sampled one, the tail, the last.
        for (int at : new int[] {0, 1, 9, 16, 300, 301, 700, 757}) {
            char[] c = token.toCharArray();
            c[at] = c[at] == 'Z' ? 'Y' : 'Z';
            assertNull(held(cache, new String(c)), "differs at " + at);
        }
        assertNull(held(cache, token.substring(0, 757)), "a prefix");
        assertNull(held(cache, token + "A"), "longer");
        assertNull(held(cache, token('b')), "another token of the same length");
    }

    @Test
    void aRegionEndingBeforeTheTokenDoesGetsNothing() {
        String token = token('a');
        ValidationCache cache = cacheHolding(token);
        String header = header(token);
        int from = header.indexOf("sg_access=") + "sg_access=".length();
        assertNull(cache.heldToken(header, from, from + 100));
        assertNull(cache.heldToken(header, from + 1, from + 1 + token.length()), "shifted by one");
        assertSame(token, cache.heldToken(header, from, from + token.length()));
    }

    @Test
    void nothingIsHeldInAStoreOrAfterAnEviction() {
        String token = token('a');
        ValidationCache cache = cacheHolding(token);
        cache.evict(token);
        assertNull(held(cache, token));
        ValidationCache inStore = new ValidationCache(new io.github.sessiongate.store.InMemoryExpiringStore<>(100, clock),
                Duration.ofSeconds(2), clock);
        inStore.put(token, Session.builder("alice", token).build());
        assertNull(held(inStore, token));
    }

    @Test
    void theProbeHashesAsTheTokenWhereverTheRegionLies() {
        String token = token('c');
        String header = header(token);
        int from = header.indexOf(token);
        assertEquals(TokenTable.hash(token), new TokenTable.Key(token).hashCode());
        TokenTable table = new TokenTable(10);
        table.put(new ValidationCache.Entry(Session.builder("alice", token).build(), Long.MAX_VALUE), NOW.toEpochMilli());
        assertSame(token, table.held(header, from, from + token.length()));
    }

    @Test
    void aHandedOutStringIsLookedUpAsAnyOtherAfterAnEvictionOrAnExpiry() {
        String token = token('d');
        String header = header(new String(token.toCharArray()));
        int from = header.indexOf("sg_access=") + "sg_access=".length();
        long now = NOW.toEpochMilli();
        TokenTable table = new TokenTable(10);
        ValidationCache.Entry entry = new ValidationCache.Entry(Session.builder("alice", token).build(), now + 1_000);
        table.put(entry, now);
        String handed = table.held(header, from, from + token.length());
        assertSame(token, handed);
        assertSame(entry, table.get(handed, now), "the handed-out string finds its entry");

        table.remove(token); // a logout
        assertNull(table.get(handed, now), "evicted: the remembered key finds nothing");
        ValidationCache.Entry again = new ValidationCache.Entry(Session.builder("alice", token).build(), now + 1_000);
        table.put(again, now);
        assertSame(again, table.get(handed, now));
        assertNull(table.get(handed, now + 1_000), "expired");
        assertNull(table.held(header, from, from + token.length()), "dropped when read expired");
    }
}
