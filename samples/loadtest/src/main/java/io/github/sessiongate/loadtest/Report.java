package io.github.sessiongate.loadtest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The markdown report: per variant, the median over the rounds of the paired throughput ratio
 * (variant ÷ no filter, same round and mode) and of the filter's CPU per request (variant minus no
 * filter, same round and mode, in µs of server-process CPU), then SessionGate's cache hits in the
 * cold runs, then every measured run.
 */
final class Report {
    /** One measured run. */
    record Row(int round, boolean cold, Variant variant, double perSecond, double cpuMicros, long cacheHits, long validations) {
    }

    private Report() {
    }

    static String markdown(LoadTest.Options o, String machine, String driver, List<Row> rows) {
        StringBuilder md = new StringBuilder();
        md.append("# SessionGate side-by-side load test\n\n");
        md.append(String.format(Locale.ROOT, "%d round(s), %s, %d s per measured run after a %d s warm-up run "
                + "(and a %d s JIT warm-up per variant and mode first); cold: %,d distinct tokens%s.%n%n",
                o.rounds, driver, o.seconds, o.warmup, o.initialWarmup, o.cold, o.quick ? "; QUICK MODE (smoke check, not a measurement)" : ""));
        md.append("| variant | warm: same token | cold: ").append(String.format(Locale.ROOT, "%,d", o.cold))
                .append(" distinct tokens | filter CPU per request, cold | filter CPU per request, warm |\n");
        md.append("|---|---|---|---|---|\n");
        for (Variant v : Variant.values()) {
            if (v == Variant.NONE) {
                continue;
            }
            md.append("| ").append(v.title())
                    .append(" | ").append(ratio(rows, v, false))
                    .append(" | ").append(ratio(rows, v, true))
                    .append(" | ").append(cpu(rows, v, true))
                    .append(" | ").append(cpu(rows, v, false)).append(" |\n");
        }
        md.append(String.format(Locale.ROOT, "%nRatios: median over the rounds of the variant's requests per second divided by "
                + "the no-filter requests per second of the same round and mode. CPU: median over the rounds of the server "
                + "JVM's process CPU time per request (all its threads: Jetty, GC, JIT) minus the no-filter value of the same "
                + "round and mode. No filter: %s req/s warm, %s req/s cold (median), %s µs / %s µs CPU per request.%n",
                median(rows, Variant.NONE, false, Row::perSecond, "%.0f"), median(rows, Variant.NONE, true, Row::perSecond, "%.0f"),
                median(rows, Variant.NONE, false, Row::cpuMicros, "%.1f"), median(rows, Variant.NONE, true, Row::cpuMicros, "%.1f")));
        md.append(beyondFloor(rows));
        long hits = 0;
        long validations = 0;
        for (Row r : rows) {
            if (r.variant() == Variant.SESSIONGATE && r.cold()) {
                hits += r.cacheHits();
                validations += r.validations();
            }
        }
        md.append(String.format(Locale.ROOT, "%nSessionGate's validation cache during the measured cold runs (its MBean's "
                + "CacheHits and Validations): %,d hits, %,d validations.%n", hits, validations));
        md.append("\n## Machine\n\n").append(machine).append("\n");
        md.append("\n## Every measured run\n\n| round | mode | variant | req/s | ratio | CPU µs/req | filter CPU µs/req |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Optional<Row> base = baseline(rows, r);
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %.0f | %s | %.1f | %s |%n", r.round() + 1,
                    r.cold() ? "cold" : "warm", r.variant().name().toLowerCase(Locale.ROOT), r.perSecond(),
                    base.map(b -> String.format(Locale.ROOT, "%.2f", r.perSecond() / b.perSecond())).orElse("–"), r.cpuMicros(),
                    base.map(b -> String.format(Locale.ROOT, "%+.1f", r.cpuMicros() - b.cpuMicros())).orElse("–")));
        }
        return md.toString();
    }

    /**
     * What the verification floor says about the cold runs: SessionGate's CPU per request beyond the
     * floor's (same round), and the floor's throughput against the best peer's (same round): no filter
     * that verifies each new token can get further ahead of that peer than the floor is.
     */
    private static String beyondFloor(List<Row> rows) {
        List<Double> beyond = new ArrayList<>();
        List<Double> floorOverBest = new ArrayList<>();
        List<Double> gateOverBest = new ArrayList<>();
        for (Row floor : rows) {
            if (floor.variant() != Variant.FLOOR || !floor.cold()) {
                continue;
            }
            double best = 0;
            Row gate = null;
            for (Row r : rows) {
                if (r.round() == floor.round() && r.cold()) {
                    switch (r.variant()) {
                        case JOSE4J, SPRING, PAC4J -> best = Math.max(best, r.perSecond());
                        case SESSIONGATE -> gate = r;
                        default -> { }
                    }
                }
            }
            if (gate != null && best > 0) {
                beyond.add(gate.cpuMicros() - floor.cpuMicros());
                floorOverBest.add(floor.perSecond() / best);
                gateOverBest.add(gate.perSecond() / best);
            }
        }
        if (beyond.isEmpty()) {
            return "";
        }
        return String.format(Locale.ROOT, "%nCold, against the verification floor (one RS256 signature check and nothing "
                + "else), medians over the rounds of same-round figures: SessionGate spends %+.1f µs of server CPU per request "
                + "beyond the floor; the floor's throughput is %.2f times the best peer's, SessionGate's %.2f times.%n",
                median(beyond), median(floorOverBest), median(gateOverBest));
    }

    private static Optional<Row> baseline(List<Row> rows, Row r) {
        return rows.stream().filter(b -> b.variant() == Variant.NONE && b.round() == r.round() && b.cold() == r.cold()).findFirst();
    }

    private static String ratio(List<Row> rows, Variant v, boolean cold) {
        List<Double> values = paired(rows, v, cold, (r, b) -> r.perSecond() / b.perSecond());
        return values.isEmpty() ? "–" : String.format(Locale.ROOT, "%.2f", median(values));
    }

    private static String cpu(List<Row> rows, Variant v, boolean cold) {
        List<Double> values = paired(rows, v, cold, (r, b) -> r.cpuMicros() - b.cpuMicros());
        return values.isEmpty() ? "–" : String.format(Locale.ROOT, "%+.0f µs", median(values));
    }

    private static List<Double> paired(List<Row> rows, Variant v, boolean cold, java.util.function.BiFunction<Row, Row, Double> f) {
        List<Double> values = new ArrayList<>();
        for (Row r : rows) {
            if (r.variant() == v && r.cold() == cold) {
                baseline(rows, r).ifPresent(b -> values.add(f.apply(r, b)));
            }
        }
        return values;
    }

    private static String median(List<Row> rows, Variant v, boolean cold, java.util.function.ToDoubleFunction<Row> f, String format) {
        List<Double> values = rows.stream().filter(r -> r.variant() == v && r.cold() == cold).map(r -> f.applyAsDouble(r)).toList();
        return values.isEmpty() ? "–" : String.format(Locale.ROOT, format, median(values));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
