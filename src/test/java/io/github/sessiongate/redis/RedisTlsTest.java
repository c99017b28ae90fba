package io.github.sessiongate.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.StateStore.EntryClass;
import io.github.sessiongate.StateStore.WriteResult;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} against a real {@code redis-server --tls-port}, with a CA and server
 * certificates this test generates with the {@code openssl} command. Trusted through
 * {@code redis.tls-ca-file}, the store works; a certificate the store cannot trust, or one for
 * another host, fails start-up naming the parameter to fix (the documented choice: waiting would
 * not fix either, unlike a Redis that is down); a handshake cut short is an outage, not an error.
 */
class RedisTlsTest {
    private static final Duration TEST_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    static Path dir;
    private static RedisServer server;
    private static Path ca;

    @BeforeAll
    static void generateCertificatesAndStartRedis() throws Exception {
        assumeTrue(openssl("version") == 0 || "true".equals(System.getenv("CI")), "openssl not installed");
        ca = dir.resolve("ca.crt");
        check(openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", dir.resolve("ca.key").toString(), "-out", ca.toString(), "-days", "2",
                "-subj", "/CN=SessionGate test CA"));
        server = RedisServer.startTlsOrSkip(serverCertificate("server", "IP:127.0.0.1,DNS:localhost"));
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    /** A key and a certificate signed by the test CA, with these subject alternative names. */
    private static RedisServer.Tls serverCertificate(String name, String subjectAltNames) throws Exception {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, "subjectAltName=" + subjectAltNames + "\n");
        check(openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name));
        check(openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey",
                dir.resolve("ca.key").toString(), "-CAcreateserial", "-out", cert.toString(), "-days", "2",
                "-extfile", ext.toString()));
        return new RedisServer.Tls(cert, key, ca);
    }

    private static int openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return -1;
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static void check(int exit) {
        assertEquals(0, exit, "openssl failed");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void trustingTheCaFileTheStoreWorksOverTls() {
        assertTrue(server.url().startsWith("rediss://"));
        RedisStateStore store = new RedisStateStore();
        store.init(InitParams.resolve(Map.of("redis.url", server.url(), "redis.tls-ca-file", ca.toString(),
                "redis.connect-timeout", "1s", "redis.command-timeout", "1s")));
        try {
            assertEquals(WriteResult.STORED, store.put("k", bytes("v"), Duration.ofMinutes(1), EntryClass.SECURITY));
            assertArrayEquals(bytes("v"), store.get("k").orElseThrow());
        } finally {
            store.close();
        }
        try (RedisStateStore built = RedisStateStore.builder().url(server.url()).tlsCaFile(ca)
                .connectTimeout(TEST_TIMEOUT).commandTimeout(TEST_TIMEOUT).build()) {
            assertArrayEquals(bytes("v"), built.get("k").orElseThrow(), "the builder's store, the same server");
        }
    }

    @Test
    void withoutTheCaFileTheJvmTrustStoreRefusesTheCertificateAndStartUpFailsNamingTheParameter() {
        ConfigException e = assertThrows(ConfigException.class, () -> RedisStateStore.builder().url(server.url())
                .connectTimeout(TEST_TIMEOUT).commandTimeout(TEST_TIMEOUT).build());
        assertEquals("redis.tls-ca-file", e.parameter());
        assertTrue(e.getMessage().contains("trust store does not trust"), e.getMessage());
    }

    @Test
    void aCertificateForAnotherHostIsRefusedEvenFromTheTrustedCa() throws Exception {
        try (RedisServer other = RedisServer.startTlsOrSkip(serverCertificate("other", "DNS:other.example"))) {
            ConfigException e = assertThrows(ConfigException.class, () -> RedisStateStore.builder().url(other.url())
                    .tlsCaFile(ca).connectTimeout(TEST_TIMEOUT).commandTimeout(TEST_TIMEOUT).build());
            assertEquals("redis.url", e.parameter());
            assertTrue(e.getMessage().contains("certificate does not name"), e.getMessage());
        }
    }

    @Test
    void aHandshakeCutShortIsAnOutageNotAStartUpError() {
        try (RedisServer plain = RedisServer.startOrSkip(); LogCapture log = new LogCapture()) {
            String url = plain.url().replace("redis://", "rediss://"); // TLS to a port that speaks none
            try (RedisStateStore store = RedisStateStore.builder().url(url).tlsCaFile(ca).connectTimeout(TEST_TIMEOUT)
                    .commandTimeout(TEST_TIMEOUT).build()) {
                assertEquals(WriteResult.UNAVAILABLE, store.put("k", bytes("v"), Duration.ofMinutes(1), EntryClass.CACHE));
            }
            assertEquals(1, log.count("WARN", "did not answer at start-up"), log.text());
        }
    }

    @Test
    void aCaFileNeedsRedissAndACertificate() throws Exception {
        ConfigException plain = assertThrows(ConfigException.class, () -> RedisStateStore.builder()
                .url("redis://127.0.0.1:1").tlsCaFile(ca).build());
        assertEquals("redis.tls-ca-file", plain.parameter());
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        assertEquals("redis.tls-ca-file", assertThrows(ConfigException.class, () -> RedisStateStore.builder()
                .url("rediss://127.0.0.1:1").tlsCaFile(empty).build()).parameter());
        assertEquals("redis.tls-ca-file", assertThrows(ConfigException.class, () -> RedisStateStore.builder()
                .url("rediss://127.0.0.1:1").tlsCaFile(dir.resolve("missing.pem")).build()).parameter());
    }
}
