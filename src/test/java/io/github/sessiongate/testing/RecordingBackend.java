package io.github.sessiongate.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * The API behind a proxy, for tests: a real HTTP/1.1 server on 127.0.0.1 in the test JVM (JDK
 * {@link HttpServer}) that records every request exactly as it arrived (method, request target,
 * headers, body size and checksum, when the first body byte and the end arrived) and answers as a
 * test tells it per path: a status, headers and a body, a large body streamed in chunks, an answer
 * held until the test releases it, or a stream paused part-way until released. Nothing here waits
 * for time to pass; a held answer waits for its {@link Hold} (at most a minute, so a broken test
 * cannot hang the build). Thread-safe; {@link AutoCloseable}.
 *
 * <p>Large bodies are the repetition of one 64 KiB {@link #block() block} of fixed random bytes,
 * so a client can send or check one without holding it: {@link #crc32(long)} is the checksum of
 * the first {@code n} bytes of that stream.
 */
public final class RecordingBackend implements AutoCloseable {
    /** The cookie every answer built with {@link Answer#withBackendCookie()} sets. */
    public static final String BACKEND_COOKIE = "backend=1";
    /** Size of the repeated block of large bodies. */
    public static final int BLOCK_SIZE = 64 * 1024;
    /** How much of a body a {@link Recorded} keeps as text. */
    public static final int KEPT_BODY = 4096;

    private static final byte[] BLOCK = newBlock();
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final long HOLD_LIMIT_SECONDS = 60;

    private final int instance = INSTANCES.incrementAndGet();
    private final List<Recorded> recorded = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> receiving = new ConcurrentHashMap<>();
    private volatile Answer fallback = Answer.status(200).header("Content-Type", "application/json").body("{\"ok\":true}");
    private HttpServer server;
    private ExecutorService executor;

    /**
     * One request as the backend received it. {@code target} is the request target byte for byte
     * ({@code rawPath} and {@code rawQuery} are its parts, still percent-encoded), header names are
     * lower case, {@code body} holds the first {@value #KEPT_BODY} bytes as UTF-8.
     * {@code firstBodyByteNanos} and {@code endNanos} are {@link System#nanoTime()} readings (0 when
     * there was no body); {@code complete} is false when the client broke off the body.
     */
    public record Recorded(String method, String target, String rawPath, String rawQuery, Map<String, List<String>> headers,
            long bodyBytes, long bodyCrc32, String body, long firstBodyByteNanos, long endNanos, boolean complete) {
        /** The first value of a header, by case-insensitive name. */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        /** Every value of a header, by case-insensitive name. */
        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        @Override
        public String toString() {
            // Header values may hold a bearer token: names only.
            return method + " " + target + " headers " + headers.keySet() + " body " + bodyBytes + " bytes"
                    + (complete ? "" : " (broken off)");
        }
    }

    /**
     * An answer: status, headers, and a fixed or streamed body; optionally held before it starts
     * or paused part-way through its stream. Immutable; each method returns a changed copy.
     */
    public static final class Answer {
        private final int status;
        private final List<Map.Entry<String, String>> headers;
        private final byte[] body;
        private final long streamed;
        private final Hold heldBy;
        private final long pauseAfter;
        private final Hold pausedBy;

        private Answer(int status, List<Map.Entry<String, String>> headers, byte[] body, long streamed, Hold heldBy,
                long pauseAfter, Hold pausedBy) {
            this.status = status;
            this.headers = List.copyOf(headers);
            this.body = body;
            this.streamed = streamed;
            this.heldBy = heldBy;
            this.pauseAfter = pauseAfter;
            this.pausedBy = pausedBy;
        }

        /** This status and no body. */
        public static Answer status(int status) {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("status " + status);
            }
            return new Answer(status, List.of(), new byte[0], -1, null, -1, null);
        }

        /** One more header line. */
        public Answer header(String name, String value) {
            List<Map.Entry<String, String>> more = new ArrayList<>(headers);
            more.add(Map.entry(name, value));
            return new Answer(status, more, body, streamed, heldBy, pauseAfter, pausedBy);
        }

        /** Adds {@code Set-Cookie: backend=1}. */
        public Answer withBackendCookie() {
            return header("Set-Cookie", BACKEND_COOKIE + "; Path=/");
        }

        /** This body, UTF-8, with a {@code Content-Length}. */
        public Answer body(String text) {
            return new Answer(status, headers, text.getBytes(StandardCharsets.UTF_8), -1, heldBy, pauseAfter, pausedBy);
        }

        /** {@code bytes} of the repeated {@link #block()}, chunked, flushed block by block. */
        public Answer streamed(long bytes) {
            return new Answer(status, headers, new byte[0], bytes, heldBy, pauseAfter, pausedBy);
        }

        /** Nothing is answered (the request body is read and recorded first) until {@code hold} is released. */
        public Answer heldBy(Hold hold) {
            return new Answer(status, headers, body, streamed, Objects.requireNonNull(hold, "hold"), pauseAfter, pausedBy);
        }

        /** A {@link #streamed} body stops after {@code bytes} (a multiple of the block size) until {@code hold} is released. */
        public Answer pausedAfter(long bytes, Hold hold) {
            if (bytes % BLOCK_SIZE != 0) {
                throw new IllegalArgumentException("pause on a block boundary, not at " + bytes);
            }
            return new Answer(status, headers, body, streamed, heldBy, bytes, Objects.requireNonNull(hold, "hold"));
        }
    }

    /**
     * A point where answers wait until the test releases them. {@link #arrivals()} counts the
     * answers that reached it, so a test knows a request is in flight without guessing a time.
     */
    public static final class Hold implements AutoCloseable {
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicInteger arrivals = new AtomicInteger();

        /** Answers that have reached this hold so far. */
        public int arrivals() {
            return arrivals.get();
        }

        /** Returns once {@code n} answers have reached this hold. */
        public void awaitArrivals(int n) {
            Await.until(n + " answers held", () -> arrivals.get() >= n, () -> arrivals.get() + " arrived");
        }

        /** Lets every waiting answer, and every later one, go on. Idempotent. */
        public void release() {
            released.countDown();
        }

        @Override
        public void close() {
            release();
        }

        private void pass() throws InterruptedException {
            arrivals.incrementAndGet();
            released.await(HOLD_LIMIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Starts listening on a free port of 127.0.0.1. */
    public RecordingBackend start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newCachedThreadPool(FakeAuthBackend.daemonThreads("recording-backend-" + instance));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    /** {@code http://127.0.0.1:port}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code 127.0.0.1:port}, as a {@code Host} header names this server. */
    public String authority() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** How requests whose raw path is exactly {@code rawPath} are answered from now on. */
    public void answer(String rawPath, Answer answer) {
        answers.put(rawPath, Objects.requireNonNull(answer, "answer"));
    }

    /** How every other request is answered; 200 {@code {"ok":true}} unless set. */
    public void answerOthers(Answer answer) {
        this.fallback = Objects.requireNonNull(answer, "answer");
    }

    /** Every request recorded so far, in the order their bodies ended. */
    public List<Recorded> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** How many requests are recorded: a mark for {@link #requestsSince(int)}. */
    public int count() {
        return recorded.size();
    }

    /** The requests recorded after {@code mark} (a {@link #count()} taken earlier). */
    public List<Recorded> requestsSince(int mark) {
        synchronized (recorded) {
            return List.copyOf(recorded.subList(mark, recorded.size()));
        }
    }

    /** The requests recorded at exactly {@code rawPath}. */
    public List<Recorded> requestsTo(String rawPath) {
        return requests().stream().filter(r -> r.rawPath().equals(rawPath)).toList();
    }

    /** The one request recorded at {@code rawPath}; fails when there is none or several. */
    public Recorded only(String rawPath) {
        List<Recorded> found = requestsTo(rawPath);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " requests to " + rawPath + ", expected one; all: " + requests());
        }
        return found.get(0);
    }

    /** Body bytes received so far by the latest request at {@code rawPath}, while it is still arriving too. */
    public long received(String rawPath) {
        AtomicLong n = receiving.get(rawPath);
        return n == null ? 0 : n.get();
    }

    /** Stops listening; answers held are let go. */
    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** A copy of the 64 KiB block large bodies repeat. */
    public static byte[] block() {
        return BLOCK.clone();
    }

    /** CRC-32 of the first {@code bytes} bytes of the repeated block. */
    public static long crc32(long bytes) {
        CRC32 crc = new CRC32();
        for (long left = bytes; left > 0; left -= BLOCK_SIZE) {
            crc.update(BLOCK, 0, (int) Math.min(BLOCK_SIZE, left));
        }
        return crc.getValue();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
            AtomicLong progress = new AtomicLong();
            receiving.put(rawPath, progress);
            byte[] kept = new byte[KEPT_BODY];
            CRC32 crc = new CRC32();
            long first = 0;
            boolean complete = true;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] buffer = new byte[BLOCK_SIZE];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (n > 0 && first == 0) {
                        first = System.nanoTime();
                    }
                    long before = progress.get();
                    if (before < KEPT_BODY) {
                        System.arraycopy(buffer, 0, kept, (int) before, (int) Math.min(n, KEPT_BODY - before));
                    }
                    crc.update(buffer, 0, n);
                    progress.addAndGet(n);
                }
            } catch (IOException brokenOff) {
                complete = false;
            }
            long bytes = progress.get();
            recorded.add(new Recorded(exchange.getRequestMethod(), uri.toString(), rawPath, uri.getRawQuery(),
                    Collections.unmodifiableMap(headers), bytes, crc.getValue(),
                    new String(kept, 0, (int) Math.min(bytes, KEPT_BODY), StandardCharsets.UTF_8),
                    first, bytes == 0 ? 0 : System.nanoTime(), complete));
            if (complete) {
                respond(exchange, answers.getOrDefault(rawPath, fallback));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException, InterruptedException {
        if (answer.heldBy != null) {
            answer.heldBy.pass();
        }
        answer.headers.forEach(h -> exchange.getResponseHeaders().add(h.getKey(), h.getValue()));
        boolean noBody = answer.status == 204 || answer.status == 304 || "HEAD".equals(exchange.getRequestMethod());
        if (answer.streamed < 0) {
            exchange.sendResponseHeaders(answer.status, noBody || answer.body.length == 0 ? -1 : answer.body.length);
            if (!noBody) {
                exchange.getResponseBody().write(answer.body);
            }
            return;
        }
        exchange.sendResponseHeaders(answer.status, 0); // chunked
        OutputStream out = exchange.getResponseBody();
        for (long sent = 0; sent < answer.streamed; ) {
            if (sent == answer.pauseAfter) {
                out.flush();
                answer.pausedBy.pass();
            }
            int n = (int) Math.min(BLOCK_SIZE, answer.streamed - sent);
            out.write(BLOCK, 0, n);
            out.flush();
            sent += n;
        }
    }

    private static byte[] newBlock() {
        byte[] block = new byte[BLOCK_SIZE];
        new Random(20261204L).nextBytes(block);
        return block;
    }
}
