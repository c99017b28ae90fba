package io.github.sessiongate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

/**
 * The JMX attributes issue 13 added, read through the platform MBean server after real flows
 * through {@code SessionFilter}: logins, logouts, refusals by reason, latencies, sizes; and a
 * description on every attribute of both MXBeans.
 */
class MetricsAttributesTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @Test
    void realFlowsAreCountedAndReadOverJmx() throws Exception {
        try (MetricsFlows flows = new MetricsFlows()) {
            flows.params.put("metrics.micrometer", "off");
            flows.start();
            var session = flows.everyFlowButLogout();
            ObjectName name = JmxRegistration.objectName(MetricsFlows.CONTEXT_PATH, flows.filterName);
            assertTrue((Integer) SERVER.getAttribute(name, "ValidationCacheSize") >= 1, "the in-process cache holds the token");
            assertTrue((Integer) SERVER.getAttribute(name, "GraceMemoSize") >= 1, "the rotation is remembered for the grace");
            assertEquals(0L, SERVER.getAttribute(name, "Logouts"));
            flows.logout(session);

            assertEquals(1L, SERVER.getAttribute(name, "LoginsSucceeded"));
            assertEquals(1L, SERVER.getAttribute(name, "LoginsFailed"));
            assertEquals(1L, SERVER.getAttribute(name, "Logouts"));
            Map<String, Long> refusals = refusals(SERVER.getAttribute(name, "Refusals"));
            assertEquals(GateMetrics.REFUSAL_REASONS.size(), refusals.size(), "every reason, zeros included: " + refusals);
            assertEquals(1L, refusals.get("csrf"), refusals.toString());
            assertTrue(refusals.get("unauthenticated") >= 1, refusals.toString());
            long tokenRefusals = refusals.get("malformed") + refusals.get("bad_signature");
            assertEquals(1L, tokenRefusals, "the forged bearer token: " + refusals);
            assertEquals(0L, refusals.get("missing_role"));

            long validations = (Long) SERVER.getAttribute(name, "Validations");
            assertTrue(validations >= 2, "the login's token and the page's: " + validations);
            assertEquals(validations, SERVER.getAttribute(name, "ValidationLatencyCount"), "every validator call is timed");
            assertTrue((Long) SERVER.getAttribute(name, "ValidationLatencySumMillis") >= 0);
            assertEquals(1L, SERVER.getAttribute(name, "RefreshLatencyCount"), "the one refresh in place");
            assertEquals(1L, SERVER.getAttribute(name, "RefreshesOk"));
        }
    }

    @Test
    void everyAttributeOfTheFilterBeanIsDescribed() throws Exception {
        GateMetrics metrics = new GateMetrics();
        ObjectName name = new ObjectName("io.github.sessiongate.test:type=Described,n=" + System.nanoTime());
        try (JmxRegistration jmx = JmxRegistration.register(SERVER, metrics, name,
                org.slf4j.LoggerFactory.getLogger(MetricsAttributesTest.class))) {
            ObjectName registered = jmx.objectName().orElseThrow();
            assertDescribed(SERVER.getMBeanInfo(registered), SessionGateMXBean.class);
        }
    }

    @Test
    void everyAttributeOfTheRouteBeanIsDescribed() throws Exception {
        MBeanInfo info = new DescribedMXBean<>(new RouteMetrics(() -> 0), ProxyRouteMXBean.class).getMBeanInfo();
        assertDescribed(info, ProxyRouteMXBean.class);
    }

    @Test
    void everyGetterCarriesItsDescription() {
        for (Class<?> type : new Class<?>[] {SessionGateMXBean.class, ProxyRouteMXBean.class}) {
            assertNotNull(type.getAnnotation(Description.class), type.getSimpleName());
            for (Method m : type.getMethods()) {
                Description d = m.getAnnotation(Description.class);
                assertNotNull(d, type.getSimpleName() + "." + m.getName() + " has no @Description");
                assertFalse(d.value().isBlank(), m.getName());
            }
        }
    }

    @Test
    void latencyKeepsCountSumAndMaximum() {
        Latency latency = new Latency();
        latency.record(5_000_000);
        latency.record(2_000_000);
        latency.record(-1); // a clock that stepped back counts as 0
        assertEquals(3, latency.count());
        assertEquals(7_000_000, latency.sumNanos());
        assertEquals(5_000_000, latency.maxNanos());
    }

    private static void assertDescribed(MBeanInfo info, Class<?> type) {
        assertFalse(info.getDescription() == null || info.getDescription().isBlank(), "the bean's description");
        assertEquals(type.getMethods().length, info.getAttributes().length, "one attribute per getter");
        for (MBeanAttributeInfo a : info.getAttributes()) {
            String d = a.getDescription();
            assertFalse(d == null || d.isBlank(), a.getName());
            assertNotEquals(a.getName(), d, a.getName());
            assertEquals(DescribedMXBean.describe(type, a.getName()).value(), d, a.getName());
        }
    }

    /** The MXBean's {@code Map<String, Long>} as JMX hands it out: TabularData of (key, value) rows. */
    private static Map<String, Long> refusals(Object attribute) {
        Map<String, Long> out = new HashMap<>();
        for (Object row : ((TabularData) attribute).values()) {
            CompositeData c = (CompositeData) row;
            out.put((String) c.get("key"), (Long) c.get("value"));
        }
        return out;
    }
}
