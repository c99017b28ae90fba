package io.github.sessiongate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A backend's Location under its base URL points into the proxy prefix; anything else is dropped. */
class LocationRewriteTest {
    private static final URI BASE = URI.create("https://api.internal/v1/");
    private static final URI FORWARDED = URI.create("https://api.internal/v1/notes/7?x=1");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "https://api.internal/v1/notes/8|/app/api/backend/notes/8",
        "https://API.internal:443/v1/notes?page=2#top|/app/api/backend/notes?page=2#top",
        "https://api.internal/v1/|/app/api/backend/",
        "https://api.internal/v1|/app/api/backend",
        "/v1/notes/9|/app/api/backend/notes/9",
        "8|/app/api/backend/notes/8",
        "../users/1|/app/api/backend/users/1",
        "?y=2|/app/api/backend/notes/7?y=2",
        // elsewhere: dropped
        "https://evil.example/v1/notes|NULL",
        "//evil.example/v1/x|NULL",
        "http://api.internal/v1/notes|NULL",
        "https://api.internal:8443/v1/notes|NULL",
        "https://api.internal/v2/notes|NULL",
        "https://api.internal/v10/notes|NULL",
        "/admin|NULL",
        "../../../admin|NULL",
        "https://user@api.internal/v1/notes|NULL",
        "javascript:alert(1)|NULL",
        "https://api.internal/v1/%2e%2e/x|NULL",
        "not a uri|NULL",
    })
    void rewritesUnderTheBaseAndDropsTheRest(String location, String expected) {
        assertEquals(expected, LocationRewrite.rewrite(location, FORWARDED, BASE, "/app/api/backend"));
    }
}
