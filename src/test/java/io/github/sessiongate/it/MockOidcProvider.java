package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * NAV's mock-oauth2-server in this JVM for the OpenID scenario classes: started on loopback with
 * one issuer, the {@code ${sys:...}} properties of the webapps under a prefix ({@code issuer},
 * {@code audience}, {@code client-id} and what the class adds), and the container serving them.
 * {@link #close()} stops the container, clears the properties and shuts the provider down.
 */
final class MockOidcProvider implements AutoCloseable {
    static final String CLIENT_ID = "sessiongate-web";
    static final String AUDIENCE = "sessiongate-api";

    private final Teardown teardown = new Teardown();
    private final MockOAuth2Server server = new MockOAuth2Server();
    private final HttpClient http = JavaHttp.newClient();
    private final String issuerId;
    private final String issuer;
    private final String clientSecret = "it-secret-" + UUID.randomUUID();
    private final ScenarioProperties properties;

    private MockOidcProvider(String issuerId, String propertyPrefix) throws Exception {
        this.issuerId = issuerId;
        teardown.add(server::shutdown);
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        issuer = "http://127.0.0.1:" + server.baseUrl().port() + "/" + issuerId;
        properties = teardown.add(new ScenarioProperties(propertyPrefix))
                .prefixed("issuer", issuer)
                .prefixed("audience", AUDIENCE)
                .prefixed("client-id", CLIENT_ID);
    }

    /**
     * A started provider for the issuer {@code http://127.0.0.1:<port>/<issuerId>}, its properties set
     * under {@code propertyPrefix} (such as {@code "sessiongate.it.oidc-login."}).
     */
    static MockOidcProvider start(String issuerId, String propertyPrefix) throws Exception {
        return new MockOidcProvider(issuerId, propertyPrefix);
    }

    /** Sets one more property under the prefix. */
    MockOidcProvider property(String name, String value) {
        properties.prefixed(name, value);
        return this;
    }

    /** {@code jwt.jwks-url} set by hand: the provider's JWKS. */
    MockOidcProvider withJwksUrl() {
        return property("jwks-url", issuer + "/jwks");
    }

    /** The {@code client-secret} {@link #clientSecret()} (the mock provider accepts any). */
    MockOidcProvider withClientSecret() {
        return property("client-secret", clientSecret);
    }

    /** A random secret, this provider's own. */
    String clientSecret() {
        return clientSecret;
    }

    /** A random 32-byte cookie-sealing key {@code k1}. */
    MockOidcProvider withCookieKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return property("cookie-keys", "k1:" + Base64.getEncoder().encodeToString(key));
    }

    /**
     * Starts {@code container} with {@code webapps} and warms the provider up: its first answer can
     * outlast backend-read-timeout on a busy machine, and a failed discovery answers 503 for
     * RETRY_DISCOVERY to every test of the class. Returns the container's base URI.
     */
    URI serve(Container container, Container.Webapp... webapps) throws Exception {
        URI base = teardown.add(container).startServing(List.of(webapps));
        http.send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString());
        return base;
    }

    String issuer() {
        return issuer;
    }

    /** The client that plays the browser at the provider. */
    HttpClient http() {
        return http;
    }

    /** The server itself, for its recorded requests and other callbacks. */
    MockOAuth2Server server() {
        return server;
    }

    /** The next token request issues tokens for {@code subject} with {@code audience}, valid for an hour. */
    void enqueue(String subject, String audience) {
        enqueue(subject, audience, Map.of());
    }

    /** The same with more {@code claims}. */
    void enqueue(String subject, String audience, Map<String, Object> claims) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", List.of(audience), claims, 3600));
    }

    /**
     * The provider's answer to an authorization request: its redirect to the callback. The user
     * ({@code subject}, with {@link #AUDIENCE}) is enqueued for the token request, which consumes it;
     * null when the callback is refused before the code is exchanged.
     */
    URI authorize(URI authorize, String subject) throws Exception {
        if (subject != null) {
            enqueue(subject, AUDIENCE);
        }
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, answer.statusCode(), answer::body);
        return URI.create(answer.headers().firstValue("Location").orElseThrow());
    }

    @Override
    public void close() throws Exception {
        teardown.close();
    }
}
