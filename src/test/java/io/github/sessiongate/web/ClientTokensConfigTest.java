package io.github.sessiongate.web;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.ClientTokenSettings;
import static io.github.sessiongate.web.ClientTokensTest.SECRET;
import static io.github.sessiongate.web.ClientTokensTest.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The client-token-* parameters: defaults, bounds and refusals that name the parameter. */
class ClientTokensConfigTest {
    private static final Clock CLOCK = Clock.fixed(ClientTokensTest.NOW, ZoneOffset.UTC);
    private static final String SECRET_B64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));

    private static Optional<ClientTokens> read(InitParams params, Collection<String> others) {
        return FromParams.clientTokens(params, CLOCK, others);
    }

    private static ConfigException refused(String parameter, InitParams params, Collection<String> others) {
        ConfigException e = assertThrows(ConfigException.class, () -> read(params, others));
        assertEquals(parameter, e.parameter());
        assertFalse(e.getMessage().contains(SECRET), "never echoes the secret");
        assertFalse(e.getMessage().contains(SECRET_B64), "never echoes the secret");
        return e;
    }

    @Test
    void withoutSecretThereAreNoClientTokens() {
        InitParams params = params();
        assertTrue(read(params, List.of()).isEmpty());
        assertTrue(params.unread().isEmpty());
    }

    @Test
    void otherClientTokenParamsWithoutSecretAreRefused() {
        refused(ClientTokenSettings.PARAM_TTL, params(ClientTokenSettings.PARAM_TTL, "5m"), List.of());
        refused(ClientTokenSettings.PARAM_AUDIENCE, params(ClientTokenSettings.PARAM_AUDIENCE, "sdk"), List.of());
        refused(ClientTokenSettings.PARAM_ISSUER, params(ClientTokenSettings.PARAM_ISSUER, "me"), List.of());
    }

    @Test
    void defaultsApplyAndEveryParamIsRead() {
        InitParams params = params(ClientTokenSettings.PARAM_SECRET, SECRET);
        ClientTokens tokens = read(params, List.of()).orElseThrow();
        assertEquals(ClientTokenSettings.DEFAULT_TTL, tokens.ttl());
        assertEquals(Duration.ofMinutes(5), tokens.ttl());
        assertTrue(tokens.describe().contains("issuer=" + ClientTokenSettings.DEFAULT_ISSUER));
        assertTrue(tokens.describe().contains("audience=" + ClientTokenSettings.DEFAULT_AUDIENCE));

        InitParams all = params(ClientTokenSettings.PARAM_SECRET, SECRET, ClientTokenSettings.PARAM_TTL, "10m",
                ClientTokenSettings.PARAM_ISSUER, "https://app.example.com", ClientTokenSettings.PARAM_AUDIENCE, "web-sdk");
        assertEquals(Duration.ofMinutes(10), read(all, List.of()).orElseThrow().ttl());
        assertTrue(all.unread().isEmpty());
    }

    @Test
    void base64SecretIsAccepted() {
        String base64 = "base64:" + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {
            -1, -2, -3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
            28, 29, 30, 31, 32});
        assertTrue(read(params(ClientTokenSettings.PARAM_SECRET, base64), List.of()).isPresent());
        assertTrue(read(params(ClientTokenSettings.PARAM_SECRET, "base64:" + SECRET_B64), List.of()).isPresent());
    }

    @Test
    void shortOrBadSecretIsRefused() {
        refused(ClientTokenSettings.PARAM_SECRET, params(ClientTokenSettings.PARAM_SECRET, SECRET.substring(1)), List.of());
        refused(ClientTokenSettings.PARAM_SECRET, params(ClientTokenSettings.PARAM_SECRET, "base64:" + Base64.getEncoder()
                .encodeToString(new byte[31])), List.of());
        refused(ClientTokenSettings.PARAM_SECRET, params(ClientTokenSettings.PARAM_SECRET, "base64:not*base64!"), List.of());
    }

    @Test
    void ttlOutsideBoundsIsRefused() {
        refused(ClientTokenSettings.PARAM_TTL, params(ClientTokenSettings.PARAM_SECRET, SECRET, ClientTokenSettings.PARAM_TTL, "29s"), List.of());
        refused(ClientTokenSettings.PARAM_TTL, params(ClientTokenSettings.PARAM_SECRET, SECRET, ClientTokenSettings.PARAM_TTL, "61m"), List.of());
        refused(ClientTokenSettings.PARAM_TTL, params(ClientTokenSettings.PARAM_SECRET, SECRET, ClientTokenSettings.PARAM_TTL, "soon"), List.of());
        assertEquals(ClientTokenSettings.MIN_TTL, read(params(ClientTokenSettings.PARAM_SECRET, SECRET, ClientTokenSettings.PARAM_TTL, "30s"),
                List.of()).orElseThrow().ttl());
        assertEquals(ClientTokenSettings.MAX_TTL, read(params(ClientTokenSettings.PARAM_SECRET, SECRET, ClientTokenSettings.PARAM_TTL, "1h"),
                List.of()).orElseThrow().ttl());
    }

    @Test
    void issuerOrAudienceWithSpacesIsRefused() {
        refused(ClientTokenSettings.PARAM_ISSUER, params(ClientTokenSettings.PARAM_SECRET, SECRET, ClientTokenSettings.PARAM_ISSUER, "a b"), List.of());
        refused(ClientTokenSettings.PARAM_AUDIENCE, params(ClientTokenSettings.PARAM_SECRET, SECRET, ClientTokenSettings.PARAM_AUDIENCE, "x\ty"), List.of());
    }

    @Test
    void secretEqualToAnotherSecretIsRefusedInAnyForm() {
        InitParams plain = params(ClientTokenSettings.PARAM_SECRET, SECRET);
        refused(ClientTokenSettings.PARAM_SECRET, plain, List.of(SECRET));
        refused(ClientTokenSettings.PARAM_SECRET, params(ClientTokenSettings.PARAM_SECRET, SECRET), List.of("unrelated-secret-abcdefghijklmnop", SECRET));
        refused(ClientTokenSettings.PARAM_SECRET, params(ClientTokenSettings.PARAM_SECRET, SECRET), List.of("base64:" + SECRET_B64));
        refused(ClientTokenSettings.PARAM_SECRET, params(ClientTokenSettings.PARAM_SECRET, "base64:" + SECRET_B64), List.of(SECRET));
        refused(ClientTokenSettings.PARAM_SECRET, params(ClientTokenSettings.PARAM_SECRET, "base64:" + SECRET_B64),
                List.of("base64:" + SECRET_B64));
        refused(ClientTokenSettings.PARAM_SECRET, params(ClientTokenSettings.PARAM_SECRET, SECRET),
                List.of("2026-11:" + Base64.getEncoder().encodeToString(new byte[32]) + ", 2026-05:" + SECRET_B64));
        ConfigException e = refused(ClientTokenSettings.PARAM_SECRET, params(ClientTokenSettings.PARAM_SECRET, SECRET), List.of(SECRET));
        assertTrue(e.getMessage().contains(ClientTokenSettings.PARAM_SECRET));
    }

    @Test
    void differentSecretsAndBlankOthersAreFine() {
        assertTrue(read(params(ClientTokenSettings.PARAM_SECRET, SECRET), Arrays.asList(null, "", "  ",
                ClientTokensTest.OTHER_SECRET, "base64:" + Base64.getEncoder().encodeToString(new byte[32]))).isPresent());
    }
}
