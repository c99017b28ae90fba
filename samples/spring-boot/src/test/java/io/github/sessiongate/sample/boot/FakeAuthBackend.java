package io.github.sessiongate.sample.boot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * An auth backend on a loopback port of the test JVM, as SessionGate's parameters describe one:
 * {@code GET /jwks} (its RSA key), {@code POST /login} (form {@code username}, {@code password}:
 * 200 with tokens, 401 otherwise) and {@code POST /refresh} (form {@code refresh_token}: a new pair,
 * the old refresh token spent). Users: alice (role {@code admin}) and bob (no role).
 */
final class FakeAuthBackend implements AutoCloseable {
    static final String AUDIENCE = "boot-sample";
    private static final Map<String, String> PASSWORDS = Map.of("alice", "alice-password", "bob", "bob-password");
    private static final Map<String, List<String>> ROLES = Map.of("alice", List.of("admin"), "bob", List.of());

    private final HttpServer server;
    private final RsaJsonWebKey key;
    private final Map<String, String> liveRefreshTokens = new ConcurrentHashMap<>();
    private final AtomicInteger refreshCalls = new AtomicInteger();

    FakeAuthBackend() throws IOException, JoseException {
        key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId("test-key");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> answer(exchange, 200,
                new JsonWebKeySet(key).toJson(OutputControlLevel.PUBLIC_ONLY)));
        server.createContext("/login", this::login);
        server.createContext("/refresh", this::refresh);
        server.start();
    }

    /** The base URL, also the tokens' issuer. */
    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Refresh calls answered so far. */
    int refreshCalls() {
        return refreshCalls.get();
    }

    /** An access token for a user, signed with the backend's key, valid until {@code expiresAt}. */
    String accessToken(String subject, Instant expiresAt) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(base());
        claims.setAudience(AUDIENCE);
        claims.setSubject(subject);
        claims.setStringListClaim("roles", ROLES.get(subject));
        claims.setGeneratedJwtId(); // as a provider does: two sign-ins in one second get two tokens
        claims.setIssuedAt(NumericDate.fromSeconds(expiresAt.getEpochSecond() - 600));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private void login(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(exchange);
        String user = form.getOrDefault("username", "");
        if (!PASSWORDS.containsKey(user) || !PASSWORDS.get(user).equals(form.get("password"))) {
            answer(exchange, 401, "{\"error\":\"invalid_credentials\"}");
            return;
        }
        answer(exchange, 200, tokens(user));
    }

    private void refresh(HttpExchange exchange) throws IOException {
        refreshCalls.incrementAndGet();
        String user = liveRefreshTokens.remove(form(exchange).getOrDefault("refresh_token", ""));
        if (user == null) {
            answer(exchange, 401, "{\"error\":\"invalid_grant\"}");
            return;
        }
        answer(exchange, 200, tokens(user));
    }

    private String tokens(String user) {
        String refresh = UUID.randomUUID().toString();
        liveRefreshTokens.put(refresh, user);
        return "{\"access_token\":\"" + accessToken(user, Instant.now().plusSeconds(300))
                + "\",\"refresh_token\":\"" + refresh + "\",\"expires_in\":300}";
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        Map<String, String> form = new HashMap<>();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
