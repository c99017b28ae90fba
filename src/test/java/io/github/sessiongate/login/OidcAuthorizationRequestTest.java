package io.github.sessiongate.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.TestOidcProvider;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The authorization request {@link OidcLoginFlow} builds on the login route, through a mocked
 * {@link LoginFlow.Context} (the seam the filter implements) and a discovery document from an
 * in-JVM server: the extras and the hint once each, the transaction saved with its
 * {@code max_age}, a malformed hint refused before anything is saved, and a request that would
 * not fit the response refused with its transaction given up (never the filter's 500).
 */
class OidcAuthorizationRequestTest {
    private TestOidcProvider provider;
    private String issuer;

    @BeforeEach
    void start() throws Exception {
        provider = TestOidcProvider.start();
        issuer = provider.issuer();
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private OidcLoginFlow flow() {
        OidcSettings s = OidcSettings.builder().issuer(issuer).client("web", "secret").prompt("select_account")
                .acrValues("gold").requireAcr(true).maxAge(Duration.ofSeconds(120)).loginHintFromRequest(true).build();
        return OidcFlowSeams.flow(s, provider.http(), new MutableClock());
    }

    private static LoginFlow.Context loginRoute(Map<String, String[]> params, int locationRoom) {
        LoginFlow.Context context = OidcFlowSeams.get(EndpointSettings.DEFAULT_LOGIN_ENDPOINT, params, locationRoom);
        when(context.saveLoginTransaction(anyString())).thenReturn(1);
        return context;
    }

    private static LoginFlow.Route route(OidcLoginFlow flow) {
        return OidcFlowSeams.route(flow, EndpointSettings.DEFAULT_LOGIN_ENDPOINT);
    }

    private static Map<String, String> query(String location) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            if (q.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8)) != null) {
                throw new AssertionError("sent twice: " + kv[0]);
            }
        }
        return q;
    }

    @Test
    void theExtrasAndTheHintGoOnceAndMaxAgeIsKeptInTheTransaction() throws Exception {
        OidcLoginFlow flow = flow();
        LoginFlow.Context context = loginRoute(Map.of("login_hint", new String[] {"bob@example.com"}), 6000);

        flow.handle(route(flow), context);

        ArgumentCaptor<String> location = ArgumentCaptor.forClass(String.class);
        verify(context).redirect(eq(302), location.capture());
        Map<String, String> q = query(location.getValue());
        assertEquals("select_account", q.get("prompt"));
        assertEquals("gold", q.get("acr_values"));
        assertEquals("120", q.get("max_age"));
        assertEquals("bob@example.com", q.get("login_hint"));
        assertEquals("https://app.example/auth/callback", q.get("redirect_uri"));
        ArgumentCaptor<String> saved = ArgumentCaptor.forClass(String.class);
        verify(context).saveLoginTransaction(saved.capture());
        assertEquals(java.util.Optional.of(Duration.ofSeconds(120)), OidcTransaction.parse(saved.getValue()).orElseThrow().maxAge());
    }

    @Test
    void aMalformedHintIsRefusedBeforeAnythingIsSaved() throws Exception {
        OidcLoginFlow flow = flow();
        LoginFlow.Context context = loginRoute(Map.of("login_hint", new String[] {"bob\u0007"}), 6000);

        flow.handle(route(flow), context);

        verify(context).json(400, Map.of("error", "login_hint_invalid"));
        verify(context, never()).saveLoginTransaction(anyString());
        verify(context, never()).redirect(anyInt(), anyString());
    }

    @Test
    void aRequestThatDoesNotFitTheResponseIsRefusedAndGivesUpItsTransaction() throws Exception {
        OidcLoginFlow flow = flow();
        LoginFlow.Context context = loginRoute(Map.of("login_hint", new String[] {"ü".repeat(128)}), 400);

        flow.handle(route(flow), context);

        verify(context).json(400, Map.of("error", "login_too_large"));
        verify(context).clearLoginTransaction(1);
        verify(context, never()).redirect(anyInt(), anyString());
        verify(context).audit(any(), org.mockito.ArgumentMatchers.contains("does not fit"), eq(null));
    }
}
