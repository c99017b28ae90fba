package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.cookie.CookieKind;
import io.github.sessiongate.it.RawHttp.Response;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A logout on a node that has not discovered its provider yet, while the provider accepts
 * connections and never answers ({@code backend-read-timeout} 20 s in {@code oidc-attack}): a local
 * logout, {@code 303} to {@code logout-redirect-path} with the session cookies cleared (or a JSON
 * {@code 204}), never a 500, never a wait much beyond one backend timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OidcProviderDownLogoutScenarios {
    static final String CONTEXT = "/down";
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;
    static final String FACTS = CookieKind.PROVIDER_FACTS_NAME;
    static final long TIMEOUT_MILLIS = 20_000;

    private final Teardown teardown = new Teardown();
    private ServerSocket blackHole;
    private URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        blackHole = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        teardown.add(blackHole);
        String issuer = "http://127.0.0.1:" + blackHole.getLocalPort() + "/attack";
        teardown.add(new ScenarioProperties("sessiongate.it.oidc-attack.")).prefixed("issuer", issuer)
                .prefixed("jwks-url", issuer + "/jwks").prefixed("audience", MockOidcProvider.AUDIENCE)
                .prefixed("client-id", MockOidcProvider.CLIENT_ID).prefixed("client-secret", "it-secret-down");
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(CONTEXT, "oidc-attack")));
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    @Test
    void aLogoutWhileTheProviderBlackHolesIsALocalLogout() throws Exception {
        String jar = REFRESH + "=refresh-junk; " + FACTS + "=facts-junk";
        long start = System.nanoTime();
        Response form = logout(jar, "Accept: text/html");
        long formMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(303, form.status(), form::toString);
        assertEquals(CONTEXT + "/", form.header("Location").orElseThrow(), form::toString);
        assertEquals(Optional.of(""), SetCookies.value(form, REFRESH), form::toString);
        assertEquals(Optional.of(""), SetCookies.value(form, FACTS), form::toString);
        assertTrue(formMillis < TIMEOUT_MILLIS + 8_000, () -> "form logout took " + formMillis + " ms");

        start = System.nanoTime();
        Response json = logout(jar, "Accept: application/json", "Content-Type: application/json", "X-Requested-With: fetch");
        long jsonMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(json.status() == 204, json::toString);
        assertTrue(jsonMillis < TIMEOUT_MILLIS + 8_000, () -> "JSON logout took " + jsonMillis + " ms");
    }

    @Test
    void aLogoutWithAnExpiredLookingTokenWhileTheProviderBlackHolesIsALocalLogout() throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("{\"sub\":\"victim\",\"exp\":1}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(new byte[64]);
        String jar = ACCESS + "=" + token + "; " + REFRESH + "=refresh-junk; " + FACTS + "=facts-junk";
        long start = System.nanoTime();
        Response form = logout(jar, "Accept: text/html");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(form.status() == 303 || form.status() == 503, form::toString);
        if (form.status() == 303) {
            assertEquals(CONTEXT + "/", form.header("Location").orElseThrow(), form::toString);
            assertEquals(Optional.of(""), SetCookies.value(form, ACCESS), form::toString);
        }
        System.out.println("provider-down logout with a JWT: " + form.status() + " in " + millis + " ms");
        assertTrue(millis < 2 * TIMEOUT_MILLIS + 8_000, () -> "logout took " + millis + " ms");
    }

    /** Through java.net.http with a minute's timeout: RawHttp gives up after 5 s. */
    private Response logout(String cookies, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(CONTEXT + "/auth/logout")).timeout(Duration.ofMinutes(1))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Cookie", cookies)
                .header("Origin", base.getScheme() + "://" + base.getAuthority());
        for (String h : headers) {
            int colon = h.indexOf(':');
            b.header(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        Map<String, List<String>> head = new LinkedHashMap<>();
        r.headers().map().forEach((k, v) -> head.put(k.toLowerCase(Locale.ROOT), v));
        return new Response(r.statusCode(), head, r.body());
    }
}
