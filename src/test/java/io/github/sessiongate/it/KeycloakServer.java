package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Keycloak server distribution ({@code -Pkeycloak} unpacks it and names it in the system
 * property {@code keycloak.home}) run as a child process in dev mode on 127.0.0.1, with one realm
 * imported from a file of the test resources. The realm file's {@code ${NAME}} placeholders are
 * replaced by the test before the import (the application's origin and port are known only once
 * its container runs; secrets and passwords are random per run), so the file holds no secret.
 *
 * <p>Keycloak needs Java 21 or later: it runs on {@code keycloak.java.home} (Temurin 25 by default),
 * whatever JDK runs the tests; a missing one fails the test naming the path, never skips it. Each
 * start begins with empty data ({@code data/} is deleted), so the import always applies. Start-up
 * waits for the realm's discovery document to answer 200, bounded by {@link #START_DEADLINE} and
 * ended early when the process exits. {@link #close()} stops the process and its children.
 */
final class KeycloakServer implements AutoCloseable {
    /** Default Java home for Keycloak on these machines; {@code keycloak.java.home} overrides it. */
    static final String DEFAULT_JAVA_HOME = "/usr/lib/jvm/temurin-25-jdk-amd64";
    /** A first start augments the distribution: one to three minutes on two busy cores. */
    static final Duration START_DEADLINE = Duration.ofMinutes(8);
    static final String ADMIN = "admin";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");

    private final Path home;
    private final Path javaHome;
    private final String adminPassword;
    private final int port;
    private final URI base;
    private Process process;
    /** Stops Keycloak if the test JVM ends without {@link #close()} (a killed run), so no server outlives it. */
    private Thread shutdownHook;
    private Path log;
    private Duration startTime;

    private KeycloakServer(Path home, Path javaHome, String adminPassword) throws IOException {
        this.home = home;
        this.javaHome = javaHome;
        this.adminPassword = adminPassword;
        this.port = freePort();
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** Where Keycloak listens (known before it starts, so the application can be configured first). */
    URI base() {
        return base;
    }

    /** The unpacked distribution and the Java home the system properties name; fails the test clearly when either is missing. */
    static KeycloakServer fromSystemProperties(String adminPassword) throws IOException {
        String homeProperty = System.getProperty("keycloak.home");
        if (homeProperty == null || !Files.isExecutable(Path.of(homeProperty, "bin", "kc.sh"))) {
            fail("no Keycloak distribution at keycloak.home=" + homeProperty + ": run this test through the Maven profile, "
                    + "mvn -B -Pkeycloak test-compile surefire:test@keycloak (it unpacks org.keycloak:keycloak-quarkus-dist "
                    + "into target/keycloak)");
        }
        Path javaHome = Path.of(System.getProperty("keycloak.java.home", DEFAULT_JAVA_HOME));
        if (!Files.isExecutable(javaHome.resolve("bin").resolve("java"))) {
            fail("Keycloak 26 needs Java 21 or later, expected at " + javaHome + " (no bin/java there): install Temurin 25 "
                    + "there or point -Dkeycloak.java.home at another Java 21+ home");
        }
        return new KeycloakServer(Path.of(homeProperty), javaHome, adminPassword);
    }

    /**
     * Imports {@code realmResource} with its placeholders replaced, starts Keycloak and returns
     * once the realm {@code realm} serves its discovery document.
     */
    void start(String realmResource, Map<String, String> placeholders, String realm) throws Exception {
        String template;
        try (var in = KeycloakServer.class.getResourceAsStream(realmResource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + realmResource);
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path data = home.resolve("data");
        deleteTree(data);
        Path imports = Files.createDirectories(data.resolve("import"));
        Files.writeString(imports.resolve(realm + "-realm.json"), fill(template, placeholders));

        int managementPort = freePort();
        log = home.resolveSibling("keycloak.log");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin").resolve("kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + managementPort,
                "--hostname-strict=false", "--import-realm")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("JAVA", javaHome.resolve("bin").resolve("java").toString());
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m");
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        long started = System.nanoTime();
        process = builder.start();
        Process started0 = process;
        shutdownHook = new Thread(() -> {
            started0.descendants().forEach(ProcessHandle::destroyForcibly);
            started0.destroyForcibly();
        }, "keycloak-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        awaitDiscovery(URI.create(base + "/realms/" + realm + "/.well-known/openid-configuration"));
        startTime = Duration.ofNanos(System.nanoTime() - started);
    }

    /** How long {@link #start} took until the realm answered. */
    Duration startTime() {
        return startTime;
    }

    /** The bootstrap administrator's password of the master realm. */
    String adminPassword() {
        return adminPassword;
    }

    private void awaitDiscovery(URI discovery) throws Exception {
        HttpClient http = JavaHttp.newClient();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (true) {
            if (!process.isAlive()) {
                fail("Keycloak exited with status " + process.exitValue() + " before serving " + discovery + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet: the condition is checked again below.
            }
            if (System.nanoTime() - deadline > 0) {
                fail("Keycloak did not serve " + discovery + " within " + START_DEADLINE + ":\n" + logTail());
            }
            // Polls a real condition (the realm answering); the wait between polls is not a test's passing time.
            process.waitFor(250, TimeUnit.MILLISECONDS);
        }
    }

    /** The last lines of Keycloak's log, for a failure message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log at " + log + ": " + e + ")";
        }
    }

    static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for ${" + m.group(1) + "} in the realm file");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.delete(p);
            }
        }
    }

    /** Stops Keycloak and every process it started: politely, then forcibly after 30 s. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        process = null;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already ending: the hook runs anyway and finds nothing left to stop.
        }
    }
}
