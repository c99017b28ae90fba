package io.github.sessiongate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoginRedirectTest {

    private static String from(String location) {
        String encoded = location.substring(location.indexOf("?from=") + 6);
        return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    }

    @Test
    void fromCarriesContextPathNormalisedPathAndQuery() {
        String location = LoginRedirect.location("/app", "/login", "/dashboard/x", "a=1&b=%20");
        assertTrue(location.startsWith("/app/login?from="));
        assertEquals("/app/dashboard/x?a=1&b=%20", from(location));
    }

    @Test
    void fromIsAlwaysASameOriginPathEvenAtTheRootContext() {
        String location = LoginRedirect.location("", "/login", "/dashboard", null);
        assertEquals("/login?from=%2Fdashboard", location);
        assertFalse(from(location).startsWith("//"));
    }

    @Test
    void nonAsciiAndSpecialCharactersInThePathAreReEncoded() {
        String location = LoginRedirect.location("", "/login", "/caf\u00e9 menu/<x>", null);
        assertEquals("/caf%C3%A9%20menu/%3Cx%3E", from(location));
    }

    @Test
    void queryCannotSplitTheLocationHeader() {
        String location = LoginRedirect.location("", "/login", "/x", "a=\r\nSet-Cookie:%20x");
        assertFalse(location.contains("\r") || location.contains("\n"));
    }
}
