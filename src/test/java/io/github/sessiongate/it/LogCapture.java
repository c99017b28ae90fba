package io.github.sessiongate.it;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleLogger;
import org.slf4j.simple.SimpleLoggerFactory;

/**
 * Captures what the test JVM logs while a block runs: everything written to {@code System.err}
 * (where slf4j-simple writes, looking {@code System.err} up on every line unless
 * {@code cacheOutputStream} is set; Jetty logs through SLF4J too) and every java.util.logging
 * record (Tomcat's logging). Not for concurrent use: it swaps a JVM-wide stream.
 *
 * <p>SessionGate's loggers log at DEBUG meanwhile, so per-request lines are checked too: loggers
 * created later take {@link #DEBUG_PROPERTY}; ones that already exist (another test class ran
 * first) are raised for the block through slf4j-simple's fields, then restored.
 */
final class LogCapture {
    /** Set before the first SessionGate logger exists, so its DEBUG lines are captured too. */
    static final String DEBUG_PROPERTY = "org.slf4j.simpleLogger.log.io.github.sessiongate";

    interface Block {
        void run() throws Exception;
    }

    private LogCapture() {
    }

    /**
     * Sets {@link #DEBUG_PROPERTY} to {@code debug} unless it is set already. A scenario class calls
     * it from its static initialiser, before the first SessionGate logger is created, so that the
     * DEBUG lines are captured (and checked for tokens) too.
     */
    static void debugUnlessConfigured() {
        if (System.getProperty(DEBUG_PROPERTY) == null) {
            System.setProperty(DEBUG_PROPERTY, "debug");
        }
    }

    /** Runs the block and returns all log text it produced. */
    static String during(Block block) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StringBuilder jul = new StringBuilder();
        Handler handler = new Handler() {
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
        Map<SimpleLogger, Integer> raised = raiseToDebug("io.github.sessiongate");
        PrintStream original = System.err;
        Logger root = Logger.getLogger("");
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        root.addHandler(handler);
        try {
            block.run();
        } finally {
            root.removeHandler(handler);
            System.err.flush();
            System.setErr(original);
            restore(raised);
        }
        String captured;
        synchronized (jul) {
            captured = err.toString(StandardCharsets.UTF_8) + jul;
        }
        return captured;
    }

    /** Sets every existing slf4j-simple logger under the prefix to DEBUG; returns the old levels. */
    private static Map<SimpleLogger, Integer> raiseToDebug(String prefix) throws ReflectiveOperationException {
        Map<SimpleLogger, Integer> old = new HashMap<>();
        if (!(LoggerFactory.getILoggerFactory() instanceof SimpleLoggerFactory factory)) {
            return old;
        }
        Field loggers = SimpleLoggerFactory.class.getDeclaredField("loggerMap");
        loggers.setAccessible(true);
        Field level = level();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) loggers.get(factory)).entrySet()) {
            if (((String) e.getKey()).startsWith(prefix) && e.getValue() instanceof SimpleLogger logger) {
                int current = level.getInt(logger);
                if (current > org.slf4j.spi.LocationAwareLogger.DEBUG_INT) {
                    old.put(logger, current);
                    level.setInt(logger, org.slf4j.spi.LocationAwareLogger.DEBUG_INT);
                }
            }
        }
        return old;
    }

    private static void restore(Map<SimpleLogger, Integer> levels) throws ReflectiveOperationException {
        Field level = level();
        for (Map.Entry<SimpleLogger, Integer> e : levels.entrySet()) {
            level.setInt(e.getKey(), e.getValue());
        }
    }

    private static Field level() throws NoSuchFieldException {
        Field level = SimpleLogger.class.getDeclaredField("currentLogLevel");
        level.setAccessible(true);
        return level;
    }
}
