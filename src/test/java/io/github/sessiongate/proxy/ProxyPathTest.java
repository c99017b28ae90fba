package io.github.sessiongate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.sessiongate.ProxyRoute;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The backend URL is the base URL plus the normalised remainder, re-encoded; tricks cannot leave the base path. */
class ProxyPathTest {
    private static final ProxyRoute ROUTE = ProxyRoute.builder("backend", "/api/backend/*", "https://api.internal/v1/").build();

    private static String target(String path, String query) {
        var uri = ProxyPath.target(ROUTE, path, query);
        return uri == null ? null : uri.toString();
    }

    @ParameterizedTest(name = "{0} ? {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "/api/backend|NULL|https://api.internal/v1/",
        "/api/backend/|NULL|https://api.internal/v1/",
        "/api/backend/notes|NULL|https://api.internal/v1/notes",
        "/api/backend/notes/|NULL|https://api.internal/v1/notes/",
        "/api/backend/notes/7|x=1&y=2|https://api.internal/v1/notes/7?x=1&y=2",
        // a decoded '/' cannot occur in a segment; a decoded '%2F' text is re-encoded as data
        "/api/backend/a%2Fb|NULL|https://api.internal/v1/a%252Fb",
        // a ';' never reaches the backend as a path parameter
        "/api/backend/a;x=1|NULL|https://api.internal/v1/a%3Bx=1",
        "/api/backend/caf\u00e9|NULL|https://api.internal/v1/caf%C3%A9",
        "/api/backend/a b?#|NULL|https://api.internal/v1/a%20b%3F%23",
        "/api/backend/a\\b|NULL|https://api.internal/v1/a%5Cb",
        "/api/backend/x:y@z!$&'()*+,=~|NULL|https://api.internal/v1/x:y@z!$&'()*+,=~",
        // the query goes as sent; only what a query cannot hold is encoded
        "/api/backend/q|a=%20b&c=d/e?f|https://api.internal/v1/q?a=%20b&c=d/e?f",
        "/api/backend/q|a=b c#d|https://api.internal/v1/q?a=b%20c%23d",
        "/api/backend/q|bad=%zz&p=%|https://api.internal/v1/q?bad=%25zz&p=%25",
        "/api/backend/q|u=\u00e9|https://api.internal/v1/q?u=%C3%A9",
    })
    void reencodes(String path, String query, String expected) {
        assertEquals(expected, target(path, query));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/backend/..", "/api/backend/../admin", "/api/backend/a/../../x", "/api/backend/.",
        "/api/backend/./a", "/api/backend/..;/admin", "/api/backend/.;x", "/api/backend//a", "/api/backend/a//b"})
    void refusesDotAndEmptySegments(String path) {
        assertNull(target(path, null), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/backend/...", "/api/backend/..a", "/api/backend/a..", "/api/backend/.well-known"})
    void dotsInsideANameAreData(String path) {
        assertEquals("https://api.internal/v1/" + path.substring("/api/backend/".length()), target(path, null));
    }
}
