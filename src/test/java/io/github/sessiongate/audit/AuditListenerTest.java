package io.github.sessiongate.audit;

import io.github.sessiongate.AuditEvent;
import io.github.sessiongate.AuditListener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.slf4j.Logger;

class AuditListenerTest {
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.SECRET-payload.sig";
    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    private static final ClassLoader LOADER = AuditListenerTest.class.getClassLoader();

    private final MutableClock clock = new MutableClock(NOW);
    private final Logger auditLogger = mock(Logger.class);
    private final Logger operations = mock(Logger.class);

    private AuditLog audit(AuditListener... listeners) {
        return new AuditLog(auditLogger, operations, List.of(listeners), clock);
    }

    /** Keeps what it receives; instantiable by class name. */
    public static final class Recording implements AuditListener {
        final List<AuditEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(AuditEvent event) {
            events.add(event);
        }
    }

    @Test
    void listenerGetsTheFingerprintNeverTheTokenEvenWhenTheAuditLoggerIsOff() {
        when(auditLogger.isInfoEnabled()).thenReturn(false);
        Recording recording = new Recording();
        audit(recording).record(AuditEvent.Event.INVALID_TOKEN, "bad_signature", "/admin", "203.0.113.7", TOKEN);

        assertEquals(List.of(new AuditEvent(AuditEvent.Event.INVALID_TOKEN, "bad_signature", "/admin", "203.0.113.7",
                Fingerprint.of(TOKEN), NOW)), recording.events);
        AuditEvent e = recording.events.get(0);
        for (Object component : List.of(e.reason(), e.path(), e.client(), e.tokenFingerprint(), e.toString())) {
            assertFalse(component.toString().contains("SECRET"), component.toString());
        }
        verify(auditLogger, never()).info(anyString(), any(Object[].class));
    }

    @Test
    void listenersRunInOrderAlongsideTheLogLine() {
        when(auditLogger.isInfoEnabled()).thenReturn(true);
        List<String> calls = new CopyOnWriteArrayList<>();
        audit(e -> calls.add("first"), e -> calls.add("second")).record(AuditEvent.Event.DENIED, "missing role", "/a",
                "10.0.0.1", null);
        assertEquals(List.of("first", "second"), calls);
        verify(auditLogger).info(anyString(), any(Object[].class));
    }

    @Test
    void pathAndClientArriveRawButToStringIsEscaped() {
        Recording recording = new Recording();
        audit(recording).record(AuditEvent.Event.BAD_PATH, "encoded slash", "/a\r\nevent=forged\"", "x\u0000y", null);
        AuditEvent e = recording.events.get(0);
        assertEquals("/a\r\nevent=forged\"", e.path());
        assertEquals("x\u0000y", e.client());
        assertEquals("-", e.tokenFingerprint());
        assertEquals("event=bad_path reason=encoded slash path=\"/a\\x0d\\x0aevent=forged\\x22\" client=x\\x00y token=-"
                + " at=2030-01-02T03:04:05Z", e.toString());
    }

    @Test
    void absentFieldsArriveAsEmptyStrings() {
        Recording recording = new Recording();
        audit(recording).record(AuditEvent.Event.UNAVAILABLE, null, null, null, "");
        assertEquals(new AuditEvent(AuditEvent.Event.UNAVAILABLE, "", "", "", "-", NOW), recording.events.get(0));
    }

    @Test
    void throwingListenerNeitherBreaksRecordNorStopsTheOthersAndIsReportedOncePerInterval() {
        Recording after = new Recording();
        AuditListener broken = e -> {
            throw new IllegalStateException("queue full for " + e.path());
        };
        AuditLog audit = audit(broken, after);

        for (int i = 0; i < 100; i++) {
            audit.record(AuditEvent.Event.DENIED, "unauthenticated", "/p\nforged", "c", TOKEN);
        }
        assertEquals(100, after.events.size(), "the next listener still sees every event");
        ArgumentCaptor<Object[]> args = ArgumentCaptor.forClass(Object[].class);
        verify(operations, times(1)).warn(anyString(), args.capture());
        List<Object> first = List.of(args.getValue());
        assertTrue(first.contains(IllegalStateException.class.getName()), first.toString());
        assertTrue(first.contains("queue full for /p\\x0aforged"), "the message is escaped: " + first);
        assertEquals(0L, first.get(4), "nothing suppressed before the first report");

        clock.advance(AuditLog.LISTENER_FAILURE_LOG_INTERVAL.minusSeconds(1));
        audit.record(AuditEvent.Event.DENIED, "unauthenticated", "/p", "c", TOKEN);
        verify(operations, times(1)).warn(anyString(), any(Object[].class));

        clock.advance(Duration.ofSeconds(1));
        audit.record(AuditEvent.Event.DENIED, "unauthenticated", "/p", "c", TOKEN);
        verify(operations, times(2)).warn(anyString(), args.capture());
        assertEquals(100L, List.of(args.getValue()).get(4), "99 after the first report, 1 within the interval");

        for (Object arg : args.getAllValues().stream().flatMap(a -> List.of(a).stream()).toList()) {
            assertFalse(String.valueOf(arg).contains("SECRET"));
        }
    }

