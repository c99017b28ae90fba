package io.github.sessiongate.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny identity provider for the demo, on {@code 127.0.0.1} only. It is not an OAuth server and
 * not a model of how to store passwords: just enough for the SessionGate filter to have real,
 * signed tokens to check.
 *
 * <ul>
 *   <li>{@code GET /.well-known/jwks.json}: the public half of an RSA 2048 key made at start.</li>
 *   <li>{@code POST /login} (form or JSON {@code username}, {@code password}): a token response
 *       {@code {"access_token","refresh_token","expires_in","token_type":"Bearer"}}, or 401
 *       {@code {"error":"invalid_grant"}}.</li>
 *   <li>{@code POST /refresh} ({@code refresh_token}): a new token response. Refresh tokens
 *       rotate: each works once. Presenting one that was already used revokes its whole family
 *       (every token descended from the same login), as
 *       <a href="https://datatracker.ietf.org/doc/html/rfc9700#section-4.14.2">RFC 9700 4.14.2</a>
 *       recommends; 401 {@code {"error":"invalid_grant"}} for any refused token.</li>
 *   <li>{@code POST /revoke} ({@code token} or {@code refresh_token}): revokes the family of a
 *       refresh token; always 200, as <a href="https://www.rfc-editor.org/rfc/rfc7009">RFC 7009</a>
 *       says. Access tokens are stateless and live until they expire.</li>
 *   <li>{@code GET /me} with {@code Authorization: Bearer}: {@code {"sub","roles"}}.</li>
 * </ul>
 *
 * <p>Access tokens are RS256 JWTs with header {@code typ: at+jwt}
 * (<a href="https://www.rfc-editor.org/rfc/rfc9068">RFC 9068</a>) and claims {@code iss}
 * ({@link #issuer()}), {@code aud} ({@value #AUDIENCE}), {@code sub}, {@code roles}, {@code iat},
 * {@code exp} and {@code jti}. Refresh tokens are opaque random strings; only their SHA-256 is
 * kept. Nothing here logs a token or a password.
 *
 * <p>Thread-safe; all token state is guarded by this object's lock.
 */
public final class DemoIdentityProvider implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoIdentityProvider.class);

    /** The {@code aud} of every access token. */
    public static final String AUDIENCE = "sessiongate-demo";
    /** The claim that lists a user's roles. */
    public static final String ROLES_CLAIM = "roles";
    /** How long a refresh token (and its family) stays usable. */
    public static final Duration REFRESH_TTL = Duration.ofHours(12);

    private static final int MAX_BODY_BYTES = 8 * 1024;
    private static final String JSON = "application/json;charset=UTF-8";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The demo users. A real identity provider stores salted, slow hashes, never these. */
    private static final Map<String, User> USERS = Map.of(
            "alice", new User(sha256("alice-password"), List.of("user")),
            "admin", new User(sha256("admin-password"), List.of("user", "admin")));
    /** Compared against when the user is unknown, so that timing does not tell which names exist. */
    private static final byte[] NO_SUCH_USER = sha256("no such user " + RANDOM.nextLong());

    private final HttpServer server;
    private final ExecutorService executor;
    private final RsaJsonWebKey key;
    private final String jwks;
    private final String issuer;
    private final Duration accessTtl;
    private final Clock clock;

    /** Refresh token SHA-256 (hex) to what it stands for. */
    private final Map<String, RefreshGrant> refreshTokens = new HashMap<>();
    private final Set<String> revokedFamilies = new HashSet<>();

    private record User(byte[] passwordSha256, List<String> roles) {
    }

    /** One refresh token: its family (one per login), who it is for, and whether it was used. */
    private record RefreshGrant(String family, String subject, List<String> roles, Instant expiresAt, boolean used) {
        RefreshGrant markUsed() {
            return new RefreshGrant(family, subject, roles, expiresAt, true);
        }
    }

    private DemoIdentityProvider(HttpServer server, ExecutorService executor, Duration accessTtl, Clock clock)
            throws JoseException {
        this.server = server;
        this.executor = executor;
        this.accessTtl = accessTtl;
        this.clock = clock;
        this.issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        this.key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId("demo-" + randomToken(6));
        key.setUse("sig");
        key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        this.jwks = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /**
     * Generates the signing key and starts serving.
     *
     * @param port the port on 127.0.0.1, or 0 for any free one
     * @param accessTtl lifetime of access tokens
     * @param clock the time for {@code iat}, {@code exp} and expiry checks
     * @throws IOException when the port cannot be bound
     */
    public static DemoIdentityProvider start(int port, Duration accessTtl, Clock clock) throws IOException {
        Objects.requireNonNull(accessTtl, "accessTtl");
        Objects.requireNonNull(clock, "clock");
        if (accessTtl.isNegative() || accessTtl.isZero()) {
            throw new IllegalArgumentException("accessTtl must be positive");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "demo-idp");
            t.setDaemon(true);
            return t;
        });
        DemoIdentityProvider idp;
        try {
            idp = new DemoIdentityProvider(server, executor, accessTtl, clock);
        } catch (JoseException e) {
            server.stop(0);
            executor.shutdownNow();
            throw new IllegalStateException("could not generate the demo signing key", e);
        }
        server.setExecutor(executor);
        idp.route("/.well-known/jwks.json", "GET", idp::jwks);
        idp.route("/login", "POST", idp::login);
        idp.route("/refresh", "POST", idp::refresh);
        idp.route("/revoke", "POST", idp::revoke);
        idp.route("/me", "GET", idp::me);
        server.start();
        LOG.info("demo identity provider on {} (key {}, access tokens live {}s)", idp.issuer,
                idp.key.getKeyId(), accessTtl.toSeconds());
        return idp;
    }

    /** The base URL, which is also the {@code iss} of every token: {@code http://127.0.0.1:PORT}. */
    public String issuer() {
        return issuer;
    }

    /**
     * Serves {@code api} under {@value DemoApi#PATH} on this server, every method: the demo's
     * backend API, which the webapp's proxy forwards to. Call once.
     */
    public void serveApi(DemoApi api) {
        Objects.requireNonNull(api, "api");
        server.createContext(DemoApi.PATH, exchange -> {
            try (exchange) {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readNBytes(DemoApi.MAX_BODY_BYTES + 1);
                    in.transferTo(OutputStream.nullOutputStream());
                }
                java.net.URI uri = exchange.getRequestURI();
                DemoApi.Response answer = api.handle(new DemoApi.Request(exchange.getRequestMethod(), uri.getRawPath(),
                        uri.getRawQuery(), exchange.getRequestHeaders().keySet(),
                        exchange.getRequestHeaders().getOrDefault("Authorization", List.of()), body));
                if (answer.setsCookie()) {
                    exchange.getResponseHeaders().add("Set-Cookie", DemoApi.ECHO_COOKIE + "; Path=/");
                }
                send(exchange, answer.status(), answer.json(), "no-store");
            } catch (RuntimeException e) {
                LOG.error("demo API failed on {}", exchange.getRequestURI().getRawPath(), e);
                throw e;
            }
        });
    }

    /** Stops serving at once. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- endpoints --------------------------------------------------------------------------

    private void jwks(HttpExchange exchange) throws IOException {
        send(exchange, 200, jwks, "public, max-age=60");
    }

    private void login(HttpExchange exchange) throws IOException {
        Map<String, String> form = readForm(exchange);
        if (form == null) {
            return;
        }
        String username = form.getOrDefault("username", "");
        String password = form.getOrDefault("password", "");
        User user = USERS.get(username);
        boolean match = MessageDigest.isEqual(user == null ? NO_SUCH_USER : user.passwordSha256(), sha256(password));
        if (user == null || !match) {
            LOG.debug("login refused");
            error(exchange, 401, "invalid_grant");
            return;
        }
        Map<String, Object> tokens;
        synchronized (this) {
            tokens = issue(username, user.roles(), randomToken(12));
        }
        LOG.info("signed in {}", username);
        sendJson(exchange, 200, tokens);
    }

    private void refresh(HttpExchange exchange) throws IOException {
        Map<String, String> form = readForm(exchange);
        if (form == null) {
            return;
        }
        String token = form.get("refresh_token");
        if (token == null || token.isEmpty()) {
            error(exchange, 400, "invalid_request");
            return;
        }
        String hash = hex(sha256(token));
        Map<String, Object> tokens = null;
        String subject = null;
        synchronized (this) {
            RefreshGrant grant = refreshTokens.get(hash);
            if (grant == null) {
                LOG.debug("refresh refused: unknown token");
            } else if (revokedFamilies.contains(grant.family())) {
                LOG.debug("refresh refused for {}: family revoked", grant.subject());
            } else if (grant.used()) {
                revokedFamilies.add(grant.family());
                LOG.warn("refresh token reuse for {}: revoked every token of that sign-in", grant.subject());
            } else if (!clock.instant().isBefore(grant.expiresAt())) {
                LOG.debug("refresh refused for {}: expired", grant.subject());
            } else {
                refreshTokens.put(hash, grant.markUsed());
                tokens = issue(grant.subject(), grant.roles(), grant.family());
                subject = grant.subject();
            }
        }
        if (tokens == null) {
            error(exchange, 401, "invalid_grant");
            return;
        }
        LOG.debug("refreshed {}", subject);
        sendJson(exchange, 200, tokens);
    }

    private void revoke(HttpExchange exchange) throws IOException {
        Map<String, String> form = readForm(exchange);
        if (form == null) {
            return;
        }
        String token = form.getOrDefault("token", form.get("refresh_token"));
        if (token != null && !token.isEmpty()) {
            synchronized (this) {
                RefreshGrant grant = refreshTokens.get(hex(sha256(token)));
                if (grant != null && revokedFamilies.add(grant.family())) {
                    LOG.info("signed out {}", grant.subject());
                }
            }
        }
        sendJson(exchange, 200, Map.of());
    }

    private void me(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        JwtClaims claims = token == null ? null : verify(token);
        if (claims == null) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            error(exchange, 401, "invalid_token");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        try {
            body.put("sub", claims.getSubject());
            body.put("roles", claims.getStringListClaimValue(ROLES_CLAIM));
        } catch (MalformedClaimException e) {
            error(exchange, 401, "invalid_token");
            return;
        }
        sendJson(exchange, 200, body);
    }

    // ---- tokens -----------------------------------------------------------------------------

    /** Issues an access token and a new refresh token in the family; the caller holds the lock. */
    private Map<String, Object> issue(String subject, List<String> roles, String family) {
        Instant now = clock.instant();
        pruneExpired(now);
        String refreshToken = randomToken(32);
        refreshTokens.put(hex(sha256(refreshToken)),
                new RefreshGrant(family, subject, roles, now.plus(REFRESH_TTL), false));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", accessToken(subject, roles, now));
        response.put("refresh_token", refreshToken);
        response.put("expires_in", accessTtl.toSeconds());
        response.put("token_type", "Bearer");
        return response;
    }

    private String accessToken(String subject, List<String> roles, Instant now) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(AUDIENCE);
        claims.setSubject(subject);
        claims.setStringListClaim(ROLES_CLAIM, roles);
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(accessTtl).getEpochSecond()));
        claims.setJwtId(randomToken(16));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "at+jwt");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("could not sign an access token", e);
        }
    }

    /** The claims of one of our own valid access tokens, or {@code null}. */
    private JwtClaims verify(String token) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(30)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .setExpectedIssuer(issuer)
                .setExpectedAudience(AUDIENCE)
                .setVerificationKey(key.getPublicKey())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .build();
        try {
            return consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            // The exception's message holds the whole token: never log it.
            LOG.debug("/me refused a token");
            return null;
        }
    }

    private void pruneExpired(Instant now) {
        refreshTokens.values().removeIf(grant -> !now.isBefore(grant.expiresAt()));
        revokedFamilies.retainAll(refreshTokens.values().stream().map(RefreshGrant::family).toList());
    }

    // ---- HTTP plumbing ----------------------------------------------------------------------

    private interface Endpoint {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** Serves exactly {@code path} (the server's contexts match prefixes) for one method. */
    private void route(String path, String method, Endpoint endpoint) {
        HttpHandler handler = exchange -> {
            try (exchange) {
                if (!path.equals(exchange.getRequestURI().getRawPath())) {
                    error(exchange, 404, "not_found");
                } else if (!method.equals(exchange.getRequestMethod())) {
                    exchange.getResponseHeaders().set("Allow", method);
                    error(exchange, 405, "method_not_allowed");
                } else {
                    endpoint.handle(exchange);
                }
            } catch (RuntimeException e) {
                LOG.error("demo identity provider failed on {}", path, e);
                throw e;
            }
        };
        server.createContext(path, handler);
    }

    /**
     * The request's parameters from a form or a flat JSON object; {@code null} after answering
     * 400 or 415 when the body is neither.
     */
    private static Map<String, String> readForm(HttpExchange exchange) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            error(exchange, 413, "invalid_request");
            return null;
        }
        String body = new String(bytes, StandardCharsets.UTF_8);
        Map<String, String> params = new HashMap<>();
        try {
            if (mediaType.equals("application/x-www-form-urlencoded")) {
                for (String pair : body.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    params.putIfAbsent(name, value);
                }
            } else if (mediaType.equals("application/json")) {
                for (Map.Entry<String, Object> e : JsonUtil.parseJson(body).entrySet()) {
                    if (e.getValue() instanceof String s) {
                        params.put(e.getKey(), s);
                    }
                }
            } else {
                error(exchange, 415, "invalid_request");
                return null;
            }
        } catch (IllegalArgumentException | JoseException e) {
            error(exchange, 400, "invalid_request");
            return null;
        }
        return params;
    }

    private static void error(HttpExchange exchange, int status, String error) throws IOException {
        sendJson(exchange, status, Map.of("error", error));
    }

    private static void sendJson(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        send(exchange, status, JsonUtil.toJson(body), "no-store");
    }

    private static void send(HttpExchange exchange, int status, String json, String cacheControl) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", JSON);
        exchange.getResponseHeaders().set("Cache-Control", cacheControl);
        if (exchange.getRequestMethod().equals("HEAD")) { // the demo API answers every method
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
