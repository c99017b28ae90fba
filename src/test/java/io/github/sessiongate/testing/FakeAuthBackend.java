package io.github.sessiongate.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * A fake authentication backend for tests: a real HTTP server on 127.0.0.1 in the test JVM
 * (JDK {@link HttpServer}), so clients under test go through real sockets, timeouts and refused
 * connections. Thread-safe; {@link AutoCloseable}.
 *
 * <p><b>Tokens.</b> Access tokens are RS256 JWTs signed with a generated RSA key whose public half
 * is at {@code GET /.well-known/jwks.json} (with a {@code kid}); claims {@code iss} (the
 * {@link #baseUrl()}), {@code aud} ({@link #DEFAULT_AUDIENCE} unless configured), {@code sub},
 * {@code roles} (array), {@code iat}, {@code exp} (now + access TTL, "now" from the injected
 * {@link Clock}), and a unique {@code jti} (unless {@link #jti(boolean) switched off}: then two tokens
 * minted for one user in one second of the clock are the same string, as RS256 signs deterministically). Refresh tokens are opaque random strings. Every login
 * starts a <em>family</em>; each refresh of a family's current token rotates it (new access token
 * and new refresh token, the old one marked used). Presenting an already-used refresh token is
 * treated as theft: the whole family is revoked (RFC 9700 / OAuth 2.0 Security BCP, 4.14).
 *
 * <p><b>Endpoints.</b>
 * <ul>
 *   <li>{@code POST /login}: form or JSON {@code username}, {@code password} -> 200
 *       {@code {"access_token","refresh_token","expires_in","token_type":"Bearer"}}, or 401
 *       {@code {"error":"invalid_grant"}}.</li>
 *   <li>{@code POST /refresh}: form {@code refresh_token=} or JSON {@code {"refresh_token"}} ->
 *       200 as login (rotated unless {@link #rotate(boolean) rotation} is off), or 401
 *       {@code {"error":"invalid_grant"}} for an unknown, used, revoked or expired token.</li>
 *   <li>{@code POST /oauth2/token} (RFC 6749): client authentication by HTTP Basic or
 *       {@code client_id}/{@code client_secret} in the form; {@code grant_type=refresh_token}
 *       (and {@code password}). Wrong client -> 401 {@code invalid_client}; bad grant -> 400
 *       {@code invalid_grant}.</li>
 *   <li>{@code POST /oauth2/introspect} (RFC 7662): client authentication as above;
 *       {@code token=} -> {@code {"active":true,"sub","exp","iat","scope","roles",...}} or
 *       {@code {"active":false}}.</li>
 *   <li>{@code GET /me}: {@code Authorization: Bearer <access token>} -> 200
 *       {@code {"sub","roles","exp"}}, else 401.</li>
 *   <li>{@code POST /revoke}: form or JSON {@code token=} or {@code refresh_token=}: revokes that
 *       refresh token's family; always 200 (RFC 7009).</li>
 *   <li>{@code GET /.well-known/jwks.json}: the public signing keys.</li>
 * </ul>
 * The access tokens {@code /me} and introspection accept are the ones this backend issued, not
 * expired on its clock, whose family is not revoked.
 *
 * <p><b>Controls</b> for failure tests: {@link #calls(String)} counts requests per path (every
 * request, failed ones too); {@link #delay(Duration)} makes every answer slow, {@link
 * #delay(String, Duration)} those of one path; {@link #handlingTimes(String)} tells how long each
 * answer took here; {@link
 * #failWith(int)} answers every request with that status until {@link #clearFailure()};
 * {@link #override(String, int, String)} answers one path with a canned body (garbage, odd
 * formats); {@link #stop()} and {@link #start()} take the server down and bring it back on the
 * same port; {@link #issue(String)} mints tokens without HTTP; {@link #revokeAll()}.
 *
 * <pre>{@code
 * try (FakeAuthBackend backend = FakeAuthBackend.builder().clock(clock).build().start()) {
 *     FakeAuthBackend.Tokens tokens = backend.issue("alice");
 *     // point the code under test at backend.url("/refresh"), backend.jwksUrl(), ...
 *     backend.failWith(503);
 * }
 * }</pre>
 */
public final class FakeAuthBackend implements AutoCloseable {
    /** Default {@code aud} of issued access tokens. */
    public static final String DEFAULT_AUDIENCE = "sessiongate-test";
    /** Default OAuth2 client id accepted at the token and introspection endpoints. */
    public static final String DEFAULT_CLIENT_ID = "sessiongate";
    /** Default OAuth2 client secret. */
    public static final String DEFAULT_CLIENT_SECRET = "sessiongate-client-secret";
    /** Default access-token lifetime. */
    public static final Duration DEFAULT_ACCESS_TTL = Duration.ofMinutes(5);
    /** Default refresh-token lifetime. */
    public static final Duration DEFAULT_REFRESH_TTL = Duration.ofDays(1);
    /** Default {@code scope} in introspection answers. */
    public static final String DEFAULT_SCOPE = "openid profile";

    public static final String LOGIN = "/login";
    public static final String REFRESH = "/refresh";
    public static final String TOKEN = "/oauth2/token";
    public static final String INTROSPECT = "/oauth2/introspect";
    public static final String ME = "/me";
    public static final String REVOKE = "/revoke";
    public static final String JWKS = "/.well-known/jwks.json";

    /** Generated once per JVM and shared by instances that do not ask for their own key: RSA key generation is slow. */
    private static volatile RsaJsonWebKey sharedKey;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Clock clock;
    private final String audience;
    private final Duration accessTtl;
    private final Duration refreshTtl;
    private final String clientId;
    private final String clientSecret;
    private final Map<String, User> users;
    private final int instance = INSTANCES.incrementAndGet();

    private final Object lifecycle = new Object();
    private volatile int port;
    private HttpServer server;
    private ExecutorService executor;
    private boolean closed;

    private final List<RsaJsonWebKey> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Recorded> lastRequests = new ConcurrentHashMap<>();
    private final Map<String, Canned> overrides = new ConcurrentHashMap<>();
    private volatile Duration delay = Duration.ZERO;
    private final Map<String, Duration> pathDelays = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> handlingNanos = new ConcurrentHashMap<>();
    /** Handling times kept per path at most (since start or {@link #resetCalls()}): long benchmark runs stay small. */
    private static final int MAX_HANDLING_TIMES = 100_000;
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();
    private volatile int failStatus;
    private volatile boolean rotate;
    private volatile boolean jti = true;
    private volatile int accessTokenLength;

    /** Grant state; guarded by {@code this}. */
    private final Map<String, RefreshGrant> refreshTokens = new LinkedHashMap<>();
    private final Map<String, Family> families = new LinkedHashMap<>();
    private final Map<String, AccessGrant> accessTokens = new LinkedHashMap<>();

    /** A user who may log in. */
    public record User(String name, String password, List<String> roles) {
        public User {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(password, "password");
            roles = List.copyOf(roles);
        }

        @Override
        public String toString() {
            return "User[" + name + ", roles=" + roles + "]";
        }
    }

    /** What a login or refresh hands out. */
    public record Tokens(String accessToken, String refreshToken, long expiresIn) {
        @Override
        public String toString() {
            return "Tokens[expiresIn=" + expiresIn + "]";
        }
    }

    /** The last request seen at a path: method, headers (lower-case names) and body. */
    public record Recorded(String method, Map<String, List<String>> headers, String body) {
        /** The first value of a header, by case-insensitive name. */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        /** The body parsed as a form (empty map when it is not one). */
        public Map<String, String> form() {
            return parseForm(body);
        }
    }

    private record Canned(int status, String contentType, String body) {
    }

    private record RefreshGrant(String family, Instant expiresAt, boolean used) {
        RefreshGrant markUsed() {
            return new RefreshGrant(family, expiresAt, true);
        }
    }

    private record Family(User user, boolean revoked) {
    }

    private record AccessGrant(String family, User user, Instant issuedAt, Instant expiresAt, String jti) {
    }

    private FakeAuthBackend(Builder b) {
        this.clock = b.clock;
        this.audience = b.audience;
        this.accessTtl = b.accessTtl;
        this.refreshTtl = b.refreshTtl;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.users = Collections.unmodifiableMap(new LinkedHashMap<>(b.users));
        this.rotate = b.rotate;
        this.port = b.port;
        keys.add(b.ownKey ? newKey("fake-" + instance + "-1") : sharedKey());
    }

    /** A backend with the defaults: users alice and admin, system clock, rotation on. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds and starts a backend with the defaults on a free port. */
    public static FakeAuthBackend started() {
        return builder().build().start();
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Starts listening: on the configured port the first time (0 picks a free one), and on the
     * same port as before after a {@link #stop()}. Does nothing when already running.
     *
     * @return this
     */
    public FakeAuthBackend start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            if (server != null) {
                return this;
            }
            try {
                HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
                ExecutorService pool = Executors.newCachedThreadPool(daemonThreads("fake-auth-backend-" + instance));
                created.setExecutor(pool);
                created.createContext("/", this::handle);
                created.start();
                server = created;
                executor = pool;
                port = created.getAddress().getPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
            }
            return this;
        }
    }

    /**
     * Stops listening and drops open connections at once, so clients see refused connections until
     * {@link #start()}. Slow answers in progress are interrupted. Token state is kept.
     */
    public void stop() {
        synchronized (lifecycle) {
            if (server == null) {
                return;
            }
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
            executor = null;
        }
    }

    /** Whether the server is listening. */
    public boolean isRunning() {
        synchronized (lifecycle) {
            return server != null;
        }
    }

    /** Stops for good. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            stop();
            closed = true;
        }
    }

    // ------------------------------------------------------------------ addresses

    /** The port; fixed after the first {@link #start()}. */
    public int port() {
        int p = port;
        if (p == 0) {
            throw new IllegalStateException("not started yet");
        }
        return p;
    }

    /** {@code http://127.0.0.1:PORT}, also the {@code iss} of every access token. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The issuer ({@code iss}): the base URL. */
    public String issuer() {
        return baseUrl();
    }

    /** The URL of a path, e.g. {@code url(FakeAuthBackend.REFRESH)}. */
    public String url(String path) {
        return baseUrl() + path;
    }

    public String jwksUrl() {
        return url(JWKS);
    }

    public String audience() {
        return audience;
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    public Duration accessTtl() {
        return accessTtl;
    }

    /** The key currently signing access tokens. */
    public RsaJsonWebKey signingKey() {
        return keys.get(keys.size() - 1);
    }

    // ------------------------------------------------------------------ controls

    /** Requests received at a path since start or {@link #resetCalls()}, failed ones included. */
    public int calls(String path) {
        AtomicInteger n = calls.get(path);
        return n == null ? 0 : n.get();
    }

    /** Requests received at all paths. */
    public int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public void resetCalls() {
        calls.clear();
        handlingNanos.clear();
    }

    /** The last request at a path, to check what a client sent. */
    public Optional<Recorded> lastRequest(String path) {
        return Optional.ofNullable(lastRequests.get(path));
    }

    /**
     * Every answer waits this long before the request is processed ({@link Duration#ZERO} for
     * none). A client that gives up early may therefore still cause a rotation afterwards, like a
     * real slow backend.
     */
    public void delay(Duration delay) {
        this.delay = Objects.requireNonNull(delay, "delay");
    }

    /**
     * Answers on {@code path} alone wait this long before the request is processed, instead of
     * the {@link #delay(Duration) delay of every answer} ({@link Duration#ZERO} removes it): a slow
     * refresh endpoint next to a prompt JWKS endpoint, as in a refresh storm.
     */
    public void delay(String path, Duration delay) {
        Objects.requireNonNull(path, "path");
        if (Objects.requireNonNull(delay, "delay").isZero()) {
            pathDelays.remove(path);
        } else {
            pathDelays.put(path, delay);
        }
    }

    /**
     * How long this server took over each request on {@code path} so far, in arrival order of
     * completion: from the exchange reaching the handler to the answer written (delays included).
     * The backend's own latency, apart from what its clients spend around it. Kept since start
     * or {@link #resetCalls()}, the first {@value #MAX_HANDLING_TIMES} per path.
     */
    public List<Duration> handlingTimes(String path) {
        List<Long> nanos = handlingNanos.get(path);
        if (nanos == null) {
            return List.of();
        }
        synchronized (nanos) {
            return nanos.stream().map(Duration::ofNanos).toList();
        }
    }

    /**
     * Holds every request on {@code path} (counted in {@link #calls} first) until the returned
     * hold is released or closed: a call kept in flight for as long as a test needs, with no timing
     * to guess. A held request is answered as usual once released (at the latest after a minute).
     */
    public Hold hold(String path) {
        Hold hold = new Hold(path);
        if (holds.putIfAbsent(path, hold) != null) {
            throw new IllegalStateException(path + " is held already");
        }
        return hold;
    }

    /** Requests held on one path; {@link #close()} releases them. */
    public final class Hold implements AutoCloseable {
        private final String path;
        private final CountDownLatch released = new CountDownLatch(1);

        private Hold(String path) {
            this.path = path;
        }

        /** Lets every held request, and every later one, through. Idempotent. */
        public void release() {
            holds.remove(path, this);
            released.countDown();
        }

        @Override
        public void close() {
            release();
        }

        private void await() throws InterruptedException {
            released.await(1, TimeUnit.MINUTES);
        }
    }

    /** Every request is answered with this status and {@code {"error":"temporarily_unavailable"}} until cleared. */
    public void failWith(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status " + status);
        }
        this.failStatus = status;
    }

    public void clearFailure() {
        this.failStatus = 0;
    }

    /** Answers every request at {@code path} with this status and JSON (or any) body until {@link #clearOverrides()}. */
    public void override(String path, int status, String body) {
        override(path, status, "application/json", body);
    }

    public void override(String path, int status, String contentType, String body) {
        overrides.put(path, new Canned(status, contentType, body));
    }

    public void clearOverrides() {
        overrides.clear();
    }

    /** Refresh-token rotation: on (default) issues a new refresh token on each refresh; off keeps the same one. */
    public void rotate(boolean rotate) {
        this.rotate = rotate;
    }

    /**
     * Whether access tokens carry a {@code jti} (default on). Off, as some backends mint them: two
     * tokens for one user in the same second of the clock are then identical strings.
     */
    public void jti(boolean jti) {
        this.jti = jti;
    }

    /** Starts signing with a new key (new {@code kid}); the JWKS publishes old and new. */
    public RsaJsonWebKey rotateSigningKey() {
        RsaJsonWebKey key = newKey("fake-" + instance + "-" + (keys.size() + 1));
        keys.add(key);
        return key;
    }

    // ------------------------------------------------------------------ tokens

    /** Logs a configured user in without HTTP: a new family with a fresh access and refresh token. */
    public synchronized Tokens issue(String user) {
        User u = users.get(user);
        if (u == null) {
            throw new IllegalArgumentException("no such user: " + user);
        }
        String family = UUID.randomUUID().toString();
        families.put(family, new Family(u, false));
        return mint(family, u, newRefreshToken(family));
    }

    /** A fresh access token for a user, starting a new family. */
    public String accessToken(String user) {
        return issue(user).accessToken();
    }

    /** Revokes the family of a refresh token; {@code false} when the token is unknown. */
    public synchronized boolean revoke(String refreshToken) {
        RefreshGrant grant = refreshTokens.get(refreshToken);
        if (grant == null) {
            return false;
        }
        revokeFamily(grant.family());
        return true;
    }

    /** Revokes every family: no refresh token works and no access token introspects as active. */
    public synchronized void revokeAll() {
        families.replaceAll((id, f) -> new Family(f.user(), true));
    }

    /** Whether this refresh token would be accepted now. */
    public synchronized boolean isActive(String refreshToken) {
        RefreshGrant grant = refreshTokens.get(refreshToken);
        return grant != null && !grant.used() && !families.get(grant.family()).revoked()
                && clock.instant().isBefore(grant.expiresAt());
    }

    /** The outcome of a refresh attempt, before it is written as HTTP. */
    private enum Refusal { NONE, UNKNOWN, REUSED, REVOKED, EXPIRED }

    private record RefreshOutcome(Tokens tokens, Refusal refusal) {
    }

    private synchronized RefreshOutcome refresh(String refreshToken) {
        RefreshGrant grant = refreshToken == null ? null : refreshTokens.get(refreshToken);
        if (grant == null) {
            return new RefreshOutcome(null, Refusal.UNKNOWN);
        }
        Family family = families.get(grant.family());
        if (family.revoked()) {
            return new RefreshOutcome(null, Refusal.REVOKED);
        }
        if (grant.used()) {
            revokeFamily(grant.family()); // reuse of a rotated token: assume theft
            return new RefreshOutcome(null, Refusal.REUSED);
        }
        if (!clock.instant().isBefore(grant.expiresAt())) {
            return new RefreshOutcome(null, Refusal.EXPIRED);
        }
        String next = refreshToken;
        if (rotate) {
            refreshTokens.put(refreshToken, grant.markUsed());
            next = newRefreshToken(grant.family());
        }
        return new RefreshOutcome(mint(grant.family(), family.user(), next), Refusal.NONE);
    }

    private synchronized Optional<AccessGrant> activeAccess(String accessToken) {
        AccessGrant grant = accessToken == null ? null : accessTokens.get(accessToken);
        if (grant == null || families.get(grant.family()).revoked() || !clock.instant().isBefore(grant.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(grant);
    }

    private void revokeFamily(String family) {
        families.computeIfPresent(family, (id, f) -> new Family(f.user(), true));
    }

    private String newRefreshToken(String family) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = "rt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        refreshTokens.put(token, new RefreshGrant(family, clock.instant().plus(refreshTtl), false));
        return token;
    }

    /**
     * Makes every access token minted from now on {@code length} characters long, or one shorter (a
     * {@code pad} claim fills it up; as small as it gets when {@code length} is shorter), or back to
     * the natural size with {@code 0}: for tests of tokens near the cookie budget.
     */
    public void accessTokenLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative");
        }
        this.accessTokenLength = length;
    }

    private Tokens mint(String family, User user, String refreshToken) {
        Instant now = clock.instant();
        Instant exp = now.plus(accessTtl);
        String jti = this.jti ? UUID.randomUUID().toString() : null;
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer());
        claims.setAudience(audience);
        claims.setSubject(user.name());
        claims.setStringListClaim("roles", user.roles());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(exp.getEpochSecond()));
        if (jti != null) {
            claims.setJwtId(jti);
        }
        RsaJsonWebKey key = signingKey();
        String access = sign(claims, key);
        int wanted = accessTokenLength;
        if (wanted > access.length()) {
            // A pad claim of n characters adds about 4n/3 to the token: aim low, then fill up, never past it.
            int pad = Math.max(0, (wanted - access.length()) * 3 / 4 - 12);
            String best = access;
            for (int i = 0; i < 64; i++) {
                claims.setClaim("pad", "p".repeat(pad));
                String padded = sign(claims, key);
                if (padded.length() > wanted) {
                    break;
                }
                best = padded;
                if (padded.length() == wanted) {
                    break;
                }
                pad += Math.max(1, (wanted - padded.length()) * 3 / 4);
            }
            access = best;
        }
        accessTokens.put(access, new AccessGrant(family, user, now, exp, jti));
        return new Tokens(access, refreshToken, accessTtl.toSeconds());
    }

    private static String sign(JwtClaims claims, RsaJsonWebKey key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setHeader("typ", "JWT");
        jws.setKey(key.getPrivateKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            lastRequests.put(path, new Recorded(exchange.getRequestMethod(), Collections.unmodifiableMap(headers), body));

            Duration wait = pathDelays.getOrDefault(path, delay);
            Hold hold = holds.get(path);
            try {
                if (hold != null) {
                    hold.await();
                }
                if (!wait.isZero()) {
                    // The behaviour under test: a slow server, against the client's read timeout.
                    Thread.sleep(wait.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // stopping: drop the exchange
            }
            int failure = failStatus;
            if (failure != 0) {
                send(exchange, failure, json("error", "temporarily_unavailable"));
                return;
            }
            Canned canned = overrides.get(path);
            if (canned != null) {
                send(exchange, canned.status(), canned.contentType(), canned.body());
                return;
            }
            route(exchange, path, body);
        } catch (IOException | RuntimeException e) {
            // The client went away or the server is stopping: nothing to answer.
        } finally {
            List<Long> times = handlingNanos.computeIfAbsent(path, p -> new ArrayList<>());
            synchronized (times) {
                if (times.size() < MAX_HANDLING_TIMES) {
                    times.add(System.nanoTime() - started);
                }
            }
        }
    }

    private void route(HttpExchange exchange, String path, String body) throws IOException {
        String method = exchange.getRequestMethod();
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        switch (path) {
            case JWKS -> {
                if (get) {
                    sendJwks(exchange);
                    return;
                }
            }
            case ME -> {
                if (get) {
                    me(exchange);
                    return;
                }
            }
            case LOGIN -> {
                if (post) {
                    login(exchange, params(exchange, body));
                    return;
                }
            }
            case REFRESH -> {
                if (post) {
                    plainRefresh(exchange, params(exchange, body));
                    return;
                }
            }
            case TOKEN -> {
                if (post) {
                    oauthToken(exchange, params(exchange, body));
                    return;
                }
            }
            case INTROSPECT -> {
                if (post) {
                    introspect(exchange, params(exchange, body));
                    return;
                }
            }
            case REVOKE -> {
                if (post) {
                    Map<String, String> p = params(exchange, body);
                    String token = p.getOrDefault("token", p.get("refresh_token"));
                    if (token != null) {
                        revoke(token);
                    }
                    send(exchange, 200, "{}");
                    return;
                }
            }
            default -> {
                send(exchange, 404, json("error", "not_found"));
                return;
            }
        }
        send(exchange, 405, json("error", "method_not_allowed"));
    }

    private void sendJwks(HttpExchange exchange) throws IOException {
        List<JsonWebKey> published = new ArrayList<>(keys);
        send(exchange, 200, new JsonWebKeySet(published).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    }

    private void login(HttpExchange exchange, Map<String, String> p) throws IOException {
        User user = users.get(p.getOrDefault("username", ""));
        if (user == null || !constantTimeEquals(user.password(), p.getOrDefault("password", ""))) {
            send(exchange, 401, json("error", "invalid_grant"));
            return;
        }
        sendTokens(exchange, issue(user.name()));
    }

    private void plainRefresh(HttpExchange exchange, Map<String, String> p) throws IOException {
        RefreshOutcome outcome = refresh(p.get("refresh_token"));
        if (outcome.tokens() == null) {
            send(exchange, 401, json("error", "invalid_grant"));
            return;
        }
        sendTokens(exchange, outcome.tokens());
    }

    private void oauthToken(HttpExchange exchange, Map<String, String> p) throws IOException {
        if (!clientAuthenticated(exchange, p)) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fake\"");
            send(exchange, 401, json("error", "invalid_client"));
            return;
        }
        String grantType = p.getOrDefault("grant_type", "");
        if (grantType.equals("refresh_token")) {
            if (p.get("refresh_token") == null) {
                send(exchange, 400, json("error", "invalid_request"));
                return;
            }
            RefreshOutcome outcome = refresh(p.get("refresh_token"));
            if (outcome.tokens() == null) {
                send(exchange, 400, json("error", "invalid_grant"));
                return;
            }
            sendTokens(exchange, outcome.tokens());
        } else if (grantType.equals("password")) {
            User user = users.get(p.getOrDefault("username", ""));
            if (user == null || !constantTimeEquals(user.password(), p.getOrDefault("password", ""))) {
                send(exchange, 400, json("error", "invalid_grant"));
                return;
            }
            sendTokens(exchange, issue(user.name()));
        } else {
            send(exchange, 400, json("error", "unsupported_grant_type"));
        }
    }

    private void introspect(HttpExchange exchange, Map<String, String> p) throws IOException {
        if (!clientAuthenticated(exchange, p)) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fake\"");
            send(exchange, 401, json("error", "invalid_client"));
            return;
        }
        String token = p.get("token");
        if (token == null) {
            send(exchange, 400, json("error", "invalid_request"));
            return;
        }
        Optional<AccessGrant> access = activeAccess(token);
        Map<String, Object> answer = new LinkedHashMap<>();
        if (access.isPresent()) {
            AccessGrant g = access.get();
            answer.put("active", true);
            answer.put("sub", g.user().name());
            answer.put("username", g.user().name());
            answer.put("exp", g.expiresAt().getEpochSecond());
            answer.put("iat", g.issuedAt().getEpochSecond());
            answer.put("scope", DEFAULT_SCOPE);
            answer.put("roles", g.user().roles());
            answer.put("client_id", clientId);
            answer.put("token_type", "Bearer");
            answer.put("iss", issuer());
            answer.put("aud", audience);
            if (g.jti() != null) {
                answer.put("jti", g.jti());
            }
        } else if (isActive(token)) {
            synchronized (this) {
                RefreshGrant r = refreshTokens.get(token);
                answer.put("active", true);
                answer.put("sub", families.get(r.family()).user().name());
                answer.put("exp", r.expiresAt().getEpochSecond());
                answer.put("client_id", clientId);
                answer.put("token_type", "refresh_token");
            }
        } else {
            answer.put("active", false);
        }
        send(exchange, 200, JsonUtil.toJson(answer));
    }

    private void me(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        Optional<AccessGrant> access = activeAccess(token);
        if (access.isEmpty()) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            send(exchange, 401, json("error", "invalid_token"));
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sub", access.get().user().name());
        answer.put("roles", access.get().user().roles());
        answer.put("exp", access.get().expiresAt().getEpochSecond());
        send(exchange, 200, JsonUtil.toJson(answer));
    }

    /** HTTP Basic (RFC 6749 2.3.1: form-encoded id and secret) or client_id/client_secret in the body. */
    private boolean clientAuthenticated(HttpExchange exchange, Map<String, String> p) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String id;
        String secret;
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return false;
            }
            id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        } else {
            id = p.get("client_id");
            secret = p.get("client_secret");
        }
        return id != null && secret != null && id.equals(clientId) && constantTimeEquals(clientSecret, secret);
    }

    private void sendTokens(HttpExchange exchange, Tokens tokens) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", tokens.accessToken());
        answer.put("refresh_token", tokens.refreshToken());
        answer.put("expires_in", tokens.expiresIn());
        answer.put("token_type", "Bearer");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        send(exchange, 200, JsonUtil.toJson(answer));
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, "application/json", json);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String json(String name, String value) {
        return JsonUtil.toJson(Map.of(name, value));
    }

    /** Form or JSON body; JSON string, number and boolean members become strings. */
    private static Map<String, String> params(HttpExchange exchange, String body) {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.toLowerCase(Locale.ROOT).contains("json")) {
            Map<String, String> out = new LinkedHashMap<>();
            try {
                JsonUtil.parseJson(body).forEach((k, v) -> {
                    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                        out.put(k, String.valueOf(v));
                    }
                });
            } catch (JoseException e) {
                // unparsable: no parameters
            }
            return out;
        }
        return parseForm(body);
    }

    static Map<String, String> parseForm(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                // malformed escape: skip the pair
            }
        }
        return out;
    }

    private static boolean constantTimeEquals(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ...: a test server never keeps the JVM alive. */
    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static RsaJsonWebKey sharedKey() {
        RsaJsonWebKey key = sharedKey;
        if (key == null) {
            synchronized (FakeAuthBackend.class) {
                key = sharedKey;
                if (key == null) {
                    key = newKey("fake-shared-1");
                    sharedKey = key;
                }
            }
        }
        return key;
    }

    private static RsaJsonWebKey newKey(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            key.setUse("sig");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        synchronized (lifecycle) {
            return "FakeAuthBackend[port=" + port + ", running=" + (server != null) + "]";
        }
    }

    /** Configures a {@link FakeAuthBackend}; not thread-safe. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private String audience = DEFAULT_AUDIENCE;
        private Duration accessTtl = DEFAULT_ACCESS_TTL;
        private Duration refreshTtl = DEFAULT_REFRESH_TTL;
        private String clientId = DEFAULT_CLIENT_ID;
        private String clientSecret = DEFAULT_CLIENT_SECRET;
        private final Map<String, User> users = new LinkedHashMap<>();
        private boolean rotate = true;
        private boolean ownKey;
        private int port;

        private Builder() {
            user("alice", "alice-password", "user");
            user("admin", "admin-password", "user", "admin");
        }

        /** Time for {@code iat}, {@code exp} and expiry checks. Default: system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder audience(String audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        public Builder accessTtl(Duration ttl) {
            this.accessTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        public Builder refreshTtl(Duration ttl) {
            this.refreshTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** The OAuth2 client accepted at the token and introspection endpoints. */
        public Builder client(String id, String secret) {
            this.clientId = Objects.requireNonNull(id, "id");
            this.clientSecret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** Adds (or replaces) a user. */
        public Builder user(String name, String password, String... roles) {
            users.put(name, new User(name, password, List.of(roles)));
            return this;
        }

        /** Removes the default users alice and admin. */
        public Builder noUsers() {
            users.clear();
            return this;
        }

        public Builder rotate(boolean rotate) {
            this.rotate = rotate;
            return this;
        }

        /** Signs with a key of this instance's own instead of the per-JVM shared test key. */
        public Builder ownKey() {
            this.ownKey = true;
            return this;
        }

        /** A fixed port; default 0 picks a free one (kept across stop and start). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
            this.port = port;
            return this;
        }

        /** The backend, not started yet. */
        public FakeAuthBackend build() {
            return new FakeAuthBackend(this);
        }
    }

    /** The names of the configured users. */
    public Set<String> users() {
        return users.keySet();
    }
}
