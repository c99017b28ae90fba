package io.github.sessiongate.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleLogger;
import org.slf4j.simple.SimpleLoggerFactory;
import org.slf4j.spi.LocationAwareLogger;

/**
 * Captures what the test JVM logs while open, so a test can prove that no token or secret is ever
 * logged: everything written to {@code System.err} (where slf4j-simple writes, looking
 * {@code System.err} up on every line; Jetty logs through SLF4J too) and every java.util.logging
 * record (Tomcat's logging). Close it to restore the levels, {@code System.err} and the handlers.
 * The one log-capture helper of every package. Not for concurrent use: it swaps a JVM-wide stream
 * (tests run one at a time).
 *
 * <p>{@link #LogCapture(Class...)} raises the named classes' loggers to TRACE;
 * {@link #during(Block)} raises every existing SessionGate logger to DEBUG, so per-request lines
 * are checked too.
 */
public final class LogCapture implements AutoCloseable {
    /** Set before the first SessionGate logger exists, so its DEBUG lines are captured too. */
    public static final String DEBUG_PROPERTY = "org.slf4j.simpleLogger.log.io.github.sessiongate";

    /** A block of test code that may throw. */
    public interface Block {
        void run() throws Exception;
    }

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final StringBuilder jul = new StringBuilder();
    private final PrintStream originalErr = System.err;
    private final Map<SimpleLogger, Integer> raised = new LinkedHashMap<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (jul) {
                jul.append(record.getLevel()).append(' ').append(record.getLoggerName()).append(" - ")
                        .append(record.getMessage());
                if (record.getParameters() != null) {
                    for (Object p : record.getParameters()) {
                        jul.append(" | ").append(p);
                    }
                }
                jul.append('\n');
                if (record.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    record.getThrown().printStackTrace(new PrintWriter(trace));
                    jul.append(trace);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Starts capturing, with the loggers of {@code traced} at TRACE until closed. */
    public LogCapture(Class<?>... traced) {
        for (Class<?> type : traced) {
            if (LoggerFactory.getLogger(type) instanceof SimpleLogger logger) {
                raise(logger, LocationAwareLogger.TRACE_INT);
            }
        }
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Logger.getLogger("").addHandler(handler);
    }

    /**
     * Sets {@link #DEBUG_PROPERTY} to {@code debug} unless it is set already. A scenario class calls
     * it from its static initialiser, before the first SessionGate logger is created, so that the
     * DEBUG lines are captured (and checked for tokens) too.
     */
    public static void debugUnlessConfigured() {
        if (System.getProperty(DEBUG_PROPERTY) == null) {
            System.setProperty(DEBUG_PROPERTY, "debug");
        }
    }

    /**
     * Runs the block with every existing SessionGate logger at DEBUG at least (loggers created
     * later take {@link #DEBUG_PROPERTY}) and returns all log text it produced.
     */
    public static String during(Block block) throws Exception {
        LogCapture capture = new LogCapture();
        try {
            capture.raiseExisting("io.github.sessiongate", LocationAwareLogger.DEBUG_INT);
            block.run();
        } finally {
            capture.close();
        }
        return capture.text();
    }

    /** Everything logged so far. */
    public String text() {
        synchronized (jul) {
            return captured.toString(StandardCharsets.UTF_8) + jul;
        }
    }

    /** Lines logged at this level (e.g. "WARN") that contain the text. */
    public long count(String level, String containing) {
        return text().lines().filter(l -> l.contains(" " + level + " ") && l.contains(containing)).count();
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
        System.err.flush();
        System.setErr(originalErr);
        Field level = levelField();
        try {
            for (Map.Entry<SimpleLogger, Integer> e : raised.entrySet()) {
                level.setInt(e.getKey(), e.getValue());
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        raised.clear();
    }

    /** Lowers every existing slf4j-simple logger under the prefix to {@code to} if it logs less. */
    private void raiseExisting(String prefix, int to) throws ReflectiveOperationException {
        if (!(LoggerFactory.getILoggerFactory() instanceof SimpleLoggerFactory factory)) {
            return;
        }
        Field loggers = SimpleLoggerFactory.class.getDeclaredField("loggerMap");
        loggers.setAccessible(true);
        for (Map.Entry<?, ?> e : ((Map<?, ?>) loggers.get(factory)).entrySet()) {
            if (((String) e.getKey()).startsWith(prefix) && e.getValue() instanceof SimpleLogger logger
                    && levelField().getInt(logger) > to) {
                raise(logger, to);
            }
        }
    }

    /** slf4j-simple fixes a logger's level when it is created; this sets it for the capture only. */
    private void raise(SimpleLogger logger, int to) {
        try {
            Field level = levelField();
            raised.putIfAbsent(logger, level.getInt(logger));
            level.setInt(logger, to);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field levelField() {
        try {
            Field level = SimpleLogger.class.getDeclaredField("currentLogLevel");
            level.setAccessible(true);
            return level;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
