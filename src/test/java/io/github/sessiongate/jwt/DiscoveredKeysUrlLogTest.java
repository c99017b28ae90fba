package io.github.sessiongate.jwt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.ValidatorInit;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The jwks_uri a discovery document names is logged at start-up without its user info and query
 * (as the configured URLs are): a provider that puts a key or password there never sees it in the log.
 */
class DiscoveredKeysUrlLogTest {
    @ParameterizedTest
    @ValueSource(strings = {"http://keys-user:hunter2@127.0.0.1:%d/keys", "http://127.0.0.1:%d/keys?tenant=hunter2"})
    void theDiscoveredJwksUriIsLoggedWithoutUserInfoOrQuery(String jwksForm) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        String jwks = String.format(jwksForm, server.getAddress().getPort());
        byte[] document = ("{\"issuer\":\"" + base + "/realm\",\"jwks_uri\":\"" + jwks + "\"}").getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, document.length);
            exchange.getResponseBody().write(document);
            exchange.close();
        });
        server.start();
        try (LogCapture log = new LogCapture(DiscoveredJwksKeySource.class, JwksKeySource.class)) {
            ValidatorInit.init(new JwtTokenValidator(), InitParams.resolve(Map.of("oidc.issuer", base + "/realm",
                    "jwt.audience", "api")), new MutableClock()).close();
            String text = log.text();
            assertTrue(text.contains("jwks_uri"), () -> "the start-up fetch says what it found: " + text);
            assertFalse(text.contains("hunter2") || text.contains("keys-user"), () -> "user info or query in the log: " + text);
        } finally {
            server.stop(0);
        }
    }
}
