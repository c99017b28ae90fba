package io.github.sessiongate.loadtest;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The side-by-side load test (issue 11, BENCHMARKS.md): one JVM runs {@link LoadServer}; wrk
 * processes drive it over loopback. For each round, each mode (warm: the same token on every
 * request; cold: 60,000 distinct valid tokens, more than SessionGate's validation cache holds) and
 * each {@link Variant} in an order rotated per round: a short warm-up run, then a measured run,
 * timed by wrk, with the server JVM's process CPU time read before and after. Per round, a
 * variant's throughput is divided by the no-filter throughput of the same round and mode (a paired
 * ratio: a noisy neighbour slows both), and its CPU per request has the no-filter CPU per request of
 * the same round subtracted (the filter's own cost, JIT and GC included). The report gives the
 * median of each over the rounds.
 *
 * <p>Before measuring, every variant must answer 200 to a valid token and 401 to a request without
 * one, with a tampered one and with an expired one (the verification floor, {@link SignatureOnlyFilter},
 * checks no claims and answers 200 to the expired one): a peer that lets everything through, or refuses
 * everything, cannot look fast. Any non-2xx answer or socket error during a run stops the test.
 *
 * <p>Arguments: {@code --quick} (1 round of 3 s runs), {@code --calibrate} (compare wrk's thread and
 * connection counts instead, see {@link #calibrate}), {@code --rounds N}, {@code --seconds S},
 * {@code --warmup S} (the warm-up run before each measured run), {@code --initial-warmup S} (the JIT
 * warm-up per variant and mode), {@code --threads T}, {@code --connections C} (wrk's; default -t2 -c32),
 * {@code --cold N} (distinct cold tokens), {@code --data DIR} (key and tokens), {@code --out FILE}
 * (the report), {@code --wrk PATH}. Defaults: 5 rounds, 10 s runs, 2 s warm-up, 5 s JIT warm-up.
 */
public final class LoadTest {
    private enum Mode { WARM, COLD }

    private record Sample(int round, Mode mode, Variant variant, Wrk.Result result, double cpuMicrosPerRequest,
            long cacheHits, long validations) {
    }

    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        // pac4j logs a refused token whole at WARN (the pre-flight sends some): its peers log nothing.
        System.setProperty("org.slf4j.simpleLogger.log.org.pac4j", "error");
        Options o = Options.parse(args);
        Path data = Path.of(o.data);
        TokenFile tokens = TokenFile.prepare(data, o.cold);
        Wrk wrk = new Wrk(o.wrk, data, o.threads, o.connections);
        String machine = machine(wrk);
        System.out.println(machine);
        try (LoadServer server = new LoadServer(tokens)) {
            String base = "http://127.0.0.1:" + server.port();
            preflight(base, tokens);
            if (o.calibrate) {
                calibrate(o, base, tokens, data);
                return;
            }
            OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
            Map<Variant, Long> offsets = new EnumMap<>(Variant.class);
            int lastLine = o.cold + 1;
            System.out.printf("loadtest: JIT warm-up, %d s per variant and mode ...%n", o.initialWarmup);
            for (Mode mode : Mode.values()) {
                for (Variant v : Variant.values()) {
                    run(wrk, base, v, mode, o.initialWarmup, tokens, lastLine, offsets);
                }
            }
            List<Sample> samples = new ArrayList<>();
            for (int round = 0; round < o.rounds; round++) {
                for (Mode mode : Mode.values()) {
                    for (int k = 0; k < Variant.values().length; k++) {
                        Variant v = Variant.values()[(k + round) % Variant.values().length];
                        run(wrk, base, v, mode, o.warmup, tokens, lastLine, offsets);
                        long[] before = sessionGateCounters();
                        long cpuBefore = os.getProcessCpuTime();
                        Wrk.Result r = run(wrk, base, v, mode, o.seconds, tokens, lastLine, offsets);
                        long cpu = os.getProcessCpuTime() - cpuBefore;
                        long[] after = sessionGateCounters();
                        Sample s = new Sample(round, mode, v, r, cpu / 1e3 / r.requests(),
                                after[0] - before[0], after[1] - before[1]);
                        samples.add(s);
                        System.out.printf(Locale.ROOT, "round %d %-4s %-11s %9.0f req/s  %7.1f µs CPU/req  p50 %5d µs  p99 %6d µs%s%n",
                                round + 1, mode.name().toLowerCase(Locale.ROOT), v.name().toLowerCase(Locale.ROOT), r.perSecond(),
                                s.cpuMicrosPerRequest(), r.p50Micros(), r.p99Micros(),
                                v == Variant.SESSIONGATE ? "  cache hits " + s.cacheHits() + " of " + s.validations() + " validations" : "");
                    }
                }
            }
            String report = Report.markdown(o, machine, wrk.describe(), samples.stream()
                    .map(s -> new Report.Row(s.round(), s.mode() == Mode.COLD, s.variant(), s.result().perSecond(),
                            s.cpuMicrosPerRequest(), s.cacheHits(), s.validations()))
                    .toList());
            System.out.println();
            System.out.println(report);
            Path out = Path.of(o.out);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report, StandardCharsets.UTF_8);
            System.out.println("loadtest: written to " + out);
        }
    }

    private static Wrk.Result run(Wrk wrk, String base, Variant v, Mode mode, int seconds, TokenFile tokens, int lastLine,
            Map<Variant, Long> offsets) throws IOException, InterruptedException {
        long offset = offsets.getOrDefault(v, 0L);
        Wrk.Result r = mode == Mode.WARM
                ? wrk.run(base + v.path(), seconds, tokens.path(), 1, 1, 0)
                : wrk.run(base + v.path(), seconds, tokens.path(), 2, lastLine, offset);
        if (mode == Mode.COLD) {
            offsets.put(v, (offset + r.requests()) % (lastLine - 1));
        }
        return r;
    }

    /**
     * Which wrk threads and connections give the server the most throughput on this machine: for
     * -t1/-t2 and -c16/-c32, three interleaved rounds of {@code seconds}-long runs of the no-filter
     * variant warm (where the driver is most likely the limit) and of the bare jose4j filter cold
     * (where the server is); prints the medians and exits.
     */
    private static void calibrate(Options o, String base, TokenFile tokens, Path data) throws Exception {
        int[][] shapes = {{1, 16}, {2, 16}, {1, 32}, {2, 32}};
        Map<String, List<Double>> results = new java.util.LinkedHashMap<>();
        Map<Variant, Long> offsets = new EnumMap<>(Variant.class);
        for (int round = 0; round < 3; round++) {
            for (int[] shape : shapes) {
                Wrk wrk = new Wrk(o.wrk, data, shape[0], shape[1]);
                for (Mode mode : Mode.values()) {
                    Variant v = mode == Mode.WARM ? Variant.NONE : Variant.JOSE4J;
                    run(wrk, base, v, mode, o.warmup, tokens, o.cold + 1, offsets);
                    double rps = run(wrk, base, v, mode, o.seconds, tokens, o.cold + 1, offsets).perSecond();
                    results.computeIfAbsent(wrk.describe() + ", " + v.name().toLowerCase(Locale.ROOT) + " "
                            + mode.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(rps);
                }
            }
        }
        System.out.println("| driver, variant | median req/s over 3 rounds |\n|---|---|");
        results.forEach((k, v) -> System.out.printf(Locale.ROOT, "| %s | %.0f |%n", k, Report.median(v)));
    }

    /** SessionGate's cache hits and validations so far, from its MBean: {hits, validations}. */
    private static long[] sessionGateCounters() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("io.github.sessiongate:type=SessionGate,*"), null);
        long hits = 0;
        long validations = 0;
        for (ObjectName name : names) {
            hits += (Long) server.getAttribute(name, "CacheHits");
            validations += (Long) server.getAttribute(name, "Validations");
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("SessionGate's MBean is not registered");
        }
        return new long[] {hits, validations};
    }

    /** Every variant accepts valid tokens and refuses missing, tampered and expired ones; else stop. */
    private static void preflight(String base, TokenFile tokens) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> valid = new ArrayList<>(tokens.tokensAt(0, 1));
        valid.add(tokens.tokensAt(1, 2).get(1));
        String warm = valid.get(0);
        char last = warm.charAt(warm.length() - 2);
        String tampered = warm.substring(0, warm.length() - 2) + (last == 'A' ? 'B' : 'A') + warm.charAt(warm.length() - 1);
        String expired = tokens.expiredToken();
        List<String> problems = new ArrayList<>();
        for (Variant v : Variant.values()) {
            URI uri = URI.create(base + v.path());
            for (String token : valid) {
                expect(client, uri, token, 200, v + " with a valid token", problems);
            }
            int refused = v == Variant.NONE ? 200 : 401;
            expect(client, uri, null, refused, v + " without a token", problems);
            expect(client, uri, tampered, refused, v + " with a tampered signature", problems);
            expect(client, uri, expired, v.checksClaims() ? refused : 200, v + " with an expired token", problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("pre-flight failed:\n  " + String.join("\n  ", problems));
        }
        System.out.println("loadtest: pre-flight passed: every filter answers 200 to valid tokens (warm and cold) and 401 "
                + "without a token, with a tampered signature and (the verification floor excepted) with an expired token");
    }

    private static void expect(HttpClient client, URI uri, String token, int status, String what, List<String> problems)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Cookie", AccessCookie.NAME + "=" + token);
        }
        int got = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (got != status) {
            problems.add(what + ": expected " + status + ", got " + got);
        }
    }

    private static String machine(Wrk wrk) throws IOException, InterruptedException {
        String cpu = "unknown";
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            cpu = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        }
        String load = Files.isReadable(Path.of("/proc/loadavg")) ? Files.readString(Path.of("/proc/loadavg")).trim() : "unknown";
        return "- date: " + Instant.now() + "\n"
                + "- CPUs (nproc): " + Runtime.getRuntime().availableProcessors() + "; model: " + cpu + "\n"
                + "- load average at start (/proc/loadavg): " + load + "\n"
                + "- java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.vendor") + "), max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB, "
                + ManagementFactory.getRuntimeMXBean().getInputArguments() + "\n"
                + "- driver: " + wrk.version();
    }

    /** The command-line options. */
    static final class Options {
        int rounds = 5;
        int seconds = 10;
        int warmup = 2;
        int initialWarmup = 5;
        int threads = 2;
        int connections = 32;
        int cold = 60_000;
        boolean quick;
        boolean calibrate;
        String data = "target/loadtest-data";
        String out = "target/loadtest-results.md";
        String wrk = "wrk";

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> {
                        o.quick = true;
                        o.rounds = 1;
                        o.seconds = 3;
                        o.warmup = 1;
                        o.initialWarmup = 2;
                    }
                    case "--calibrate" -> o.calibrate = true;
                    case "--rounds" -> o.rounds = positive(a, args[++i]);
                    case "--seconds" -> o.seconds = positive(a, args[++i]);
                    case "--warmup" -> o.warmup = positive(a, args[++i]);
                    case "--initial-warmup" -> o.initialWarmup = positive(a, args[++i]);
                    case "--threads" -> o.threads = positive(a, args[++i]);
                    case "--connections" -> o.connections = positive(a, args[++i]);
                    case "--cold" -> o.cold = positive(a, args[++i]);
                    case "--data" -> o.data = args[++i];
                    case "--out" -> o.out = args[++i];
                    case "--wrk" -> o.wrk = args[++i];
                    default -> throw new IllegalArgumentException("unknown option " + a
                            + " (--quick, --calibrate, --rounds, --seconds, --warmup, --initial-warmup, --threads, --connections, --cold, --data, --out, --wrk)");
                }
            }
            return o;
        }

        private static int positive(String name, String value) {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, not " + value);
            }
            return n;
        }
    }
}
