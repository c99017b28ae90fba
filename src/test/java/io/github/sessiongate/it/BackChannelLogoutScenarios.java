package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.engine.RecordingBackChannelFilter;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.TestOidcProvider;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenID Connect Back-Channel Logout 1.0 through a real container ({@link JettyBackChannelLogoutTest},
 * {@link TomcatBackChannelLogoutTest}): the provider ({@link TestOidcProvider}, a real HTTP server in this
 * JVM serving the JWKS of its test key) posts logout tokens to {@code /auth/backchannel-logout}. The
 * webapp {@code backchannel} protects every path and revokes through a recording revoker
 * ({@link RecordingBackChannelFilter}); {@code backchannel-down} names a provider that does not answer and
 * serves the endpoint at a path of its own ({@code oidc.backchannel-logout-path}). Answers §2.8: 200
 * with an empty body, 400 {@code invalid_request}, 405, 503; always {@code Cache-Control: no-store}; no
 * cookie read or written; no CSRF refusal; never a token in the log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BackChannelLogoutScenarios {
    static final String CONTEXT = "/bc";
    static final String DOWN = "/bc-down";
    static final String ENDPOINT = CONTEXT + "/auth/backchannel-logout";
    static final String CLIENT_ID = "sessiongate-web";
    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    static final String FORM = "Content-Type: application/x-www-form-urlencoded";

    private final Teardown teardown = new Teardown();
    private TestOidcProvider provider;
    private URI base;
    private RecordingBackChannelFilter.Recorder recorder;

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        provider = TestOidcProvider.start();
        teardown.add(provider::close);
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closed + "/realm";
        teardown.add(new ScenarioProperties("sessiongate.it.backchannel.")
                .prefixed("issuer", provider.issuer()).prefixed("jwks-url", provider.issuer() + "/jwks")
                .prefixed("client-id", CLIENT_ID).prefixed("client-secret", "it-secret-" + UUID.randomUUID()));
        teardown.add(new ScenarioProperties("sessiongate.it.backchannel-down.")
                .prefixed("issuer", nowhere).prefixed("jwks-url", nowhere + "/jwks")
                .prefixed("client-id", CLIENT_ID).prefixed("client-secret", "it-secret-" + UUID.randomUUID()));
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(CONTEXT, "backchannel"),
                Container.Webapp.of(DOWN, "backchannel-down")));
        recorder = RecordingBackChannelFilter.recorder(CONTEXT);
    }

    @BeforeEach
    void clear() {
        recorder.full(false);
        recorder.clear();
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    private JwtClaims claims() {
        JwtClaims c = new JwtClaims();
        c.setIssuer(provider.issuer());
        c.setAudience(CLIENT_ID);
        c.setIssuedAtToNow();
        c.setExpirationTimeMinutesInTheFuture(2);
        c.setJwtId(UUID.randomUUID().toString());
        c.setClaim("events", Map.of(EVENT, Map.of()));
        c.setClaim("sid", "kc-session-1");
        c.setSubject("alice");
        return c;
    }

    private String token(Consumer<JwtClaims> change) throws Exception {
        JwtClaims c = claims();
        change.accept(c);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKey(provider.key().getPrivateKey());
        jws.setKeyIdHeaderValue(TestOidcProvider.KEY_ID);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "logout+jwt");
        return jws.getCompactSerialization();
    }

    private Response post(String target, String token, String... headers) throws Exception {
        String[] lines = new String[headers.length + 1];
        lines[0] = FORM;
        System.arraycopy(headers, 0, lines, 1, headers.length);
        return RawHttp.send(base, "POST", target, ("logout_token=" + token).getBytes(StandardCharsets.US_ASCII), lines);
    }

    private static void noStore(Response r) {
        assertEquals("no-store", r.header("Cache-Control").orElse(""), r::toString);
        assertEquals(List.of(), r.headers("set-cookie"), () -> "no cookie written: " + r);
    }

    private static void invalid(Response r) {
        assertEquals(400, r.status(), r::toString);
        assertEquals("invalid_request", Json.object(r.body()).get("error"), r::toString);
        noStore(r);
    }

    @Test
    void aValidLogoutTokenAnswers200EmptyAndRevokesItsSid() throws Exception {
        Response r = post(ENDPOINT, token(c -> { }));
        assertEquals(200, r.status(), r::toString);
        assertEquals("", r.body());
        noStore(r);
        assertEquals(List.of("sid:kc-session-1"), recorder.revoked());
    }

    @Test
    void aTokenWithoutSidRevokesTheSubjectsSessionsBeforeItsIat() throws Exception {
        long iat = Instant.now().getEpochSecond() - 5;
        Response r = post(ENDPOINT, token(c -> {
            c.unsetClaim("sid");
            c.setIssuedAt(NumericDate.fromSeconds(iat));
        }));
        assertEquals(200, r.status(), r::toString);
        assertEquals(List.of("sub:alice@" + iat), recorder.revoked());
    }

    @Test
    void invalidTokensAnswer400InvalidRequestAndRevokeNothing() throws Exception {
        invalid(post(ENDPOINT, token(c -> c.setAudience("someone-else"))));
        invalid(post(ENDPOINT, token(c -> c.setClaim("nonce", "n"))));
        invalid(post(ENDPOINT, token(c -> c.unsetClaim("events"))));
        invalid(post(ENDPOINT, token(c -> c.setIssuer("https://evil.example"))));
        invalid(post(ENDPOINT, "garbage"));
        invalid(RawHttp.send(base, "POST", ENDPOINT, "other=1".getBytes(StandardCharsets.US_ASCII), FORM));
        assertEquals(List.of(), recorder.revoked());
    }

    @Test
    void aReplayedTokenAnswers400() throws Exception {
        String t = token(c -> { });
        assertEquals(200, post(ENDPOINT, t).status());
        invalid(post(ENDPOINT, t));
        assertEquals(List.of("sid:kc-session-1"), recorder.revoked(), "revoked once");
    }

    @Test
    void onlyAFormPostIsTaken() throws Exception {
        Response get = RawHttp.send(base, "GET", ENDPOINT, "Accept: text/html", "Sec-Fetch-Mode: navigate");
        assertEquals(405, get.status(), () -> "neither a login redirect nor the app: " + get);
        assertEquals("POST", get.header("Allow").orElse(""));
        noStore(get);
        String t = token(c -> { });
        invalid(RawHttp.send(base, "POST", ENDPOINT, ("{\"logout_token\":\"" + t + "\"}").getBytes(StandardCharsets.US_ASCII),
                "Content-Type: application/json"));
        invalid(RawHttp.send(base, "POST", ENDPOINT, ("logout_token=" + t).getBytes(StandardCharsets.US_ASCII)));
        invalid(RawHttp.send(base, "POST", ENDPOINT, ("logout_token=" + t + "&x=" + "a".repeat(20_000))
                .getBytes(StandardCharsets.US_ASCII), FORM));
        invalid(RawHttp.send(base, "POST", ENDPOINT, ("logout_token=" + t + "&logout_token=" + t)
                .getBytes(StandardCharsets.US_ASCII), FORM));
        assertEquals(List.of(), recorder.revoked());
        assertEquals(200, post(ENDPOINT, t).status(), "the same token, properly posted, is still fresh");
    }

    @Test
    void cookiesAreIgnoredAndTheCsrfRuleDoesNotApply() throws Exception {
        String access = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
        Response r = post(ENDPOINT + "/", token(c -> { }), "Origin: https://evil.example", "Sec-Fetch-Site: cross-site",
                "Cookie: " + access + "=junk; " + access + "=twice; " + CookieSettings.DEFAULT_REFRESH_COOKIE_NAME + "=old");
        assertEquals(200, r.status(), () -> "server to server: no CSRF refusal, no cookie read: " + r);
        noStore(r);
        assertEquals(List.of("sid:kc-session-1"), recorder.revoked());
    }

    @Test
    void aFullStoreAnswers503AndTheProvidersRetrySucceeds() throws Exception {
        String t = token(c -> { });
        recorder.full(true);
        Response full = post(ENDPOINT, t);
        assertEquals(503, full.status(), full::toString);
        assertTrue(full.header("Retry-After").isPresent(), full::toString);
        noStore(full);
        recorder.full(false);
        assertEquals(200, post(ENDPOINT, t).status(), "the retry is no replay");
        assertEquals(List.of("sid:kc-session-1"), recorder.revoked());
    }

    @Test
    void anUnreachableProviderAnswers503NeverA500AtTheConfiguredPath() throws Exception {
        Response r = post(DOWN + "/hooks/oidc-logout", token(c -> { }));
        assertEquals(503, r.status(), r::toString);
        noStore(r);
        Response defaultPath = post(DOWN + "/auth/backchannel-logout", token(c -> { }));
        assertFalse(defaultPath.status() == 200 || defaultPath.status() == 503,
                () -> "the default path is not served where another is configured: " + defaultPath);
    }

    @Test
    void noTokenOrClaimReachesTheLog() throws Exception {
        String good = token(c -> c.setClaim("sid", "sid-in-the-clear"));
        String bad = token(c -> c.setAudience("aud-in-the-clear"));
        String log = LogCapture.during(() -> {
            assertEquals(200, post(ENDPOINT, good).status());
            assertEquals(400, post(ENDPOINT, bad).status());
            assertEquals(400, post(ENDPOINT, good).status());
            assertEquals(400, post(ENDPOINT, "junk").status());
            assertEquals(400, post(ENDPOINT, "more-junk").status());
        });
        for (String t : List.of(good, bad)) {
            assertFalse(log.contains(t.substring(t.indexOf('.') + 1, t.lastIndexOf('.'))), "no token in the log");
        }
        assertFalse(log.contains("sid-in-the-clear"), log);
        assertTrue(log.contains("back-channel"), () -> "the refusals are logged: " + log);
        long warnings = log.lines().filter(l -> l.contains(" WARN ") && l.contains("back-channel logout token was refused")).count();
        assertTrue(warnings <= 1, () -> "one WARN per interval however many are refused: " + log);
    }
}
