package io.github.sessiongate.guest;

import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.internal.CappedBody;
import io.github.sessiongate.internal.HttpTransport;
import io.github.sessiongate.internal.JsonValues;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches guest tokens from {@code guest-url}: one POST without a body, no redirects, no retries, a
 * deadline of {@code guest-url-timeout} for the whole exchange, at most {@link #MAX_BODY_BYTES} of
 * response, and at most {@link #MAX_CONCURRENT} requests at once (a flood of new visitors must not
 * become a flood of backend calls; beyond that, visitors go without a guest token). Never throws;
 * never logs the token or the response body. Thread-safe.
 */
final class GuestTokenClient {
    private static final Logger LOG = LoggerFactory.getLogger(GuestTokenClient.class);

    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_CONCURRENT = 8;
    /** A failing endpoint is reported at WARN at most this often; other failures go to DEBUG. */
    static final Duration WARN_INTERVAL = Duration.ofMinutes(1);

    private final URI uri;
    private final Duration timeout;
    private final Duration maxTtl;
    private final Clock clock;
    private final HttpTransport transport;
    private final Semaphore permits = new Semaphore(MAX_CONCURRENT);
    private final AtomicLong lastWarn = new AtomicLong(Long.MIN_VALUE);

    /** @param transport the filter's transport, or one of this endpoint's own (then the caller closes it) */
    GuestTokenClient(URI uri, Duration timeout, Duration maxTtl, Clock clock, HttpTransport transport) {
        this.uri = uri;
        this.timeout = timeout;
        this.maxTtl = maxTtl;
        this.clock = clock;
        this.transport = transport;
    }

    /** A guest token from the backend, or empty when it failed, answered nonsense or is busy. */
    Optional<GuestTokens.Issued> fetch() {
        if (!permits.tryAcquire()) {
            LOG.debug("guest endpoint busy ({} requests in flight); no guest token this time", MAX_CONCURRENT);
            return Optional.empty();
        }
        CompletableFuture<HttpResponse<byte[]>> pending = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            pending = transport.client().sendAsync(request, info -> CappedBody.subscriber(MAX_BODY_BYTES));
            HttpResponse<byte[]> response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200) {
                return failed("answered HTTP " + response.statusCode());
            }
            return parse(response.body());
        } catch (TimeoutException e) {
            return failed("timed out after " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return failed(CappedBody.isTooLarge(cause) ? "sent more than " + MAX_BODY_BYTES + " bytes"
                    : "failed with " + cause.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (RuntimeException e) {
            return failed("failed with " + e.getClass().getSimpleName());
        } finally {
            if (pending != null) {
                pending.cancel(true);
            }
            permits.release();
        }
    }

    /** {@code {"access_token": "...", "expires_in": seconds}}; the Max-Age is {@code expires_in} capped by guest-ttl. */
    private Optional<GuestTokens.Issued> parse(byte[] body) {
        Map<String, Object> json;
        try {
            String text = new String(body, StandardCharsets.UTF_8);
            if (!JsonValues.nestingWithin(text, GuestTokens.MAX_JSON_DEPTH)) {
                return failed("answered JSON nested too deep");
            }
            json = JsonUtil.parseJson(text);
        } catch (JoseException | RuntimeException e) {
            return failed("answered something other than a JSON object");
        }
        Object token = json.get("access_token");
        if (!(token instanceof String s) || !isCookieValue(s)) {
            return failed("answered without a usable access_token (a string of at most "
                    + TokenValidator.MAX_TOKEN_LENGTH + " cookie-safe characters)");
        }
        Duration maxAge = maxTtl;
        Object expiresIn = json.get("expires_in");
        if (expiresIn != null) {
            if (!(expiresIn instanceof Number n) || n.doubleValue() < 1 || n.doubleValue() != Math.floor(n.doubleValue())) {
                return failed("answered an expires_in that is not a whole number of seconds >= 1");
            }
            if (n.doubleValue() < maxTtl.getSeconds()) {
                maxAge = Duration.ofSeconds(n.longValue());
            }
        }
        return Optional.of(new GuestTokens.Issued(s, maxAge));
    }

    private static boolean isCookieValue(String s) {
        if (s.isEmpty() || s.length() > TokenValidator.MAX_TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private Optional<GuestTokens.Issued> failed(String what) {
        long now = clock.millis();
        long last = lastWarn.get();
        if ((last == Long.MIN_VALUE || now - last >= WARN_INTERVAL.toMillis()) && lastWarn.compareAndSet(last, now)) {
            LOG.warn("guest endpoint {} {}; visitors get no guest token until it recovers (logged at most once a "
                    + "minute)", describe(), what);
        } else {
            LOG.debug("guest endpoint {} {}", describe(), what);
        }
        return Optional.empty();
    }

    /** Scheme, host, port and path: no query, which might carry a key. */
    String describe() {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
