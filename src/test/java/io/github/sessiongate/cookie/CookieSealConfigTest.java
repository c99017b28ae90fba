package io.github.sessiongate.cookie;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import static io.github.sessiongate.cookie.CookieSealTest.KEY_A;
import static io.github.sessiongate.cookie.CookieSealTest.KEY_B;
import static io.github.sessiongate.cookie.CookieSealTest.KID_A;
import static io.github.sessiongate.cookie.CookieSealTest.KID_B;
import static io.github.sessiongate.cookie.CookieSealTest.TOKEN;
import static io.github.sessiongate.cookie.CookieSealTest.b64;
import static io.github.sessiongate.cookie.CookieSealTest.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cookie-encryption-keys parameter: accepted forms and refusals that name it. */
class CookieSealConfigTest {

    private static Optional<CookieSeal> read(String keys, Collection<String> others) {
        return FromParams.cookieSeal(params(CookieSealSettings.PARAM_KEYS, keys), others);
    }

    private static ConfigException refused(String keys, Collection<String> others) {
        ConfigException e = assertThrows(ConfigException.class, () -> read(keys, others));
        assertEquals(CookieSealSettings.PARAM_KEYS, e.parameter());
        assertTrue(e.getMessage().contains(CookieSealSettings.PARAM_KEYS));
        for (byte[] key : List.of(KEY_A, KEY_B)) {
            assertFalse(e.getMessage().contains(b64(key).substring(0, 12)), "never echoes a key");
        }
        return e;
    }

    @Test
    void unsetMeansNoSealing() {
        InitParams params = params();
        assertTrue(FromParams.cookieSeal(params, List.of()).isEmpty());
        assertTrue(params.unread().isEmpty());
    }

    @Test
    void keysInEveryBase64FormAreAccepted() {
        String standard = b64(KEY_A);
        String url = Base64.getUrlEncoder().encodeToString(KEY_A);
        String unpadded = Base64.getUrlEncoder().withoutPadding().encodeToString(KEY_A);
        String sealed = read(KID_A + ":" + standard, List.of()).orElseThrow().seal(TOKEN);
        for (String form : List.of(url, unpadded, "base64:" + standard, "BASE64:" + unpadded)) {
            assertEquals(Optional.of(TOKEN), read(KID_A + ":" + form, List.of()).orElseThrow().open(sealed), form);
        }
    }

    @Test
    void itemsMaySeparateWithCommasSpacesOrNewlines() {
        CookieSeal seal = read(" " + KID_B + ":" + b64(KEY_B) + " ,\n\t" + KID_A + ":" + b64(KEY_A) + " ", List.of()).orElseThrow();
        assertTrue(seal.describe().contains("seals with kid " + KID_B));
        assertTrue(seal.describe().contains("[" + KID_B + ", " + KID_A + "]"));
    }

    @Test
    void wrongKeyLengthIsRefused() {
        assertTrue(refused(KID_A + ":" + b64(new byte[16]), List.of()).getMessage().contains("16 bytes"));
        assertTrue(refused(KID_A + ":" + b64(new byte[33]), List.of()).getMessage().contains("33 bytes"));
        refused(KID_A + ":", List.of());
        refused(KID_B + ":" + b64(KEY_B) + "," + KID_A + ":" + b64(Arrays.copyOf(KEY_A, 31)), List.of());
    }

    @Test
    void badBase64IsRefused() {
        ConfigException e = refused(KID_A + ":" + b64(KEY_A).substring(1) + "*", List.of());
        assertTrue(e.getMessage().contains("base64"));
        assertTrue(e.getMessage().contains(KID_A), "names the kid, which is not secret");
        refused(KID_A + ":" + "%%%%", List.of());
    }

    @Test
    void duplicateKidIsRefused() {
        ConfigException e = refused(KID_A + ":" + b64(KEY_A) + "," + KID_A + ":" + b64(KEY_B), List.of());
        assertTrue(e.getMessage().contains("twice"));
    }

    @Test
    void sameKeyUnderTwoKidsIsRefused() {
        refused(KID_B + ":" + b64(KEY_A) + "," + KID_A + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(KEY_A),
                List.of());
    }

    @Test
    void malformedItemOrKidIsRefused() {
        refused(b64(KEY_A), List.of());
        refused(":" + b64(KEY_A), List.of());
        refused("k/1:" + b64(KEY_A), List.of());
        refused("k=1:" + b64(KEY_A), List.of());
        refused("k\"1:" + b64(KEY_A), List.of());
        refused("k;1:" + b64(KEY_A), List.of());
        refused("ключ:" + b64(KEY_A), List.of());
        refused("k".repeat(CookieSealSettings.MAX_KID_LENGTH + 1) + ":" + b64(KEY_A), List.of());
        assertTrue(read("k".repeat(CookieSealSettings.MAX_KID_LENGTH) + ":" + b64(KEY_A), List.of()).isPresent());
        assertTrue(read("a.b-c_d!#$%&'*+^`|~9:" + b64(KEY_A), List.of()).isPresent(), "every RFC 6265 token character");
    }

    @Test
    void listWithoutItemsIsRefused() {
        refused(",,", List.of());
    }

    @Test
    void keyEqualToAnotherSecretIsRefusedInAnyForm() {
        String keys = KID_B + ":" + b64(KEY_B) + "," + KID_A + ":" + b64(KEY_A);
        assertTrue(refused(keys, List.of("base64:" + b64(KEY_A))).getMessage().contains(KID_A));
        refused(keys, List.of("base64:" + Base64.getUrlEncoder().withoutPadding().encodeToString(KEY_B)));
        refused(keys, List.of(b64(KEY_A)), "the key's text as a UTF-8 secret");
        refused(keys, List.of("unrelated-secret-0123456789abcdef", "base64:" + b64(KEY_B)));
        refused(keys, List.of("2027-01:" + b64(new byte[32]) + " 2026-05:" + b64(KEY_A)), "a kid:key list");
    }

    private static void refused(String keys, Collection<String> others, String message) {
        assertThrows(ConfigException.class, () -> read(keys, others), message);
    }

    @Test
    void differentSecretsAndBlankOthersAreFine() {
        assertTrue(read(KID_A + ":" + b64(KEY_A), Arrays.asList(null, "", "  ", "unrelated-secret-0123456789abcdef",
                "base64:" + b64(new byte[32]))).isPresent());
    }
}
