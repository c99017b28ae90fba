package io.github.sessiongate.cookie;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.InitParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.AesKey;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.jose4j.zip.CompressionAlgorithmIdentifiers;
import org.junit.jupiter.api.Test;

/** Sealing and opening real JWEs, and every hostile variant we refuse. */
class CookieSealTest {
    static final byte[] KEY_A = bytes(1);
    static final byte[] KEY_B = bytes(101);
    static final String KID_A = "2026-05";
    static final String KID_B = "2026-11";
    /** A realistic access token: header, claims and signature. */
    static final String TOKEN = jwt();

    private final CookieSeal seal = seal(KID_A + ":" + b64(KEY_A));

    static byte[] bytes(int start) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (start + 7 * i);
        }
        return key;
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static InitParams params(String... pairs) {
        Map<String, String> raw = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            raw.put(pairs[i], pairs[i + 1]);
        }
        return InitParams.resolve(raw, k -> null, k -> null);
    }

    static CookieSeal seal(String keys) {
        return FromParams.cookieSeal(params(CookieSealSettings.PARAM_KEYS, keys), List.of()).orElseThrow();
    }

    private static String jwt() {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(JsonUtil.toJson(Map.of("iss", "https://idp.example.com", "sub", "alice@example.com",
                "aud", "my-app", "exp", 1_900_000_000L, "roles", List.of("user", "admin"), "email", "alice@example.com")));
        jws.setAlgorithmHeaderValue("HS256");
        jws.setKey(new HmacKey("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Any JWE, jose4j's own algorithm and key checks off, as an attacker would build it. */
    private static String jwe(String alg, String enc, Key key, String kid, Map<String, Object> extra, String plaintext)
            throws JoseException {
        JsonWebEncryption jwe = new JsonWebEncryption();
        extra.forEach((n, v) -> jwe.getHeaders().setObjectHeaderValue(n, v));
        jwe.setAlgorithmHeaderValue(alg);
        jwe.setEncryptionMethodHeaderParameter(enc);
        if (kid != null) {
            jwe.setKeyIdHeaderValue(kid);
        }
        jwe.setKey(key);
        jwe.setDoKeyValidation(false);
        jwe.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        jwe.setContentEncryptionAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        jwe.setPlaintext(plaintext);
        return jwe.getCompactSerialization();
    }

    /** What jose4j yields for a JWE with every constraint off: the control that the value is genuine. */
    private static String decryptUnconstrained(String compact, Key key) throws JoseException {
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setCompactSerialization(compact);
        jwe.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        jwe.setContentEncryptionAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        jwe.setDoKeyValidation(false);
        jwe.setKey(key);
        return jwe.getPayload();
    }

    private static Map<String, Object> header(String compact) throws JoseException {
        return JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(compact.split("\\.")[0]), StandardCharsets.UTF_8));
    }

    /** Changes one character in the middle of part {@code index} (the middle always carries data bits). */
    private static String tamper(String compact, int index) {
        String[] parts = compact.split("\\.", -1);
        char[] chars = parts[index].toCharArray();
        int i = chars.length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        parts[index] = new String(chars);
        return String.join(".", parts);
    }

    @Test
    void sealedTokenOpensToTheSameToken() {
        String sealed = seal.seal(TOKEN);
        assertEquals(Optional.of(TOKEN), seal.open(sealed));
        assertEquals(Optional.of("x"), seal.open(seal.seal("x")));
    }

    @Test
    void sealedValueIsADirA256GcmJweWithTheKid() throws Exception {
        Map<String, Object> header = header(seal.seal(TOKEN));
        assertEquals("dir", header.get("alg"));
        assertEquals("A256GCM", header.get("enc"));
        assertEquals(KID_A, header.get("kid"));
        assertEquals(3, header.size(), "no zip, no other header");
    }

    @Test
    void sealedValueHasOnlyCookieSafeCharacters() {
        for (String token : List.of(TOKEN, "x", "opaque refresh token; with \"quotes\", commas and ünïcödé")) {
            String sealed = seal.seal(token);
            assertTrue(sealed.matches("[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), sealed);
            for (char c : sealed.toCharArray()) {
                // RFC 6265 cookie-octet: no controls, space, DQUOTE, comma, semicolon or backslash.
                assertTrue(c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\');
            }
            assertEquals(Optional.of(token), seal.open(sealed));
        }
    }

    @Test
    void sealingTwiceGivesDifferentValues() {
        assertNotEquals(seal.seal(TOKEN), seal.seal(TOKEN));
    }

    @Test
    void sealedValueShowsNothingOfTheTokensPayload() {
        String payload = TOKEN.split("\\.")[1];
        String sealed = seal.seal(TOKEN);
        for (int i = 0; i + 8 <= payload.length(); i++) {
            String window = payload.substring(i, i + 8);
            assertFalse(sealed.contains(window), "sealed value contains payload substring " + window);
        }
        assertFalse(sealed.contains(TOKEN.split("\\.")[2]), "nor the signature");
        String headerText = new String(Base64.getUrlDecoder().decode(sealed.split("\\.")[0]), StandardCharsets.UTF_8);
        assertFalse(headerText.contains("alice"));
    }

    @Test
    void valueSealedWithAnOldKeyOpensAfterRotation() throws Exception {
        CookieSeal before = seal(KID_A + ":" + b64(KEY_A));
        String old = before.seal(TOKEN);

        CookieSeal after = seal(KID_B + ":" + b64(KEY_B) + ", " + KID_A + ":" + b64(KEY_A));
        assertEquals(Optional.of(TOKEN), after.open(old));
        String fresh = after.seal(TOKEN);
        assertEquals(KID_B, header(fresh).get("kid"), "the first key seals");
        assertEquals(Optional.of(TOKEN), after.open(fresh));
        assertEquals(Optional.empty(), before.open(fresh), "the old configuration does not know the new kid");

        CookieSeal retired = seal(KID_B + ":" + b64(KEY_B));
        assertEquals(Optional.empty(), retired.open(old), "once the old key is removed its values no longer open");
    }

    @Test
    void unknownOrMissingKidIsRefused() throws Exception {
        String foreign = seal("other:" + b64(KEY_B)).seal(TOKEN);
        assertEquals(Optional.empty(), seal.open(foreign));
        String sameKeyOtherKid = seal("other:" + b64(KEY_A)).seal(TOKEN);
        assertEquals(Optional.empty(), seal.open(sameKeyOtherKid));
        String noKid = jwe("dir", "A256GCM", new AesKey(KEY_A), null, Map.of(), TOKEN);
        assertEquals(Optional.empty(), seal.open(noKid));
        String numericKid = jwe("dir", "A256GCM", new AesKey(KEY_A), null, Map.of("kid", 7), TOKEN);
        assertEquals(Optional.empty(), seal.open(numericKid));
    }

    @Test
    void wrongKeyUnderAKnownKidIsRefused() throws Exception {
        String forged = jwe("dir", "A256GCM", new AesKey(KEY_B), KID_A, Map.of(), TOKEN);
        assertEquals(Optional.empty(), seal.open(forged));
    }

    @Test
    void tamperingWithAnyPartIsRefused() {
        String sealed = seal.seal(TOKEN);
        assertEquals(Optional.empty(), seal.open(tamper(sealed, 0)), "header");
        assertEquals(Optional.empty(), seal.open(tamper(sealed, 2)), "iv");
        assertEquals(Optional.empty(), seal.open(tamper(sealed, 3)), "ciphertext");
        assertEquals(Optional.empty(), seal.open(tamper(sealed, 4)), "tag");
        String[] parts = sealed.split("\\.", -1);
        assertEquals(Optional.empty(), seal.open(parts[0] + ".AAAA." + parts[2] + "." + parts[3] + "." + parts[4]),
                "an encrypted key where dir has none");
        assertEquals(Optional.empty(), seal.open(parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3] + ".AAAA"),
                "a truncated tag");
        assertEquals(Optional.empty(), seal.open(sealed.substring(0, sealed.length() - 1)), "one character short");
        assertEquals(Optional.empty(), seal.open(sealed + "A"), "one character long");
    }

    @Test
    void changedHeaderWithTheSameKidIsRefused() throws Exception {
        String sealed = seal.seal(TOKEN);
        String[] parts = sealed.split("\\.", -1);
        String otherHeader = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"kid\":\"" + KID_A + "\",\"x\":1}").getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), seal.open(otherHeader + "." + parts[1] + "." + parts[2] + "." + parts[3] + "." + parts[4]));
    }

    @Test
    void dirWithA128GcmIsRefused() throws Exception {
        String sealed = jwe("dir", ContentEncryptionAlgorithmIdentifiers.AES_128_GCM, new AesKey(new byte[16]), KID_A, Map.of(), TOKEN);
        assertEquals(Optional.empty(), seal.open(sealed));
    }

    @Test
    void dirWithAnotherEncThatFitsOurKeyIsRefusedByTheConstraint() throws Exception {
        // A128CBC-HS256 also takes a 32-byte key: only the content-encryption constraint stops it.
        String sealed = jwe("dir", ContentEncryptionAlgorithmIdentifiers.AES_128_CBC_HMAC_SHA_256, new AesKey(KEY_A),
                KID_A, Map.of(), TOKEN);
        assertEquals(TOKEN, decryptUnconstrained(sealed, new AesKey(KEY_A)), "control: genuine without constraints");
        assertEquals(Optional.empty(), seal.open(sealed));
    }

    @Test
    void keyWrapWithOurKeyIsRefusedByTheConstraint() throws Exception {
        String sealed = jwe(KeyManagementAlgorithmIdentifiers.A256KW, "A256GCM", new AesKey(KEY_A), KID_A, Map.of(), TOKEN);
        assertEquals(TOKEN, decryptUnconstrained(sealed, new AesKey(KEY_A)), "control: genuine without constraints");
        assertEquals(Optional.empty(), seal.open(sealed));
    }

    @Test
    void rsaOaepIsRefused() throws Exception {
        RsaJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
        String sealed = jwe(KeyManagementAlgorithmIdentifiers.RSA_OAEP, "A256GCM", rsa.getPublicKey(), KID_A, Map.of(), TOKEN);
        assertEquals("RSA-OAEP", header(sealed).get("alg"));
        assertEquals(Optional.empty(), seal.open(sealed));
    }

    @Test
    void compressedValueIsRefusedEvenWithOurKey() throws Exception {
        String sealed = jwe("dir", "A256GCM", new AesKey(KEY_A), KID_A,
                Map.of("zip", CompressionAlgorithmIdentifiers.DEFLATE), TOKEN);
        assertEquals("DEF", header(sealed).get("zip"));
        assertEquals(TOKEN, decryptUnconstrained(sealed, new AesKey(KEY_A)), "control: genuine");
        assertEquals(Optional.empty(), seal.open(sealed));
    }

    @Test
    void criticalHeaderIsRefused() throws Exception {
        String sealed = jwe("dir", "A256GCM", new AesKey(KEY_A), KID_A, Map.of("crit", List.of("exp"), "exp", 1), TOKEN);
        assertEquals(Optional.empty(), seal.open(sealed));
    }

    @Test
    void anythingButACompactJweIsRefusedWithoutThrowing() {
        String sealed = seal.seal(TOKEN);
        for (String junk : new String[] {null, "", ".", "....", TOKEN, sealed.replace('.', ','), " " + sealed,
                sealed + ";", "\"" + sealed + "\"", sealed.replaceFirst("\\.", "+."), "a.b.c.d.e.f", "a.b.c.d.e",
                "eyJhbGciOiJkaXIifQ..AAAA.AAAA.AAAA", "x".repeat(CookieSeal.MAX_SEALED_LENGTH + 1),
                sealed + "." + "A".repeat(CookieSeal.MAX_SEALED_LENGTH)}) {
            assertEquals(Optional.empty(), seal.open(junk), String.valueOf(junk));
        }
    }

    @Test
    void sealRefusesEmptyOrNull() {
        assertThrows(IllegalArgumentException.class, () -> seal.seal(""));
        assertThrows(NullPointerException.class, () -> seal.seal(null));
    }

    @Test
    void describeShowsKidsOnly() {
        CookieSeal two = seal(KID_B + ":" + b64(KEY_B) + "," + KID_A + ":" + b64(KEY_A));
        String described = two.describe();
        assertTrue(described.contains(KID_B));
        assertTrue(described.contains(KID_A));
        assertTrue(described.indexOf(KID_B) < described.indexOf(KID_A), "sealing kid first");
        for (byte[] key : List.of(KEY_A, KEY_B)) {
            String encoded = b64(key);
            assertFalse(described.contains(encoded.substring(0, 8)));
            assertFalse(two.toString().contains(encoded.substring(0, 8)));
        }
    }
}
