package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.it.RawHttp.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A provider error at the OpenID callback ({@code error=access_denied}, ...) through a real
 * container ({@link JettyOidcProviderErrorPageTest}, {@link TomcatOidcProviderErrorPageTest}):
 * a browser's top-level navigation lands on {@code login-path} with the error code, never back at
 * the provider, while any other request keeps the {@code 400} JSON answer. Either way the
 * transaction is cleared and no session cookie is set.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OidcProviderErrorPageScenarios {
    static final String CONTEXT = "/oidc";
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;

    private final Teardown teardown = new Teardown();
    private String issuer;
    private URI base;

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        MockOidcProvider provider = teardown.add(MockOidcProvider.start("default", "sessiongate.it.oidc-login.")).withCookieKey()
                .withJwksUrl().withClientSecret();
        issuer = provider.issuer();
        base = provider.serve(newContainer(), Container.Webapp.of(CONTEXT, "oidc-login"));
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    /** A started sign-in: its state and the transaction cookie. */
    private String[] startSignIn() throws Exception {
        Response r = RawHttp.send(base, "GET", CONTEXT + "/app/orders", "Accept: text/html", "Sec-Fetch-Mode: navigate");
        assertEquals(302, r.status(), r::toString);
        String location = r.header("Location").orElseThrow();
        String state = java.util.Arrays.stream(URI.create(location).getRawQuery().split("&"))
                .filter(p -> p.startsWith("state=")).findFirst().orElseThrow().substring(6);
        String cookies = r.headers("set-cookie").stream().map(h -> h.split(";", 2)[0]).collect(Collectors.joining("; "));
        return new String[] {state, cookies};
    }

    private String callbackWithError(String error, String state) {
        return CONTEXT + "/auth/callback?error=" + URLEncoder.encode(error, StandardCharsets.UTF_8) + "&error_description="
                + URLEncoder.encode("<script>alert(1)</script>", StandardCharsets.UTF_8) + "&state=" + state
                + "&iss=" + URLEncoder.encode(issuer, StandardCharsets.UTF_8);
    }

    /** The provider's {@code error} at the callback of the sign-in {@code s} started, with {@code headers} and its cookies. */
    private Response errorAtCallback(String[] s, String error, String... headers) throws Exception {
        String[] all = Arrays.copyOf(headers, headers.length + 1);
        all[headers.length] = "Cookie: " + s[1];
        return RawHttp.send(base, "GET", callbackWithError(error, s[0]), all);
    }

    @Test
    void aProviderErrorInANavigationLandsOnTheLoginPageWithItsCode() throws Exception {
        String[] s = startSignIn();
        Response r = errorAtCallback(s, "access_denied", "Accept: text/html", "Sec-Fetch-Mode: navigate");
        assertEquals(303, r.status(), r::toString);
        assertEquals(CONTEXT + "/login?error=provider_error&provider_error=access_denied", r.header("Location").orElseThrow(),
                "to the login page, never back to the provider; no error_description");
        assertTrue(r.headers("set-cookie").stream().anyMatch(h -> h.split(";", 2)[0].equals(s[1].split("=", 2)[0] + "=")),
                () -> "the transaction cookie is cleared (emptied): " + r);
        assertTrue(SetCookies.value(r, ACCESS).filter(v -> !v.isEmpty()).isEmpty(), () -> "no session cookie: " + r);
    }

    @Test
    void anErrorThatIsNotAPlainCodeIsNamedInvalid() throws Exception {
        String[] s = startSignIn();
        Response r = errorAtCallback(s, "<b>x</b>", "Accept: text/html", "Sec-Fetch-Mode: navigate");
        assertEquals(303, r.status(), r::toString);
        assertEquals(CONTEXT + "/login?error=provider_error&provider_error=invalid", r.header("Location").orElseThrow());
    }

    @Test
    void anythingButANavigationKeepsTheJsonRefusal() throws Exception {
        String[] s = startSignIn();
        Response r = errorAtCallback(s, "access_denied", "Accept: application/json", "Sec-Fetch-Mode: cors");
        assertEquals(400, r.status(), r::toString);
        assertEquals("provider_error", Json.object(r.body()).get("error"));
        assertEquals("access_denied", Json.object(r.body()).get("provider_error"));
        assertFalse(r.header("Location").isPresent());
    }
}
