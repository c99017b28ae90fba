package io.github.sessiongate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.GateConfigTest;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code sessiongate.*} Micrometer meters: the same figures as the counters after real flows,
 * tagged with the filter and context (refusals with the reason), gone after {@code destroy()}; the
 * registry given to the builder, else the {@code ServletContext}'s, else the global one.
 */
class MicrometerMetersTest {
    private static final String ATTRIBUTE = MeterRegistry.class.getName();

    @Test
    void metersShowTheFlowsTaggedAndLeaveOnDestroy() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MetricsFlows flows = new MetricsFlows()) {
            flows.contextAttributes.put(ATTRIBUTE, registry);
            flows.start();
            flows.everyFlow();
            String filter = flows.filterName;
            assertEquals(1.0, find(registry, "logins", filter).tag("result", "succeeded").functionCounter().count());
            assertEquals(1.0, find(registry, "logins", filter).tag("result", "failed").functionCounter().count());
            assertEquals(1.0, find(registry, "logouts", filter).functionCounter().count());
            assertEquals(1.0, find(registry, "refusals", filter).tag("reason", "csrf").functionCounter().count());
            assertEquals(1.0, find(registry, "refusals", filter).tag("reason", "bad_signature").functionCounter().count());
            assertEquals(0.0, find(registry, "refusals", filter).tag("reason", "missing_role").functionCounter().count());
            assertEquals(GateMetrics.REFUSAL_REASONS.size(), find(registry, "refusals", filter).functionCounters().size());
            assertEquals(1.0, find(registry, "refreshes", filter).tag("outcome", "ok").functionCounter().count());
            FunctionTimer validation = find(registry, "validation.latency", filter).functionTimer();
            assertEquals(find(registry, "validations", filter).functionCounter().count(), validation.count(),
                    "every validator call timed, counted once");
            assertTrue(validation.count() >= 2);
            assertTrue(validation.totalTime(TimeUnit.NANOSECONDS) > 0);
            assertEquals(1.0, find(registry, "refresh.latency", filter).functionTimer().count());
            assertTrue(find(registry, "refresh.latency.max", filter).timeGauge().value(TimeUnit.NANOSECONDS) > 0);
            assertNotNull(find(registry, "validation.cache.size", filter).gauge());
            assertNotNull(find(registry, "grace.memo.size", filter).gauge());
            registry.getMeters().forEach(m -> assertNotNull(m.getId().getDescription(), m.getId().getName()));

            flows.filter.destroy();
            flows.filter = null;
            assertTrue(registry.getMeters().isEmpty(), "a redeploy leaves no meter behind: " + registry.getMeters());
        }
    }

    @Test
    void theBuildersRegistryComesBeforeTheContexts() throws Exception {
        SimpleMeterRegistry given = new SimpleMeterRegistry();
        SimpleMeterRegistry inContext = new SimpleMeterRegistry();
        try (MetricsFlows flows = new MetricsFlows()) {
            flows.contextAttributes.put(ATTRIBUTE, inContext);
            flows.start(GateConfig.builder().validator(new GateConfigTest.RecordingValidator()).meterRegistry(given).build());
            assertNotNull(find(given, "validations", flows.filterName).functionCounter());
            assertTrue(inContext.getMeters().isEmpty());
        }
    }

    @Test
    void theContextsRegistryComesBeforeTheGlobalOne() throws Exception {
        SimpleMeterRegistry inContext = new SimpleMeterRegistry();
        withGlobal((global, flows) -> {
            flows.contextAttributes.put(ATTRIBUTE, inContext);
            flows.start();
            assertNotNull(find(inContext, "validations", flows.filterName).functionCounter());
            assertNull(find(Metrics.globalRegistry, "validations", flows.filterName).meter());
        });
    }

    @Test
    void withoutEitherTheGlobalRegistryHasThemUntilDestroy() throws Exception {
        withGlobal((global, flows) -> {
            flows.start();
            assertNotNull(find(Metrics.globalRegistry, "validations", flows.filterName).functionCounter());
            assertNotNull(find(global, "validations", flows.filterName).functionCounter(), "reaches the global's registries");
            flows.filter.destroy();
            flows.filter = null;
            assertNull(find(Metrics.globalRegistry, "validations", flows.filterName).meter());
        });
    }

    /** A scenario with a registry added to {@code Metrics.globalRegistry} for its duration. */
    private interface GlobalScenario {
        void run(SimpleMeterRegistry global, MetricsFlows flows) throws Exception;
    }

    private static void withGlobal(GlobalScenario scenario) throws Exception {
        SimpleMeterRegistry global = new SimpleMeterRegistry();
        Metrics.addRegistry(global);
        try (MetricsFlows flows = new MetricsFlows()) {
            scenario.run(global, flows);
        } finally {
            Metrics.removeRegistry(global);
        }
    }

    @Test
    void offRegistersNothingEvenWithARegistryAtHand() throws Exception {
        SimpleMeterRegistry inContext = new SimpleMeterRegistry();
        try (MetricsFlows flows = new MetricsFlows()) {
            flows.params.put(GateConfig.PARAM_METRICS_MICROMETER, "off");
            flows.contextAttributes.put(ATTRIBUTE, inContext);
            flows.start();
            flows.login();
            assertTrue(inContext.getMeters().isEmpty());
            assertNull(find(Metrics.globalRegistry, "validations", flows.filterName).meter());
        }
    }

    @Test
    void onWithMicrometerPresentStarts() throws Exception {
        SimpleMeterRegistry inContext = new SimpleMeterRegistry();
        try (MetricsFlows flows = new MetricsFlows()) {
            flows.params.put(GateConfig.PARAM_METRICS_MICROMETER, "on");
            flows.contextAttributes.put(ATTRIBUTE, inContext);
            flows.start();
            assertNotNull(find(inContext, "validations", flows.filterName).functionCounter());
        }
    }

    @Test
    void theBuilderRefusesWhatIsNotAMeterRegistry() {
        ConfigException e = assertThrows(ConfigException.class, () -> GateConfig.builder()
                .validator(new GateConfigTest.RecordingValidator()).meterRegistry("registry").build());
        assertEquals(GateConfig.PARAM_METRICS_MICROMETER, e.parameter());
        assertTrue(e.getMessage().contains("io.micrometer.core.instrument.MeterRegistry"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
    }

    private static Search find(MeterRegistry registry, String name, String filter) {
        return registry.find("sessiongate." + name).tag("filter", filter).tag("context", MetricsFlows.CONTEXT_PATH);
    }
}
