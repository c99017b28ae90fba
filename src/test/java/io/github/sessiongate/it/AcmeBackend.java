package io.github.sessiongate.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The Acme session service for {@link AcmeSessionValidator}: a real HTTP server on 127.0.0.1 in
 * the test JVM. Sessions are registered per test; a few token prefixes misbehave on purpose. Counts
 * the lookups per token, so a test can prove the validator was really asked.
 */
final class AcmeBackend implements AutoCloseable {
    /** Tokens starting with this are answered 503. */
    static final String DOWN = "acme-down-";
    /** Tokens starting with this are answered 200 with a body that is not JSON. */
    static final String GARBAGE = "acme-garbage-";

    private record Account(String user, List<String> roles) {
    }

    private final Map<String, Account> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    AcmeBackend() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/sessions/", this::lookup);
        server.setExecutor(executor);
        server.start();
    }

    /** The value for the {@code acme.url} init-param. */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Makes the token a live session of the user. */
    void register(String token, String user, String... roles) {
        sessions.put(token, new Account(user, List.of(roles)));
    }

    /** How many times the token was looked up. */
    int lookups(String token) {
        AtomicInteger n = lookups.get(token);
        return n == null ? 0 : n.get();
    }

    private void lookup(HttpExchange exchange) throws IOException {
        try (exchange) {
            String token = exchange.getRequestURI().getPath().substring("/sessions/".length());
            lookups.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
            Account account = sessions.get(token);
            if (token.startsWith(DOWN)) {
                send(exchange, 503, "{\"error\":\"maintenance\"}");
            } else if (token.startsWith(GARBAGE)) {
                send(exchange, 200, "<html>surprise</html>");
            } else if (account == null) {
                send(exchange, 404, "{\"error\":\"no such session\"}");
            } else {
                String roles = account.roles().stream().map(Json::quote).collect(Collectors.joining(","));
                send(exchange, 200, "{\"user\":" + Json.quote(account.user()) + ",\"roles\":[" + roles + "]}");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
