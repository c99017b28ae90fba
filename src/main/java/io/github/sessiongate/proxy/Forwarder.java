package io.github.sessiongate.proxy;

import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.ProxyRoute;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.audit.JmxRegistration;
import io.github.sessiongate.audit.RouteMetrics;
import io.github.sessiongate.internal.HttpTransport;
import io.github.sessiongate.web.Answers;
import io.github.sessiongate.web.RequestOrigin;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards the requests of one {@link ProxyRoute} to its backend and relays the answers, streamed
 * both ways: the request body is read as the backend consumes it (with a known length sent as
 * {@code Content-Length}, else chunked) and cut off past the route's cap (413); the answer is
 * copied with a small buffer and flushed after every read, so server-sent events arrive as sent.
 *
 * <p><b>Threads.</b> A forward first takes a permit of the route's bulkhead ({@link RouteThreads};
 * none free: 503 at once). Where the request supports the servlet async API the forward runs on
 * one of the route's own threads and the container's request thread returns at once
 * ({@code startAsync}, no container timeout: the route's timeout bounds the wait for the backend's
 * headers, and the body streams for as long as both sides keep it open); otherwise it runs on the
 * request thread under the same bulkhead. Either way at most {@code max-concurrency} forwards of a
 * route are in flight, and a slow backend holds no more threads than that.
 *
 * <p><b>Failures</b> answer with the filter's small JSON bodies, never a stack trace and never a
 * cookie change: 502 (connection refused, unknown host, a broken answer), 504 (no status and
 * headers within the route's timeout), 503 (bulkhead full). Each refusal and failure is counted
 * ({@link RouteMetrics}) and audited ({@link Event#PROXY_REFUSED}, {@link Event#PROXY_FAILED})
 * with the token's fingerprint only. Thread-safe.
 */
public final class Forwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    private static final int BUFFER = 8192;

    private final ProxyRoute route;
    private final RouteThreads threads;
    private final RouteMetrics metrics;
    private final JmxRegistration jmx;
    private final HttpTransport transport;
    private final AuditLog audit;
    /** The route's prefix as the browser sees it: context path + prefix. */
    private final String localPrefix;
    private final String challenge;
    private final int retryAfterSeconds;

    Forwarder(ProxyRoute route, RouteThreads threads, HttpTransport transport, AuditLog audit, String contextPath,
            String filterName, String challenge, int retryAfterSeconds) {
        this.route = route;
        this.threads = threads;
        this.transport = transport;
        this.audit = audit;
        this.localPrefix = contextPath + route.prefix();
        this.challenge = challenge;
        this.retryAfterSeconds = retryAfterSeconds;
        this.metrics = new RouteMetrics(threads::inFlight);
        this.jmx = JmxRegistration.registerRoute(metrics, contextPath, filterName, route.name());
    }

    public ProxyRoute route() {
        return route;
    }

    /** The route's counters. */
    public RouteMetrics metrics() {
        return metrics;
    }

    /** 401 with the challenge, never a login redirect: the route needs a session and there is none. */
    public void unauthenticated(HttpServletResponse response, String path, String client, String token) throws IOException {
        answer(response, 401, "unauthenticated", path, client, token);
    }

    /** 403: a path rule over the route names a role the session lacks. */
    public void forbidden(HttpServletResponse response, String path, String client, String token) throws IOException {
        answer(response, 403, "missing role", path, client, token);
    }

    /** 503: the route needs a session and no verdict could be had on it; nothing cleared. */
    public void noVerdict(HttpServletResponse response, String path, String client, String token) throws IOException {
        answer(response, 503, "no verdict on the session", path, client, token);
    }

    /**
     * Forwards the request, or refuses it before any connection (400 path or method, 413 declared
     * length over the cap, 503 bulkhead full).
     *
     * @param path the normalised path, matched by this route
     * @param origin the resolved request origin, for the forwarding headers
     * @param token the token to send as {@code Authorization: Bearer}, or {@code null} for none
     */
    public void forward(HttpServletRequest request, HttpServletResponse response, String path, RequestOrigin origin,
            String token) throws IOException {
        String method = request.getMethod();
        if (method == null || method.equals("TRACE") || method.equals("CONNECT")) {
            metrics.refusedOrFailed(400);
            audit.record(Event.PROXY_REFUSED, "method not forwarded", path, origin.client(), token);
            Answers.methodNotAllowed(response, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
            return;
        }
        URI target = ProxyPath.target(route, path, request.getQueryString());
        if (target == null) {
            answer(response, 400, "path not forwardable", path, origin.client(), token);
            return;
        }
        long length = request.getContentLengthLong();
        if (length > route.maxBodyBytes()) {
            answer(response, 413, "body over max-body", path, origin.client(), token);
            return;
        }
        if (!threads.tryAcquire()) {
            answer(response, 503, "bulkhead full", path, origin.client(), token);
            return;
        }
        boolean handedOver = false;
        try {
            Call what = new Call(request, response, method, target, path, origin, token, length);
            ResponseTurns turns = ResponseTurns.startAsync(request);
            if (turns != null) {
                Forward call = new Forward(what, turns);
                try {
                    threads.execute(() -> {
                        boolean broken = false;
                        try {
                            call.run();
                        } catch (IOException e) {
                            LOG.debug("forward on route {} broke off mid-answer", route.name());
                            broken = true;
                        } finally {
                            // The slot first: a browser that has the whole answer may ask again at once.
                            threads.release();
                            turns.end(response, broken);
                        }
                    });
                    handedOver = true;
                } catch (RejectedExecutionException e) { // the filter is being destroyed
                    answer(response, 503, "proxy stopped", path, origin.client(), token);
                    turns.end(response, false);
                }
            } else {
                new Forward(what, ResponseTurns.inline()).run();
            }
        } finally {
            if (!handedOver) {
                threads.release();
            }
        }
    }

    /** What one forward needs, taken on the request thread. */
    private record Call(HttpServletRequest request, HttpServletResponse response, String method, URI target, String path,
            RequestOrigin origin, String token, long length) {
    }

    /** One forward, run on whichever thread carries it. */
    private final class Forward {
        private final Call call;
        private final ResponseTurns turns;

        Forward(Call call, ResponseTurns turns) {
            this.call = call;
            this.turns = turns;
        }

        /**
         * Forwards and relays. A failure before the answer started is answered (502); one after it
         * (the backend or the browser broke off mid-body) is rethrown, so that on the call.request()
         * thread the container aborts the call.response() instead of ending it as if complete.
         */
        void run() throws IOException {
            try {
                exchange();
            } catch (IOException | RuntimeException e) {
                // Never a stack trace to the browser; the message may name the backend: DEBUG only.
                LOG.debug("forward on route {} ended early: {}", route.name(), e.getClass().getName());
                if (e instanceof ResponseTurns.Ended ended) {
                    throw ended;
                }
                turns.touch(() -> {
                    if (call.response().isCommitted()) {
                        throw e instanceof IOException io ? io : new IOException("forward failed", e);
                    }
                    answer(call.response(), 502, "forward failed", call.path(), call.origin().client(), call.token());
                });
            }
        }

        private void exchange() throws IOException {
            long started = System.nanoTime();
            CappedInput body = null;
            BodyPublisher publisher = BodyPublishers.noBody();
            // No length: chunked on HTTP/1.1, or an HTTP/2 stream (which has no Transfer-Encoding);
            // only a GET or HEAD without either goes without a body.
            boolean chunked = call.length() < 0 && (call.request().getHeader("Transfer-Encoding") != null
                    || !call.method().equals("GET") && !call.method().equals("HEAD"));
            if (call.length() > 0 || chunked) {
                CappedInput in = new CappedInput(call.request().getInputStream(), route.maxBodyBytes());
                body = in;
                publisher = BodyPublishers.ofInputStream(() -> in);
                if (call.length() > 0) {
                    publisher = BodyPublishers.fromPublisher(publisher, call.length());
                }
            }
            HttpRequest outbound;
            try {
                outbound = build(publisher);
            } catch (IllegalArgumentException e) {
                turns.touch(() -> answer(call.response(), 400, "request not forwardable", call.path(), call.origin().client(),
                        call.token()));
                return;
            }
            HttpResponse<InputStream> answer;
            try {
                answer = transport.client().send(outbound, HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                failed(started, 504, "backend timeout");
                return;
            } catch (IOException e) {
                if (body != null && body.overCap()) {
                    failed(started, 413, "body over max-body");
                } else if (body != null && body.readFailed()) {
                    failed(started, 400, "request body unreadable");
                } else {
                    LOG.debug("route {}: backend unreachable or broken: {}", route.name(), e.getClass().getName());
                    failed(started, 502, "backend unreachable");
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed(started, 503, "proxy stopped");
                return;
            } catch (IllegalStateException e) { // the transport is closed: the filter is being destroyed
                failed(started, 503, "proxy stopped");
                return;
            }
            metrics.latency(System.nanoTime() - started);
            relay(answer);
        }

        private void failed(long started, int status, String reason) throws IOException {
            metrics.latency(System.nanoTime() - started);
            turns.touch(() -> answer(call.response(), status, reason, call.path(), call.origin().client(), call.token()));
        }

        private HttpRequest build(BodyPublisher publisher) {
            HttpRequest.Builder b = HttpRequest.newBuilder(call.target()).timeout(route.timeout()).method(call.method(), publisher);
            if ("http".equals(call.target().getScheme())) {
                b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with a plain-text backend
            }
            Set<String> connectionNamed = ProxyHeaders.connectionNamed(call.request().getHeaders("Connection"));
            for (Enumeration<String> names = call.request().getHeaderNames(); names != null && names.hasMoreElements();) {
                String name = names.nextElement();
                if (!ProxyHeaders.forwardsRequestHeader(name, connectionNamed, route.stripHeaders())) {
                    continue;
                }
                for (Enumeration<String> values = call.request().getHeaders(name); values.hasMoreElements();) {
                    try {
                        b.header(name, values.nextElement());
                    } catch (IllegalArgumentException e) { // a name or value the HTTP client refuses
                        LOG.debug("route {}: header {} not forwarded (refused by the HTTP client)", route.name(), name);
                    }
                }
            }
            ProxyHeaders.forwarding(call.origin()).forEach(b::setHeader);
            if (call.token() != null) {
                b.setHeader("Authorization", "Bearer " + call.token());
            }
            return b.build();
        }

        /** Status, headers (filtered, locations rewritten, private) and the body, flushed as it arrives. */
        private void relay(HttpResponse<InputStream> answer) throws IOException {
            int status = answer.statusCode();
            Set<String> connectionNamed = ProxyHeaders.connectionNamed(
                    Collections.enumeration(answer.headers().allValues("connection")));
            Map<String, List<String>> passing = new LinkedHashMap<>();
            answer.headers().map().forEach((name, values) -> {
                if (ProxyHeaders.passesResponseHeader(name, connectionNamed)) {
                    passing.put(name, values);
                }
            });
            // RFC 9110 15: a status outside 100-599 is invalid, and a 1xx is never final. Headers the
            // container could not write would end in its own 500 (Jetty) or a dropped connection (Tomcat).
            String broken = status < 200 || status > 599 ? "backend answered status " + status
                    : ProxyHeaders.size(passing) > ProxyHeaders.MAX_RELAYED_BYTES ? "backend headers too large" : null;
            if (broken != null) {
                answer.body().close();
                turns.touch(() -> answer(call.response(), 502, broken, call.path(), call.origin().client(), call.token()));
                return;
            }
            metrics.answered(status);
            if (status == 401 && call.token() != null) {
                metrics.backendRefusedToken();
                audit.record(Event.PROXY_REFUSED, "backend-refused-valid-token", call.path(), call.origin().client(), call.token());
            }
            try (InputStream in = answer.body()) {
                turns.touch(() -> {
                    call.response().setStatus(status);
                    passing.forEach(this::relayHeader);
                    call.response().setHeader("Cache-Control", ProxyHeaders.CACHE_CONTROL);
                    call.response().flushBuffer(); // the headers go now: an event stream's client sees them at once
                });
                copy(in);
            }
        }

        private void relayHeader(String name, List<String> values) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (String value : values) {
                if (lower.equals("location") || lower.equals("content-location")) {
                    String rewritten = LocationRewrite.rewrite(value, call.target(), route.baseUrl(), localPrefix);
                    if (rewritten != null) {
                        call.response().setHeader(name, rewritten);
                    }
                } else if (lower.equals("content-length")) {
                    try {
                        call.response().setContentLengthLong(Long.parseLong(value.strip()));
                    } catch (NumberFormatException e) {
                        // a broken call.length(): the container frames the body itself
                    }
                } else if (lower.equals("date") || lower.equals("server") || lower.equals("content-type")) {
                    call.response().setHeader(name, value); // one value: replaces the container's own (Jetty adds a Date)
                } else {
                    call.response().addHeader(name, value);
                }
            }
        }

        /**
         * Relays the body. The response's stream is taken inside a turn too: once the container ended
         * the request, its response may be the next request's (Tomcat keeping facades), and even
         * {@code getOutputStream()} would mark that one as writing through its stream.
         */
        private void copy(InputStream in) throws IOException {
            OutputStream[] out = new OutputStream[1];
            byte[] buffer = new byte[BUFFER];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    throw new IOException("backend broke off its answer on route " + route.name(), e);
                }
                if (n < 0) {
                    return;
                }
                int read = n;
                turns.touch(() -> {
                    if (out[0] == null) {
                        out[0] = call.response().getOutputStream();
                    }
                    out[0].write(buffer, 0, read);
                    out[0].flush();
                });
            }
        }
    }

    /** Counts, audits and answers a refusal or failure with the filter's JSON body; clears nothing. */
    private void answer(HttpServletResponse response, int status, String reason, String path, String client, String token)
            throws IOException {
        metrics.refusedOrFailed(status);
        audit.record(status >= 500 ? Event.PROXY_FAILED : Event.PROXY_REFUSED, reason, path, client, token);
        switch (status) {
            case 400 -> Answers.badRequest(response);
            case 401 -> Answers.unauthenticated(response, challenge);
            case 403 -> Answers.forbidden(response);
            case 413 -> Answers.payloadTooLarge(response);
            case 502 -> Answers.badGateway(response);
            case 503 -> Answers.unavailable(response, retryAfterSeconds);
            case 504 -> Answers.gatewayTimeout(response);
            default -> throw new IllegalArgumentException("not a proxy answer: " + status);
        }
    }

    /** Unregisters the route's MBean; the threads are the composition root's to stop. */
    @Override
    public void close() {
        jmx.close();
    }
}
