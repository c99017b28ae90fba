package io.github.sessiongate.cookie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.LoginFlow.ProviderFacts;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The provider-facts cookie value: sealed binary packing, its round trips and its lenient opening. */
class ProviderFactsValueTest {
    private static final CookieSeal SEAL = CookieSeal.create(CookieSealSettings.builder()
            .key("k1", Base64.getEncoder().encodeToString(new byte[32])).build(), List.of()).orElseThrow();

    @Test
    void factsWithAndWithoutAnIdTokenRoundTrip() {
        String idToken = jwt(1300);
        for (ProviderFacts facts : List.of(
                new ProviderFacts("https://id.example/realms/r", "f3c1-9a", Optional.of("sid-7"), Optional.of(idToken)),
                new ProviderFacts("https://id.example", "ünïcode sub", Optional.empty(), Optional.empty()),
                new ProviderFacts("https://id.example", "s", Optional.of("x"), Optional.of("not.a-canonical.jwt=")))) {
            String sealed = ProviderFactsValue.seal(facts, SEAL);
            assertEquals(5, sealed.split("\\.").length, "a compact JWE");
            assertTrue(sealed.chars().allMatch(c -> CookieHeaderReader.isCookieOctet((char) c)), "a cookie-safe value");
            assertEquals(Optional.of(facts), ProviderFactsValue.open(sealed, SEAL));
        }
    }

    @Test
    void theIdTokenIsPackedInBinaryNotSealedAsBase64Twice() {
        String idToken = jwt(1300);
        String packed = ProviderFactsValue.seal(new ProviderFacts("https://id.example", "sub", Optional.empty(),
                Optional.of(idToken)), SEAL);
        String asText = SEAL.seal(idToken);
        assertTrue(packed.length() < asText.length() - 300, packed.length() + " vs " + asText.length());
    }

    @Test
    void tamperedForeignOrUnknownValuesAreAbsent() {
        ProviderFacts facts = new ProviderFacts("https://id.example", "sub", Optional.empty(), Optional.empty());
        String sealed = ProviderFactsValue.seal(facts, SEAL);
        String tampered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("AA") ? "BB" : "AA");
        for (String value : List.of(tampered, ProviderFactsValue.seal(facts, CookieSeal.perProcess()), "", "garbage",
                "a.b.c.d.e", SEAL.seal("text, not packed facts"), SEAL.sealBytes(new byte[] {1, 0}))) {
            assertEquals(Optional.empty(), ProviderFactsValue.open(value, SEAL), value);
        }
        assertEquals(Optional.empty(), ProviderFactsValue.open(null, SEAL));
        assertFalse(ProviderFactsValue.open(sealed, null).isPresent());
    }

    @Test
    void eachPerProcessKeyIsItsOwn() {
        CookieSeal a = CookieSeal.perProcess();
        CookieSeal b = CookieSeal.perProcess();
        assertEquals(Optional.of("tx"), a.open(a.seal("tx")));
        assertEquals(Optional.empty(), b.open(a.seal("tx")));
        assertFalse(a.describe().contains("="), "no key material: " + a.describe());
    }

    static String jwt(int length) {
        SecureRandom random = new SecureRandom();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        byte[] payload = new byte[(length - 36 - 342 - 2) * 3 / 4];
        byte[] signature = new byte[256];
        random.nextBytes(payload);
        random.nextBytes(signature);
        return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload) + "." + b64.encodeToString(signature);
    }
}
