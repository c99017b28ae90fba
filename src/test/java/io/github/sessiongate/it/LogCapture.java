package io.github.sessiongate.it;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the test JVM logs while a block runs: everything written to {@code System.err}
 * (where slf4j-simple writes, looking {@code System.err} up on every line unless
 * {@code cacheOutputStream} is set; Jetty logs through SLF4J too) and every java.util.logging
 * record (Tomcat's logging). Not for concurrent use: it swaps a JVM-wide stream.
 */
final class LogCapture {
    /** Set before the first SessionGate logger exists, so its DEBUG lines are captured too. */
    static final String DEBUG_PROPERTY = "org.slf4j.simpleLogger.log.io.github.sessiongate";

    interface Block {
        void run() throws Exception;
    }

    private LogCapture() {
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
        }
        String captured;
        synchronized (jul) {
            captured = err.toString(StandardCharsets.UTF_8) + jul;
        }
        return captured;
    }
}
