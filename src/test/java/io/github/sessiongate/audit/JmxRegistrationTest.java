package io.github.sessiongate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class JmxRegistrationTest {
    private static final AtomicInteger APPS = new AtomicInteger();
    private final MBeanServer platform = ManagementFactory.getPlatformMBeanServer();

    /** A context path no other test uses, so tests never see each other's MBeans. */
    private static String uniqueContext() {
        return "/jmx-test-" + APPS.incrementAndGet() + "-" + System.nanoTime();
    }

    @Test
    void mbeanIsOnThePlatformServerUnderItsNameWithTheCounters() throws Exception {
        Instant start = Instant.parse("2030-01-02T03:04:05Z");
        GateMetrics metrics = new GateMetrics(Clock.fixed(start, ZoneOffset.UTC));
        String context = uniqueContext();
        try (JmxRegistration reg = JmxRegistration.register(metrics, context, "SessionGate")) {
            ObjectName expected = new ObjectName("io.github.sessiongate:type=SessionGate,context=" + context
                    + ",filter=SessionGate");
            assertEquals(Optional.of(expected), reg.objectName());
            assertTrue(platform.isRegistered(expected));

            metrics.validation(1_000);
            metrics.validation(1_000);
            metrics.cacheHit();
            metrics.refreshOk();
            metrics.refreshRefused();
            metrics.refreshFailed();
            metrics.dedupWait();
            metrics.graceHit();
            metrics.guestMint();
            metrics.denial(GateMetrics.Refusal.UNAUTHENTICATED);
            metrics.unavailable();
            metrics.badRequest();
            metrics.csrfRejection();
            metrics.csrfRejection();
            metrics.csrfRejection();
            metrics.revoked();
            metrics.stateStoreUnavailable();
            metrics.stateStoreUnavailable();

            assertEquals(2L, platform.getAttribute(expected, "Validations"));
            assertEquals(3L, platform.getAttribute(expected, "CsrfRejections"));
            assertEquals(start.toEpochMilli(), platform.getAttribute(expected, "StartTime"));
            assertTrue(JMX.isMXBeanInterface(SessionGateMXBean.class));
            SessionGateMXBean proxy = JMX.newMXBeanProxy(platform, expected, SessionGateMXBean.class);
            assertEquals(metrics.snapshot().values().stream().toList(), java.util.List.of(proxy.getValidations(),
                    proxy.getCacheHits(), proxy.getRefreshesOk(), proxy.getRefreshesRefused(),
                    proxy.getRefreshesFailed(), proxy.getDedupWaits(), proxy.getGraceHits(), proxy.getGuestMints(),
                    proxy.getDenials(), proxy.getUnavailable(), proxy.getBadRequests(), proxy.getCsrfRejections(),
                    proxy.getSecurityStoreFull(), proxy.getStateStoreUnavailable(), proxy.getRevoked()));
            assertEquals(2L, platform.getAttribute(expected, "StateStoreUnavailable"));
            assertEquals(1L, platform.getAttribute(expected, "Revoked"));
        }
    }

    @Test
    void rootContextIsNamedSlash() throws Exception {
        assertEquals(new ObjectName("io.github.sessiongate:type=SessionGate,context=/,filter=gate"),
                JmxRegistration.objectName("", "gate"));
        assertEquals("type=SessionGate,context=/,filter=gate",
                JmxRegistration.objectName("", "gate").getKeyPropertyListString(), "keys keep their documented order");
    }

    @Test
    void valuesAnObjectNameCannotHoldAreQuotedAndRoundTrip() {
        String context = "/a,b=c:d\"e*f?g";
        String filter = "filter\nname";
        ObjectName name = JmxRegistration.objectName(context, filter);
        assertFalse(name.isPattern());
        assertEquals(context, ObjectName.unquote(name.getKeyProperty("context")));
        assertEquals(filter, ObjectName.unquote(name.getKeyProperty("filter")));
        assertEquals("/plain-app_1.2", JmxRegistration.objectName("/plain-app_1.2", "f").getKeyProperty("context"));
    }

    @Test
    void twoApplicationsAndTwoFiltersCoexist() throws Exception {
        String a = uniqueContext();
        String b = uniqueContext();
        try (JmxRegistration first = JmxRegistration.register(new GateMetrics(), a, "SessionGate");
                JmxRegistration second = JmxRegistration.register(new GateMetrics(), b, "SessionGate");
                JmxRegistration third = JmxRegistration.register(new GateMetrics(), a, "OtherGate")) {
            Set<ObjectName> names = Set.of(first.objectName().orElseThrow(), second.objectName().orElseThrow(),
                    third.objectName().orElseThrow());
            assertEquals(3, names.size());
            for (ObjectName n : names) {
                assertTrue(platform.isRegistered(n), n.toString());
                assertEquals(null, n.getKeyProperty("instance"), "no collision, so no suffix: " + n);
            }
            assertEquals(3, platform.queryNames(new ObjectName("io.github.sessiongate:type=SessionGate,context=" + a
                    + ",*"), null).size() + platform.queryNames(new ObjectName("io.github.sessiongate:type=SessionGate,context="
                    + b + ",*"), null).size());
        }
    }

    @Test
    void closeUnregistersAndIsIdempotent() {
        JmxRegistration reg = JmxRegistration.register(new GateMetrics(), uniqueContext(), "SessionGate");
        ObjectName name = reg.objectName().orElseThrow();
        assertTrue(platform.isRegistered(name));
        reg.close();
        assertFalse(platform.isRegistered(name));
        assertEquals(Optional.empty(), reg.objectName());
        reg.close();
        assertTrue(reg.toString().contains("none"));
    }

    @Test
    void takenNameGetsANumberedInstanceAndNeitherCloseRemovesTheOther() {
        String context = uniqueContext();
        GateMetrics oldApp = new GateMetrics();
        GateMetrics newApp = new GateMetrics();
        oldApp.denial(GateMetrics.Refusal.UNAUTHENTICATED);
        JmxRegistration old = JmxRegistration.register(oldApp, context, "SessionGate");
        JmxRegistration fresh = JmxRegistration.register(newApp, context, "SessionGate");
        JmxRegistration third = JmxRegistration.register(new GateMetrics(), context, "SessionGate");
        try {
            ObjectName oldName = old.objectName().orElseThrow();
            ObjectName freshName = fresh.objectName().orElseThrow();
            assertEquals(JmxRegistration.objectName(context, "SessionGate"), oldName, "the first keeps the plain name");
            assertEquals("2", freshName.getKeyProperty("instance"));
            assertEquals("3", third.objectName().orElseThrow().getKeyProperty("instance"));
            assertEquals(context, freshName.getKeyProperty("context"));
            assertNotEquals(oldName, freshName);

            old.close(); // the old deployment goes away: the new one's MBean stays
            assertFalse(platform.isRegistered(oldName));
            assertTrue(platform.isRegistered(freshName));

            // and the next start takes the plain name again
            try (JmxRegistration next = JmxRegistration.register(new GateMetrics(), context, "SessionGate")) {
                assertEquals(oldName, next.objectName().orElseThrow());
            }
        } finally {
            old.close();
            fresh.close();
            third.close();
        }
    }

    @Test
    void refusedRegistrationIsLoggedOnceAtWarnAndNeverThrows() throws Exception {
        MBeanServer refusing = mock(MBeanServer.class);
        when(refusing.registerMBean(any(), any())).thenThrow(new SecurityException("no MBeanPermission"));
        Logger log = mock(Logger.class);
        JmxRegistration reg = JmxRegistration.register(refusing, new GateMetrics(),
                JmxRegistration.objectName("/app", "SessionGate"), log);
        assertEquals(Optional.empty(), reg.objectName());
        verify(log, times(1)).warn(anyString(), any(Object.class), any(Object.class));
        reg.close();
        verify(refusing, never()).unregisterMBean(any());
    }

    @Test
    void whenEveryNumberedNameIsTakenItGivesUpWithOneWarning() throws Exception {
        MBeanServer full = mock(MBeanServer.class);
        when(full.registerMBean(any(), any())).thenThrow(new InstanceAlreadyExistsException("taken"));
        Logger log = mock(Logger.class);
        JmxRegistration reg = JmxRegistration.register(full, new GateMetrics(),
                JmxRegistration.objectName("/app", "SessionGate"), log);
        assertEquals(Optional.empty(), reg.objectName());
        verify(full, times(JmxRegistration.MAX_INSTANCE)).registerMBean(any(), any());
        verify(log, times(1)).warn(anyString(), any(Object.class), eq(JmxRegistration.MAX_INSTANCE));
    }
}
