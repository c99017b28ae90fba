package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.GateConfigTest;
import io.github.sessiongate.StateStore;
import io.github.sessiongate.StateStore.EntryClass;
import io.github.sessiongate.StateStore.WriteResult;
import io.github.sessiongate.redis.RedisStateStore;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * web.xml names the Redis store with {@code state-store=redis} (or its class name): its {@code redis.*} init-params count as known (a typo
 * among them still fails start-up), it needs {@code state-store-key} like any shared store, and
 * the filter's store talks to the real server under the configured prefix.
 */
class RedisStoreFromInitParamsTest {
    private static final String KEY = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]).replace('A', 'r');
    private static RedisServer server;
    private final MutableClock clock = new MutableClock();

    @BeforeAll
    static void startRedis() {
        server = RedisServer.startOrSkip();
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, String> raw() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put(GateConfig.PARAM_VALIDATOR_CLASS, GateConfigTest.RecordingValidator.class.getName());
        raw.put("recording.endpoint", "http://127.0.0.1:1/");
        raw.put(GateConfig.PARAM_STATE_STORE, "redis");
        raw.put("redis.url", server.url());
        raw.put("redis.key-prefix", "webxml:");
        raw.put("redis.command-timeout", "1s");
        return raw;
    }

    @Test
    void theRedisStoreStartsFromInitParamsAndIsTheFiltersStore() {
        Map<String, String> raw = raw();
        raw.put(GateConfig.PARAM_STATE_STORE_KEY, KEY);
        Components components = Components.fromInitParams(raw, clock);
        try {
            StateStore store = components.config().stateStore().orElseThrow();
            assertTrue(store instanceof RedisStateStore && store.sharedAcrossNodes());
            assertEquals(WriteResult.STORED, store.put("k", "v".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30),
                    EntryClass.CACHE));
            try (var j = server.client()) {
                assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), j.get("webxml:k".getBytes(StandardCharsets.UTF_8)));
            }
        } finally {
            components.close();
        }
    }

    @Test
    void withoutTheSharedKeyOrWithATypoStartUpFailsNamingTheParameter() {
        ConfigException noKey = assertThrows(ConfigException.class, () -> Components.fromInitParams(raw(), clock));
        assertEquals(GateConfig.PARAM_STATE_STORE_KEY, noKey.parameter());

        Map<String, String> typo = raw();
        typo.put(GateConfig.PARAM_STATE_STORE_KEY, KEY);
        typo.put("redis.comand-timeout", "1s");
        ConfigException unknown = assertThrows(ConfigException.class, () -> Components.fromInitParams(typo, clock));
        assertTrue(unknown.getMessage().contains("redis.comand-timeout"), unknown.getMessage());

        Map<String, String> noUrl = raw();
        noUrl.put(GateConfig.PARAM_STATE_STORE_KEY, KEY);
        noUrl.remove("redis.url");
        ConfigException url = assertThrows(ConfigException.class, () -> Components.fromInitParams(noUrl, clock));
        assertEquals("redis.url", url.parameter());
        assertFalse(url.getMessage().contains(KEY));
    }

    @Test
    void stateStoreTakesMemoryRedisOrAClassNameAndRefusesAnythingElseNamingItself() {
        Map<String, String> byClass = raw();
        byClass.put(GateConfig.PARAM_STATE_STORE, RedisStateStore.class.getName());
        byClass.put(GateConfig.PARAM_STATE_STORE_KEY, KEY);
        Components components = Components.fromInitParams(byClass, clock);
        try {
            assertTrue(components.config().stateStore().orElseThrow() instanceof RedisStateStore);
        } finally {
            components.close();
        }

        Map<String, String> memory = raw();
        memory.keySet().removeIf(k -> k.startsWith("redis."));
        memory.put(GateConfig.PARAM_STATE_STORE, "memory");
        Components local = Components.fromInitParams(memory, clock);
        try {
            assertTrue(local.config().stateStore().isEmpty(), "memory is the built-in per-node store");
        } finally {
            local.close();
        }

        Map<String, String> bad = raw();
        bad.put(GateConfig.PARAM_STATE_STORE, "redsi");
        bad.put(GateConfig.PARAM_STATE_STORE_KEY, KEY);
        ConfigException e = assertThrows(ConfigException.class, () -> Components.fromInitParams(bad, clock));
        assertEquals(GateConfig.PARAM_STATE_STORE, e.parameter());
        assertTrue(e.getMessage().contains("memory, redis or the class name"), e.getMessage());
    }
}
