package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.redis.RedisStateStore;
import io.github.sessiongate.rotation.RefreshOutcome;
import io.github.sessiongate.testing.Await;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.RedisServer;
import java.lang.management.ManagementFactory;
import java.util.Base64;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The filter over a real Redis (default timeouts: 50 ms connect, 100 ms command) that stops and
 * comes back: every request keeps working on this node's state, the outage is logged once per
 * minute (not per request; nothing else logs a WARN or ERROR for it, neither the store nor its
 * client) and counted as {@code StateStoreUnavailable} over JMX; once Redis is back on the same
 * port the store reconnects by itself and the counter stops growing.
 */
class RedisOutageMetricsTest {
    private static final String KEY = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]).replace('A', 'o');
    private static final String FILTER = "redis-outage-metrics-test";
    private final MutableClock clock = new MutableClock();
    private RedisServer server;
    private RedisStateStore store;
    private RequestSteps gate;

    @BeforeEach
    void start() {
        server = RedisServer.startOrSkip();
        store = RedisStateStore.builder().url(server.url()).build();
        gate = new RequestSteps(Components.fromConfig(GateConfig.builder().validator(new SharedStateTest.Rotating(clock))
                .stateStore(store).stateStoreKey(KEY).clock(clock).build()), "/outage", FILTER);
    }

    @AfterEach
    void stop() throws Exception {
        if (gate != null) {
            gate.close();
        }
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void valid(String token) {
        assertTrue(gate.validations.validate(token).result() instanceof ValidationResult.Valid, token);
    }

    private static long warnOrError(String log) {
        return log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("SEVERE")).count();
    }

    @Test
    void anOutageIsLoggedOncePerIntervalCountedOverJmxAndEndsByItself() throws Exception {
        valid("acc-1");
        assertEquals(0, gate.metrics.getStateStoreUnavailable());

        server.stop();
        try (LogCapture log = new LogCapture()) {
            for (int i = 2; i < 12; i++) {
                valid("acc-" + i);
                assertEquals(RefreshOutcome.Kind.ROTATED, gate.refresher.refresh("ref-" + (i * 10)).kind());
            }
            String text = log.text();
            assertEquals(1, warnOrError(text), "one WARN for twenty requests, nothing else: " + text);
            assertEquals(1, log.count("WARN", "state store cannot answer"), text);
            long counted = gate.metrics.getStateStoreUnavailable();
            assertTrue(counted >= 20, "each operation that fell back is counted: " + counted);

            ObjectName name = new ObjectName("io.github.sessiongate:type=SessionGate,context=/outage,filter=" + FILTER);
            assertEquals(counted, ManagementFactory.getPlatformMBeanServer().getAttribute(name, "StateStoreUnavailable"));

            clock.advance(java.time.Duration.ofSeconds(61));
            valid("acc-50");
            assertEquals(2, log.count("WARN", "state store cannot answer"), "once more a minute later: " + log.text());
            assertEquals(2, warnOrError(log.text()), log.text());
            for (String secret : List.of("acc-2", "ref-20", KEY)) {
                assertFalse(log.text().contains(secret), "logged: " + secret);
            }
        }

        server.start();
        Await.until("the filter's store reconnects by itself", () -> {
            long before = gate.metrics.getStateStoreUnavailable();
            valid("acc-" + System.nanoTime());
            return gate.metrics.getStateStoreUnavailable() == before;
        });
        long after = gate.metrics.getStateStoreUnavailable();
        valid("acc-99");
        assertEquals(RefreshOutcome.Kind.ROTATED, gate.refresher.refresh("ref-990").kind());
        assertEquals(after, gate.metrics.getStateStoreUnavailable(), "Redis answers again: nothing more is counted");
    }
}
