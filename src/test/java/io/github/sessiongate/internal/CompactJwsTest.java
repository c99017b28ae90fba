package io.github.sessiongate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.testing.TokenSpellings;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The canonical-spelling check on its own: edges of RFC 4648 §3.5 and RFC 7515 §2. */
class CompactJwsTest {
    private static final HmacKey KEY = new HmacKey("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    private static String hs256() {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload("{\"sub\":\"alice\",\"jti\":\"" + UUID.randomUUID() + "\"}");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(KEY);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What jose4j alone says: the spelling verifies. */
    private static boolean jose4jVerifies(String token) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setCompactSerialization(token);
            jws.setKey(KEY);
            return jws.verifySignature();
        } catch (JoseException e) {
            return false;
        }
    }

    @Test
    void signedTokenIsCanonical() {
        assertTrue(CompactJws.isCanonical(hs256()));
    }

    @Test
    void jose4jAcceptsEveryOtherSpellingAndWeRefuseEach() {
        String token = TokenSpellings.withUrlSafeCharacter(CompactJwsTest::hs256);
        for (String spelling : new String[] {TokenSpellings.padded(token), TokenSpellings.standardAlphabet(token),
                TokenSpellings.nonZeroPadBits(token)}) {
            assertTrue(jose4jVerifies(spelling), () -> "jose4j refuses " + spelling + " itself; the test proves nothing");
            assertFalse(CompactJws.isCanonical(spelling), spelling);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "eyJhbGciOiJub25lIn0.e30.", // empty signature: the algorithm check's to refuse
        "eyJhbGciOiJub25lIn0..AAAA", // empty payload
        "AA.AAA.AAAA",
        "AQ.AAAA.AAAAAA", // 2 mod 4: 'Q' = 16 has four zero low bits
        "Qw.gA.-_8" // 'w' = 48, 'A' = 0; '8' = 60: low two bits 00
    })
    void canonicalSpellings(String token) {
        assertTrue(CompactJws.isCanonical(token), token);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", ".", "..", "...", "AAAA", "AAAA.AAAA", "AAAA.AAAA.AAAA.AAAA", "AAAA.AAAA.AAAA.",
        ".AAAA.AAAA", // empty header
        "AAAAA.AAAA.AAAA", "AAAA.A.AAAA", "AAAA.AAAA.A", // length 1 mod 4
        "AB.AAAA.AAAA", // 2 mod 4: 'B' = 1, a low bit set
        "AR.AAAA.AAAA", "AAB.AAAA.AAAA", "AAC.AAAA.AAAA", "AAAA.AAAA.AAF",
        "AA==.AAAA.AAAA", "AAA=.AAAA.AAAA", "AAAA.AAAA.AAA=",
        "AA+A.AAAA.AAAA", "AAAA.AA/A.AAAA", "AAAA.AAAA.AA A", "AAAA.AAAA.AA\u00e9A", "AAAA.AAAA.AA\u0100A",
        "AAAA.AAAA.AAA\n"
    })
    void nonCanonicalSpellings(String token) {
        assertFalse(CompactJws.isCanonical(token), token);
    }

    @Test
    void headerEndIsTheFirstDotOfThreeSegmentsWithACanonicalHeader() {
        String token = hs256();
        int dot = token.indexOf('.');
        assertEquals(dot, CompactJws.headerEnd(token, 0, token.length()));
        String inHeader = "a=1; sg=" + token + "; b=x.y.z";
        int from = inHeader.indexOf(token);
        assertEquals(from + dot, CompactJws.headerEnd(inHeader, from, from + token.length()), "dots after the token do not count");
        for (String bad : new String[] {"", ".a.b", "a.b", "a.b.c.d", "a..", "eyJ=.a.b", "ey+J.a.b", "eyJ.a.b.", "ey.a.b"}) {
            assertEquals(-1, CompactJws.headerEnd(bad, 0, bad.length()), bad);
        }
        assertEquals(3, CompactJws.headerEnd("eyA.a!.b", 0, 8), "the rest is isCanonical's to read");
    }

    @Test
    void nullIsNotCanonical() {
        assertFalse(CompactJws.isCanonical(null));
    }

    @Test
    void eachLastCharacterIsCheckedByItsLength() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int v = 0; v < 64; v++) {
            char c = alphabet.charAt(v);
            String two = "A" + c;
            String three = "AA" + c;
            String four = "AAA" + c;
            assertTrue(CompactJws.isCanonicalBase64Url(two, 0, 2) == ((v & 0xF) == 0), two);
            assertTrue(CompactJws.isCanonicalBase64Url(three, 0, 3) == ((v & 0x3) == 0), three);
            assertTrue(CompactJws.isCanonicalBase64Url(four, 0, 4), four);
            assertTrue(CompactJws.isCanonical("AAAA.AAAA." + three) == ((v & 0x3) == 0), three);
        }
    }
}
