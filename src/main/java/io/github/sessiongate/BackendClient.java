package io.github.sessiongate;

import io.github.sessiongate.engine.Outbound;
import io.github.sessiongate.engine.SettingsChecks;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the application's own backend with the current session's access token, so that
 * application code never handles the token itself (as next-api-layer's API client does).
 *
 * <p>{@link #send(HttpServletRequest, HttpRequest.Builder)} reads the {@link Session} the filter
 * attached to the request and adds {@code Authorization: Bearer <token>}
 * (<a href="https://www.rfc-editor.org/rfc/rfc6750#section-2.1">RFC 6750 section 2.1</a>). When the filter
 * refreshed the session during this request it has replaced the attribute, so the new token is
 * the one sent.
 *
 * <p>What it refuses, before any connection is made:
 * <ul>
 *   <li>a target whose origin (scheme, host, port; the default port when none is given) is not
 *       one of the configured {@link #PARAM_BACKEND_ORIGINS}: the token only ever goes to the
 *       backends the operator named ({@link IllegalArgumentException});</li>
 *   <li>a target with user-info, or a scheme other than {@code http}/{@code https}
 *       ({@link IllegalArgumentException});</li>
 *   <li>a call that already carries a {@code Cookie} header: the browser's cookies hold the
 *       refresh token and are never forwarded; nor does this client copy any header of the
 *       incoming request ({@link IllegalArgumentException});</li>
 *   <li>a call that already carries an {@code Authorization} header: this client owns it
 *       ({@link IllegalArgumentException});</li>
 *   <li>a request without a signed-in session (none, or a guest session)
 *       ({@link IllegalStateException}); use {@link #sendAnonymous(HttpRequest.Builder)} for calls
 *       that need no token.</li>
 * </ul>
 *
 * <p>Redirects are never followed ({@link HttpClient.Redirect#NEVER}), so a backend cannot bounce
 * the token to another host; the caller sees the 3xx. The client has no cookie handler, so a
 * backend's {@code Set-Cookie} is never stored and replayed for another user. A call without its
 * own {@link HttpRequest.Builder#timeout(Duration) timeout} gets the read timeout.
 *
 * <p>Thread-safe. The client the filter builds from {@link #PARAM_BACKEND_ORIGINS} sends over the
 * filter's one HTTP transport (one {@link HttpClient}, daemon threads named
 * {@code sessiongate-http-*}), which the filter stops in {@code destroy()}; it stores the client as
 * the context attribute {@link #CONTEXT_ATTRIBUTE}. A client built with {@link #builder()} has a
 * transport of its own, which {@link #close()} shuts down.
 *
 * <pre>{@code
 * <init-param>
 *   <param-name>backend-origins</param-name>
 *   <param-value>https://api.example.com, https://billing.example.com:8443</param-value>
 * </init-param>
 * }</pre>
 */
public final class BackendClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackendClient.class);

    /** Servlet context attribute under which the filter stores the client. */
    public static final String CONTEXT_ATTRIBUTE = "io.github.sessiongate.BackendClient";

    /**
     * Origins the token may be sent to, comma- or whitespace-separated, such as
     * {@code https://api.example.com}; {@code http} only for loopback hosts. No default: without
     * it there is no client.
     */
    public static final String PARAM_BACKEND_ORIGINS = "backend-origins";
    /** How long to wait for a connection to a backend. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** How long to wait for a backend's response when the call sets no timeout of its own. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(2);
    /** Upper bound of both timeouts. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    /** Names used in errors about the timeouts, which the filter reads from these init-params. */
    private static final String CONNECT_TIMEOUT_NAME = "backend-connect-timeout";
    private static final String READ_TIMEOUT_NAME = "backend-read-timeout";

    private final Set<Origin> origins;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Outbound transport;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BackendClient(Builder b) {
        if (b.origins.isEmpty()) {
            throw new ConfigException(PARAM_BACKEND_ORIGINS, "needs at least one origin such as https://api.example.com");
        }
        this.origins = Collections.unmodifiableSet(new LinkedHashSet<>(b.origins));
        this.connectTimeout = checkTimeout(CONNECT_TIMEOUT_NAME, b.connectTimeout);
        this.readTimeout = checkTimeout(READ_TIMEOUT_NAME, b.readTimeout);
        this.transport = b.transport != null ? b.transport : Outbound.own(connectTimeout);
        LOG.info("SessionGate backend client for {} (connect timeout {}, read timeout {})",
                origins(), connectTimeout, readTimeout);
    }

    /** Starts a client for code; at least one {@link Builder#allowOrigin(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The client the filter stored in the servlet context.
     *
     * @throws IllegalStateException when there is none (the filter is not installed, has not
     *     started, or has no {@link #PARAM_BACKEND_ORIGINS})
     */
    public static BackendClient from(ServletContext context) {
        Objects.requireNonNull(context, "context");
        Object value = context.getAttribute(CONTEXT_ATTRIBUTE);
        if (value instanceof BackendClient client) {
            return client;
        }
        throw new IllegalStateException("no BackendClient in the servlet context attribute " + CONTEXT_ATTRIBUTE
                + ": set the init-param " + PARAM_BACKEND_ORIGINS + " on the SessionGate filter, or store a client built"
                + " with BackendClient.builder() under that attribute");
    }

    /**
     * Sends the call with the signed-in session's token and reads the body as a string.
     *
     * @see #send(HttpServletRequest, HttpRequest.Builder, BodyHandler)
     */
    public HttpResponse<String> send(HttpServletRequest request, HttpRequest.Builder call)
            throws IOException, InterruptedException {
        return send(request, call, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends the call with {@code Authorization: Bearer <token>} of the session on this request.
     * The caller's builder is not changed.
     *
     * @param request the incoming request, whose {@link Session} supplies the token; none of its
     *     headers or cookies are copied
     * @param call the backend call: URI, method, body, headers of the application's own
     * @throws IllegalArgumentException when the target is not a configured backend origin, has
     *     user-info or another scheme, or the call sets {@code Cookie} or {@code Authorization}
     * @throws IllegalStateException when the request has no signed-in session, or this client is
     *     closed
     * @throws IOException as {@link HttpClient#send}, including
     *     {@link java.net.http.HttpTimeoutException}
     */
    public <T> HttpResponse<T> send(HttpServletRequest request, HttpRequest.Builder call, BodyHandler<T> handler)
            throws IOException, InterruptedException {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        HttpRequest base = checked(call);
        Session session = Session.from(request).filter(s -> !s.isGuest())
                .orElseThrow(() -> new IllegalStateException("no signed-in session"));
        String token = session.token();
        if (!isBearerToken(token)) {
            throw new IllegalStateException("the session's token cannot be sent as a bearer token (RFC 6750 b64token)");
        }
        HttpRequest.Builder out = HttpRequest.newBuilder(base, (name, value) -> true)
                .setHeader("Authorization", "Bearer " + token);
        return dispatch(out, base, handler, "bearer");
    }

    /** Sends the call without any token and reads the body as a string. */
    public HttpResponse<String> sendAnonymous(HttpRequest.Builder call) throws IOException, InterruptedException {
        return sendAnonymous(call, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends the call to a configured backend without any {@code Authorization}, for endpoints
     * that need no session. The same target and header rules as for {@code send} apply.
     */
    public <T> HttpResponse<T> sendAnonymous(HttpRequest.Builder call, BodyHandler<T> handler)
            throws IOException, InterruptedException {
        Objects.requireNonNull(handler, "handler");
        HttpRequest base = checked(call);
        return dispatch(HttpRequest.newBuilder(base, (name, value) -> true), base, handler, "anonymous");
    }

    /** The configured origins, as {@code scheme://host[:port]}. */
    public Set<String> origins() {
        Set<String> out = new LinkedHashSet<>();
        origins.forEach(o -> out.add(o.toString()));
        return Collections.unmodifiableSet(out);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * Stops this client's threads; further calls fail with {@link IllegalStateException}. Calls in
     * flight may fail. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        transport.close(); // stops a transport of its own; leaves the filter's to the filter
        LOG.debug("SessionGate backend client for {} closed", origins());
    }

    @Override
    public String toString() {
        return "BackendClient[origins=" + origins() + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + (closed.get() ? ", closed" : "") + "]";
    }

    private HttpClient client() {
        try {
            return transport.client();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("BackendClient is closed (the filter was destroyed)");
        }
    }

    /** Builds the caller's call once and checks it; the checked request is what gets sent. */
    private HttpRequest checked(HttpRequest.Builder call) {
        Objects.requireNonNull(call, "call");
        if (closed.get()) {
            throw new IllegalStateException("BackendClient is closed");
        }
        HttpRequest base = Objects.requireNonNull(call.build(), "call.build()");
        checkTarget(base.uri());
        if (base.headers().firstValue("Cookie").isPresent()) {
            throw refused("the call sets a Cookie header; browser cookies are never forwarded to a backend");
        }
        if (base.headers().firstValue("Authorization").isPresent()) {
            throw refused("the call sets an Authorization header; BackendClient sets it from the session");
        }
        return base;
    }

    private <T> HttpResponse<T> dispatch(HttpRequest.Builder out, HttpRequest base, BodyHandler<T> handler, String kind)
            throws IOException, InterruptedException {
        if (base.timeout().isEmpty()) {
            out.timeout(readTimeout);
        }
        HttpRequest request = out.build();
        checkTarget(request.uri()); // the request actually sent, built by the JDK from the checked one
        HttpResponse<T> response = client().send(request, handler);
        if (LOG.isDebugEnabled()) {
            LOG.debug("backend {} {} {}{} -> {}", kind, request.method(), Origin.of(request.uri()),
                    Optional.ofNullable(request.uri().getRawPath()).orElse(""), response.statusCode());
        }
        return response;
    }

    /** Refuses any target that is not exactly a configured origin. Never echoes user-info. */
    private void checkTarget(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw refused("only http and https backends are supported, not '" + scheme + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("the target has user-info; it is never sent to a backend");
        }
        if (uri.getHost() == null) {
            throw refused("the target has no host");
        }
        Origin origin = Origin.of(uri);
        if (!origins.contains(origin)) {
            throw refused(origin + " is not one of " + PARAM_BACKEND_ORIGINS + " " + origins());
        }
    }

    private static IllegalArgumentException refused(String why) {
        LOG.debug("refused backend call: {}", why);
        return new IllegalArgumentException("BackendClient refused the call: " + why);
    }

    /** RFC 6750 {@code b64token}: also rules out CR, LF and spaces, which the JDK would echo. */
    static boolean isBearerToken(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Duration checkTimeout(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
            throw new ConfigException(name, "must be positive and at most " + MAX_TIMEOUT + ", not " + d);
        }
        return d;
    }

    /** Scheme, host and effective port, lower case; what two URIs must share to be one origin. */
    private record Origin(String scheme, String host, int port) {
        static Origin of(URI uri) {
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            return new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port);
        }

        static Origin parse(String value) {
            Objects.requireNonNull(value, "origin");
            URI uri;
            try {
                uri = new URI(value.strip());
            } catch (URISyntaxException e) {
                throw bad(value);
            }
            if (uri.getRawUserInfo() != null) { // may hold a password: never echoed
                throw new ConfigException(PARAM_BACKEND_ORIGINS, "must list bare origins such as"
                        + " https://api.example.com; one has user-info, which is never sent to a backend");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String path = uri.getRawPath();
            boolean bare = path == null || path.isEmpty() || path.equals("/");
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || !bare
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw bad(value);
            }
            if (scheme.equals("http") && !SettingsChecks.isLoopback(uri.getHost())) {
                throw new ConfigException(PARAM_BACKEND_ORIGINS, "http is allowed only for loopback hosts, use https: '"
                        + value + "'");
            }
            return of(uri);
        }

        private static ConfigException bad(String value) {
            return new ConfigException(PARAM_BACKEND_ORIGINS, "must list bare origins such as https://api.example.com"
                    + " (no path, query, fragment or user-info), not '"
                    + (value.indexOf('@') >= 0 ? "[value with '@' not shown]" : value) + "'");
        }

        @Override
        public String toString() {
            boolean defaultPort = scheme.equals("https") ? port == 443 : port == 80;
            return scheme + "://" + host + (defaultPort ? "" : ":" + port);
        }
    }

    /** Builds a {@link BackendClient}; not thread-safe. */
    public static final class Builder {
        private final List<Origin> origins = new ArrayList<>();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        /** The filter's transport (not closed by the client), or {@code null} for one of its own. */
        private Outbound transport;

        private Builder() {
        }

        /**
         * Allows sending the token to an origin such as {@code https://api.example.com};
         * {@code http} only for loopback hosts.
         *
         * @throws ConfigException naming {@link #PARAM_BACKEND_ORIGINS} when it is not such an origin
         */
        public Builder allowOrigin(String origin) {
            origins.add(Origin.parse(origin));
            return this;
        }

        /** Default {@link #DEFAULT_CONNECT_TIMEOUT}; positive, at most {@link #MAX_TIMEOUT}. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = checkTimeout(CONNECT_TIMEOUT_NAME, connectTimeout);
            return this;
        }

        /** Default {@link #DEFAULT_READ_TIMEOUT}; positive, at most {@link #MAX_TIMEOUT}. */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = checkTimeout(READ_TIMEOUT_NAME, readTimeout);
            return this;
        }

        /** For the composition root, through {@code SessionFilter}'s hooks: send over the filter's transport. */
        Builder over(Outbound filterTransport) {
            this.transport = Objects.requireNonNull(filterTransport, "filterTransport");
            return this;
        }

        /** @throws ConfigException naming {@link #PARAM_BACKEND_ORIGINS} when no origin was allowed */
        public BackendClient build() {
            return new BackendClient(this);
        }
    }
}
