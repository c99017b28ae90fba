package io.github.sessiongate.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidatorInit;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web application's start-up fetches the JWKS (or the discovery document) once: a failure is
 * logged at WARN with the URL (without its query) and the HTTP status, and start-up goes on; a
 * fixed secret fetches nothing. Against a real HTTP server in this JVM answering 500 or 404.
 */
class StartUpKeyFetchTest {
    private final MutableClock clock = new MutableClock();
    private final AtomicInteger hits = new AtomicInteger();
    private HttpServer server;
    private volatile int status = 500;
    private volatile String body;
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            byte[] b = body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, b == null ? -1 : b.length);
            if (b != null) {
                exchange.getResponseBody().write(b);
            }
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private JwtTokenValidator init(Map<String, String> raw) {
        return ValidatorInit.init(new JwtTokenValidator(), InitParams.resolve(raw), clock);
    }

    @Test
    void aJwksAnswering500IsNamedAtWarnWithItsUrlAndStatusAndStartUpGoesOn() throws Exception {
        try (LogCapture log = new LogCapture()) {
            JwtTokenValidator v = init(Map.of("jwt.jwks-url", base + "/keys?tenant=secret-query", "jwt.issuer", "https://idp",
                    "jwt.audience", "api"));
            try {
                assertEquals(1, hits.get(), "fetched once at start-up");
                String warn = log.text();
                assertTrue(log.count("WARN", base + "/keys failed: answered HTTP 500") == 1, warn);
                assertFalse(warn.contains("secret-query"), "the query is left out of the log");
                ValidationResult r = v.validate(TestJwt.token().kid("k").rs256());
                ValidationResult.Unavailable u = assertInstanceOf(ValidationResult.Unavailable.class, r,
                        "the provider still answers 500: no verdict");
                assertTrue(u.cause().contains(base + "/keys answered HTTP 500"), u.cause());
                assertEquals(2, hits.get(), "the failed start-up fetch did not hold the first request back");
                ValidationResult again = v.validate(TestJwt.token().kid("k").rs256());
                assertInstanceOf(ValidationResult.Unavailable.class, again);
                assertEquals(2, hits.get(), "then the refetch interval applies as always");
            } finally {
                v.close();
            }
        }
    }

    @Test
    void aProviderBackAfterAFailedStartUpFetchServesTheFirstRequest() throws Exception {
        JwtTokenValidator v = init(Map.of("jwt.jwks-url", base + "/keys", "jwt.issuer", TestJwt.ISSUER,
                "jwt.audience", TestJwt.AUDIENCE));
        try {
            assertEquals(1, hits.get());
            status = 200;
            body = new org.jose4j.jwk.JsonWebKeySet(org.jose4j.jwk.JsonWebKey.Factory.newJwk(TestJwt.RSA.getPublicKey()))
                    .toJson();
            ValidationResult.Invalid invalid = assertInstanceOf(ValidationResult.Invalid.class,
                    v.validate(TestJwt.token().kid("kid-from-an-attacker").rs256()), "a verdict from the fetched keys");
            assertEquals(ValidationResult.Reason.UNKNOWN_KEY, invalid.reason());
            assertEquals(2, hits.get());
        } finally {
            v.close();
        }
    }

    @Test
    void aDiscoveryDocumentAnswering404IsNamedAtWarn() throws Exception {
        status = 404;
        try (LogCapture log = new LogCapture()) {
            JwtTokenValidator v = init(Map.of("oidc.issuer", base + "/realm", "jwt.audience", "api"));
            try {
                assertEquals(1, hits.get(), "the discovery document, once at start-up");
                assertEquals(1, log.count("WARN", base + "/realm/.well-known/openid-configuration failed: answered HTTP 404"),
                        log.text());
            } finally {
                v.close();
            }
        }
    }

    @Test
    void aJwksFetchedAtStartUpServesTheFirstRequestAndAnUnknownKidNamesTheKeySourceNotTheKid() throws Exception {
        status = 200;
        body = new org.jose4j.jwk.JsonWebKeySet(org.jose4j.jwk.JsonWebKey.Factory.newJwk(TestJwt.RSA.getPublicKey()))
                .toJson();
        JwtTokenValidator v = init(Map.of("jwt.jwks-url", base + "/keys", "jwt.issuer", TestJwt.ISSUER,
                "jwt.audience", TestJwt.AUDIENCE));
        try {
            assertEquals(1, hits.get());
            ValidationResult.Invalid invalid = assertInstanceOf(ValidationResult.Invalid.class,
                    v.validate(TestJwt.token().kid("kid-from-an-attacker").rs256()));
            assertEquals(ValidationResult.Reason.UNKNOWN_KEY, invalid.reason());
            assertEquals("no key for the token's kid and alg among jwks=" + base + "/keys", invalid.detail());
        } finally {
            v.close();
        }
    }

    @Test
    void aFixedSecretFetchesNothing() {
        JwtTokenValidator v = init(Map.of("jwt.secret", TestJwt.SECRET, "jwt.issuer", "https://idp", "jwt.audience", "api"));
        v.close();
        assertEquals(0, hits.get());
    }
}
