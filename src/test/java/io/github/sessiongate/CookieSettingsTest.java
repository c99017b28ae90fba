package io.github.sessiongate;

import io.github.sessiongate.engine.InitParamsMapping;
import static io.github.sessiongate.CookieSettings.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CookieSettingsTest {

    private static InitParams params(String... nameValues) {
        Map<String, String> raw = new HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            raw.put(nameValues[i], nameValues[i + 1]);
        }
        return InitParams.resolve(raw, k -> null, k -> null);
    }

    @Test
    void defaultsAreTheStrictOnes() {
        CookieSettings s = InitParamsMapping.cookieSettings(params());
        assertEquals(DEFAULT_ACCESS_COOKIE_NAME, s.accessCookieName());
        assertEquals("sg_access", s.accessCookieName());
        assertEquals("sg_refresh", s.refreshCookieName());
        assertEquals(SecureMode.ALWAYS, s.secureMode());
        assertEquals(SameSite.LAX, s.sameSite());
        assertEquals("/", s.path());
        assertEquals(Optional.empty(), s.domain());
        assertEquals(Duration.ofHours(1), s.accessMaxAge());
        assertEquals(Duration.ofDays(14), s.refreshMaxAge());
        assertFalse(s.partitioned());
        assertTrue(s.hostPrefix());
        assertEquals(6144, s.maxTotalBytes());
        assertEquals("sg_guest", s.guestCookieName());
        assertEquals(Duration.ofHours(1), s.guestMaxAge());
        assertEquals("sg_meta", s.metaCookieName());
        assertEquals(Duration.ofDays(14), s.metaMaxAge());
        assertEquals(CookieSettings.defaults().describe(), s.describe());
    }

    @Test
    void everyParameterIsReadAndNoneLeftUnknown() {
        InitParams p = params(PARAM_ACCESS_COOKIE_NAME, "at", PARAM_REFRESH_COOKIE_NAME, "rt",
                PARAM_SECURE, "AUTO", PARAM_SAME_SITE, "Strict", PARAM_PATH, "/app",
                PARAM_DOMAIN, "Example.COM", PARAM_ACCESS_MAX_AGE, "15m", PARAM_REFRESH_MAX_AGE, "P7D",
                PARAM_PARTITIONED, "true", PARAM_HOST_PREFIX, "false", PARAM_MAX_TOTAL_BYTES, "4096",
                PARAM_GUEST_COOKIE_NAME, "gc", PARAM_GUEST_MAX_AGE, "30m", PARAM_META_COOKIE_NAME, "mc",
                PARAM_META_MAX_AGE, "30d");
        CookieSettings s = InitParamsMapping.cookieSettings(p);
        assertEquals(java.util.Set.of(), p.unread());
        assertEquals("at", s.accessCookieName());
        assertEquals("rt", s.refreshCookieName());
        assertEquals(SecureMode.AUTO, s.secureMode());
        assertEquals(SameSite.STRICT, s.sameSite());
        assertEquals("/app", s.path());
        assertEquals(Optional.of("example.com"), s.domain());
        assertEquals(Duration.ofMinutes(15), s.accessMaxAge());
        assertEquals(Duration.ofDays(7), s.refreshMaxAge());
        assertTrue(s.partitioned());
        assertFalse(s.hostPrefix());
        assertEquals(4096, s.maxTotalBytes());
        assertEquals("gc", s.guestCookieName());
        assertEquals(Duration.ofMinutes(30), s.guestMaxAge());
        assertEquals("mc", s.metaCookieName());
        assertEquals(Duration.ofDays(30), s.metaMaxAge());
    }

    @Test
    void secureFalseAndSameSiteNoneParse() {
        CookieSettings s = InitParamsMapping.cookieSettings(params(PARAM_SECURE, "false"));
        assertEquals(SecureMode.NEVER, s.secureMode());
        assertEquals(SameSite.NONE, InitParamsMapping.cookieSettings(params(PARAM_SAME_SITE, "none")).sameSite());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "access-cookie-name|sg access",
            "access-cookie-name|sg;access",
            "access-cookie-name|__Host-sg",
            "access-cookie-name|__secure-sg",
            "access-cookie-name|$sg",
            "access-cookie-name|sg.0",
            "access-cookie-name|n\u00e9",
            "access-cookie-name|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "refresh-cookie-name|sg_access",
            "refresh-cookie-name|SG_ACCESS",
            "refresh-cookie-name|x=y",
            "cookie-secure|yes",
            "cookie-same-site|lenient",
            "cookie-path|app",
            "cookie-path|/a;b",
            "cookie-path|/a b",
            "cookie-domain|.example.com",
            "cookie-domain|example.com.",
            "cookie-domain|exa_mple.com",
            "cookie-domain|-example.com",
            "cookie-domain|example..com",
            "cookie-domain|example.com;x",
            "cookie-domain|[::1]",
            "access-cookie-max-age|0",
            "access-cookie-max-age|PT-5S",
            "access-cookie-max-age|500ms",
            "access-cookie-max-age|1500ms",
            "access-cookie-max-age|401d",
            "access-cookie-max-age|soon",
            "refresh-cookie-max-age|0s",
            "cookie-partitioned|maybe",
            "cookie-host-prefix|1",
            "cookie-max-total-bytes|1023",
            "cookie-max-total-bytes|8193",
            "cookie-max-total-bytes|lots",
            "guest-cookie-name|sg_access",
            "guest-cookie-name|SG_REFRESH",
            "guest-cookie-name|__Host-g",
            "guest-cookie-name|g.1",
            "guest-cookie-max-age|0",
            "guest-cookie-max-age|401d",
            "meta-cookie-name|sg_guest",
            "meta-cookie-name|sg_access",
            "meta-cookie-name|m e",
            "meta-cookie-max-age|13d",
            "meta-cookie-max-age|0",
    })
    void badValueFailsNamingTheParameter(String param, String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> InitParamsMapping.cookieSettings(params(param, value)));
        assertEquals(param, e.parameter());
        assertTrue(e.getMessage().startsWith("init-param '" + param + "'"), e.getMessage());
    }

    @Test
    void sameSiteNoneWithSecureFalseFailsNamingSameSite() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> InitParamsMapping.cookieSettings(params(PARAM_SAME_SITE, "none", PARAM_SECURE, "false")));
        assertEquals(PARAM_SAME_SITE, e.parameter());
        assertTrue(e.getMessage().contains(PARAM_SECURE), e.getMessage());
    }

    @Test
    void partitionedWithSecureFalseFailsNamingPartitioned() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> InitParamsMapping.cookieSettings(params(PARAM_PARTITIONED, "true", PARAM_SECURE, "false")));
        assertEquals(PARAM_PARTITIONED, e.parameter());
        assertTrue(e.getMessage().contains(PARAM_SECURE), e.getMessage());
    }

    @Test
    void builderValidatesLikeInitParams() {
        assertEquals(PARAM_REFRESH_COOKIE_NAME, assertThrows(ConfigException.class,
                () -> CookieSettings.builder().refreshCookieName("sg_access").build()).parameter());
        assertEquals(PARAM_DOMAIN, assertThrows(ConfigException.class,
                () -> CookieSettings.builder().domain(".example.com").build()).parameter());
        assertEquals(PARAM_ACCESS_MAX_AGE, assertThrows(ConfigException.class,
                () -> CookieSettings.builder().accessMaxAge(Duration.ZERO).build()).parameter());
        assertEquals(PARAM_MAX_TOTAL_BYTES, assertThrows(ConfigException.class,
                () -> CookieSettings.builder().maxTotalBytes(9000).build()).parameter());
        assertEquals(PARAM_SAME_SITE, assertThrows(ConfigException.class,
                () -> CookieSettings.builder().secure(SecureMode.NEVER).sameSite(SameSite.NONE).build()).parameter());
        ConfigException fromParams = assertThrows(ConfigException.class,
                () -> InitParamsMapping.cookieSettings(params(PARAM_PATH, "x")));
        ConfigException fromBuilder = assertThrows(ConfigException.class,
                () -> CookieSettings.builder().path("x").build());
        assertEquals(fromParams.getMessage(), fromBuilder.getMessage());
    }

    @Test
    void metaCookieMaxAgeFollowsTheLongerSessionCookieAndIsNeverShorter() {
        assertEquals(Duration.ofDays(2), CookieSettings.builder().refreshMaxAge(Duration.ofDays(2)).build().metaMaxAge());
        assertEquals(Duration.ofHours(3), CookieSettings.builder().accessMaxAge(Duration.ofHours(3))
                .refreshMaxAge(Duration.ofHours(2)).build().metaMaxAge());
        ConfigException e = assertThrows(ConfigException.class, () -> InitParamsMapping.cookieSettings(
                params(PARAM_REFRESH_MAX_AGE, "7d", PARAM_META_MAX_AGE, "6d")));
        assertEquals(PARAM_META_MAX_AGE, e.parameter());
        assertTrue(e.getMessage().contains("afresh"), e.getMessage());
        assertEquals(PARAM_META_MAX_AGE, assertThrows(ConfigException.class, () -> CookieSettings.builder()
                .accessMaxAge(Duration.ofHours(5)).metaMaxAge(Duration.ofHours(4)).build()).parameter());
    }

    @Test
    void allFourCookieNamesMustDifferIgnoringCase() {
        assertEquals(PARAM_META_COOKIE_NAME, assertThrows(ConfigException.class,
                () -> CookieSettings.builder().metaCookieName("SG_Guest").build()).parameter());
        assertEquals(PARAM_GUEST_COOKIE_NAME, assertThrows(ConfigException.class,
                () -> CookieSettings.builder().guestCookieName("x").accessCookieName("X").build()).parameter());
        CookieSettings.builder().accessCookieName("a").refreshCookieName("r").guestCookieName("g").metaCookieName("m")
                .build();
    }

    @Test
    void domainIsStoredInLowerCaseAndAcceptsSingleLabelHosts() {
        assertEquals(Optional.of("example.com"), CookieSettings.builder().domain("EXAMPLE.com").build().domain());
        assertEquals(Optional.of("intranet"), CookieSettings.builder().domain("intranet").build().domain());
    }

    @Test
    void secureFollowsTheModeAndIsForcedBySameSiteNoneAndPartitioned() {
        CookieSettings always = CookieSettings.defaults();
        CookieSettings never = CookieSettings.builder().secure(SecureMode.NEVER).build();
        CookieSettings auto = CookieSettings.builder().secure(SecureMode.AUTO).build();
        assertTrue(always.secure(true));
        assertTrue(always.secure(false));
        assertFalse(never.secure(true));
        assertFalse(never.secure(false));
        assertFalse(auto.secure(true));
        assertTrue(auto.secure(false));
        assertTrue(CookieSettings.builder().secure(SecureMode.AUTO).sameSite(SameSite.NONE).build().secure(true));
        assertTrue(CookieSettings.builder().secure(SecureMode.AUTO).partitioned(true).build().secure(true));
    }

    @Test
    void hostPrefixAppliesOnlyWhenSecureWithRootPathAndNoDomain() {
        assertTrue(CookieSettings.defaults().hostPrefixApplies(true));
        assertFalse(CookieSettings.defaults().hostPrefixApplies(false));
        assertFalse(CookieSettings.builder().path("/app").build().hostPrefixApplies(true));
        assertFalse(CookieSettings.builder().domain("example.com").build().hostPrefixApplies(true));
        assertFalse(CookieSettings.builder().hostPrefix(false).build().hostPrefixApplies(true));
        assertTrue(CookieSettings.builder().secure(SecureMode.NEVER).build().hostPrefixApplies(true));
        assertTrue(CookieSettings.builder().sameSite(SameSite.NONE).build().hostPrefixApplies(false),
                "SameSite=None forces Secure, so the prefix applies");
    }

    @Test
    void describeIsOneLineWithNamesAndAttributes() {
        String d = CookieSettings.defaults().describe();
        assertFalse(d.contains("\n"));
        for (String part : new String[] {"__Host-sg_access", "__Host-sg_refresh", "HttpOnly", "Secure=always",
                "SameSite=Lax", "Path=/", "Domain=(host-only)", "access=3600s", "refresh=1209600s",
                "guest=__Host-sg_guest", "meta=__Host-sg_meta", "guest=3600s", "meta=1209600s",
                "Partitioned=false", "6144"}) {
            assertTrue(d.contains(part), part + " in " + d);
        }
        String custom = CookieSettings.builder().domain("example.com").secure(SecureMode.AUTO).build().describe();
        assertTrue(custom.contains("access=sg_access") && custom.contains("Domain=example.com")
                && custom.contains("not applicable"), custom);
    }
}
