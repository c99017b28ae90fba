package io.github.sessiongate.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Rewrites a backend's {@code Location} or {@code Content-Location} for the browser. A value under
 * the backend base URL (absolute, or relative and resolved against the URL that was forwarded to)
 * becomes the same path under the proxy prefix of this application ({@code contextPath + prefix +
 * remainder}, query and fragment kept); any other value, absolute or relative, is dropped, so a
 * backend can neither send the browser elsewhere nor name its own internal addresses. A value with
 * a dot segment, also spelled with {@code %2e} (which a browser reads as a dot), is dropped too: the
 * browser would follow it out of the prefix. Stateless.
 */
public final class LocationRewrite {
    private LocationRewrite() {
    }

    /**
     * The value for the browser, or {@code null} to drop the header.
     *
     * @param value the backend's header value
     * @param forwarded the URL the request was forwarded to (relative values resolve against it)
     * @param baseUrl the route's base URL, ending in {@code /}
     * @param localPrefix {@code contextPath + route prefix}, without a trailing slash
     */
    public static String rewrite(String value, URI forwarded, URI baseUrl, String localPrefix) {
        URI resolved;
        try {
            String v = value.strip();
            // URI.resolve follows RFC 2396 for a query alone ("?y=2" drops the last segment); RFC 3986 keeps the path.
            resolved = v.startsWith("?") ? new URI(forwarded.getScheme() + "://" + forwarded.getRawAuthority()
                    + forwarded.getRawPath() + v) : forwarded.resolve(new URI(v));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
        if (resolved.getScheme() == null || resolved.getHost() == null
                || !resolved.getScheme().equalsIgnoreCase(baseUrl.getScheme())
                || !resolved.getHost().equalsIgnoreCase(baseUrl.getHost()) || port(resolved) != port(baseUrl)
                || resolved.getRawUserInfo() != null) {
            return null;
        }
        String basePath = baseUrl.getRawPath();
        String path = resolved.getRawPath() == null || resolved.getRawPath().isEmpty() ? "/" : resolved.getRawPath();
        String rest;
        if (path.startsWith(basePath)) {
            rest = path.substring(basePath.length() - 1); // keeps the leading '/'
        } else if (path.equals(basePath.substring(0, basePath.length() - 1))) {
            rest = "";
        } else {
            return null;
        }
        for (String segment : rest.split("/", -1)) {
            // A browser reads %2e as '.' (WHATWG URL): an encoded dot segment would walk out of the prefix.
            if (ProxyPath.isDotSegment(segment.replace("%2e", ".").replace("%2E", "."))) {
                return null;
            }
        }
        StringBuilder out = new StringBuilder(localPrefix).append(rest);
        if (resolved.getRawQuery() != null) {
            out.append('?').append(resolved.getRawQuery());
        }
        if (resolved.getRawFragment() != null) {
            out.append('#').append(resolved.getRawFragment());
        }
        return out.toString();
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
    }
}
