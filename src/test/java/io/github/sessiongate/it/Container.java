package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One real servlet container, started once per test class on 127.0.0.1 with an ephemeral port,
 * serving exploded webapps whose {@code WEB-INF/web.xml} configures the filter exactly as a user
 * would. Implementations load every webapp class parent-first from the test class path, so the
 * filter under test and the test servlets are the classes Maven just compiled. Closing it stops it.
 */
interface Container extends AutoCloseable {

    /** An exploded webapp directory served at a context path ({@code ""} for the root context). */
    record Webapp(String contextPath, Path dir) {
        /** The test webapp {@code src/test/webapps/<name>} served at {@code contextPath}. */
        static Webapp of(String contextPath, String name) {
            return new Webapp(contextPath, Path.of(System.getProperty("basedir", "."), "src", "test", "webapps", name));
        }
    }

    /** Short name for messages, e.g. {@code "jetty"}. */
    String name();

    /**
     * Starts the container with the webapps and returns its base URI, {@code http://127.0.0.1:port}.
     * A webapp whose start-up fails (say, a filter refusing its web.xml) does not fail the call:
     * it is left unavailable, and {@link #startupFailure} tells why.
     */
    URI start(List<Webapp> webapps) throws Exception;

    /** The text of the errors that stopped a webapp from starting, if it did not start. */
    Optional<String> startupFailure(String contextPath);

    /**
     * Starts the container as {@link #start} does, and fails the test naming the first webapp that
     * did not start, with its errors.
     */
    default URI startServing(List<Webapp> webapps) throws Exception {
        URI base = start(webapps);
        for (Webapp webapp : webapps) {
            Optional<String> failure = startupFailure(webapp.contextPath());
            if (failure.isPresent()) {
                fail("'" + webapp.contextPath() + "' did not start on " + name() + ":\n" + failure.get());
            }
        }
        return base;
    }

    /** Stops the container; safe to call when it never started. */
    void stop() throws Exception;

    /** {@link #stop()}. */
    @Override
    default void close() throws Exception {
        stop();
    }
}
