package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.engine.RequestStepsTest.StepsValidator;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import jakarta.servlet.ServletRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code login-redirect=false}, for an application with no pages: a protected path answers 401 to
 * a page navigation too, and nothing is redirected; on (the default) the navigation goes to the
 * login flow's entry point. Without a container.
 */
class LoginRedirectSettingTest {
    private final MutableClock clock = new MutableClock();
    private ServletRequest chained;

    @ParameterizedTest(name = "login-redirect={0}")
    @ValueSource(booleans = {true, false})
    void aNavigationWithoutASessionIsRedirectedOnlyWhenTheSettingIsOn(boolean redirect) throws Exception {
        SessionFilter filter = new SessionFilter(GateConfig.builder().validator(new StepsValidator(clock))
                .protectedPaths("/app/**").loginRedirect(redirect).clock(clock).build());
        filter.init(null);
        try {
            InMemoryResponse page = run(filter, InMemoryRequest.get("/app/page").navigation());
            if (redirect) {
                assertEquals(302, page.status());
                assertTrue(page.header("Location").orElseThrow().startsWith("/login?from="), page.header("Location").orElseThrow());
            } else {
                assertEquals(401, page.status());
                assertTrue(page.header("Location").isEmpty(), "no redirect for an application with no pages");
                assertTrue(page.header("WWW-Authenticate").orElseThrow().startsWith("Cookie realm="));
            }
            assertNull(chained, "the application never ran");
            // An API call is a 401 either way.
            assertEquals(401, run(filter, InMemoryRequest.get("/app/data")).status());
        } finally {
            filter.destroy();
        }
    }

    private InMemoryResponse run(SessionFilter filter, InMemoryRequest request) throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        chained = null;
        filter.doFilter(request.build(), response.servlet(), (req, res) -> chained = req);
        return response;
    }
}
