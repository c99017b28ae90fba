package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.TokenSpellings;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One access token, one spelling, over real HTTP ({@link JettyCanonicalTokenTest},
 * {@link TomcatCanonicalTokenTest}): a valid access cookie re-spelt the ways jose4j would still
 * verify (padded, standard alphabet, non-zero pad bits) gets 401, never 200 and never 500, and the
 * audit trail records it as malformed under the re-spelt token's fingerprint, never the token.
 * Serves the {@code gate} webapp ({@code /api/*} protected, HS256 {@link Tokens}) at {@value #APP}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CanonicalTokenScenarios {
    static final String APP = "/app";
    static final String ACCESS_COOKIE = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;

    private static final Map<String, UnaryOperator<String>> SPELLINGS = Map.of(
            "padded", TokenSpellings::padded,
            "standard-alphabet", TokenSpellings::standardAlphabet,
            "non-zero-pad-bits", TokenSpellings::nonZeroPadBits);

    private final Teardown teardown = new Teardown();
    private URI base;

    /** A fresh, unstarted container. */
    abstract Container newContainer();

    @BeforeAll
    void startContainer() throws Exception {
        teardown.add(new ScenarioProperties()).set(Tokens.SECRET_PROPERTY, Tokens.SECRET);
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(APP, "gate")));
    }

    @AfterAll
    void stopContainer() throws Exception {
        teardown.close();
    }

    private static String validToken() {
        return TokenSpellings.withUrlSafeCharacter(() -> Tokens.valid("alice", "user"));
    }

    @Test
    void canonicalSpellingIsServed() throws Exception {
        Response response = RawHttp.send(base, "GET", APP + "/api/orders", "Cookie: " + ACCESS_COOKIE + "=" + validToken());
        assertEquals(200, response.status(), response::toString);
        assertTrue(response.body().contains(EchoServlet.MARKER), response::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"padded", "standard-alphabet", "non-zero-pad-bits"})
    void otherSpellingOfAValidAccessCookieIsUnauthenticatedAndAuditedAsMalformed(String kind) throws Exception {
        String canonical = validToken();
        String respelt = SPELLINGS.get(kind).apply(canonical);
        Response[] response = new Response[1];

        String log = LogCapture.during(() -> response[0] = RawHttp.send(base, "GET", APP + "/api/orders",
                "Cookie: " + ACCESS_COOKIE + "=" + respelt));

        Response r = response[0];
        List<String> audit = log.lines().filter(l -> l.contains(AuditLog.LOGGER_NAME)).toList();
        String signature = canonical.substring(canonical.lastIndexOf('.') + 1, canonical.length() - 1);
        assertAll(
                () -> assertEquals(401, r.status(), r::toString),
                () -> assertEquals(Map.of("error", "unauthenticated"), Json.object(r.body()), r::toString),
                () -> assertFalse(r.body().contains(EchoServlet.MARKER), "reached the application"),
                () -> assertTrue(audit.stream().anyMatch(l -> l.contains("event=invalid_token") && l.contains("reason=malformed")
                        && l.contains("token=" + Tokens.fingerprint(respelt))), () -> "no malformed audit line in:\n" + log),
                () -> assertFalse(log.contains(respelt) || log.contains(canonical), () -> "token in the logs:\n" + log),
                () -> assertFalse(log.contains(signature), () -> "signature in the logs:\n" + log));
    }
}
