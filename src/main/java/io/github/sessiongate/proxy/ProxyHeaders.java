package io.github.sessiongate.proxy;

import io.github.sessiongate.web.RequestOrigin;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which headers cross the proxy, each way, and the forwarding headers it sets. Names are compared
 * in lower case. Stateless.
 *
 * <p>Never forwarded to the backend: {@code Cookie}, {@code Authorization} (the proxy sets its
 * own), the hop-by-hop headers of RFC 9110 section 7.6.1 ({@code Connection}, {@code Keep-Alive},
 * {@code Proxy-Connection}, {@code TE}, {@code Trailer}, {@code Transfer-Encoding},
 * {@code Upgrade}, every header the {@code Connection} header names, and every {@code Proxy-*}),
 * the browser's own {@code Forwarded}, {@code X-Forwarded-*}, {@code X-Real-IP},
 * {@code X-Original-URL} and {@code X-Rewrite-URL}, the headers the HTTP client sets itself
 * ({@code Host}, {@code Content-Length}, {@code Expect}) and the route's deny-list.
 *
 * <p>Never passed back to the browser: {@code Set-Cookie} (and {@code Set-Cookie2}), the hop-by-hop
 * headers, {@code WWW-Authenticate}, {@code Access-Control-*}, {@code Clear-Site-Data} (a backend
 * must not sign the user out of this application), {@code Refresh} (a redirect by another name, which
 * {@link LocationRewrite} would not see), HTTP/2 pseudo-headers, and the caching headers
 * ({@code Cache-Control}, {@code Expires}, {@code Pragma}): the answer is always
 * {@code Cache-Control: private, no-store}.
 */
public final class ProxyHeaders {
    /**
     * The most bytes of backend response headers relayed ({@code name: value} lines); a backend
     * sending more gets 502. Jetty and Tomcat refuse a response head over 8 KiB by default (their
     * own 500, or a dropped connection), and the filter's own headers (rotated cookies,
     * {@code Cache-Control}, {@code Vary}) need the rest.
     */
    public static final int MAX_RELAYED_BYTES = 4096;

    /** The cache policy of every proxied answer. */
    public static final String CACHE_CONTROL = "private, no-store";

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade");
    private static final Set<String> REQUEST_STRIPPED = Set.of("cookie", "cookie2", "authorization", "forwarded",
            "x-real-ip", "x-original-url", "x-rewrite-url", "host", "content-length", "expect");
    private static final Set<String> RESPONSE_STRIPPED = Set.of("set-cookie", "set-cookie2", "www-authenticate",
            "clear-site-data", "refresh", "cache-control", "expires", "pragma");

    private ProxyHeaders() {
    }

    /** The lower-case header names listed in the {@code Connection} header values (hop-by-hop too). */
    public static Set<String> connectionNamed(Enumeration<String> connectionValues) {
        Set<String> names = new TreeSet<>();
        while (connectionValues != null && connectionValues.hasMoreElements()) {
            String value = connectionValues.nextElement();
            if (value == null) {
                continue;
            }
            for (String token : value.split(",")) {
                String name = token.strip().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /**
     * Whether the request header {@code name} goes to the backend.
     *
     * @param connectionNamed what {@link #connectionNamed} found in the request
     * @param routeStripped the route's deny-list, lower case
     */
    public static boolean forwardsRequestHeader(String name, Set<String> connectionNamed, Set<String> routeStripped) {
        String n = name.toLowerCase(Locale.ROOT);
        return !isHopByHop(n, connectionNamed) && !REQUEST_STRIPPED.contains(n) && !n.startsWith("x-forwarded-")
                && !routeStripped.contains(n);
    }

    /** The size of {@code headers} as {@code name: value} lines on the wire. */
    public static long size(Map<String, List<String>> headers) {
        long size = 0;
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            for (String value : h.getValue()) {
                size += h.getKey().length() + value.length() + 4;
            }
        }
        return size;
    }

    /** Whether the backend's response header {@code name} goes back to the browser as it is. */
    public static boolean passesResponseHeader(String name, Set<String> connectionNamed) {
        String n = name.toLowerCase(Locale.ROOT);
        return !n.isEmpty() && n.charAt(0) != ':' && !isHopByHop(n, connectionNamed) && !RESPONSE_STRIPPED.contains(n)
                && !n.startsWith("access-control-");
    }

    private static boolean isHopByHop(String lowerName, Set<String> connectionNamed) {
        return HOP_BY_HOP.contains(lowerName) || lowerName.startsWith("proxy-") || connectionNamed.contains(lowerName);
    }

    /**
     * The forwarding headers for the resolved request origin: {@code X-Forwarded-For},
     * {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and {@code Forwarded} (RFC 7239, values
     * quoted where they are not tokens, an IPv6 address bracketed and quoted; an unknown client is
     * {@code for=unknown} and no {@code X-Forwarded-For}).
     */
    public static Map<String, String> forwarding(RequestOrigin origin) {
        String host = origin.origin().substring(origin.scheme().length() + "://".length());
        String client = origin.client();
        boolean known = !client.isEmpty() && !client.equals("-");
        String forFor = !known ? "unknown" : client.indexOf(':') >= 0 ? "[" + client + "]" : client;
        Map<String, String> headers = new LinkedHashMap<>();
        if (known) {
            headers.put("X-Forwarded-For", client);
        }
        headers.put("X-Forwarded-Proto", origin.scheme());
        headers.put("X-Forwarded-Host", host);
        headers.put("Forwarded", "for=" + quoted(forFor) + ";proto=" + quoted(origin.scheme()) + ";host=" + quoted(host));
        return headers;
    }

    /** An RFC 7239 value: the token as is, else a quoted string ({@code "} and {@code \} escaped). */
    static String quoted(String value) {
        if (!value.isEmpty() && value.chars().allMatch(ProxyHeaders::isTokenChar)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.append('"').toString();
    }

    private static boolean isTokenChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
