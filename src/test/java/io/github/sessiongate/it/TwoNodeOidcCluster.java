package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.it.TwoNodeCluster.Node;
import io.github.sessiongate.testing.RedisServer;
import io.github.sessiongate.testing.TestOidcProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * Two nodes of one application signing users in with OpenID Connect, for {@link JettyTomcatBackChannelClusterTest}:
 * node {@linkplain #a() A} on embedded Jetty 12, node {@linkplain #b() B} on embedded Tomcat 11,
 * each serving the webapp {@code src/test/webapps/cluster-oidc} at {@value #CONTEXT} with a filter
 * of its own. They share what a real deployment shares: one real {@code redis-server}
 * ({@link RedisServer}, the same {@code state-store-key} and key prefix), the cookie keys, and one
 * provider ({@link ClusterOidcProvider}: the code flow, refresh-token rotation, the JWKS of
 * {@link TestOidcProvider}'s key, which also signs the {@linkplain #logoutToken logout tokens}).
 * Filters and provider keep real time (the flows here move no clock). Requests carry exactly the
 * cookies the test gives them.
 */
final class TwoNodeOidcCluster implements AutoCloseable {
    static final String CONTEXT = "/cluster-oidc";
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;
    static final String BACKCHANNEL = CONTEXT + "/auth/backchannel-logout";
    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    private static final String PROPS = "sessiongate.it.cluster-oidc.";
    private static final String[] NAVIGATION = OidcBrowser.NAVIGATION;

    /** A signed-in browser: its cookies as a {@code Cookie} line's value, and the provider session. */
    record Session(String cookies, ClusterOidcProvider.Grant grant) {
        /** The {@code Cookie:} header line with every cookie. */
        String header() {
            return "Cookie: " + cookies;
        }

        /** The {@code Cookie:} header line without the access cookie (a refresh-only request). */
        String withoutAccess() {
            return "Cookie: " + Arrays.stream(cookies.split("; ")).filter(c -> !c.startsWith(ACCESS + "="))
                    .collect(Collectors.joining("; "));
        }
    }

    private final Teardown teardown = new Teardown();
    private RedisServer redis;
    private ClusterOidcProvider provider;
    private Node a;
    private Node b;

    private TwoNodeOidcCluster() {
    }

    /** Starts Redis, the provider and both nodes (skipped, or failed under {@code CI=true}, without {@code redis-server}). */
    static TwoNodeOidcCluster start() throws Exception {
        TwoNodeOidcCluster cluster = new TwoNodeOidcCluster();
        try {
            cluster.startAll();
        } catch (Exception | Error e) {
            try {
                cluster.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return cluster;
    }

    private void startAll() throws Exception {
        redis = teardown.add(RedisServer.startOrSkip());
        provider = teardown.add(ClusterOidcProvider.start());
        teardown.add(new ScenarioProperties(PROPS))
                .prefixed("redis-url", redis.url())
                .prefixed("state-store-key", randomKey())
                .prefixed("cookie-keys", "node-key-1:" + randomKey())
                .prefixed("issuer", provider.issuer())
                .prefixed("jwks-url", provider.jwksUrl())
                .prefixed("audience", ClusterOidcProvider.API)
                .prefixed("client-id", ClusterOidcProvider.CLIENT_ID)
                .prefixed("client-secret", "it-secret-" + UUID.randomUUID());
        a = new Node("node A (jetty)", teardown.add(new JettyContainer()).startServing(List.of(Container.Webapp.of(CONTEXT, "cluster-oidc"))));
        b = new Node("node B (tomcat)", teardown.add(new TomcatContainer()).startServing(List.of(Container.Webapp.of(CONTEXT, "cluster-oidc"))));
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    Node a() {
        return a;
    }

    Node b() {
        return b;
    }

    RedisServer redis() {
        return redis;
    }

    ClusterOidcProvider provider() {
        return provider;
    }

    /**
     * Signs {@code subject} in at {@code node} as a browser does (a protected page, the provider,
     * the callback), as a user who authenticated at the provider {@code ago} before.
     */
    Session signIn(Node node, String subject, Duration ago) throws Exception {
        provider.nextSignIn(subject, ago);
        Response page = RawHttp.send(node.base(), "GET", CONTEXT + "/api/home", NAVIGATION);
        assertEquals(302, page.status(), () -> "a page without a session goes to the provider at " + node + ": " + page);
        URI authorize = URI.create(page.header("Location").orElseThrow());
        assertTrue(authorize.toString().startsWith(provider.issuer() + "/auth?"), authorize::toString);
        Response answer = RawHttp.send(URI.create(provider.issuer()), "GET", authorize.getRawPath() + "?" + authorize.getRawQuery());
        assertEquals(302, answer.status(), answer::toString);
        ClusterOidcProvider.Grant grant = provider.lastGrant();
        URI redirect = URI.create(answer.header("Location").orElseThrow());
        assertEquals(node.base().getPort(), redirect.getPort(), "the provider redirects to the node's callback");
        Response done = RawHttp.send(node.base(), "GET", redirect.getRawPath() + "?" + redirect.getRawQuery(), "Accept: text/html",
                "Sec-Fetch-Mode: navigate", "Cookie: " + OidcBrowser.cookies(page));
        assertEquals(303, done.status(), () -> "signed in at " + node + ": " + done);
        String cookies = OidcBrowser.cookies(done);
        assertTrue(cookies.contains(ACCESS + "=") && cookies.contains(REFRESH + "="), () -> "session cookies: " + done);
        return new Session(cookies, grant);
    }

    /** GET {@code CONTEXT/api/orders} at {@code node} as browser code, with the header lines. */
    Response api(Node node, String... headers) throws Exception {
        String[] lines = new String[headers.length + 1];
        lines[0] = "Accept: application/json";
        System.arraycopy(headers, 0, lines, 1, headers.length);
        return RawHttp.send(node.base(), "GET", CONTEXT + "/api/orders", lines);
    }

    /** POST {@code CONTEXT/auth/refresh} at {@code node} as a JSON client of its own origin, with the cookie header line. */
    Response refresh(Node node, String cookieHeader) throws Exception {
        return RawHttp.send(node.base(), "POST", CONTEXT + "/auth/refresh", new byte[0], cookieHeader,
                "Origin: " + node.base(), "Accept: application/json");
    }

    /** The provider posts {@code logout_token} to {@code node}'s back-channel endpoint, server to server. */
    Response backChannel(Node node, String logoutToken) throws Exception {
        return RawHttp.send(node.base(), "POST", BACKCHANNEL,
                ("logout_token=" + logoutToken).getBytes(StandardCharsets.US_ASCII), "Content-Type: application/x-www-form-urlencoded");
    }

    /**
     * A logout token of the provider (§2.4, {@code typ: logout+jwt}, signed with its key): fresh
     * {@code jti}, {@code iat} now, the back-channel event, {@code sub} of the grant and its
     * {@code sid}; {@code change} adjusts the claims.
     */
    String logoutToken(ClusterOidcProvider.Grant grant, Consumer<JwtClaims> change) throws Exception {
        JwtClaims c = new JwtClaims();
        c.setIssuer(provider.issuer());
        c.setAudience(ClusterOidcProvider.CLIENT_ID);
        c.setIssuedAt(NumericDate.fromSeconds(Instant.now().getEpochSecond()));
        c.setExpirationTimeMinutesInTheFuture(2);
        c.setJwtId(UUID.randomUUID().toString());
        c.setClaim("events", Map.of(EVENT, Map.of()));
        c.setSubject(grant.subject());
        c.setClaim("sid", grant.sid());
        change.accept(c);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKey(provider.provider().key().getPrivateKey());
        jws.setKeyIdHeaderValue(TestOidcProvider.KEY_ID);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "logout+jwt");
        return jws.getCompactSerialization();
    }

    /** Stops both nodes, the provider and Redis, and clears the properties, in reverse order. */
    @Override
    public void close() throws Exception {
        teardown.close();
    }
}
