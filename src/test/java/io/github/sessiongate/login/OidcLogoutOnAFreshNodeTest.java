package io.github.sessiongate.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.TestOidcProvider;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node that never ran discovery (just restarted, or not the one the user signed in on) still
 * logs out at the provider: {@link OidcLoginFlow#logoutLocation} answers the end-session endpoint
 * and the revoker revokes at the revocation endpoint, each discovering first; an in-JVM provider.
 */
class OidcLogoutOnAFreshNodeTest {
    private List<String> revoked;
    private TestOidcProvider provider;
    private String issuer;

    @BeforeEach
    void start() throws Exception {
        provider = TestOidcProvider.start().endpoint("end_session_endpoint", "/logout");
        revoked = provider.recordRevocations();
        issuer = provider.issuer();
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private OidcLoginFlow flow() {
        return OidcFlowSeams.flow(OidcSettings.builder().issuer(issuer).client("web", "secret").build(), provider.http(),
                new MutableClock());
    }

    @Test
    void logoutGoesToTheEndSessionEndpointWithoutAnEarlierSignIn() {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getContextPath()).thenReturn("");
        when(request.getRemoteAddr()).thenReturn("127.0.0.1");
        LoginFlow.Context context = mock(LoginFlow.Context.class);
        when(context.request()).thenReturn(request);

        String location = flow().logoutLocation(context, Optional.of(new LoginFlow.ProviderFacts(issuer, "alice",
                Optional.empty(), Optional.of("the.id.token")))).orElseThrow();

        assertTrue(location.startsWith(issuer + "/logout?"), location);
        assertTrue(location.contains("id_token_hint=the.id.token"), location);
    }

    @Test
    void theRevokerRevokesWithoutAnEarlierSignIn() {
        flow().revoker().orElseThrow().revoke("a-refresh-token");

        assertEquals(1, revoked.size());
        assertTrue(revoked.get(0).contains("token=a-refresh-token"), revoked.get(0));
    }
}
