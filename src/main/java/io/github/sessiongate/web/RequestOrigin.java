package io.github.sessiongate.web;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.internal.Hosts;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a request really came from and which origin it was addressed to, as far as can be
 * trusted: the application's public origin (scheme, host, port) and the client's address.
 *
 * <p>In order: a configured {@code public-origin} wins; otherwise, when the direct peer is one of
 * the {@link TrustedProxies}, its {@code X-Forwarded-Proto}/{@code X-Forwarded-Host}/
 * {@code X-Forwarded-For} headers are believed; otherwise the request's own scheme and Host.
 * Forwarded headers from anyone else are ignored, so a client cannot talk its way into a
 * cookie without {@code Secure}.
 *
 * @param scheme {@code http} or {@code https}, lower case
 * @param host host name or IP literal, lower case, without port
 * @param port the port, or -1 for the scheme's default
 * @param client the client's address (after trusted proxies)
 * @param forwardedByUntrustedPeer whether a peer that is not a trusted proxy sent {@code Forwarded} or
 *     {@code X-Forwarded-*} headers (ignored, but a sign of a reverse proxy nobody configured)
 */
public record RequestOrigin(String scheme, String host, int port, String client, boolean forwardedByUntrustedPeer) {

    /** An origin reached directly. */
    public RequestOrigin(String scheme, String host, int port, String client) {
        this(scheme, host, port, client, false);
    }

    public RequestOrigin {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(client, "client");
    }

    /**
     * Whether this is plain HTTP from this machine to this machine (local development). Never when
     * an untrusted peer sent forwarding headers: that is a reverse proxy on this host, which
     * {@code trusted-proxies} or {@code public-origin} must describe, so cookies stay Secure.
     */
    public boolean isPlainHttpToLoopback() {
        return "http".equals(scheme) && isLoopback(host) && isLoopback(client) && !forwardedByUntrustedPeer;
    }

    /** The origin as {@code scheme://host[:port]}, port omitted when it is the default. */
    public String origin() {
        boolean defaultPort = port < 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return scheme + "://" + h + (defaultPort ? "" : ":" + port);
    }

    /** Resolves origins for requests, from the configured public origin and trusted proxies. */
    public static final class Resolver {
        private final URI publicOrigin;
        private final TrustedProxies proxies;

        /**
         * @param publicOrigin the configured public origin, or {@code null}
         * @param proxies whose forwarded headers to believe
         */
        public Resolver(URI publicOrigin, TrustedProxies proxies) {
            this.publicOrigin = publicOrigin;
            this.proxies = Objects.requireNonNull(proxies, "proxies");
        }

        /**
         * The client's address alone, as {@link #resolve} gives it: for the audit lines of a request
         * whose origin is otherwise never asked for. Never throws.
         */
        public String client(HttpServletRequest request) {
            String peer = peer(request);
            return proxies.trusts(peer) ? forwardedClient(request, peer) : peer;
        }

        /** Resolves one request. Never throws. */
        public RequestOrigin resolve(HttpServletRequest request) {
            boolean trusted = proxies.trusts(peer(request));
            boolean forwardedUntrusted = !trusted && (request.getHeader("Forwarded") != null
                    || request.getHeader("X-Forwarded-For") != null || request.getHeader("X-Forwarded-Proto") != null
                    || request.getHeader("X-Forwarded-Host") != null);
            String client = client(request);
            if (publicOrigin != null) {
                return new RequestOrigin(publicOrigin.getScheme().toLowerCase(Locale.ROOT),
                        stripBrackets(publicOrigin.getHost()).toLowerCase(Locale.ROOT), publicOrigin.getPort(), client,
                        forwardedUntrusted);
            }
            String scheme = request.isSecure() ? "https" : orElse(request.getScheme(), "http");
            String host = orElse(request.getServerName(), "");
            int port = request.getServerPort();
            if (trusted) {
                String proto = first(request.getHeader("X-Forwarded-Proto"));
                if ("https".equalsIgnoreCase(proto) || "http".equalsIgnoreCase(proto)) {
                    scheme = proto;
                    port = -1;
                }
                String fhost = first(request.getHeader("X-Forwarded-Host"));
                if (fhost != null && !fhost.isEmpty()) {
                    URI parsed = hostAndPort(fhost);
                    if (parsed != null) {
                        host = parsed.getHost();
                        port = parsed.getPort();
                    }
                }
            }
            return new RequestOrigin(scheme.toLowerCase(Locale.ROOT), stripBrackets(host).toLowerCase(Locale.ROOT), port, client,
                    forwardedUntrusted);
        }

        @Override
        public String toString() {
            return "public-origin=" + (publicOrigin == null ? "(from request)" : publicOrigin) + ", trusted-proxies=" + proxies;
        }

        private static String peer(HttpServletRequest request) {
            return orElse(request.getRemoteAddr(), "-"); // null checks, no Optional per request
        }

        /** The right-most address in X-Forwarded-For that is not itself a trusted proxy. */
        private String forwardedClient(HttpServletRequest request, String peer) {
            String xff = request.getHeader("X-Forwarded-For");
            if (xff == null) {
                return peer;
            }
            String[] hops = xff.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].strip();
                if (hop.isEmpty() || TrustedProxies.literal(hop) == null) {
                    return peer;
                }
                if (!proxies.trusts(hop)) {
                    return hop;
                }
            }
            return peer;
        }
    }

    /**
     * Parses a configured public origin such as {@code https://app.example.com}.
     *
     * @throws ConfigException naming the parameter when it is not an http(s) origin
     */
    public static URI parsePublicOrigin(String parameter, String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || !bare
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new ConfigException(parameter, "must be an origin such as https://app.example.com, not '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(parameter, "must be an origin such as https://app.example.com, not '" + value + "'");
        }
    }

    /**
     * Whether a host name or address literal is this machine: {@code localhost} and its subdomains
     * (RFC 6761), or a loopback literal as {@link Hosts#isLoopback} judges it. Never resolves a name.
     */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        return endsWithLocalhost(stripBrackets(host)) || Hosts.isLoopback(host);
    }

    /**
     * {@code h.toLowerCase(Locale.ROOT).endsWith(".localhost")} without the copy: only ASCII letters
     * lower-case to those of {@code .localhost} (never {@code regionMatches(true, ...)}, which would
     * also take a long s for an s).
     */
    private static boolean endsWithLocalhost(String h) {
        String suffix = ".localhost";
        int from = h.length() - suffix.length();
        if (from < 0) {
            return false;
        }
        for (int i = 0; i < suffix.length(); i++) {
            char c = h.charAt(from + i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String orElse(String value, String absent) {
        return value != null ? value : absent;
    }

    private static String first(String header) {
        if (header == null) {
            return null;
        }
        int comma = header.indexOf(',');
        return (comma < 0 ? header : header.substring(0, comma)).strip();
    }

    private static URI hostAndPort(String value) {
        try {
            URI uri = new URI("http://" + value);
            return uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty() ? null : uri;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
