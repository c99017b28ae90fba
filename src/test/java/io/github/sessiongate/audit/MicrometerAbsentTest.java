package io.github.sessiongate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.testing.HidingClassLoader;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An application without Micrometer: the filter starts and serves with {@code metrics.micrometer}
 * at its default, never loading the package that imports Micrometer; {@code on} fails start-up
 * naming the artifact to add. Simulated with a class loader that hides {@code io.micrometer.*} and
 * defines SessionGate's own classes itself (as the Redis client's absence is tested); and no class
 * outside {@code audit.micrometer} refers to a Micrometer type.
 */
class MicrometerAbsentTest {

    /** Hides Micrometer; loads io.github.sessiongate.* afresh so they link against nothing else. */
    private static HidingClassLoader withoutMicrometer() {
        return new HidingClassLoader(MicrometerAbsentTest.class.getClassLoader(), "io.micrometer.", "io.github.sessiongate.");
    }

    @Test
    void theFilterStartsAndServesWithoutMicrometer() throws Exception {
        HidingClassLoader loader = withoutMicrometer();
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.micrometer.core.instrument.MeterRegistry", false, loader));
        try (MetricsFlows flows = new MetricsFlows()) {
            Class<?> type = Class.forName(SessionFilter.class.getName(), true, loader);
            assertNotSame(SessionFilter.class, type, "the filter under test is the copy that cannot see Micrometer");
            Filter filter = (Filter) type.getConstructor().newInstance();
            initAs(loader, filter, flows);
            try {
                InMemoryResponse login = new InMemoryResponse();
                filter.doFilter(InMemoryRequest.post("/auth/login").header("Origin", MetricsFlows.ORIGIN)
                        .body("application/x-www-form-urlencoded", "username=alice&password=alice-password").build(),
                        login.servlet(), (req, res) -> { });
                assertTrue(login.status() < 400, login.status() + ": " + login.body());
                InMemoryResponse page = new InMemoryResponse();
                filter.doFilter(InMemoryRequest.get("/app/page").build(), page.servlet(), (req, res) -> { });
                assertEquals(401, page.status());
            } finally {
                filter.destroy();
            }
        }
        assertTrue(loader.defined().contains("io.github.sessiongate.engine.MicrometerChoice"), "the choice was made: " + loader.defined().size());
        assertTrue(loader.defined().stream().noneMatch(n -> n.startsWith("io.github.sessiongate.audit.micrometer.")),
                "the Micrometer package is never loaded without Micrometer");
    }

    @Test
    void onWithoutMicrometerFailsStartUpNamingTheArtifact() throws Exception {
        HidingClassLoader loader = withoutMicrometer();
        try (MetricsFlows flows = new MetricsFlows()) {
            flows.params.put("metrics.micrometer", "on");
            Filter filter = (Filter) Class.forName(SessionFilter.class.getName(), true, loader).getConstructor().newInstance();
            ServletException e = assertThrows(ServletException.class, () -> initAs(loader, filter, flows));
            assertTrue(e.getMessage().contains("metrics.micrometer"), e.getMessage());
            assertTrue(e.getMessage().contains("io.micrometer:micrometer-core"), e.getMessage());
        }
    }

    @Test
    void onlyTheMicrometerPackageRefersToMicrometer() throws IOException {
        Path classes = Path.of(SessionFilter.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<Path> referring;
        try (Stream<Path> all = Files.walk(classes)) {
            referring = all.filter(p -> p.toString().endsWith(".class")).filter(MicrometerAbsentTest::refersToMicrometer).toList();
        }
        assertTrue(referring.stream().anyMatch(p -> p.toString().contains("audit/micrometer/")), "the scan sees the package: " + classes);
        // Besides that package, only the Spring auto-configuration's @ConditionalOnClass part,
        // which Spring loads only when Micrometer is there (and no non-Spring user ever loads).
        List<String> outside = referring.stream().map(p -> classes.relativize(p).toString().replace('\\', '/'))
                .filter(n -> !n.startsWith("io/github/sessiongate/audit/micrometer/"))
                .filter(n -> !n.equals("io/github/sessiongate/spring/SessionGateAutoConfiguration$Micrometer.class"))
                .toList();
        assertEquals(List.of(), outside, "outside the package");
    }

    /** Starts the filter as a container does: with the web application's loader as the thread's context loader. */
    private static void initAs(ClassLoader webapp, Filter filter, MetricsFlows flows) throws ServletException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(webapp);
        try {
            filter.init(flows.filterConfig());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Whether the class file's constant pool names a Micrometer type (internal names use slashes). */
    private static boolean refersToMicrometer(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("io/micrometer/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
