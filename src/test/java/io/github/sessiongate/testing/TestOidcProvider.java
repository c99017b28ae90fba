package io.github.sessiongate.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.github.sessiongate.internal.BackendHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * An OpenID provider in this JVM for unit tests: a loopback {@link HttpServer} with the issuer
 * {@code http://127.0.0.1:<port>/realm}, a discovery document, the JWKS of an RSA test key (kid
 * {@code k1}) and ID tokens signed with it. The document names {@code authorization_endpoint}
 * {@code /auth}, {@code token_endpoint} {@code /token} and {@code jwks_uri} {@code /jwks} under the
 * issuer; {@link #endpoint} adds, moves or drops one, {@link #handle} serves any other path. It
 * also hands out the {@link BackendHttp} to reach it with. Close it after each test.
 */
public final class TestOidcProvider implements AutoCloseable {
    /** The key id of {@link #key()} in the JWKS and in the tokens {@link #sign} makes. */
    public static final String KEY_ID = "k1";

    private static final String BASE = "/realm";

    private final HttpServer server;
    private final String issuer;
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private final Map<String, HttpHandler> handlers = new ConcurrentHashMap<>();
    private final AtomicInteger discoveryStatus = new AtomicInteger(200);
    private final AtomicInteger discoveryHits = new AtomicInteger();
    private final BackendHttp http = new BackendHttp(Duration.ofSeconds(2), Duration.ofSeconds(2));
    private volatile String saidIssuer;
    private RsaJsonWebKey key;

    private TestOidcProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + BASE;
        saidIssuer = issuer;
        endpoints.put("authorization_endpoint", "/auth");
        endpoints.put("token_endpoint", "/token");
        endpoints.put("jwks_uri", "/jwks");
        server.createContext("/", this::dispatch);
        server.start();
    }

    /** A started provider; nothing is generated until {@link #key()} or the JWKS is first asked for. */
    public static TestOidcProvider start() throws IOException {
        return new TestOidcProvider();
    }

    /** The issuer identifier, {@code http://127.0.0.1:<port>/realm}. */
    public String issuer() {
        return issuer;
    }

    /** A client for the code under test to reach this provider with (2 s timeouts), closed with it. */
    public BackendHttp http() {
        return http;
    }

    /** The provider's signing key (RSA 2048, kid {@link #KEY_ID}), made on first use. */
    public synchronized RsaJsonWebKey key() {
        if (key == null) {
            try {
                key = RsaJwkGenerator.generateJwk(2048);
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
            key.setKeyId(KEY_ID);
        }
        return key;
    }

    /**
     * Names {@code name} in the discovery document at {@code path} under the issuer (the JWKS is
     * served wherever {@code jwks_uri} points); a {@code null} path drops the entry.
     */
    public TestOidcProvider endpoint(String name, String path) {
        synchronized (endpoints) {
            if (path == null) {
                endpoints.remove(name);
            } else {
                endpoints.put(name, path);
            }
        }
        return this;
    }

    /** Serves {@code path} under the issuer (e.g. {@code /token}) with {@code handler}. */
    public TestOidcProvider handle(String path, HttpHandler handler) {
        handlers.put(BASE + path, handler);
        return this;
    }

    /**
     * Names {@code revocation_endpoint} {@code /revoke} and serves it with 200; the list gets each
     * request's form body as sent.
     */
    public List<String> recordRevocations() {
        List<String> revoked = new CopyOnWriteArrayList<>();
        endpoint("revocation_endpoint", "/revoke").handle("/revoke", ex -> {
            revoked.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        return revoked;
    }

    /** The {@code issuer} the discovery document states from now on (the real one by default). */
    public void discoveryIssuer(String said) {
        saidIssuer = said;
    }

    /** The HTTP status of the discovery answer from now on (200 by default; the body is the same). */
    public void discoveryStatus(int status) {
        discoveryStatus.set(status);
    }

    /** How often the discovery document was asked for. */
    public int discoveryHits() {
        return discoveryHits.get();
    }

    /** Claims of a fresh ID token: this issuer, {@code audience}, subject {@code alice}, issued now, expiring in 300 s. */
    public JwtClaims claims(Clock clock, String audience) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(issuer);
        c.setAudience(audience);
        c.setSubject("alice");
        c.setIssuedAt(NumericDate.fromMilliseconds(clock.millis()));
        c.setExpirationTime(NumericDate.fromMilliseconds(clock.instant().plusSeconds(300).toEpochMilli()));
        return c;
    }

    /** {@code claims} signed RS256 with {@link #key()}. */
    public String sign(JwtClaims claims) throws JoseException {
        return sign(claims, key(), AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    /** {@code claims} signed with {@code signer} and {@code algorithm}, under kid {@link #KEY_ID} whatever the key. */
    public static String sign(JwtClaims claims, RsaJsonWebKey signer, String algorithm) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signer.getPrivateKey());
        jws.setKeyIdHeaderValue(KEY_ID);
        jws.setAlgorithmHeaderValue(algorithm);
        return jws.getCompactSerialization();
    }

    /** Answers {@code status} with a JSON body. */
    public static void json(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private void dispatch(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        HttpHandler handler = handlers.get(path);
        if (path.equals(BASE + "/.well-known/openid-configuration")) {
            discoveryHits.incrementAndGet();
            json(ex, discoveryStatus.get(), document());
        } else if (path.equals(BASE + endpointPath("jwks_uri"))) {
            json(ex, 200, new JsonWebKeySet(key()).toJson());
        } else if (handler != null) {
            handler.handle(ex);
        } else {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        }
    }

    private String endpointPath(String name) {
        synchronized (endpoints) {
            return endpoints.get(name);
        }
    }

    private String document() {
        StringBuilder doc = new StringBuilder("{\"issuer\":\"").append(saidIssuer).append('"');
        synchronized (endpoints) {
            endpoints.forEach((name, path) -> doc.append(",\"").append(name).append("\":\"").append(issuer).append(path).append('"'));
        }
        return doc.append('}').toString();
    }

    @Override
    public void close() {
        http.close();
        server.stop(0);
    }
}
