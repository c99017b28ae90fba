package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.GateConfigTest;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/** Without an SLF4J provider the filter says so once through the container's log, naming the artifact to add. */
class NoSlf4jProviderTest {

    @Test
    void theNoOpFactorySaysSoOnceThroughTheContainersLogNamingFilterAndArtifact() {
        ServletContext context = mock(ServletContext.class);
        assertTrue(Slf4jProviderCheck.report(new NOPLoggerFactory(), context, "gate"));
        String expected = "SessionGate gate: no SLF4J provider in this webapp, so SessionGate's start-up summary and"
                + " audit log are discarded. Add an SLF4J 2 provider to WEB-INF/lib, e.g. org.slf4j:slf4j-jdk14"
                + " (logs through the container's java.util.logging)";
        verify(context).log(expected);
        assertEquals(expected, Slf4jProviderCheck.message("gate"));
    }

    @Test
    void aRealProviderSaysNothing() {
        ServletContext context = mock(ServletContext.class);
        assertFalse(Slf4jProviderCheck.discards(LoggerFactory.getILoggerFactory()), "the tests log through slf4j-simple");
        assertFalse(Slf4jProviderCheck.report(LoggerFactory.getILoggerFactory(), context, "gate"));
        verify(context, never()).log(anyString());
    }

    @Test
    void noContextNoMessageAndNoFailure() {
        assertFalse(Slf4jProviderCheck.report(new NOPLoggerFactory(), null, "sessiongate"));
    }

    @Test
    void aFilterStartedInAContainerWithAProviderWritesNothingToTheContainersLog() throws Exception {
        ServletContext context = mock(ServletContext.class);
        when(context.getContextPath()).thenReturn("");
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("gate");
        when(config.getServletContext()).thenReturn(context);
        when(config.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
        try (FilterEngine engine = FilterEngine.start(minimalConfig(), config)) {
            verify(context, never()).log(anyString());
        }
    }

    @Test
    void aFilterStartedFromCodeWithoutAServletContextStillServes() throws Exception {
        try (FilterEngine engine = FilterEngine.start(minimalConfig(), null)) {
            InMemoryResponse out = new InMemoryResponse();
            AtomicInteger chained = new AtomicInteger();
            engine.handle(InMemoryRequest.get("/public/page").build(), out.servlet(), (rq, rs) -> chained.incrementAndGet());
            assertEquals(1, chained.get(), "a public path reaches the application");
            InMemoryResponse refused = new InMemoryResponse();
            engine.handle(InMemoryRequest.get("/app/x").build(), refused.servlet(), (rq, rs) -> chained.incrementAndGet());
            assertEquals(401, refused.status(), "a protected path without a session is refused");
            assertEquals(1, chained.get());
        }
    }

    private static GateConfig minimalConfig() {
        return GateConfig.builder().validator(new GateConfigTest.RecordingValidator())
                .protectedPaths("/app/**").publicPaths("/public/**").build();
    }
}
