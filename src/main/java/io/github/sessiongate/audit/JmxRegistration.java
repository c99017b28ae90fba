package io.github.sessiongate.audit;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One filter's {@link GateMetrics}, published as a {@link SessionGateMXBean} on the platform
 * MBean server for as long as this registration is open.
 *
 * <p><b>Name.</b> {@code io.github.sessiongate:type=SessionGate,context=<context path>,filter=<filter name>},
 * the context path being {@code /} for the root application. Either value is quoted with
 * {@link ObjectName#quote} when it holds a character an unquoted value cannot ({@code , = : " * ?}
 * or a line break). Two web applications, or two filters in one application, therefore get two
 * names: {@code io.github.sessiongate:type=SessionGate,*} finds them all.
 *
 * <p><b>Name already taken.</b> This happens when the old copy of an application is still
 * registered while the new one starts (a redeploy race, Tomcat parallel deployment), or when two
 * virtual hosts serve the same context path. The taken name is never replaced: the other
 * registration's {@link #close()} would then remove ours, and an MBean that belongs to another
 * application would be silently dropped. Instead the first free name of
 * {@code <name>,instance=2} ... {@code <name>,instance=100} is used, and that is logged at INFO.
 * After a redeploy the old copy closes its registration and a later start takes the plain name
 * again.
 *
 * <p><b>Failure.</b> If JMX refuses the registration (a security manager, a broken MBean
 * server, every numbered name taken) that is logged once, at WARN, and the registration is
 * empty: {@link #objectName()} is empty and {@link #close()} does nothing. The filter never
 * fails for want of JMX.
 *
 * <p><b>Lifecycle.</b> {@code register} in the filter's {@code init()}, {@code close()} in its
 * {@code destroy()}: the MBean server holds the metrics, and through them the web application's
 * class loader, until then. Operational messages go to the logger
 * {@value AuditLog#OPERATIONS_LOGGER_NAME}. Thread-safe; {@code close()} is idempotent.
 */
public final class JmxRegistration implements AutoCloseable {
    /** The JMX domain of SessionGate's MBeans. */
    public static final String DOMAIN = "io.github.sessiongate";
    /** The {@code type} key of the MBean's name. */
    public static final String TYPE = "SessionGate";
    /** Highest {@code instance} key tried when the plain name is taken. */
    static final int MAX_INSTANCE = 100;

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.OPERATIONS_LOGGER_NAME);

    private final MBeanServer server;
    private final ObjectName name;
    private final Logger log;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JmxRegistration(MBeanServer server, ObjectName name, Logger log) {
        this.server = server;
        this.name = name;
        this.log = log;
    }

    /**
     * Registers {@code metrics} on the platform MBean server; never throws for a JMX problem.
     *
     * @param metrics the counters to publish
     * @param contextPath the web application's context path as {@code ServletContext.getContextPath()}
     *        gives it: {@code ""} for the root application, published as {@code /}
     * @param filterName the filter's name as {@code FilterConfig.getFilterName()} gives it
     * @return the registration, to {@link #close()} when the filter is destroyed; empty if JMX refused
     */
    public static JmxRegistration register(GateMetrics metrics, String contextPath, String filterName) {
        Objects.requireNonNull(metrics, "metrics");
        ObjectName base = objectName(contextPath, filterName);
        MBeanServer server;
        try {
            server = ManagementFactory.getPlatformMBeanServer();
        } catch (RuntimeException e) {
            return refused(LOG, base, e);
        }
        return register(server, metrics, base, LOG);
    }

    /** The seam for tests: any MBean server and logger, a name made by {@link #objectName}. */
    static JmxRegistration register(MBeanServer server, GateMetrics metrics, ObjectName base, Logger log) {
        try {
            return register(server, new DescribedMXBean<>(new View(metrics), SessionGateMXBean.class), base, log);
        } catch (RuntimeException e) {
            return refused(log, base, e);
        }
    }

    /**
     * Registers one API proxy route's counters as a {@link ProxyRouteMXBean} under
     * {@code io.github.sessiongate:type=SessionGateProxy,context=<context path>,filter=<filter name>,route=<route name>},
     * each attribute described; never throws for a JMX problem (then the registration is empty).
     */
    public static JmxRegistration registerRoute(RouteMetrics metrics, String contextPath, String filterName, String route) {
        Objects.requireNonNull(metrics, "metrics");
        ObjectName base;
        try {
            ObjectName filter = objectName(contextPath, filterName);
            base = new ObjectName(DOMAIN + ":type=" + PROXY_TYPE + ",context=" + filter.getKeyProperty("context") + ",filter="
                    + filter.getKeyProperty("filter") + ",route=" + value(Objects.requireNonNull(route, "route")));
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException("quoted values always make a valid ObjectName", e);
        }
        try {
            return register(ManagementFactory.getPlatformMBeanServer(), new DescribedMXBean<>(metrics, ProxyRouteMXBean.class), base, LOG);
        } catch (RuntimeException e) {
            return refused(LOG, base, e);
        }
    }

    /** The {@code type} key of a proxy route's MBean. */
    public static final String PROXY_TYPE = "SessionGateProxy";

    /** Registers {@code bean} under {@code base}, or the first free numbered alternative. */
    private static JmxRegistration register(MBeanServer server, StandardMBean bean, ObjectName base, Logger log) {
        try {
            for (int instance = 1; instance <= MAX_INSTANCE; instance++) {
                ObjectName candidate = instance == 1 ? base : withInstance(base, instance);
                ObjectName registered;
                try {
                    registered = server.registerMBean(bean, candidate).getObjectName();
                } catch (InstanceAlreadyExistsException taken) {
                    continue;
                }
                if (instance == 1) {
                    log.debug("registered MBean {}", registered);
                } else {
                    log.info("MBean name {} is taken (a redeploy still running, or two hosts with one context path);"
                            + " registered as {}", base, registered);
                }
                return new JmxRegistration(server, registered, log);
            }
            log.warn("MBean name {} and its numbered alternatives up to instance={} are all taken;"
                    + " SessionGate metrics of this filter are not published over JMX", base, MAX_INSTANCE);
            return new JmxRegistration(null, null, log);
        } catch (JMException | RuntimeException e) {
            return refused(log, base, e);
        }
    }

    private static JmxRegistration refused(Logger log, ObjectName base, Exception e) {
        log.warn("could not register MBean {} ({}); SessionGate runs on without publishing its metrics over JMX",
                base, e.toString());
        log.debug("MBean registration failure", e);
        return new JmxRegistration(null, null, log);
    }

    /**
     * The name a filter's MBean gets when it is free:
     * {@code io.github.sessiongate:type=SessionGate,context=<context path or />,filter=<filter name>},
     * each value quoted only if it must be.
     */
    public static ObjectName objectName(String contextPath, String filterName) {
        Objects.requireNonNull(contextPath, "contextPath");
        Objects.requireNonNull(filterName, "filterName");
        String context = contextPath.isEmpty() ? "/" : contextPath;
        try {
            return new ObjectName(DOMAIN + ":type=" + TYPE + ",context=" + value(context) + ",filter=" + value(filterName));
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException("quoted values always make a valid ObjectName", e);
        }
    }

    private static ObjectName withInstance(ObjectName base, int instance) throws MalformedObjectNameException {
        return new ObjectName(base.getDomain() + ":" + base.getKeyPropertyListString() + ",instance=" + instance);
    }

    /** The value as is when it may stand unquoted, else {@link ObjectName#quote quoted}. */
    static String value(String raw) {
        if (raw.isEmpty()) {
            return ObjectName.quote(raw);
        }
        for (int i = 0; i < raw.length(); i++) {
            switch (raw.charAt(i)) {
                case ',', '=', ':', '"', '*', '?', '\n', '\r' -> {
                    return ObjectName.quote(raw);
                }
                default -> {
                }
            }
        }
        return raw;
    }

    /** The name the MBean was registered under; empty if JMX refused it or it is closed. */
    public Optional<ObjectName> objectName() {
        return closed.get() ? Optional.empty() : Optional.ofNullable(name);
    }

    /** Unregisters the MBean; does nothing the second time or if nothing was registered. Never throws. */
    @Override
    public void close() {
        if (name == null || !closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.unregisterMBean(name);
            log.debug("unregistered MBean {}", name);
        } catch (InstanceNotFoundException e) {
            log.debug("MBean {} was already unregistered", name);
        } catch (JMException | RuntimeException e) {
            log.warn("could not unregister MBean {} ({})", name, e.toString());
        }
    }

    @Override
    public String toString() {
        return "JmxRegistration[" + objectName().map(ObjectName::toString).orElse("none") + "]";
    }

    /** The MXBean over the counters. */
    private static final class View implements SessionGateMXBean {
        private final GateMetrics metrics;

        View(GateMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public long getStartTime() {
            return metrics.getStartTime().toEpochMilli();
        }

        @Override
        public long getValidations() {
            return metrics.getValidations();
        }

        @Override
        public long getCacheHits() {
            return metrics.getCacheHits();
        }

        @Override
        public long getRefreshesOk() {
            return metrics.getRefreshesOk();
        }

        @Override
        public long getRefreshesRefused() {
            return metrics.getRefreshesRefused();
        }

        @Override
        public long getRefreshesFailed() {
            return metrics.getRefreshesFailed();
        }

        @Override
        public long getDedupWaits() {
            return metrics.getDedupWaits();
        }

        @Override
        public long getGraceHits() {
            return metrics.getGraceHits();
        }

        @Override
        public long getGuestMints() {
            return metrics.getGuestMints();
        }

        @Override
        public long getDenials() {
            return metrics.getDenials();
        }

        @Override
        public long getUnavailable() {
            return metrics.getUnavailable();
        }

        @Override
        public long getBadRequests() {
            return metrics.getBadRequests();
        }

        @Override
        public long getCsrfRejections() {
            return metrics.getCsrfRejections();
        }

        @Override
        public long getSecurityStoreFull() {
            return metrics.getSecurityStoreFull();
        }

        @Override
        public long getStateStoreUnavailable() {
            return metrics.getStateStoreUnavailable();
        }

        @Override
        public long getRevoked() {
            return metrics.getRevoked();
        }

        @Override
        public long getLoginsSucceeded() {
            return metrics.getLoginsSucceeded();
        }

        @Override
        public long getLoginsFailed() {
            return metrics.getLoginsFailed();
        }

        @Override
        public long getLogouts() {
            return metrics.getLogouts();
        }

        @Override
        public Map<String, Long> getRefusals() {
            return metrics.refusals();
        }

        @Override
        public long getValidationLatencyCount() {
            return metrics.validationLatency().count();
        }

        @Override
        public long getValidationLatencySumMillis() {
            return TimeUnit.NANOSECONDS.toMillis(metrics.validationLatency().sumNanos());
        }

        @Override
        public long getValidationLatencyMaxMillis() {
            return TimeUnit.NANOSECONDS.toMillis(metrics.validationLatency().maxNanos());
        }

        @Override
        public long getRefreshLatencyCount() {
            return metrics.refreshLatency().count();
        }

        @Override
        public long getRefreshLatencySumMillis() {
            return TimeUnit.NANOSECONDS.toMillis(metrics.refreshLatency().sumNanos());
        }

        @Override
        public long getRefreshLatencyMaxMillis() {
            return TimeUnit.NANOSECONDS.toMillis(metrics.refreshLatency().maxNanos());
        }

        @Override
        public int getValidationCacheSize() {
            return metrics.getValidationCacheSize();
        }

        @Override
        public int getGraceMemoSize() {
            return metrics.getGraceMemoSize();
        }
    }
}
