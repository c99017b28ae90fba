package io.github.sessiongate.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ProxyRoute;
import io.github.sessiongate.testing.PathResolution;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adversarial unit checks of the proxy's pure parts: a backend's {@code Location} that a browser
 * would follow off-site or out of the proxy prefix, a normalised path that a backend decoding once
 * (backslash as slash, as IIS and some frameworks do) would resolve out of its base path, and
 * headers of any spelling that must not cross.
 */
class ProxyAttackTest {
    private static final URI BASE = URI.create("https://api.internal/v1/");
    private static final URI FORWARDED = URI.create("https://api.internal/v1/notes/7?x=1");
    private static final String LOCAL = "/app/api/backend";
    private static final ProxyRoute ROUTE = ProxyRoute.builder("backend", "/api/backend/*", "https://api.internal/v1/").build();

    /**
     * Whatever the rewrite keeps, a browser following it (WHATWG URL: {@code %2e} is a dot in a
     * path segment, {@code \} a slash) stays under the proxy prefix on this origin.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "https://api.internal/v1/%2e%2e/x",
        "https://api.internal/v1/%2E%2E/%2e%2e/admin",
        "https://api.internal/v1/.%2e/x",
        "https://api.internal/v1/%2e./x",
        "https://api.internal/v1/x/%2e%2e/%2e%2e/%2e%2e/admin",
        "%2e%2e/%2e%2e/%2e%2e/admin",
        "https://api.internal/v1/x/..;/..;/admin",
        "//evil.example/v1/x",
        "https:evil.example",
        "https:/evil.example/v1/x",
        "https://api.internal@evil.example/v1/x",
        "https://evil.example#@api.internal/v1/x",
        "/\\evil.example",
        "\\\\evil.example",
        " //evil.example",
        "https://api.internal./v1/x",
        "HTTPS://API.INTERNAL/v1/x",
        "https://api.internal/v1//evil.example/x",
        "https://api.internal/v1/%2f%2fevil.example",
        "https://api.internal/v1/x%5c..%5c..%5cadmin",
    })
    void aRewrittenLocationNeverLeadsTheBrowserOffSiteOrOutOfThePrefix(String location) {
        String rewritten = LocationRewrite.rewrite(location, FORWARDED, BASE, LOCAL);
        if (rewritten == null) {
            return;
        }
        String followed = PathResolution.asBrowserFollows(rewritten);
        assertTrue(rewritten.startsWith(LOCAL) && (followed.equals(LOCAL) || followed.startsWith(LOCAL + "/")),
                () -> location + " became " + rewritten + ", which a browser follows to " + followed);
    }

    /**
     * A normalised path whose segments a backend decoding once would resolve out of {@code /v1/}
     * (backslash as separator, as IIS, ASP.NET and some Java servers do) is refused or stays under it.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "/api/backend/..\\..\\secret",
        "/api/backend/x\\..\\..\\secret",
        "/api/backend/..\\secret",
        "/api/backend/.\\..\\secret",
        "/api/backend/x/..\\..",
        "/api/backend/\u0000/../x",
        "/api/backend/..\u0000/x",
        "/api/backend/\uff0e\uff0e/secret",
        "/api/backend/%2e%2e/secret",
        "/api/backend/..;x/secret",
    })
    void aForwardedPathNeverResolvesOutOfTheBasePath(String path) {
        URI target = ProxyPath.target(ROUTE, path, null);
        if (target == null) {
            return;
        }
        String resolved = PathResolution.asBackendDecodingOnce(target.getRawPath());
        assertTrue(resolved.startsWith("/v1/") || resolved.equals("/v1"),
                () -> path + " went to " + target + ", which a backend decoding once resolves to " + resolved);
    }

    /** A backend header of any spelling that would set state in the browser or send it elsewhere never passes. */
    @ParameterizedTest
    @ValueSource(strings = {"sEt-CoOkIe", "SET-COOKIE2", "www-AUTHENTICATE", "ACCESS-CONTROL-ALLOW-ORIGIN",
        "Access-Control-Allow-Credentials", "Clear-Site-Data", "Proxy-Authenticate", "Refresh"})
    void browserStateAndNavigationHeadersNeverPass(String name) {
        assertFalse(ProxyHeaders.passesResponseHeader(name, Set.of()), () -> name + " passed to the browser");
    }

    /** The browser's credentials and forwarding claims never reach the backend, whatever their spelling. */
    @ParameterizedTest
    @ValueSource(strings = {"cOOKIE", "AUTHORIZATION", "Authorization", "FORWARDED", "x-FORWARDED-for", "X-Real-Ip",
        "X-ORIGINAL-URL", "x-rewrite-url", "PROXY-AUTHORIZATION", "Cookie2", "Host", "Content-Length",
        "Transfer-Encoding", "Expect", "Upgrade", "TE"})
    void browserCredentialsAndForwardingClaimsNeverCross(String name) {
        assertFalse(ProxyHeaders.forwardsRequestHeader(name, Set.of(), Set.of()), () -> name + " forwarded");
    }

    /** {@code Connection: authorization, cookie} only strips more; it never lets the proxy's own token go. */
    @ParameterizedTest
    @ValueSource(strings = {"authorization, cookie", "x-forwarded-for,forwarded", "close, host"})
    void aConnectionHeaderNamingCredentialsOnlyStripsMore(String connection) {
        Set<String> named = ProxyHeaders.connectionNamed(java.util.Collections.enumeration(java.util.List.of(connection)));
        for (String name : named) {
            assertFalse(ProxyHeaders.forwardsRequestHeader(name, named, Set.of()), () -> name + " forwarded");
        }
    }
}
