package io.github.sessiongate.login;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.web.RequestOrigin;
import io.github.sessiongate.web.TrustedProxies;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/**
 * The seams the {@link OidcLoginFlow} unit tests drive it through: the flow of an application at
 * {@code https://app.example} with the default endpoints, a mocked {@link LoginFlow.Context} for a
 * GET with given parameters, and the flow's route for a path.
 */
final class OidcFlowSeams {
    private OidcFlowSeams() {
    }

    /** The flow with {@code settings}, the default endpoints and login path {@code /login}. */
    static OidcLoginFlow flow(OidcSettings settings, BackendHttp http, Clock clock) {
        return new OidcLoginFlow(settings, EndpointSettings.defaults(), new RequestOrigin.Resolver(URI.create("https://app.example"),
                TrustedProxies.none()), http, clock, "/login");
    }

    /** A GET to {@code path} from 127.0.0.1 at the root context with {@code params}, and {@code locationRoom} for a redirect. */
    static LoginFlow.Context get(String path, Map<String, String[]> params, int locationRoom) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("GET");
        when(request.getContextPath()).thenReturn("");
        when(request.getRemoteAddr()).thenReturn("127.0.0.1");
        when(request.getParameterValues(anyString())).thenAnswer(i -> params.get(i.<String>getArgument(0)));
        LoginFlow.Context context = mock(LoginFlow.Context.class);
        when(context.request()).thenReturn(request);
        when(context.path()).thenReturn(path);
        when(context.locationRoom()).thenReturn(locationRoom);
        return context;
    }

    /** The flow's route at {@code path}. */
    static LoginFlow.Route route(OidcLoginFlow flow, String path) {
        return flow.routes().stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow();
    }
}
