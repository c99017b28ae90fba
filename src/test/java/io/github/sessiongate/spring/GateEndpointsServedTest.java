package io.github.sessiongate.spring;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.GateConfigTest;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Spring Security's CSRF check is skipped only for requests the SessionGate filter answers itself:
 * a path the exemption covers that the filter hands to the application (an endpoint path it does
 * not serve with these settings) would reach the application's own handler without either CSRF
 * defence.
 */
class GateEndpointsServedTest {
    private static final List<String> METHODS = List.of("POST", "PUT", "DELETE", "PATCH");

    /** A sign-in at a provider: the flow serves its callback, not {@code login-endpoint}. */
    private static final class CallbackOnlyFlow implements LoginFlow {
        @Override
        public List<Route> routes() {
            return List.of(new Route("/auth/callback", Csrf.OWN_DEFENCE));
        }

        @Override
        public void handle(Route route, Context context) throws IOException {
            context.noContent();
        }

        @Override
        public void enter(Context context) throws IOException {
            context.redirect(302, "https://idp.example/authorize");
        }
    }

    @Test
    void withThePasswordLoginEveryPathExemptFromSpringCsrfIsAnsweredByTheFilterItself() throws Exception {
        assertExemptPathsAnsweredByTheFilter(GateConfig.builder().validator(new GateConfigTest.RecordingValidator()).publicPaths("/**").build());
    }

    @Test
    void withALoginFlowNotServingLoginEndpointThatPathIsNotExempt() throws Exception {
        assertExemptPathsAnsweredByTheFilter(GateConfig.builder().validator(new GateConfigTest.RecordingValidator()).publicPaths("/**")
                .loginFlow(new CallbackOnlyFlow()).build());
    }

    private static void assertExemptPathsAnsweredByTheFilter(GateConfig config) throws Exception {
        SessionFilter filter = new SessionFilter(config);
        filter.init(null);
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.registerBean("sessiongate", SessionFilter.class, () -> filter);
            context.refresh();
            GateEndpoints exempt = new GateEndpoints(context);
            List<Executable> checks = new ArrayList<>();
            List<String> paths = new ArrayList<>();
            for (String path : filter.config().endpoints().enabledPaths()) {
                paths.add(path);
                paths.add(path + "/");
            }
            for (String path : paths) {
                for (String method : METHODS) {
                    if (!exempt.matches(InMemoryRequest.method(method, path).build())) {
                        continue;
                    }
                    AtomicBoolean chained = new AtomicBoolean();
                    filter.doFilter(InMemoryRequest.method(method, path).header("Origin", "https://evil.example").build(),
                            new InMemoryResponse().servlet(), (req, res) -> chained.set(true));
                    checks.add(() -> assertFalse(chained.get(),
                            method + " " + path + " skips Spring's CSRF check yet reaches the application"));
                }
            }
            assertTrue(checks.size() >= 4 * METHODS.size(), "logout, refresh, session: exempt");
            assertAll(checks);
        } finally {
            filter.destroy();
        }
    }
}
