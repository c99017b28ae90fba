package io.github.sessiongate.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs wrk (a separate process: the driver's CPU is not the server's) with {@code tokens.lua}, and
 * reads the numbers its {@code done} hook prints. A run with any error (a non-2xx answer, a
 * connect, read, write or timeout error) fails the load test: a variant that refuses or drops
 * requests must not look fast. The timeout is 10 s rather than wrk's 2 s, so that a stall of a busy
 * machine is not taken for a dropped request.
 */
final class Wrk {
    /** What one wrk run measured. */
    record Result(long requests, long durationMicros, long p50Micros, long p99Micros) {
        double perSecond() {
            return requests * 1e6 / durationMicros;
        }
    }

    private static final Pattern LINE = Pattern.compile("LOADTEST ((?:\\w+=\\d+ ?)+)");

    private final String executable;
    private final Path script;
    private final int threads;
    private final int connections;

    Wrk(String executable, Path dataDir, int threads, int connections) throws IOException {
        this.executable = executable;
        this.threads = threads;
        this.connections = connections;
        this.script = dataDir.resolve("tokens.lua");
        try (InputStream in = Wrk.class.getResourceAsStream("tokens.lua")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** wrk's version line, for the report. */
    String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(executable, "-v").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().findFirst().orElse("wrk (version unknown)").trim();
    }

    /** How the driver runs, for the report. */
    String describe() {
        return "wrk -t" + threads + " -c" + connections;
    }

    /**
     * One run of {@code seconds} against {@code url}, each request with a token of lines
     * {@code [first, last]} of {@code tokens}, the threads starting at {@code offset}.
     */
    Result run(String url, int seconds, Path tokens, int first, int last, long offset) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable, "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s", "-s", script.toString(), url, "--", tokens.toString(), Integer.toString(first), Integer.toString(last),
                Long.toString(offset), Integer.toString(threads), AccessCookie.NAME));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        Matcher m = LINE.matcher(out);
        if (status != 0 || !m.find()) {
            throw new IllegalStateException("wrk failed (exit " + status + ") for " + url + ":\n" + out);
        }
        Map<String, Long> values = new HashMap<>();
        for (String pair : m.group(1).trim().split(" ")) {
            String[] kv = pair.split("=");
            values.put(kv[0], Long.parseLong(kv[1]));
        }
        long errors = values.get("status_errors") + values.get("connect") + values.get("read") + values.get("write")
                + values.get("timeout");
        if (errors != 0 || values.get("requests") == 0) {
            throw new IllegalStateException("wrk saw errors for " + url + " (a misconfigured variant?):\n" + out);
        }
        return new Result(values.get("requests"), values.get("duration_us"), values.get("p50_us"), values.get("p99_us"));
    }
}
