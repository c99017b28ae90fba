package io.github.sessiongate.engine;

import jakarta.servlet.ServletContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Says through the container's own log when SLF4J discards everything the filter logs. slf4j-api 2
 * without a provider in the webapp (a stock Tomcat WAR) falls back to its no-op logger factory,
 * {@link NOPLoggerFactory}, and prints one line to standard error that few operators see; the
 * start-up summary and the whole audit log then vanish. The factory is passed in, so a test can
 * show both outcomes whatever provider its own class path has. Stateless.
 */
final class Slf4jProviderCheck {
    /** The provider the message suggests: it logs through the container's java.util.logging. */
    static final String SUGGESTED_PROVIDER = "org.slf4j:slf4j-jdk14";

    private Slf4jProviderCheck() {
    }

    /** Whether this logger factory discards every line: slf4j-api 2's fallback without a provider, or slf4j-nop. */
    static boolean discards(ILoggerFactory factory) {
        return factory instanceof NOPLoggerFactory;
    }

    /** The line for the container's log, naming the filter and the artifact to add. */
    static String message(String filterName) {
        return "SessionGate " + filterName + ": no SLF4J provider in this webapp, so SessionGate's start-up summary"
                + " and audit log are discarded. Add an SLF4J 2 provider to WEB-INF/lib, e.g. " + SUGGESTED_PROVIDER
                + " (logs through the container's java.util.logging)";
    }

    /**
     * Logs {@link #message} once through {@code context} when {@code factory} discards; nothing
     * without a context (a filter started from code has no container log to write to).
     *
     * @return whether the message was written
     */
    static boolean report(ILoggerFactory factory, ServletContext context, String filterName) {
        if (context == null || !discards(factory)) {
            return false;
        }
        context.log(message(filterName));
        return true;
    }
}
