package io.github.sessiongate.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * A small OpenID provider in this JVM (com.sun.net.httpserver on 127.0.0.1, signing with a test RSA
 * key) that does what mock-oauth2-server does not: it binds each authorization code to the client it
 * was issued to, its {@code redirect_uri} and PKCE challenge, spends it once, authenticates clients
 * with {@code client_secret_basic}, and answers {@code invalid_grant} when another client redeems a
 * code. Realms (issuer paths) differ in what discovery says: {@link #PLAIN}, {@link #ISS_REQUIRED}
 * (advertises {@code authorization_response_iss_parameter_supported}, RFC 9207) and
 * {@link #TOKEN_UNREACHABLE} (its {@code token_endpoint} is a closed port). Knobs let a test make
 * the token endpoint fail ({@link TokenAnswer}) or add ID token claims ({@code acr},
 * {@code auth_time}). Every authorization request's raw query is kept for assertions.
 */
final class CodeBindingProvider implements AutoCloseable {
    static final String PLAIN = "plain";
    static final String ISS_REQUIRED = "iss-required";
    static final String TOKEN_UNREACHABLE = "token-unreachable";
    /** The audience of every access token. */
    static final String API = "sessiongate-api";

    /** How the token endpoint answers a code exchange. */
    enum TokenAnswer {
        /** Checks the client, the code's binding and PKCE, then issues tokens. */
        NORMAL,
        /** {@code 500}, as a provider in trouble. */
        SERVER_ERROR,
        /** {@code 401 {"error":"invalid_client"}}, as after a rotated secret. */
        INVALID_CLIENT,
        /** Tokens, but {@code token_type: DPoP} (RFC 9449), which a cookie session cannot use. */
        DPOP,
        /** Tokens with {@code token_type: bearer}, lower case (RFC 6749 5.1: case-insensitive). */
        LOWER_CASE_BEARER,
        /** Tokens without {@code token_type}. */
        NO_TOKEN_TYPE
    }

    private record Code(String realm, String clientId, String redirectUri, String nonce, String challenge, String subject) {
    }

    private final HttpServer server;
    private final RsaJsonWebKey key;
    private final int closedPort;
    private final Map<String, String> secrets;
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final List<String> authorizeQueries = new CopyOnWriteArrayList<>();
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    private final AtomicReference<TokenAnswer> tokenAnswer = new AtomicReference<>(TokenAnswer.NORMAL);
    private final AtomicReference<Map<String, Object>> idTokenClaims = new AtomicReference<>(Map.of());

    /** @param secrets client id to client secret, the clients this provider knows */
    CodeBindingProvider(Map<String, String> secrets) throws Exception {
        this.secrets = Map.copyOf(secrets);
        key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId("it-" + UUID.randomUUID());
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", ex -> send(ex, 200, new JsonWebKeySet(key).toJson()));
        for (String realm : List.of(PLAIN, ISS_REQUIRED, TOKEN_UNREACHABLE)) {
            server.createContext("/" + realm + "/.well-known/openid-configuration", ex -> discovery(ex, realm));
            server.createContext("/" + realm + "/authorize", ex -> authorize(ex, realm));
            server.createContext("/" + realm + "/token", ex -> token(ex, realm));
        }
        server.start();
    }

    String issuer(String realm) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + realm;
    }

    String jwksUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    void tokenAnswer(TokenAnswer answer) {
        tokenAnswer.set(answer);
    }

    /** Claims added to every ID token from now on (replacing earlier ones). */
    void idTokenClaims(Map<String, Object> claims) {
        idTokenClaims.set(Map.copyOf(claims));
    }

    /** The raw query of every authorization request so far, oldest first. */
    List<String> authorizeQueries() {
        return List.copyOf(authorizeQueries);
    }

    /** The body of every token request so far (it carries codes: for assertions only, never printed). */
    List<String> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    void reset() {
        tokenAnswer.set(TokenAnswer.NORMAL);
        idTokenClaims.set(Map.of());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void discovery(HttpExchange ex, String realm) throws IOException {
        String issuer = issuer(realm);
        String token = TOKEN_UNREACHABLE.equals(realm) ? "http://127.0.0.1:" + closedPort + "/token" : issuer + "/token";
        send(ex, 200, "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer + "/authorize\","
                + "\"token_endpoint\":\"" + token + "\",\"jwks_uri\":\"" + jwksUrl() + "\","
                + "\"response_types_supported\":[\"code\"],\"code_challenge_methods_supported\":[\"S256\"]"
                + (ISS_REQUIRED.equals(realm) ? ",\"authorization_response_iss_parameter_supported\":true" : "") + "}");
    }

    /** Issues a code at once (no login page) for {@code login_hint}, else alice, bound to the client and its PKCE challenge. */
    private void authorize(HttpExchange ex, String realm) throws IOException {
        String raw = ex.getRequestURI().getRawQuery();
        authorizeQueries.add(raw == null ? "" : raw);
        Map<String, String> q = form(raw);
        String client = q.get("client_id");
        String redirect = q.get("redirect_uri");
        if (client == null || !secrets.containsKey(client) || redirect == null || !"S256".equals(q.get("code_challenge_method"))) {
            send(ex, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = randomText();
        codes.put(code, new Code(realm, client, redirect, q.get("nonce"), q.get("code_challenge"),
                q.getOrDefault("login_hint", "alice")));
        String location = redirect + "?code=" + code + "&state=" + URLEncoder.encode(q.getOrDefault("state", ""), StandardCharsets.UTF_8)
                + (ISS_REQUIRED.equals(realm) ? "&iss=" + URLEncoder.encode(issuer(realm), StandardCharsets.UTF_8) : "");
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private void token(HttpExchange ex, String realm) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        tokenRequests.add(body);
        TokenAnswer answer = tokenAnswer.get();
        if (answer == TokenAnswer.SERVER_ERROR) {
            send(ex, 500, "{\"error\":\"server_error\"}");
            return;
        }
        String client = authenticated(ex.getRequestHeaders().getFirst("Authorization"));
        if (client == null || answer == TokenAnswer.INVALID_CLIENT) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
            send(ex, 401, "{\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}");
            return;
        }
        Map<String, String> form = form(body);
        Code code = form.get("code") == null ? null : codes.remove(form.get("code"));
        String refusal = code == null ? "unknown, expired or spent code"
                : !code.realm().equals(realm) ? "code of another realm"
                : !code.clientId().equals(client) ? "code was issued to another client"
                : !code.redirectUri().equals(form.get("redirect_uri")) ? "redirect_uri differs"
                : !code.challenge().equals(s256(form.getOrDefault("code_verifier", ""))) ? "PKCE verification failed"
                : !"authorization_code".equals(form.get("grant_type")) ? "grant_type" : null;
        if (refusal != null) {
            send(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"" + refusal + "\"}");
            return;
        }
        try {
            String access = sign(claims(realm, code.subject(), API, Map.of("scope", "openid")));
            Map<String, Object> id = new LinkedHashMap<>(idTokenClaims.get());
            id.put("nonce", code.nonce());
            String idToken = sign(claims(realm, code.subject(), client, id));
            send(ex, 200, "{\"access_token\":\"" + access + "\",\"id_token\":\"" + idToken + "\",\"refresh_token\":\""
                    + randomText() + "\"" + switch (answer) {
                        case DPOP -> ",\"token_type\":\"DPoP\"";
                        case LOWER_CASE_BEARER -> ",\"token_type\":\"bearer\"";
                        case NO_TOKEN_TYPE -> "";
                        default -> ",\"token_type\":\"Bearer\"";
                    } + ",\"expires_in\":300}");
        } catch (JoseException e) {
            send(ex, 500, "{\"error\":\"server_error\"}");
        }
    }

    private String authenticated(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        String[] pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8).split(":", 2);
        if (pair.length != 2) {
            return null;
        }
        String id = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
        String secret = URLDecoder.decode(pair[1], StandardCharsets.UTF_8);
        return secret.equals(secrets.get(id)) ? id : null;
    }

    private JwtClaims claims(String realm, String subject, String audience, Map<String, Object> extra) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(issuer(realm));
        c.setSubject(subject);
        c.setAudience(audience);
        c.setIssuedAt(NumericDate.fromSeconds(Instant.now().getEpochSecond()));
        c.setExpirationTime(NumericDate.fromSeconds(Instant.now().getEpochSecond() + 300));
        c.setGeneratedJwtId();
        extra.forEach(c::setClaim);
        return c;
    }

    private String sign(JwtClaims claims) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private String randomText() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String s256(String verifier) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A form or query string as a map; a repeated name keeps its last value (the tests check repeats themselves). */
    static Map<String, String> form(String raw) {
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

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }
}
