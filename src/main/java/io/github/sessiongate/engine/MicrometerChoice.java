package io.github.sessiongate.engine;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.GateConfig.MicrometerMode;
import io.github.sessiongate.audit.GateMetrics;
import java.lang.reflect.InvocationTargetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the filter's figures become Micrometer meters ({@value GateConfig#PARAM_METRICS_MICROMETER}),
 * decided without linking Micrometer: its presence is a {@link Class#forName} check, and the one
 * package that imports it ({@code io.github.sessiongate.audit.micrometer}) is loaded only once that
 * check passed. An application without Micrometer therefore never loads a Micrometer type.
 */
public final class MicrometerChoice {
    /** The registry type, by name: also the {@code ServletContext} attribute a registry may be found under. */
    public static final String REGISTRY_CLASS = "io.micrometer.core.instrument.MeterRegistry";
    /** The artifact to add when {@code on} finds Micrometer missing. */
    static final String ARTIFACT = "io.micrometer:micrometer-core";
    /** The one package that imports Micrometer; loaded by name, only when Micrometer is present. */
    static final String METERS_CLASS = "io.github.sessiongate.audit.micrometer.GateMeters";
    private static final Logger LOG = LoggerFactory.getLogger(FilterEngine.LOG_NAME);

    private MicrometerChoice() {
    }

    /**
     * Checks the settings at {@code GateConfig.Builder.build()}: a given registry must be a
     * {@code MeterRegistry}; {@code on} needs Micrometer visible to {@code loader}.
     *
     * @throws ConfigException naming {@value GateConfig#PARAM_METRICS_MICROMETER} and the fix
     */
    public static void check(MicrometerMode mode, Object registry, ClassLoader loader) {
        if (registry != null && !isRegistry(registry)) {
            throw new ConfigException(GateConfig.PARAM_METRICS_MICROMETER, "the registry given to "
                    + "GateConfig.Builder.meterRegistry is a " + registry.getClass().getName() + ", not a " + REGISTRY_CLASS
                    + "; pass the application's MeterRegistry (in Spring Boot, the MeterRegistry bean)");
        }
        if (mode == MicrometerMode.ON && !present(loader)) {
            throw new ConfigException(GateConfig.PARAM_METRICS_MICROMETER, "is on, but Micrometer is not on the class path;"
                    + " add " + ARTIFACT + " (1.x) to the application (WEB-INF/lib), or set "
                    + GateConfig.PARAM_METRICS_MICROMETER + " to auto or off");
        }
    }

    /**
     * Registers {@code metrics} as Micrometer meters when the settings want them and Micrometer is
     * present; else binds nothing. The registry: the one given to the builder, else
     * {@code contextAttribute} (the {@code ServletContext} attribute {@value #REGISTRY_CLASS}), else
     * {@code Metrics.globalRegistry}.
     *
     * @return what removes the meters again at {@code destroy()}; never {@code null}
     * @throws ConfigException with {@code on}, when the meters could not be registered
     */
    static AutoCloseable bind(GateConfig config, GateMetrics metrics, Object contextAttribute, String contextPath,
            String filterName) {
        ClassLoader loader = MicrometerChoice.class.getClassLoader();
        if (config.micrometer() == MicrometerMode.OFF || !present(loader)) {
            return () -> { };
        }
        try {
            return (AutoCloseable) Class.forName(METERS_CLASS, true, loader)
                    .getMethod("register", GateMetrics.class, Object.class, Object.class, String.class, String.class)
                    .invoke(null, metrics, config.meterRegistry().orElse(null), contextAttribute, contextPath, filterName);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
            if (config.micrometer() == MicrometerMode.ON) {
                throw new ConfigException(GateConfig.PARAM_METRICS_MICROMETER, "is on, but the Micrometer meters could not be"
                        + " registered (" + cause.getClass().getName() + "); check that " + ARTIFACT + " 1.x is on the class path");
            }
            LOG.warn("SessionGate's Micrometer meters could not be registered ({}); the figures stay on JMX", cause.toString());
            LOG.debug("Micrometer binding failure", cause);
            return () -> { };
        }
    }

    /** Whether {@value #REGISTRY_CLASS} can be loaded by {@code loader}; nothing is initialised. */
    static boolean present(ClassLoader loader) {
        try {
            Class.forName(REGISTRY_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Whether {@code candidate} is a {@value #REGISTRY_CLASS}, by its class names: loads nothing. */
    static boolean isRegistry(Object candidate) {
        for (Class<?> c = candidate.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(REGISTRY_CLASS)) {
                return true;
            }
        }
        return false;
    }
}
