package io.github.sessiongate.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleLogger;
import org.slf4j.spi.LocationAwareLogger;

/**
 * Captures what slf4j-simple writes (to System.err) while open, with the given loggers raised to
 * TRACE, so a test can prove that no token or secret is ever logged. Close it to restore the
 * levels and System.err. Tests run one at a time, so swapping System.err is safe.
 */
public final class LogCapture implements AutoCloseable {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream originalErr = System.err;
    private final List<Object> loggers = new ArrayList<>();
    private final List<Integer> levels = new ArrayList<>();
    private final Field levelField;

    public LogCapture(Class<?>... traced) {
        try {
            // slf4j-simple fixes a logger's level when it is created; raise it for this capture only.
            levelField = SimpleLogger.class.getDeclaredField("currentLogLevel");
            levelField.setAccessible(true);
            for (Class<?> type : traced) {
                Object logger = LoggerFactory.getLogger(type);
                loggers.add(logger);
                levels.add(levelField.getInt(logger));
                levelField.setInt(logger, LocationAwareLogger.TRACE_INT);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    /** Everything logged so far. */
    public String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Lines logged at this level (e.g. "WARN") that contain the text. */
    public long count(String level, String containing) {
        return text().lines().filter(l -> l.contains(" " + level + " ") && l.contains(containing)).count();
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(originalErr);
        try {
            for (int i = 0; i < loggers.size(); i++) {
                levelField.setInt(loggers.get(i), levels.get(i));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
