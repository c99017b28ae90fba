package io.github.sessiongate.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleLogger;

/**
 * Captures what slf4j-simple writes (to System.err) with the given loggers raised to TRACE, so a test
 * can prove that no token or secret is ever logged. Close it to restore levels and System.err.
 */
public final class LogCapture implements AutoCloseable {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream originalErr = System.err;
    private final List<Object[]> restore = new ArrayList<>();
    private final Field levelField;

    public LogCapture(Class<?>... loggers) throws ReflectiveOperationException {
        // slf4j-simple fixes a logger's level when it is created; raise it for this capture only.
        levelField = SimpleLogger.class.getDeclaredField("currentLogLevel");
        levelField.setAccessible(true);
        for (Class<?> c : loggers) {
            Object logger = LoggerFactory.getLogger(c);
            restore.add(new Object[] {logger, levelField.getInt(logger)});
            levelField.setInt(logger, org.slf4j.spi.LocationAwareLogger.TRACE_INT);
        }
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    /** Everything logged so far. */
    public String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws ReflectiveOperationException {
        System.setErr(originalErr);
        for (Object[] r : restore) {
            levelField.setInt(r[0], (Integer) r[1]);
        }
    }
}
