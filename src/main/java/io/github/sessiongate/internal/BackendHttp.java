package io.github.sessiongate.internal;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.InitParams;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A component's way to its backend: the filter's shared {@link HttpTransport} with this purpose's
 * timeouts, or a transport of its own when used standalone (then {@link #close()} closes it).
 *
 * <p>Each exchange is bounded as a whole: {@code backend-connect-timeout} for the connection (the
 * transport's), {@code backend-read-timeout} for the answer's headers
 * ({@link HttpRequest.Builder#timeout}), and both together for the whole exchange including the
 * body, which is also capped at {@link #MAX_RESPONSE_BYTES}. Redirects are not followed. Failures
 * become {@link Unreachable} with a fixed, token-free cause.
 *
 * <p>Thread-safe.
 */
public final class BackendHttp implements AutoCloseable {
    /** Largest answer body read; a longer one counts as unreachable. */
    public static final int MAX_RESPONSE_BYTES = 256 * 1024;

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final HttpTransport transport;
    private final boolean ownsTransport;
    private volatile boolean closed;

    /** An answer: status, headers and the body as UTF-8 text. */
    public record Response(int status, HttpHeaders headers, String body) {
        @Override
        public String toString() {
            return "Response[" + status + ", " + body.length() + " chars]"; // the body may hold tokens
        }
    }

    /** No answer: the cause is fixed text (never a token, never an exception message). */
    public static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreachable(String cause) {
            super(cause, null, false, false);
        }
    }

    /** Over a transport of its own, closed by {@link #close()}. */
    public BackendHttp(Duration connectTimeout, Duration readTimeout) {
        this(HttpTransport.create(connectTimeout), true, readTimeout);
    }

    private BackendHttp(HttpTransport transport, boolean ownsTransport, Duration readTimeout) {
        this.transport = transport;
        this.ownsTransport = ownsTransport;
        this.connectTimeout = transport.connectTimeout();
        this.readTimeout = readTimeout;
    }

    /**
     * Reads {@code backend-read-timeout}, and uses the filter's transport if the parameters carry
     * one ({@link InitParams#attached}); otherwise builds its own from
     * {@code backend-connect-timeout}, closed by {@link #close()}.
     */
    public static BackendHttp fromParams(InitParams params) {
        return over(params.attached(HttpTransport.class).orElse(null), connectTimeout(params), readTimeout(params));
    }

    /**
     * Over {@code shared} (not closed by {@link #close()}), or, when it is {@code null}, over a
     * transport of its own with {@code connect} (closed by {@link #close()}).
     */
    public static BackendHttp over(HttpTransport shared, Duration connect, Duration read) {
        return shared != null ? new BackendHttp(shared, false, read) : new BackendHttp(connect, read);
    }

    /** {@code backend-read-timeout}: each request's timeout for the answer's headers. */
    public static Duration readTimeout(InitParams params) {
        return Bounds.duration(params, GateConfig.PARAM_BACKEND_READ_TIMEOUT)
                .map(d -> checkTimeout(GateConfig.PARAM_BACKEND_READ_TIMEOUT, d))
                .orElse(GateConfig.DEFAULT_BACKEND_READ_TIMEOUT);
    }

    /** {@code backend-connect-timeout}: the connect timeout of the filter's one transport. */
    public static Duration connectTimeout(InitParams params) {
        return Bounds.duration(params, GateConfig.PARAM_BACKEND_CONNECT_TIMEOUT)
                .map(d -> checkTimeout(GateConfig.PARAM_BACKEND_CONNECT_TIMEOUT, d))
                .orElse(GateConfig.DEFAULT_BACKEND_CONNECT_TIMEOUT);
    }

    /** The one bound of both backend timeouts, for the builders and the init-params alike. */
    public static Duration checkTimeout(String parameter, Duration timeout) {
        return Bounds.duration(parameter, timeout, GateConfig.MIN_BACKEND_TIMEOUT, GateConfig.MAX_BACKEND_TIMEOUT);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /** A request to {@code uri} with the read timeout set; HTTP/1.1 for plain http (no h2c upgrade). */
    public HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(readTimeout)
                .header("Accept", "application/json");
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1);
        }
        return b;
    }

    /** Sends and waits, at most connect + read timeout in all. */
    public Response send(HttpRequest request) throws Unreachable {
        HttpClient c;
        try {
            c = closed ? null : transport.client();
        } catch (IllegalStateException e) {
            c = null;
        }
        if (c == null) {
            throw new Unreachable("closed");
        }
        CompletableFuture<HttpResponse<String>> future;
        try {
            future = c.sendAsync(request, info -> HttpResponse.BodySubscribers.mapping(
                    CappedBody.subscriber(MAX_RESPONSE_BYTES), body -> new String(body, StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            throw new Unreachable("request rejected (" + e.getClass().getSimpleName() + ")");
        }
        try {
            HttpResponse<String> response = future.get(connectTimeout.plus(readTimeout).toMillis(), TimeUnit.MILLISECONDS);
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new Unreachable("timed out");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        } catch (CancellationException e) {
            throw new Unreachable("cancelled");
        } catch (ExecutionException e) {
            throw new Unreachable(describe(e.getCause()));
        }
    }

    private static String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "connect timed out";
            }
            if (t instanceof HttpTimeoutException) {
                return "timed out";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof CappedBody.TooLarge) {
                return "answer larger than " + MAX_RESPONSE_BYTES + " bytes";
            }
        }
        return "I/O error (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")";
    }

    /** Later sends are {@link Unreachable}; a transport of its own is closed, a shared one is not. */
    @Override
    public void close() {
        closed = true;
        if (ownsTransport) {
            transport.close();
        }
    }

    /**
     * Checks a backend URL as {@link BackendUrls#check} does: absolute http(s) with a host, no user
     * info or fragment, https unless the host is loopback (tests, sidecars).
     */
    public static URI checkUrl(String parameter, String value) {
        return BackendUrls.check(parameter, value, "tokens and client secrets sent over plain http can be read in transit");
    }

    /** scheme://host:port/path, for a log line: without user info, nor a query that might carry a key. */
    public static String withoutQuery(URI uri) {
        String authority = uri.getRawAuthority();
        if (authority != null && authority.lastIndexOf('@') >= 0) {
            authority = authority.substring(authority.lastIndexOf('@') + 1);
        }
        return uri.getScheme() + "://" + authority + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
