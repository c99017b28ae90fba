package io.github.sessiongate.engine;

import io.github.sessiongate.internal.HttpTransport;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * The outbound HTTP transport an API component sends over: the filter's one transport (which the
 * filter's composition root closes, so {@link #close()} leaves it running), or one of the
 * component's own (closed by {@link #close()}). Lets the API's {@code BackendClient} hold a
 * transport without naming the engine's transport type.
 */
public final class Outbound implements AutoCloseable {
    private final HttpTransport transport;
    private final boolean owned;

    private Outbound(HttpTransport transport, boolean owned) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.owned = owned;
    }

    /** A transport of its own (daemon threads {@code sessiongate-http-N}), stopped by {@link #close()}. */
    public static Outbound own(Duration connectTimeout) {
        return new Outbound(HttpTransport.create(connectTimeout), true);
    }

    /** The filter's transport: {@link #close()} leaves it to the composition root. */
    static Outbound shared(HttpTransport transport) {
        return new Outbound(transport, false);
    }

    /**
     * The client to send with.
     *
     * @throws IllegalStateException once the transport is closed
     */
    public HttpClient client() {
        return transport.client();
    }

    /** Stops the transport if it is this one's own; the filter's stays for the filter to close. */
    @Override
    public void close() {
        if (owned) {
            transport.close();
        }
    }
}
