package io.github.sessiongate.sample;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} (Debian's package) as a child process on a free loopback port, with
 * no persistence and no config file, as {@code SAMPLE_NODES=2 samples/run} starts it; never the
 * system service. The minimal part of the library's test helper of the same name, which the
 * sample's tests cannot reach. Missing binary: under {@code CI=true} the test fails, otherwise it
 * is skipped with what to install.
 */
final class RedisServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final int port;
    private final Path dir;
    private final Process process;

    private RedisServer(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    /** Starts one and returns once it answers PING, or fails (CI) or skips (elsewhere) without it. */
    static RedisServer startOrSkip() throws IOException, InterruptedException {
        Optional<Path> binary = find();
        if (binary.isEmpty()) {
            String what = "redis-server not found on the PATH or in /usr/bin; install it (apt-get install redis-server)";
            if ("true".equals(System.getenv("CI"))) {
                fail(what + " (CI=true: the two-node demo test may not be skipped)");
            }
            Assumptions.abort(what);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("sample-redis");
        Process process = new ProcessBuilder(binary.get().toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", dir.toString(), "--maxmemory-policy", "noeviction")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        RedisServer server = new RedisServer(port, dir, process);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!server.answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(dir.resolve("redis.log"));
                server.close();
                fail("redis-server did not answer PING on port " + port + ": " + log);
            }
            Thread.sleep(50); // polling for start-up, not letting time pass
        }
        return server;
    }

    private static Optional<Path> find() {
        List<Path> candidates = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty()) {
                candidates.add(Path.of(d, "redis-server"));
            }
        }
        candidates.add(Path.of("/usr/bin/redis-server"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    private boolean answers() {
        try (Jedis j = new Jedis("127.0.0.1", port, 200)) {
            return "PONG".equals(j.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code redis://127.0.0.1:port}. */
    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** A plain connection for checks (how many keys the nodes wrote); close it. */
    Jedis client() {
        return new Jedis("127.0.0.1", port, 2_000);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
