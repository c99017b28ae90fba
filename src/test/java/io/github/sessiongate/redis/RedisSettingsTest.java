package io.github.sessiongate.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Redis store's init-params: defaults, URL forms, the password from the environment, and clear refusals. */
class RedisSettingsTest {

    private static RedisSettings read(Map<String, String> raw, Map<String, String> env) {
        return RedisSettings.from(InitParams.resolve(raw, env::get, k -> null));
    }

    private static RedisSettings read(String... pairs) {
        Map<String, String> raw = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            raw.put(pairs[i], pairs[i + 1]);
        }
        return read(raw, Map.of());
    }

    @Test
    void defaults() {
        RedisSettings s = read("redis.url", "redis://cache.internal");
        assertEquals("cache.internal", s.host());
        assertEquals(6379, s.port());
        assertFalse(s.tls());
        assertEquals(0, s.database());
        assertEquals("sg:", s.keyPrefix());
        assertEquals(Duration.ofMillis(50), s.connectTimeout());
        assertEquals(Duration.ofMillis(100), s.commandTimeout());
        assertEquals(32, s.poolSize());
        assertEquals(Optional.empty(), s.password());
    }

    @Test
    void everyParameter() {
        RedisSettings s = read(Map.of("redis.url", "rediss://10.0.0.5:6380/2", "redis.user", "gate",
                "redis.password", "${env:REDIS_PASSWORD}", "redis.key-prefix", "shop:sg:", "redis.connect-timeout",
                "200ms", "redis.command-timeout", "1s", "redis.pool-size", "8"), Map.of("REDIS_PASSWORD", "s3cret"));
        assertTrue(s.tls());
        assertEquals(6380, s.port());
        assertEquals(2, s.database());
        assertEquals(Optional.of("gate"), s.user());
        assertEquals(Optional.of("s3cret"), s.password());
        assertEquals("shop:sg:", s.keyPrefix());
        assertEquals(Duration.ofMillis(200), s.connectTimeout());
        assertEquals(Duration.ofSeconds(1), s.commandTimeout());
        assertEquals(8, s.poolSize());
        assertFalse(s.toString().contains("s3cret"), s.toString());
    }

    @Test
    void credentialsInTheUrlAreAcceptedAndParametersWin() {
        RedisSettings s = read("redis.url", "redis://app:p%40ss@h:1");
        assertEquals(Optional.of("app"), s.user());
        assertEquals(Optional.of("p@ss"), s.password());
        assertEquals(Optional.of("other"), read("redis.url", "redis://:p@h", "redis.password", "other").password());
    }

    @Test
    void badValuesFailNamingTheParameter() {
        assertEquals("redis.url", assertThrows(ConfigException.class, () -> read()).parameter());
        assertEquals("redis.url", assertThrows(ConfigException.class, () -> read("redis.url", "http://h:6379")).parameter());
        assertEquals("redis.url", assertThrows(ConfigException.class, () -> read("redis.url", "redis:///0")).parameter());
        assertEquals("redis.url", assertThrows(ConfigException.class, () -> read("redis.url", "redis://h/x")).parameter());
        assertEquals("redis.url", assertThrows(ConfigException.class, () -> read("redis.url", "redis://h?ssl=true")).parameter());
        assertEquals("redis.user", assertThrows(ConfigException.class,
                () -> read("redis.url", "redis://h", "redis.user", "u")).parameter());
        assertEquals("redis.key-prefix", assertThrows(ConfigException.class,
                () -> read("redis.url", "redis://h", "redis.key-prefix", "a b")).parameter());
        assertEquals("redis.command-timeout", assertThrows(ConfigException.class,
                () -> read("redis.url", "redis://h", "redis.command-timeout", "0ms")).parameter());
        assertEquals("redis.pool-size", assertThrows(ConfigException.class,
                () -> read("redis.url", "redis://h", "redis.pool-size", "0")).parameter());
    }

    @Test
    void ttlsAreWholeMillisecondsRoundedUp() {
        assertEquals(1, RedisStateStore.ttlMillis(Duration.ofNanos(1)));
        assertEquals(5, RedisStateStore.ttlMillis(Duration.ofMillis(5)));
        assertEquals(6, RedisStateStore.ttlMillis(Duration.ofMillis(5).plusNanos(1)));
        assertEquals(86_400_000, RedisStateStore.ttlMillis(Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class, () -> RedisStateStore.ttlMillis(Duration.ZERO));
    }

    @Test
    void theBuilderRunsTheSameChecksWithTheSameMessages() {
        java.util.List<java.util.Map.Entry<java.util.function.Supplier<RedisStateStore.Builder>, Map<String, String>>> cases =
                java.util.List.of(
                Map.entry(() -> RedisStateStore.builder().url("http://h:6379"), Map.of("redis.url", "http://h:6379")),
                Map.entry(() -> RedisStateStore.builder().url("redis://h").user("u"),
                        Map.of("redis.url", "redis://h", "redis.user", "u")),
                Map.entry(() -> RedisStateStore.builder().url("redis://h").keyPrefix("a b"),
                        Map.of("redis.url", "redis://h", "redis.key-prefix", "a b")),
                Map.entry(() -> RedisStateStore.builder().url("redis://h").poolSize(0),
                        Map.of("redis.url", "redis://h", "redis.pool-size", "0")),
                Map.entry(() -> RedisStateStore.builder().url("redis://h").commandTimeout(Duration.ofMinutes(5)),
                        Map.of("redis.url", "redis://h", "redis.command-timeout", "PT5M")),
                Map.entry(() -> RedisStateStore.builder().url("redis://h").connectTimeout(Duration.ZERO),
                        Map.of("redis.url", "redis://h", "redis.connect-timeout", "PT0S")));
        for (var c : cases) {
            ConfigException fromBuilder = assertThrows(ConfigException.class, () -> c.getKey().get().build());
            ConfigException fromParams = assertThrows(ConfigException.class, () -> read(c.getValue(), Map.of()));
            assertEquals(fromParams.parameter(), fromBuilder.parameter());
            assertEquals(fromParams.getMessage(), fromBuilder.getMessage());
        }
        ConfigException noUrl = assertThrows(ConfigException.class, () -> RedisStateStore.builder().build());
        assertEquals("redis.url", noUrl.parameter());
    }
}
