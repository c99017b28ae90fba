package io.github.sessiongate.audit;

import io.github.sessiongate.AuditEvent;
import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.AuditListener;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Security events on the dedicated SLF4J logger {@value #LOGGER_NAME}, one line each:
 * {@code event=denied reason=unauthenticated path="/admin" client=203.0.113.7 token=1a2b3c4d}.
 *
 * <p>Never a token: only its {@link Fingerprint}. Every field that comes from the request is
 * escaped ({@link #escape}) so a hostile path or header can neither forge a line nor a field.
 * Events are logged at INFO; route or silence the logger in your logging configuration.
 *
 * <p>Every event also goes to the {@link AuditListener}s given at construction, whether or not
 * the logger is enabled, as an {@link AuditEvent} carrying the fingerprint, never the token. A
 * listener that throws never breaks {@link #record}; see {@link AuditListener} for the contract.
 * Listeners named by class in web.xml are made by {@link #listenersFrom(InitParams, ClassLoader)}.
 * Thread-safe.
 */
public final class AuditLog {
    /** Name of the audit logger. */
    public static final String LOGGER_NAME = "io.github.sessiongate.audit";
    /**
     * Name of the logger for this package's operational messages (a failing listener, JMX
     * registration): outside {@value #LOGGER_NAME}'s hierarchy, so a file that receives the audit
     * logger receives event lines only.
     */
    public static final String OPERATIONS_LOGGER_NAME = "io.github.sessiongate.observability";
    /**
     * Init-param: {@link AuditListener} classes to instantiate, comma- or whitespace-separated,
     * each public with a public no-argument constructor.
     */
    public static final String PARAM_AUDIT_LISTENER_CLASS = "audit-listener-class";
    /** Default of {@value #PARAM_AUDIT_LISTENER_CLASS}: no listener. */
    public static final String DEFAULT_AUDIT_LISTENER_CLASS = "";
    /** A failing listener is reported at most once per this interval. */
    public static final Duration LISTENER_FAILURE_LOG_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final Logger OPERATIONS = LoggerFactory.getLogger(OPERATIONS_LOGGER_NAME);

    private final Logger log;
    private final Logger operations;
    private final List<Dispatch> listeners;
    private final Clock clock;

    /** Logs to {@value #LOGGER_NAME}; no listeners. */
    public AuditLog() {
        this(List.of(), Clock.systemUTC());
    }

    /**
     * Logs to {@value #LOGGER_NAME} and calls every listener, in order, for every event.
     *
     * @param listeners called on each {@link #record}; may be empty
     * @param clock stamps each {@link AuditEvent} and spaces the reports of failing listeners
     */
    public AuditLog(List<AuditListener> listeners, Clock clock) {
        this(LOG, OPERATIONS, listeners, clock);
    }

    AuditLog(Logger log) {
        this(log, OPERATIONS, List.of(), Clock.systemUTC());
    }

    AuditLog(Logger log, Logger operations, List<AuditListener> listeners, Clock clock) {
        this.log = Objects.requireNonNull(log, "log");
        this.operations = Objects.requireNonNull(operations, "operations");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listeners = List.copyOf(Objects.requireNonNull(listeners, "listeners")).stream().map(Dispatch::new).toList();
    }

    /**
     * Whether {@link #record} writes anything now (the audit logger at INFO, or a listener): a
     * caller may skip making a token it would only pass for its fingerprint.
     */
    public boolean records() {
        return !listeners.isEmpty() || log.isInfoEnabled();
    }

    /**
     * Records one event.
     *
     * @param event what happened
     * @param reason a fixed word or phrase, with at most a detail of values made fit for a log
     *     line ({@code internal.LogText}: an issuer or audience of a verified token, a setting's
     *     name); never a token, signature or secret
     * @param path the normalised (or, for {@link Event#BAD_PATH}, raw) request path
     * @param client the client address
     * @param token the token concerned, fingerprinted here; {@code null} for none. Neither
     *        logged nor given to a listener.
     */
    public void record(Event event, String reason, String path, String client, String token) {
        boolean logging = log.isInfoEnabled();
        if (!logging && listeners.isEmpty()) {
            return;
        }
        Objects.requireNonNull(event, "event");
        String fingerprint = Fingerprint.of(token);
        if (logging) {
            log.info("event={} reason={} path=\"{}\" client={} token={}", event.name().toLowerCase(Locale.ROOT),
                    escape(reason), escape(path), escape(client), fingerprint);
        }
        if (!listeners.isEmpty()) {
            AuditEvent e = new AuditEvent(event, orEmpty(reason), orEmpty(path), orEmpty(client), fingerprint,
                    clock.instant());
            for (Dispatch d : listeners) {
                d.deliver(e);
            }
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /**
     * Makes a value safe for one log field: printable ASCII other than quote and backslash
     * stays; everything else becomes {@code \xHH} or {@code \\uHHHH}; long values are cut.
     */
    public static String escape(String value) {
        return AuditEvent.escape(value);
    }

    /**
     * The listeners named by {@value #PARAM_AUDIT_LISTENER_CLASS}, instantiated; empty when the
     * parameter is not set. Marks the parameter as read.
     *
     * @param params the filter's init-params
     * @param loader where to find the classes: the web application's,
     *        {@code filterConfig.getServletContext().getClassLoader()}
     * @throws ConfigException naming {@value #PARAM_AUDIT_LISTENER_CLASS} for a class that is
     *         missing, not an {@link AuditListener}, abstract, not public, without a public
     *         no-argument constructor, whose constructor throws, or that is listed twice
     */
    public static List<AuditListener> listenersFrom(InitParams params, ClassLoader loader) {
        Objects.requireNonNull(params, "params");
        return newListeners(params.get(PARAM_AUDIT_LISTENER_CLASS).orElse(DEFAULT_AUDIT_LISTENER_CLASS), loader);
    }

    /**
     * Instantiates listeners from a value of {@value #PARAM_AUDIT_LISTENER_CLASS}: class names
     * separated by commas or whitespace, each made once with its public no-argument constructor,
     * in the order given.
     *
     * @param classNames the parameter's value; blank for none
     * @param loader where to find the classes: the web application's
     * @throws ConfigException naming {@value #PARAM_AUDIT_LISTENER_CLASS}; see
     *         {@link #listenersFrom(InitParams, ClassLoader)}
     */
    public static List<AuditListener> newListeners(String classNames, ClassLoader loader) {
        Objects.requireNonNull(classNames, "classNames");
        Objects.requireNonNull(loader, "loader");
        List<AuditListener> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : InitParams.split(classNames.strip())) {
            if (!seen.add(name)) {
                throw listenerProblem("lists " + name + " twice; name each listener once");
            }
            out.add(newListener(name, loader));
        }
        return List.copyOf(out);
    }

    private static AuditListener newListener(String name, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw listenerProblem("class " + name + " is not found; check the name and put the class in WEB-INF/classes"
                    + " or WEB-INF/lib");
        } catch (LinkageError e) {
            throw withCause(listenerProblem("class " + name + " cannot be loaded (" + e.getClass().getSimpleName()
                    + "); check that its dependencies are deployed"), e);
        }
        if (!AuditListener.class.isAssignableFrom(type)) {
            throw listenerProblem("class " + name + " does not implement " + AuditListener.class.getName()
                    + " (as loaded with SessionGate; is a second copy of the SessionGate jar deployed?)");
        }
        int modifiers = type.getModifiers();
        if (Modifier.isAbstract(modifiers) || type.isInterface()) {
            throw listenerProblem("class " + name + " is abstract or an interface; name a concrete class");
        }
        if (!Modifier.isPublic(modifiers)) {
            throw listenerProblem("class " + name + " is not public; make it public with a public no-argument constructor");
        }
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw listenerProblem("class " + name + " has no public no-argument constructor"
                    + (type.isMemberClass() && !Modifier.isStatic(modifiers) ? " (an inner class must be static)" : ""));
        }
        try {
            return (AuditListener) constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw withCause(listenerProblem("the constructor of " + name + " threw "
                    + e.getCause().getClass().getName()), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw withCause(listenerProblem("class " + name + " cannot be instantiated ("
                    + e.getClass().getSimpleName() + ")"), e);
        }
    }

    private static ConfigException listenerProblem(String problem) {
        return new ConfigException(PARAM_AUDIT_LISTENER_CLASS, problem);
    }

    private static ConfigException withCause(ConfigException e, Throwable cause) {
        e.initCause(cause);
        return e;
    }

    /** One listener and the bookkeeping that keeps its failures from flooding the log. */
    private final class Dispatch {
        private static final long NEVER = Long.MIN_VALUE;

        private final AuditListener listener;
        private final AtomicLong lastReport = new AtomicLong(NEVER);
        private final LongAdder suppressed = new LongAdder();

        Dispatch(AuditListener listener) {
            this.listener = listener;
        }

        void deliver(AuditEvent event) {
            try {
                listener.onEvent(event);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable failure) {
                failed(event, failure);
            }
        }

        /**
         * Reports a failure when none was reported within the interval (or the clock stepped
         * back by one); otherwise only counts it. One thread wins the report.
         */
        private void failed(AuditEvent event, Throwable failure) {
            long now = clock.millis();
            long last = lastReport.get();
            long interval = LISTENER_FAILURE_LOG_INTERVAL.toMillis();
            boolean due = last == NEVER || now - last >= interval || last - now >= interval;
            if (!due || !lastReport.compareAndSet(last, now)) {
                suppressed.increment();
                return;
            }
            // The message may echo the raw path or client: escaped, and the trace at DEBUG only.
            operations.warn("audit listener {} failed on event={} with {}: {} ({} more failures since the last report;"
                    + " reported at most once every {} s)", listener.getClass().getName(),
                    event.event().name().toLowerCase(Locale.ROOT), failure.getClass().getName(),
                    escape(failure.getMessage()), suppressed.sumThenReset(), LISTENER_FAILURE_LOG_INTERVAL.toSeconds());
            operations.debug("audit listener failure", failure);
        }
    }
}
