package io.github.sessiongate.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * The demo's OpenID provider for {@code SAMPLE_LOGIN=oidc}: NAV's mock-oauth2-server in this JVM,
 * on {@code 127.0.0.1} only, with its interactive login page. Whoever types a name on that page
 * signs in with that name as subject; nothing is checked. A test double, never an identity
 * provider. The same port serves the demo's backend API ({@link DemoApi}, under
 * {@value DemoApi#PATH}), which trusts this mock's access tokens.
 *
 * <p>Its tokens: the access token's {@code aud} is {@value #AUDIENCE} (the ID token's is the
 * client id), every token carries {@code "roles": ["user"]} and lives as long as the demo's access
 * tokens; refresh tokens rotate. The mock copies the sign-in's {@code nonce} into the access token,
 * so the demo sets {@code jwt.accept-access-token-nonce} for it (and only for it). The default token
 * callback used here gives every typed name the same claims, so {@code admin} gets its role on the
 * sample's side: {@link MockProviderValidator}. (6.0.2's {@code RequestMappingTokenCallback} can
 * match the typed name as {@code subject}, but its claims replace the ID token's {@code aud} as
 * well; the hook keeps the tokens as a real provider shapes them.)
 */
public final class MockOidcProvider implements AutoCloseable {
    /** The issuer's path segment: the issuer is {@code http://127.0.0.1:<port>/}{@value}. */
    public static final String ISSUER_ID = "sessiongate-demo";
    /** The {@code aud} of its access tokens, the same as the password demo's. */
    public static final String AUDIENCE = DemoIdentityProvider.AUDIENCE;
    /** The client the demo signs in as (the mock accepts any). */
    public static final String CLIENT_ID = "sessiongate-sample";
    /** The claim holding the roles, the same as the password demo's. */
    public static final String ROLES_CLAIM = DemoIdentityProvider.ROLES_CLAIM;

    private final MockOAuth2Server server;
    private final String issuer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MockOidcProvider(MockOAuth2Server server, String issuer) {
        this.server = server;
        this.issuer = issuer;
    }

    /**
     * Starts serving on {@code 127.0.0.1:port}.
     *
     * @param port the port, or 0 for any free one
     * @param tokenTtl the lifetime of the ID, access and (sign-in) tokens
     * @throws IOException when the port cannot be bound
     */
    public static MockOidcProvider start(int port, Duration tokenTtl) throws IOException {
        DefaultOAuth2TokenCallback tokens = new DefaultOAuth2TokenCallback(ISSUER_ID, UUID.randomUUID().toString(),
                "JWT", List.of(AUDIENCE), Map.of(ROLES_CLAIM, List.of("user")), tokenTtl.toSeconds());
        OAuth2Config config = new OAuth2Config(true, null, null, true, new OAuth2TokenProvider(), Set.of(tokens),
                new MockWebServerWrapper());
        // The demo's backend API on the same port, trusting this mock's tokens; its issuer (and
        // so the API) is known once the port is bound.
        AtomicReference<DemoApi> api = new AtomicReference<>();
        MockOAuth2Server server = new MockOAuth2Server(config, new ApiRoute(api));
        try {
            server.start(InetAddress.getByName("127.0.0.1"), port);
        } catch (RuntimeException e) {
            server.shutdown();
            throw new IOException("mock-oauth2-server did not start on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        String issuer = "http://127.0.0.1:" + server.baseUrl().port() + "/" + ISSUER_ID;
        api.set(new DemoApi(issuer, AUDIENCE, jwksUrl(issuer)));
        MockOidcProvider provider = new MockOidcProvider(server, issuer);
        try {
            provider.warmUp();
        } catch (IOException e) {
            provider.close();
            throw e;
        }
        return provider;
    }

    /**
     * Asks for the discovery document, the keys and one (client credentials) token once, so that the mock's first answers (class
     * loading, template engine) are not what the filter's first discovery waits for: a cold
     * first answer can outlast the filter's backend read timeout, and the sign-in would answer
     * {@code 503} until discovery is retried.
     */
    private void warmUp() throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String url : List.of(issuer + "/.well-known/openid-configuration", jwksUrl(), issuer + "/token")) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
            if (url.endsWith("/token")) {
                request.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&scope=warm-up&client_id=warm-up&client_secret=warm-up"));
            }
            try {
                HttpResponse<Void> answer = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() != 200) {
                    throw new IOException(url + " answered " + answer.statusCode());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading " + url, e);
            }
        }
    }

    /** The issuer, {@code http://127.0.0.1:<port>/sessiongate-demo}; discovery is under it. */
    public String issuer() {
        return issuer;
    }

    /** Its JSON Web Key Set, what the demo's access-token validator reads. */
    public String jwksUrl() {
        return jwksUrl(issuer);
    }

    /** The JWKS URL of the mock with this issuer (node 2 of the demo uses node 1's). */
    static String jwksUrl(String issuer) {
        return issuer + "/jwks";
    }

    /** The mock's route for {@link DemoApi}, ahead of the mock's own; 503 until the API is set. */
    private static final class ApiRoute implements Route {
        private final AtomicReference<DemoApi> api;

        ApiRoute(AtomicReference<DemoApi> api) {
            this.api = api;
        }

        @Override
        public boolean match(OAuth2HttpRequest request) {
            return DemoApi.serves(request.getOriginalUrl().encodedPath());
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            DemoApi current = api.get();
            HttpUrl url = request.getOriginalUrl();
            String body = request.getBody();
            DemoApi.Response answer = current == null ? new DemoApi.Response(503, "{\"error\":\"starting\"}", false)
                    : current.handle(new DemoApi.Request(request.getMethod(), url.encodedPath(), url.encodedQuery(),
                            request.getHeaders().names(), request.getHeaders().values("Authorization"),
                            body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
            Headers.Builder headers = new Headers.Builder().add("Content-Type", "application/json;charset=UTF-8")
                    .add("Cache-Control", "no-store");
            if (answer.setsCookie()) {
                headers.add("Set-Cookie", DemoApi.ECHO_COOKIE + "; Path=/");
            }
            String json = request.getMethod().equals("HEAD") ? null : answer.json(); // the API answers every method
            return new OAuth2HttpResponse(headers.build(), answer.status(), json, null);
        }
    }

    /** Stops serving. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.shutdown();
        }
    }
}
