package io.github.sessiongate.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} (Debian's package) as a child process on a free loopback port, with
 * no persistence ({@code --save '' --appendonly no}); never the system service. Missing binary:
 * under {@code CI=true} the test fails (CI promises the Redis tests), otherwise it is skipped with
 * what to install. {@link #stop} and {@link #start} again on the same port simulate an outage.
 * {@link #startTlsOrSkip} serves TLS only ({@code --port 0 --tls-port}), with the certificate a test
 * generated; its clients need no certificate of their own ({@code --tls-auth-clients no}).
 */
public final class RedisServer implements AutoCloseable {
    private final Path binary;
    private final int port;
    private final Path dir;
    private final Tls tls;
    private Process process;

    /**
     * The server side of TLS, as PEM files.
     *
     * @param certificate the server's certificate
     * @param key its private key
     * @param ca the CA certificate Redis would check client certificates against (none are asked for)
     */
    public record Tls(Path certificate, Path key, Path ca) {
    }

    private RedisServer(Path binary, int port, Path dir, Tls tls) {
        this.binary = binary;
        this.port = port;
        this.dir = dir;
        this.tls = tls;
    }

    /** Starts one, or fails (CI) or skips (elsewhere) when {@code redis-server} is not installed. */
    public static RedisServer startOrSkip() {
        return startOrSkip(null);
    }

    /** As {@link #startOrSkip()}, serving TLS only on its port, with these files. */
    public static RedisServer startTlsOrSkip(Tls tls) {
        return startOrSkip(java.util.Objects.requireNonNull(tls, "tls"));
    }

    private static RedisServer startOrSkip(Tls tls) {
        Optional<Path> binary = find();
        if (binary.isEmpty()) {
            String what = "redis-server not found on the PATH or in /usr/bin; install it "
                    + "(apt-get install redis-server) to run the Redis tests";
            if ("true".equals(System.getenv("CI"))) {
                fail(what + " (CI=true: the Redis tests may not be skipped)");
            }
            Assumptions.abort(what);
        }
        try {
            RedisServer server = new RedisServer(binary.get(), freePort(), Files.createTempDirectory("sg-redis"), tls);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts the server (again) on its port and returns once it answers PING. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        if (tls == null) {
            command.addAll(List.of("--port", Integer.toString(port)));
        } else {
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port), "--tls-cert-file",
                    tls.certificate().toString(), "--tls-key-file", tls.key().toString(), "--tls-ca-cert-file",
                    tls.ca().toString(), "--tls-auth-clients", "no"));
        }
        command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", dir.toString(), "--maxmemory-policy", "noeviction"));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile());
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until("redis-server answering PING on port " + port, this::answers, this::log);
    }

    private boolean answers() {
        if (!process.isAlive()) {
            throw new AssertionError("redis-server exited: " + log());
        }
        if (tls != null) { // a plain PING cannot pass; the server says when it listens
            return log().contains("Ready to accept connections");
        }
        try (Jedis j = new Jedis("127.0.0.1", port, 200)) {
            return "PONG".equals(j.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Stops the server and waits until it has exited; its port then refuses connections. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        signal("-CONT"); // a frozen server cannot act on SIGTERM
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Stalls the server without closing its port ({@code SIGSTOP}): connections are accepted by
     * the kernel but nothing answers, as with a Redis that hangs. {@link #thaw} resumes it.
     */
    public synchronized void freeze() {
        signal("-STOP");
    }

    /** Resumes a {@linkplain #freeze frozen} server ({@code SIGCONT}). */
    public synchronized void thaw() {
        signal("-CONT");
    }

    private void signal(String which) {
        try {
            Process kill = new ProcessBuilder("kill", which, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill " + which + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port}, or {@code rediss://} for a TLS server. */
    public String url() {
        return (tls == null ? "redis://" : "rediss://") + "127.0.0.1:" + port;
    }

    /** A plain connection (not for a TLS server) for checks the store does not offer (PTTL, FLUSHALL, CONFIG SET); close it. */
    public Jedis client() {
        return new Jedis("127.0.0.1", port, 2_000);
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
