package io.github.sessiongate;

import io.github.sessiongate.engine.InitParamsMapping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store sizes of issue 7 section 6: read from init-params or the builder, bounds checked at init. */
class StoreSizeConfigTest {
    private static GateConfig parse(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(GateConfig.PARAM_VALIDATOR_CLASS, GateConfigTest.RecordingValidator.class.getName());
        m.put("recording.endpoint", "http://127.0.0.1:1/");
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return InitParamsMapping.fromInitParams(InitParams.resolve(m), Clock.systemUTC());
    }

    @Test
    void defaultsAndInitParams() {
        GateConfig defaults = parse();
        assertEquals(GateConfig.DEFAULT_SECURITY_MAX_ENTRIES, defaults.securityMaxEntries());
        assertEquals(GateConfig.DEFAULT_NEGATIVE_CACHE_MAX_ENTRIES, defaults.negativeCacheMaxEntries());
        GateConfig set = parse(GateConfig.PARAM_SECURITY_MAX_ENTRIES, "2", GateConfig.PARAM_NEGATIVE_CACHE_MAX_ENTRIES, "7");
        assertEquals(2, set.securityMaxEntries());
        assertEquals(7, set.negativeCacheMaxEntries());
    }

    @Test
    void outOfBoundsFailsInitNamingTheParameter() {
        for (String name : new String[] {GateConfig.PARAM_SECURITY_MAX_ENTRIES, GateConfig.PARAM_NEGATIVE_CACHE_MAX_ENTRIES}) {
            for (String bad : new String[] {"0", "-1", "10000001", "many"}) {
                assertEquals(name, assertThrows(ConfigException.class, () -> parse(name, bad), name + "=" + bad).parameter());
            }
        }
    }

    @Test
    void builderMethodsAreCheckedAtBuild() {
        GateConfig.Builder b = GateConfig.builder().validator(new GateConfigTest.RecordingValidator());
        assertEquals(GateConfig.PARAM_SECURITY_MAX_ENTRIES,
                assertThrows(ConfigException.class, () -> b.securityMaxEntries(0).build()).parameter());
        assertEquals(5, GateConfig.builder().validator(new GateConfigTest.RecordingValidator()).securityMaxEntries(5)
                .negativeCacheMaxEntries(6).build().securityMaxEntries());
    }
}
