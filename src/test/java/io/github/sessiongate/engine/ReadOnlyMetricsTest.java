package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.GateConfigTest;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.audit.GateMetrics;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** {@code SessionFilter.metrics()} lets callers read the counters, never change them. */
class ReadOnlyMetricsTest {

    @Test
    void metricsAreAReadOnlyViewOfTheFiltersCounters() throws Exception {
        SessionFilter filter = new SessionFilter(GateConfig.builder().validator(new GateConfigTest.RecordingValidator()).build());
        filter.init(null);
        try {
            SessionFilter.Metrics metrics = filter.metrics();
            assertFalse(GateMetrics.class.isInstance(metrics), "the live counters must not be handed out");
            assertEquals(0, metrics.getValidations());
            assertEquals(metrics.snapshot().keySet(), metrics.snapshot().keySet());
            assertThrows(UnsupportedOperationException.class, () -> metrics.snapshot().put("validations", 99L));
            for (Method m : metrics.getClass().getMethods()) {
                if (m.getDeclaringClass() != Object.class && Modifier.isPublic(m.getModifiers())) {
                    assertTrue(m.getName().startsWith("get") || m.getName().equals("snapshot")
                            || m.getName().equals("toString"), "not a read method: " + m.getName());
                }
            }
        } finally {
            filter.destroy();
        }
        assertThrows(IllegalStateException.class, filter::metrics);
    }
}
