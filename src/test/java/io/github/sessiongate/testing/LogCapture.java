package io.github.sessiongate.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * <p>The test JVM's console is quiet (the pom sets SessionGate's loggers to
 * {@code -Dsessiongate.test.log}, default WARN, and the rest to WARN), yet a capture sees what
 * slf4j-simple's own default shows: while it is open every existing logger, and every SessionGate
 * logger created meanwhile, logs at INFO at least; on close each gets its console level back.
 * {@link #LogCapture(Class...)} raises the named classes' loggers to TRACE; {@link #during(Block)}
 * raises every SessionGate logger to DEBUG, so per-request lines are checked too.
 */
public final class LogCapture implements AutoCloseable {
    /** slf4j-simple's level for every SessionGate logger without a level of its own. */
    public static final String DEBUG_PROPERTY = "org.slf4j.simpleLogger.log.io.github.sessiongate";
    private static final String SESSIONGATE = "io.github.sessiongate";

    /** A block of test code that may throw. */
    public interface Block {
        void run() throws Exception;
    }

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final StringBuilder jul = new StringBuilder();
    private final PrintStream originalErr = System.err;
    private final Map<SimpleLogger, Integer> raised = new LinkedHashMap<>();
    /** The loggers that existed when the capture opened; the others get their console level back at close. */
    private final Set<String> existing;
    private final String propertyBefore;
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
        this(LocationAwareLogger.INFO_INT, traced);
    }

    /** Starts capturing with every SessionGate logger at {@code floor} at least. */
    private LogCapture(int floor, Class<?>... traced) {
        existing = Set.copyOf(loggers().keySet());
        propertyBefore = System.getProperty(DEBUG_PROPERTY);
        if (propertyBefore == null || levelOf(propertyBefore) > floor) {
            System.setProperty(DEBUG_PROPERTY, floor == LocationAwareLogger.DEBUG_INT ? "debug" : "info");
        }
        raiseExisting("", LocationAwareLogger.INFO_INT);
        raiseExisting(SESSIONGATE, floor);
        for (Class<?> type : traced) {
            if (LoggerFactory.getLogger(type) instanceof SimpleLogger logger) {
                raise(logger, LocationAwareLogger.TRACE_INT);
            }
        }
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Logger.getLogger("").addHandler(handler);
    }


    /**
     * Runs the block with every SessionGate logger at DEBUG at least (those created meanwhile too)
     * and returns all log text it produced.
     */
    public static String during(Block block) throws Exception {
        LogCapture capture = new LogCapture(LocationAwareLogger.DEBUG_INT);
        try {
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
        if (propertyBefore == null) {
            System.clearProperty(DEBUG_PROPERTY);
        } else {
            System.setProperty(DEBUG_PROPERTY, propertyBefore);
        }
        try {
            for (Map.Entry<String, ?> e : loggers().entrySet()) {
                if (!existing.contains(e.getKey()) && e.getValue() instanceof SimpleLogger logger) {
                    level.setInt(logger, consoleLevel(e.getKey()));
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lowers every existing slf4j-simple logger under the prefix to {@code to} if it logs less. */
    private void raiseExisting(String prefix, int to) {
        try {
            for (Map.Entry<String, ?> e : loggers().entrySet()) {
                if (e.getKey().startsWith(prefix) && e.getValue() instanceof SimpleLogger logger
                        && levelField().getInt(logger) > to) {
                    raise(logger, to);
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** slf4j-simple's loggers by name; empty under another SLF4J provider. */
    @SuppressWarnings("unchecked")
    private static Map<String, ?> loggers() {
        if (!(LoggerFactory.getILoggerFactory() instanceof SimpleLoggerFactory factory)) {
            return Map.of();
        }
        try {
            Field loggers = SimpleLoggerFactory.class.getDeclaredField("loggerMap");
            loggers.setAccessible(true);
            return (Map<String, ?>) loggers.get(factory);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The level a logger of this name gets from the system properties now (a fresh logger's level). */
    private static int consoleLevel(String name) throws ReflectiveOperationException {
        Constructor<SimpleLogger> fresh = SimpleLogger.class.getDeclaredConstructor(String.class);
        fresh.setAccessible(true);
        return levelField().getInt(fresh.newInstance(name));
    }

    /** slf4j-simple's number for a level name ({@code debug}, {@code info}, ...); unknown names log INFO. */
    private static int levelOf(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "trace" -> LocationAwareLogger.TRACE_INT;
            case "debug" -> LocationAwareLogger.DEBUG_INT;
            case "warn" -> LocationAwareLogger.WARN_INT;
            case "error" -> LocationAwareLogger.ERROR_INT;
            case "off" -> LocationAwareLogger.ERROR_INT + 10;
            default -> LocationAwareLogger.INFO_INT;
        };
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
