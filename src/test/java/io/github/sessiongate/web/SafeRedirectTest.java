package io.github.sessiongate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeRedirectTest {

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard", "/", "/dashboard?x=1&y=2", "/a/b%20c", "/caf%C3%A9", "/a/.well-known/x",
        "/files/v1.2", "/search?q=./x"})
    void sameOriginPathsAreKept(String from) {
        assertEquals(from, SafeRedirect.target(from).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"//evil.example", "/\\evil.example", "https://evil.example", "http:/evil.example",
        "/%2F%2Fevil.example", "/%2f%2fevil.example", "/%5Cevil.example", "javascript:alert(1)",
        "/x\r\nSet-Cookie: a=b", "/x%0d%0aSet-Cookie:a=b", "/x\tz", "", "dashboard", "/a/../../b", "/a/%2e%2e/b",
        "/x#frag", "/\u00e9", "/.//evil.example", "/.///evil.example", "/.//evil.example?a=b", "/a/./b", "/a/.",
        "/a/..", "/\"onmouseover", "/<script>", "/{x}", "/a|b", "/a^b", "/a`b"})
    void everythingElseIsRefused(String from) {
        assertTrue(SafeRedirect.target(from).isEmpty(), from);
    }

    @org.junit.jupiter.api.Test
    void overlongTargetsAreRefused() {
        assertTrue(SafeRedirect.target("/" + "a".repeat(SafeRedirect.MAX_LENGTH)).isEmpty());
    }
}