    @Test
    void clockSteppedBackByAnIntervalAllowsAReport() {
        AuditLog audit = audit(e -> {
            throw new IllegalStateException();
        });
        audit.record(AuditEvent.Event.DENIED, "r", "/p", "c", null);
        clock.advance(AuditLog.LISTENER_FAILURE_LOG_INTERVAL.negated());
        audit.record(AuditEvent.Event.DENIED, "r", "/p", "c", null);
        verify(operations, times(2)).warn(anyString(), any(Object[].class));
    }

    @Test
    void errorsOtherThanVirtualMachineErrorsAreCaughtToo() {
        AuditLog caught = audit(e -> {
            throw new NoClassDefFoundError("com/example/Missing");
        });
        caught.record(AuditEvent.Event.DENIED, "r", "/p", "c", null);
        verify(operations).warn(anyString(), any(Object[].class));

        AuditLog fatal = audit(e -> {
            throw new OutOfMemoryError("test");
        });
        assertThrows(OutOfMemoryError.class, () -> fatal.record(AuditEvent.Event.DENIED, "r", "/p", "c", null));
    }

    // --- instantiation by class name ---

    /** Not a listener. */
    public static final class NotAListener {
    }

    /** No no-argument constructor. */
    public static final class NeedsArgument implements AuditListener {
        public NeedsArgument(String ignored) {
        }

        @Override
        public void onEvent(AuditEvent event) {
        }
    }

    /** Abstract. */
    public abstract static class Abstract implements AuditListener {
    }

    /** Not public. */
    static final class Hidden implements AuditListener {
        public Hidden() {
        }

        @Override
        public void onEvent(AuditEvent event) {
        }
    }

    /** Constructor fails. */
    public static final class Exploding implements AuditListener {
        public Exploding() {
            throw new IllegalStateException("cannot reach SIEM");
        }

        @Override
        public void onEvent(AuditEvent event) {
        }
    }

    private static ConfigException configProblem(String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> AuditLog.newListeners(value, LOADER));
        assertEquals(AuditLog.PARAM_AUDIT_LISTENER_CLASS, e.parameter());
        assertTrue(e.getMessage().contains(AuditLog.PARAM_AUDIT_LISTENER_CLASS), e.getMessage());
        return e;
    }

    @Test
    void listenersAreMadeFromCommaSeparatedClassNamesInOrder() {
        List<AuditListener> made = AuditLog.newListeners(" " + Recording.class.getName() + ", "
                + CountingListener.class.getName(), LOADER);
        assertEquals(2, made.size());
        assertInstanceOf(Recording.class, made.get(0));
        assertInstanceOf(CountingListener.class, made.get(1));
        assertEquals(List.of(), AuditLog.newListeners(AuditLog.DEFAULT_AUDIT_LISTENER_CLASS, LOADER));
        assertEquals(List.of(), AuditLog.newListeners("  ", LOADER));
    }

    @Test
    void listenersFromInitParamsReadTheParameter() {
        InitParams params = InitParams.resolve(Map.of(AuditLog.PARAM_AUDIT_LISTENER_CLASS, Recording.class.getName()));
        List<AuditListener> made = AuditLog.listenersFrom(params, LOADER);
        assertInstanceOf(Recording.class, made.get(0));
        assertEquals(java.util.Set.of(), params.unread());
        assertEquals(List.of(), AuditLog.listenersFrom(InitParams.resolve(Map.of()), LOADER));
    }

    @Test
    void everyInstantiationProblemNamesTheParameterAndTheClass() {
        assertTrue(configProblem("com.example.NoSuchListener").getMessage().contains("com.example.NoSuchListener"));
        assertTrue(configProblem(NotAListener.class.getName()).getMessage().contains("does not implement"));
        assertTrue(configProblem(NeedsArgument.class.getName()).getMessage().contains("no public no-argument constructor"));
        assertTrue(configProblem(Abstract.class.getName()).getMessage().contains("abstract"));
        assertTrue(configProblem(AuditListener.class.getName()).getMessage().contains("interface"));
        assertTrue(configProblem(Hidden.class.getName()).getMessage().contains("not public"));
        ConfigException exploding = configProblem(Exploding.class.getName());
        assertTrue(exploding.getMessage().contains("threw java.lang.IllegalStateException"), exploding.getMessage());
        assertFalse(exploding.getMessage().contains("cannot reach SIEM"), "the cause's message is not repeated");
        assertInstanceOf(IllegalStateException.class, exploding.getCause());
        assertTrue(configProblem(Recording.class.getName() + "," + Recording.class.getName()).getMessage()
                .contains("twice"));
    }
}
