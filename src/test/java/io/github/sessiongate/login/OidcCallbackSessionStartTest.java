package io.github.sessiongate.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.TestOidcProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * What {@link OidcLoginFlow}'s callback hands the filter after a good code exchange, through a
 * mocked {@link LoginFlow.Context} and an in-JVM provider signing with a test key: an ID token too
 * long to keep is left out of the session's facts (never a 500), and a session whose tokens do not
 * fit the cookies gets its refresh token revoked.
 */
class OidcCallbackSessionStartTest {
    private static final String STATE = "s".repeat(43);
    private static final String NONCE = "n".repeat(43);

    private final MutableClock clock = new MutableClock();
    private List<String> revoked;
    private TestOidcProvider provider;
    private String issuer;
    private volatile String idToken;

    @BeforeEach
    void start() throws Exception {
        provider = TestOidcProvider.start();
        revoked = provider.recordRevocations();
        issuer = provider.issuer();
        provider.handle("/token", ex -> {
            ex.getRequestBody().readAllBytes();
            TestOidcProvider.json(ex, 200, "{\"token_type\":\"Bearer\",\"access_token\":\"an-access-token\","
                    + "\"refresh_token\":\"a-refresh-token\",\"expires_in\":300,\"id_token\":\"" + idToken + "\"}");
        });
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private String idToken(int padding) throws Exception {
        JwtClaims c = provider.claims(clock, "web");
        c.setClaim("nonce", NONCE);
        c.setClaim("groups", "g".repeat(padding));
        return provider.sign(c);
    }

    /** A callback with a good state and code; {@code startSession} answers {@code outcome}. */
    private LoginFlow.Context callback(LoginFlow.SessionStart.Outcome outcome) throws Exception {
        OidcLoginFlow flow = OidcFlowSeams.flow(OidcSettings.builder().issuer(issuer).client("web", "secret").build(), provider.http(),
                clock);
        Map<String, String[]> params = Map.of("state", new String[] {STATE}, "code", new String[] {"a-code"});
        LoginFlow.Context context = OidcFlowSeams.get(OidcSettings.DEFAULT_CALLBACK_PATH, params, 4000);
        String tx = new OidcTransaction(STATE, NONCE, "v".repeat(64), clock.instant(), "https://app.example/auth/callback", "", Optional.empty())
                .encode(true);
        when(context.loginTransactions()).thenReturn(List.of(new LoginFlow.Transaction(1, tx)));
        when(context.startSession(any(), any())).thenReturn(new LoginFlow.SessionStart(outcome, Optional.empty()));
        flow.handle(OidcFlowSeams.route(flow, OidcSettings.DEFAULT_CALLBACK_PATH), context);
        return context;
    }

    @SuppressWarnings("unchecked")
    @Test
    void anIdTokenTooLongToKeepIsLeftOutOfTheFacts() throws Exception {
        idToken = idToken(70_000); // past the facts' 64 kB field limit too
        assertTrue(idToken.length() > OidcLoginFlow.MAX_KEPT_ID_TOKEN);

        LoginFlow.Context context = callback(LoginFlow.SessionStart.Outcome.STARTED);

        ArgumentCaptor<Optional<LoginFlow.ProviderFacts>> facts = ArgumentCaptor.forClass(Optional.class);
        verify(context).startSession(any(), facts.capture());
        LoginFlow.ProviderFacts f = facts.getValue().orElseThrow();
        assertEquals("alice", f.subject());
        assertEquals(Optional.empty(), f.idToken(), "not kept: logout sends logout_hint");
        verify(context).redirect(eq(303), anyString());
    }

    @Test
    void anIdTokenOfUsualSizeIsKept() throws Exception {
        idToken = idToken(10);
        LoginFlow.Context context = callback(LoginFlow.SessionStart.Outcome.STARTED);
        verify(context).startSession(any(), eq(Optional.of(new LoginFlow.ProviderFacts(issuer, "alice", Optional.empty(),
                Optional.of(idToken)))));
    }

    @Test
    void tokensTooLargeForTheCookiesHaveTheirRefreshTokenRevoked() throws Exception {
        idToken = idToken(10);
        LoginFlow.Context context = callback(LoginFlow.SessionStart.Outcome.TOO_LARGE);
        verify(context).json(502, Map.of("error", "tokens_too_large"));
        assertEquals(1, revoked.size());
        assertTrue(revoked.get(0).contains("token=a-refresh-token"), revoked.get(0));
    }
}
