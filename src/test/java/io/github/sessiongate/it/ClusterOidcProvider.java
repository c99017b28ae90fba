package io.github.sessiongate.it;

import com.sun.net.httpserver.HttpExchange;
import io.github.sessiongate.testing.TestOidcProvider;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * {@link TestOidcProvider} made a provider that signs users in, for {@link TwoNodeOidcCluster}: its
 * {@code /auth} issues a code at once (no login page) for the user the test {@linkplain #nextSignIn
 * names}, each sign-in a new provider session {@code sid}; its {@code /token} redeems a code once for
 * an access token (JWT for {@link #API}), an ID token (with {@code nonce} and {@code sid}) and an
 * opaque refresh token, and rotates refresh tokens (the used one dies; an unknown or used one gets
 * {@code 400 invalid_grant}). Both tokens carry {@code sid} and {@code auth_time}, which a refresh
 * keeps. Counts the token endpoint's refresh calls, so a test sees whether a node asked it, and
 * serves {@code /revoke} (RFC 7009), recording what it was asked to revoke.
 * No client authentication or PKCE check: {@code CodeBindingProvider} covers those.
 */
final class ClusterOidcProvider implements AutoCloseable {
    static final String CLIENT_ID = "cluster-web";
    /** The audience of every access token. */
    static final String API = "cluster-api";
    /** Access tokens' lifetime. */
    static final Duration ACCESS_TTL = Duration.ofMinutes(5);

    /** Who signs in next: the subject and how long ago they authenticated at the provider. */
    private record Next(String subject, Duration authenticatedAgo) {
    }

    /** A provider session's facts, carried by every token of its sign-in. */
    record Grant(String subject, String sid, Instant authTime) {
    }

    private record Code(Grant grant, String nonce) {
    }

    private final TestOidcProvider provider;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();
    private final AtomicReference<Next> next = new AtomicReference<>(new Next("alice", Duration.ZERO));
    private final AtomicReference<Grant> lastGrant = new AtomicReference<>();
    private final List<String> issued = new ArrayList<>();
    private final AtomicInteger refreshCalls = new AtomicInteger();
    private List<String> revocations = List.of();

    private ClusterOidcProvider(TestOidcProvider provider) {
        this.provider = provider;
    }

    static ClusterOidcProvider start() throws IOException {
        TestOidcProvider p = TestOidcProvider.start();
        ClusterOidcProvider cluster = new ClusterOidcProvider(p);
        p.key(); // made now, not inside the first request
        p.handle("/auth", cluster::authorize).handle("/token", cluster::token);
        cluster.revocations = p.recordRevocations();
        return cluster;
    }

    String issuer() {
        return provider.issuer();
    }

    String jwksUrl() {
        return provider.issuer() + "/jwks";
    }

    /** The underlying provider, whose key signs logout tokens too. */
    TestOidcProvider provider() {
        return provider;
    }

    /** The next sign-in is {@code subject}'s, who authenticated {@code ago} before it. */
    void nextSignIn(String subject, Duration ago) {
        next.set(new Next(subject, ago));
    }

    /** The provider session of the last code issued. */
    Grant lastGrant() {
        return lastGrant.get();
    }

    /** Calls on the token endpoint with {@code grant_type=refresh_token} so far. */
    int refreshCalls() {
        return refreshCalls.get();
    }

    /** Whether {@code refreshToken} was issued and neither used nor revoked (RFC 7009) since. */
    boolean isActive(String refreshToken) {
        return refreshTokens.containsKey(refreshToken) && revocations.stream().noneMatch(r -> form(r).get("token").equals(refreshToken));
    }

    /** The refresh tokens the last {@code n} refresh-grant answers issued, newest last. */
    List<String> lastIssued(int n) {
        synchronized (issued) {
            return List.copyOf(issued.subList(Math.max(0, issued.size() - n), issued.size()));
        }
    }

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        Next who = next.get();
        Instant now = Instant.now();
        Grant grant = new Grant(who.subject(), "sid-" + UUID.randomUUID(), now.minus(who.authenticatedAgo()));
        String code = randomText();
        codes.put(code, new Code(grant, q.get("nonce")));
        lastGrant.set(grant);
        String location = q.get("redirect_uri") + "?code=" + code + "&state=" + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private void token(HttpExchange ex) throws IOException {
        Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        try {
            switch (f.getOrDefault("grant_type", "")) {
                case "authorization_code" -> {
                    Code code = codes.remove(f.getOrDefault("code", ""));
                    if (code == null) {
                        TestOidcProvider.json(ex, 400, "{\"error\":\"invalid_grant\"}");
                        return;
                    }
                    tokens(ex, code.grant(), code.nonce());
                }
                case "refresh_token" -> {
                    refreshCalls.incrementAndGet();
                    Grant grant = refreshTokens.remove(f.getOrDefault("refresh_token", ""));
                    if (grant == null) {
                        TestOidcProvider.json(ex, 400, "{\"error\":\"invalid_grant\"}");
                        return;
                    }
                    String refresh = tokens(ex, grant, null);
                    synchronized (issued) {
                        issued.add(refresh);
                    }
                }
                default -> TestOidcProvider.json(ex, 400, "{\"error\":\"unsupported_grant_type\"}");
            }
        } catch (JoseException e) {
            TestOidcProvider.json(ex, 500, "{\"error\":\"server_error\"}");
        }
    }

    private String tokens(HttpExchange ex, Grant grant, String nonce) throws IOException, JoseException {
        String refresh = randomText();
        refreshTokens.put(refresh, grant);
        String access = provider.sign(claims(grant, API, null));
        StringBuilder json = new StringBuilder("{\"token_type\":\"Bearer\",\"access_token\":\"").append(access)
                .append("\",\"refresh_token\":\"").append(refresh).append("\",\"expires_in\":").append(ACCESS_TTL.toSeconds());
        if (nonce != null) {
            json.append(",\"id_token\":\"").append(provider.sign(claims(grant, CLIENT_ID, nonce))).append('"');
        }
        TestOidcProvider.json(ex, 200, json.append('}').toString());
        return refresh;
    }

    private JwtClaims claims(Grant grant, String audience, String nonce) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(provider.issuer());
        c.setAudience(audience);
        c.setSubject(grant.subject());
        c.setClaim("sid", grant.sid());
        c.setClaim("auth_time", grant.authTime().getEpochSecond());
        c.setJwtId(UUID.randomUUID().toString());
        Instant now = Instant.now();
        c.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        c.setExpirationTime(NumericDate.fromSeconds(now.plus(ACCESS_TTL).getEpochSecond()));
        if (nonce != null) {
            c.setClaim("nonce", nonce);
        }
        return c;
    }

    private String randomText() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            m.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return m;
    }

    @Override
    public void close() {
        provider.close();
    }
}
