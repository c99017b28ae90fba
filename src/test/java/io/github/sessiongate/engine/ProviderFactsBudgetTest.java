package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.cookie.CookieKind;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.cookie.ProviderFactsValue;
import io.github.sessiongate.engine.ProviderFactsTest.FactsFlow;
import io.github.sessiongate.engine.RequestStepsTest.StepsValidator;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import jakarta.servlet.http.Cookie;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cookie budget of an OpenID session (issue 9), with Keycloak 26's default token sizes (about
 * 1.4 kB access, 0.9 kB refresh, 1.3 kB ID token), real sealing and the real codec through the
 * engine: the session's cookies with the provider facts, ID token included, plus two pending sign-ins
 * of other tabs (real-sized login transactions with a {@code from}) stay within the default
 * {@code cookie-max-total-bytes}, and the whole request head a browser then sends stays under
 * Tomcat's and Jetty's default 8 kB request-header limit.
 */
class ProviderFactsBudgetTest {
    private static final CookieSealSettings SEALING = CookieSealSettings.builder()
            .key("2026-11", Base64.getEncoder().encodeToString(new byte[32])).build();
    private static final CookieSeal SEAL = CookieSeal.create(SEALING, List.of()).orElseThrow();
    /** Tomcat's {@code maxHttpHeaderSize} and Jetty's {@code requestHeaderSize}: request line and headers. */
    private static final int CONTAINER_REQUEST_HEAD_LIMIT = 8192;

    private final MutableClock clock = new MutableClock();
    private final FactsFlow flow = new FactsFlow();
    private final Map<String, String> jar = new LinkedHashMap<>();
    private SessionFilter filter;

    @BeforeEach
    void start() throws Exception {
        filter = new SessionFilter(GateConfig.builder().validator(new StepsValidator(clock)).protectedPaths("/app/**")
                .loginFlow(flow).cookieSeal(SEALING).clock(clock).build());
        filter.init(null);
    }

    @AfterEach
    void stop() {
        filter.destroy();
    }

    @Test
    void keycloakSizedTokensWithTheIdTokenAndTwoPendingSignInsFitTheBudgetAndTheRequestHeadLimit() throws Exception {
        String idToken = ProviderFactsTest.jwt(1300);
        flow.idToken = idToken;
        flow.access = "valid-carol-" + ProviderFactsTest.jwt(1400 - 12);
        flow.refresh = "refresh-" + ProviderFactsTest.jwt(900 - 8);
        // Three tabs start a sign-in, each with a real-sized transaction (state, nonce, verifier, redirect_uri, from).
        List<String> tabs = List.of(transaction("/app/reports/2026?view=month"), transaction("/app/orders?page=2&sort=date"),
                transaction("/app/settings/profile"));
        for (String tab : tabs) {
            flow.transaction = tab;
            int before = transactions();
            InMemoryResponse entered = send(InMemoryRequest.get("/app/x").navigation());
            assertEquals(302, entered.status(), entered.body());
            assertEquals(before + 1, transactions(), "no other tab's sign-in was given up: " + jar.keySet());
        }
        // The first completes; the other two stay pending next to the new session.
        flow.completes = tabs.get(0);
        InMemoryResponse login = send(InMemoryRequest.get("/auth/callback").query("state=s1")
                .header("Sec-Fetch-Site", "cross-site").navigation());
        assertEquals(303, login.status(), login.body());
        assertEquals(2, transactions(), "two sign-ins still pending: " + jar.keySet());
        LoginFlow.ProviderFacts kept = ProviderFactsValue.open(jar.get(name(CookieKind.PROVIDER_FACTS, 0)), SEAL).orElseThrow();
        assertEquals(Optional.of(idToken), kept.idToken(), "the ID token is kept with Keycloak's sizes: " + sizes());
        assertTrue(jar.containsKey(name(CookieKind.ACCESS, 0)) && jar.containsKey(name(CookieKind.REFRESH, 0)));

        String cookieHeader = jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
        assertTrue(cookieHeader.length() <= CookieSettings.DEFAULT_MAX_TOTAL_BYTES,
                "Cookie header " + cookieHeader.length() + " bytes: " + sizes());
        String head = "GET /app/orders?page=2&sort=date HTTP/1.1\r\n"
                + "Host: app.example.com\r\n"
                + "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/131.0.0.0 Safari/537.36\r\n"
                + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;"
                + "q=0.8,application/signed-exchange;v=b3;q=0.7\r\n"
                + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
                + "Accept-Language: en-GB,en-US;q=0.9,en;q=0.8,de;q=0.7\r\n"
                + "Cache-Control: max-age=0\r\n"
                + "Referer: https://app.example.com/app/orders?page=1&sort=date\r\n"
                + "Sec-Ch-Ua: \"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"\r\n"
                + "Sec-Ch-Ua-Mobile: ?0\r\nSec-Ch-Ua-Platform: \"Windows\"\r\n"
                + "Sec-Fetch-Dest: document\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Site: same-origin\r\n"
                + "Sec-Fetch-User: ?1\r\nUpgrade-Insecure-Requests: 1\r\nPriority: u=0, i\r\n"
                + "Cookie: " + cookieHeader + "\r\n\r\n";
        assertTrue(head.getBytes(StandardCharsets.US_ASCII).length < CONTAINER_REQUEST_HEAD_LIMIT,
                "request head " + head.length() + " bytes");
    }

    private int transactions() {
        return (int) jar.keySet().stream().filter(n -> n.contains(CookieKind.LOGIN_TRANSACTION_NAME)).count();
    }

    private String sizes() {
        return jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().length()).collect(Collectors.joining(", "));
    }

    private static String name(CookieKind kind, int slot) {
        return CookieSettings.defaults().cookieName(kind.names(CookieSettings.defaults()).get(slot), true);
    }

    /** A login transaction as {@code OidcTransaction.encode} writes it, with real-sized random parts. */
    private static String transaction(String from) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return String.join("|", "o1", random(32), random(32), random(48), "1796000000",
                b64.encodeToString("https://app.example.com/auth/callback".getBytes(StandardCharsets.UTF_8)),
                b64.encodeToString(from.getBytes(StandardCharsets.UTF_8)));
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Sends the jar's cookies and keeps what the response sets, as a browser does. */
    private InMemoryResponse send(InMemoryRequest request) throws Exception {
        jar.forEach(request::cookie);
        InMemoryResponse response = new InMemoryResponse();
        filter.doFilter(request.header("Origin", "https://app.example.com").build(), response.servlet(), (q, r) -> { });
        for (Cookie c : response.cookies()) {
            if (c.getMaxAge() == 0) {
                jar.remove(c.getName());
            } else {
                jar.put(c.getName(), c.getValue());
            }
        }
        return response;
    }
}
