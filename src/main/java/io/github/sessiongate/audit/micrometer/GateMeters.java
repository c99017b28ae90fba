package io.github.sessiongate.audit.micrometer;

import io.github.sessiongate.audit.GateMetrics;
import io.github.sessiongate.audit.Latency;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One filter's {@link GateMetrics} as Micrometer meters named {@code sessiongate.*}, tagged
 * {@code filter} and {@code context}, for as long as this binding is open.
 *
 * <p>Every meter reads the filter's own counters when the registry is scraped
 * ({@link FunctionCounter}, {@link FunctionTimer}, {@link Gauge}, {@link TimeGauge}): nothing is
 * counted twice and no request calls Micrometer. {@link #close()} removes every meter this
 * binding registered, so a redeploy leaves none behind.
 *
 * <p>The only package of SessionGate that imports Micrometer. The engine loads it by name, and
 * only after it found {@code io.micrometer.core.instrument.MeterRegistry} on the class path, so an
 * application without Micrometer never loads it.
 */
public final class GateMeters implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GateMetrics.class.getPackageName() + ".micrometer");
    /** The prefix of every meter's name. */
    public static final String PREFIX = "sessiongate.";

    private final MeterRegistry registry;
    private final List<Meter> meters;

    private GateMeters(MeterRegistry registry, List<Meter> meters) {
        this.registry = registry;
        this.meters = meters;
    }

    /**
     * Registers the meters of {@code metrics}; the engine calls this by reflection.
     *
     * @param metrics the filter's counters
     * @param given the registry given to {@code GateConfig.Builder.meterRegistry} (a checked
     *        {@link MeterRegistry}), or {@code null}
     * @param contextAttribute the {@code ServletContext} attribute named after {@link MeterRegistry}, or {@code null}
     * @param contextPath the context path, {@code /} for the root application
     * @param filterName the filter's name
     * @return the binding, to close at {@code destroy()}
     */
    public static AutoCloseable register(GateMetrics metrics, Object given, Object contextAttribute, String contextPath,
            String filterName) {
        MeterRegistry registry = resolve(given, contextAttribute);
        Tags tags = Tags.of("filter", filterName, "context", contextPath.isEmpty() ? "/" : contextPath);
        if (registry.find(PREFIX + "validations").tags(tags).meter() != null) {
            LOG.warn("SessionGate meters with tags {} are already registered (a redeploy still running, or two hosts with one "
                    + "context path); this filter's are not registered", tags);
            return new GateMeters(registry, List.of());
        }
        List<Meter> meters = new ArrayList<>();
        Binder b = new Binder(registry, metrics, tags, meters);
        b.counter("validations", "Tokens validated by the validator (cache misses)", GateMetrics::getValidations);
        b.counter("cache.hits", "Verdicts answered from the validation cache", GateMetrics::getCacheHits);
        b.counter("refreshes", Tags.of("outcome", "ok"), "Refreshes that issued new tokens", GateMetrics::getRefreshesOk);
        b.counter("refreshes", Tags.of("outcome", "refused"), "Refreshes definitively refused", GateMetrics::getRefreshesRefused);
        b.counter("refreshes", Tags.of("outcome", "failed"), "Refreshes without a verdict (backend failed or unreachable)",
                GateMetrics::getRefreshesFailed);
        b.counter("dedup.waits", "Requests that shared another request's validation or refresh", GateMetrics::getDedupWaits);
        b.counter("grace.hits", "Requests served from the rotation grace memo", GateMetrics::getGraceHits);
        b.counter("guest.mints", "Guest sessions minted", GateMetrics::getGuestMints);
        b.counter("denials", "Requests denied: 401, 403 or a login redirect", GateMetrics::getDenials);
        b.counter("unavailable", "Requests answered 503", GateMetrics::getUnavailable);
        b.counter("bad.requests", "Requests answered 400 by the path firewall or the back-channel logout endpoint",
                GateMetrics::getBadRequests);
        b.counter("csrf.rejections", "State-changing requests refused by the CSRF check", GateMetrics::getCsrfRejections);
        b.counter("security.store.full", "Times security state could not be recorded because its store was full",
                GateMetrics::getSecurityStoreFull);
        b.counter("state.store.unavailable", "Shared-store operations answered from this node's memory instead",
                GateMetrics::getStateStoreUnavailable);
        b.counter("revoked", "Access tokens refused from the revocation list or a session marker", GateMetrics::getRevoked);
        b.counter("logins", Tags.of("result", "succeeded"), "Logins that succeeded", GateMetrics::getLoginsSucceeded);
        b.counter("logins", Tags.of("result", "failed"), "Logins that failed", GateMetrics::getLoginsFailed);
        b.counter("logouts", "Sessions ended through the logout endpoint or a back-channel logout", GateMetrics::getLogouts);
        for (String reason : GateMetrics.REFUSAL_REASONS) {
            b.counter("refusals", Tags.of("reason", reason), "Refusals by reason: refused tokens by validation reason,"
                    + " and the filter's own refusals", m -> m.getRefusals(reason));
        }
        b.latency("validation", "Validator calls (cache misses)", GateMetrics::validationLatency);
        b.latency("refresh", "Refresh calls to the backend, whatever their outcome", GateMetrics::refreshLatency);
        b.gauge("validation.cache.size", "Entries in this node's validation cache; -1 when it lives in a shared store",
                GateMetrics::getValidationCacheSize);
        b.gauge("grace.memo.size", "Rotations the grace memo remembers; -1 when it lives in a shared store",
                GateMetrics::getGraceMemoSize);
        LOG.debug("registered {} SessionGate meters with tags {} in {}", meters.size(), tags, registry.getClass().getName());
        return new GateMeters(registry, List.copyOf(meters));
    }

    /** The registry given to the builder, else the one in the {@code ServletContext}, else the global one. */
    static MeterRegistry resolve(Object given, Object contextAttribute) {
        if (given != null) {
            return (MeterRegistry) given; // checked by GateConfig.Builder.build()
        }
        if (contextAttribute instanceof MeterRegistry found) {
            return found;
        }
        if (contextAttribute != null) {
            LOG.warn("the ServletContext attribute {} holds a {}, not a MeterRegistry; SessionGate's meters go to "
                    + "Metrics.globalRegistry", MeterRegistry.class.getName(), contextAttribute.getClass().getName());
        }
        return Metrics.globalRegistry;
    }

    /** Removes every meter this binding registered; does nothing the second time. Never throws. */
    @Override
    public void close() {
        for (Meter meter : meters) {
            try {
                registry.remove(meter);
            } catch (RuntimeException e) {
                LOG.warn("could not remove meter {} ({})", meter.getId().getName(), e.toString());
            }
        }
    }

    /** Registers meters of one filter and remembers them. */
    private record Binder(MeterRegistry registry, GateMetrics metrics, Tags tags, List<Meter> meters) {
        void counter(String name, String description, ToDoubleFunction<GateMetrics> count) {
            counter(name, Tags.empty(), description, count);
        }

        void counter(String name, Tags extra, String description, ToDoubleFunction<GateMetrics> count) {
            meters.add(FunctionCounter.builder(PREFIX + name, metrics, count).tags(tags.and(extra))
                    .description(description).register(registry));
        }

        void gauge(String name, String description, ToDoubleFunction<GateMetrics> value) {
            meters.add(Gauge.builder(PREFIX + name, metrics, value).tags(tags).description(description).register(registry));
        }

        /** {@code <name>.latency} (count and total time) and {@code <name>.latency.max}. */
        void latency(String name, String description, java.util.function.Function<GateMetrics, Latency> of) {
            Latency latency = of.apply(metrics);
            meters.add(FunctionTimer.builder(PREFIX + name + ".latency", latency, Latency::count, Latency::sumNanos,
                    TimeUnit.NANOSECONDS).tags(tags).description(description).register(registry));
            meters.add(TimeGauge.builder(PREFIX + name + ".latency.max", latency, TimeUnit.NANOSECONDS, Latency::maxNanos)
                    .tags(tags).description("Longest of: " + description + ", since the filter started").register(registry));
        }
    }
}
