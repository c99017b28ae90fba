package io.github.sessiongate.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A filter's one outbound HTTP transport: one {@link HttpClient} with one executor of daemon
 * threads named {@code sessiongate-http-N}, shared by every component that calls a backend
 * (validation, introspection, refresh, login, revoke, guests, the application's
 * {@code BackendClient}). Not for application code.
 *
 * <p>Whoever {@linkplain #create creates} a transport closes it; the users it is handed to never
 * do. {@link #close()} stops the JDK's selector thread at once on Java 21 and later
 * ({@code HttpClient.shutdownNow}, found reflectively) and stops the executor's threads, waiting a
 * bounded time for both. On Java 17 the selector thread has no stop method: it ends by itself once
 * the client is unreachable, and since the client is built with no context class loader it pins
 * no web application's class loader meanwhile.
 *
 * <p>Requests set their own timeouts ({@link java.net.http.HttpRequest.Builder#timeout}); the
 * connect timeout is the client's, one per transport. Redirects are never followed. Thread-safe.
 */
public final class HttpTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

    /** Prefix of every thread a transport's executor starts. */
    public static final String THREAD_PREFIX = "sessiongate-http-";
    /** How long {@link #close()} waits for the threads to end. */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Duration connectTimeout;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile HttpClient client;

    private HttpTransport(Duration connectTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, THREAD_PREFIX + THREADS.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(null);
            return t;
        });
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(null); // the selector thread inherits it: pin no webapp loader
        try {
            this.client = HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(executor)
                    .build();
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    /** A new transport; the caller owns it and must {@link #close()} it. */
    public static HttpTransport create(Duration connectTimeout) {
        return new HttpTransport(connectTimeout);
    }

    /** The connect timeout every request through this transport gets. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The client.
     *
     * @throws IllegalStateException once {@link #close()} has run
     */
    public HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            throw new IllegalStateException("SessionGate HTTP transport closed");
        }
        return c;
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Stops the client and its threads, waiting at most a few seconds. Calls in flight fail. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        HttpClient c = client;
        client = null;
        boolean stopped = shutdownNowIfSupported(c);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("SessionGate HTTP threads did not stop within {}", STOP_WAIT);
            }
            if (stopped) {
                awaitTerminationIfSupported(c);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Java 21+: {@code HttpClient.shutdownNow()}; false on Java 17-20, which lack it. */
    private static boolean shutdownNowIfSupported(HttpClient c) {
        try {
            HttpClient.class.getMethod("shutdownNow").invoke(c);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("HttpClient.shutdownNow failed: {}", e.toString());
            return false;
        }
    }

    /** Java 21+: {@code HttpClient.awaitTermination(Duration)}, bounded. */
    private static void awaitTerminationIfSupported(HttpClient c) throws InterruptedException {
        try {
            Object done = HttpClient.class.getMethod("awaitTermination", Duration.class).invoke(c, STOP_WAIT);
            if (Boolean.FALSE.equals(done)) {
                LOG.warn("SessionGate HTTP client did not stop within {}", STOP_WAIT);
            }
        } catch (NoSuchMethodException e) {
            // Java 17-20
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof InterruptedException ie) {
                throw ie;
            }
            LOG.debug("HttpClient.awaitTermination failed: {}", e.getCause() == null ? e.toString() : e.getCause().toString());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("HttpClient.awaitTermination failed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "HttpTransport[connectTimeout=" + connectTimeout + (closed.get() ? ", closed" : "") + "]";
    }
}
