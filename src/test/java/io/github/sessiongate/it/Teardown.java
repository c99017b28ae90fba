package io.github.sessiongate.it;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a scenario class started (container, backends, system properties, files), closed in
 * reverse order by its {@code @AfterAll}: every close runs even when an earlier one fails, and the
 * first failure is thrown with the later ones suppressed.
 */
final class Teardown implements AutoCloseable {
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** Registers {@code resource} to be closed before everything registered earlier; returns it. */
    <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
