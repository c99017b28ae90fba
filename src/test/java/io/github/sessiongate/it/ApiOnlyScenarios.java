package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.it.RawHttp.Response;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code login-redirect=false} (webapp {@code api-only}), for an application with no pages
 * ({@link JettyApiOnlyTest}, {@link TomcatApiOnlyTest}): a browser navigation to a protected path
 * without a session gets {@code 401} with the challenge, not a login redirect; a valid session
 * still gets through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiOnlyScenarios {
    static final String APP = "/api-only";

    private final Teardown teardown = new Teardown();
    private URI base;

    /** A fresh, unstarted container. */
    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        teardown.add(new ScenarioProperties()).set(Tokens.SECRET_PROPERTY, Tokens.SECRET);
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(APP, "api-only")));
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    @Test
    void aPageNavigationWithoutASessionGets401NotALoginRedirect() throws Exception {
        Response page = RawHttp.send(base, "GET", APP + "/dashboard/x", "Sec-Fetch-Mode: navigate", "Accept: text/html");
        assertEquals(401, page.status(), page.body());
        assertTrue(page.header("Location").isEmpty(), "no redirect: " + page.headers());
        assertEquals("Cookie realm=\"it-realm\"", page.header("WWW-Authenticate").orElseThrow());
    }

    @Test
    void aValidSessionStillGetsThrough() throws Exception {
        Response page = RawHttp.send(base, "GET", APP + "/dashboard/x", "Sec-Fetch-Mode: navigate", "Accept: text/html",
                "Cookie: sg_access=" + Tokens.valid("alice"));
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains("alice"), page.body());
    }
}
