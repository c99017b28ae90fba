package io.github.sessiongate.internal;

import java.net.URI;

/**
 * The rules of OpenID Connect Discovery 1.0 that the sign-in ({@code login.OidcDiscovery}) and the
 * access-token keys ({@code jwt.DiscoveredJwksKeySource}) share, so that both read the same
 * document the same way: where it is (§4: the issuer plus {@code /.well-known/openid-configuration},
 * one trailing slash of the issuer dropped), that its {@code issuer} equals the configured one
 * exactly (§4.3), and that an https issuer's endpoints are https too.
 */
public final class OidcWellKnown {
    /** The path appended to the issuer. */
    public static final String PATH = "/.well-known/openid-configuration";

    private OidcWellKnown() {
    }

    /** The discovery document's URL for {@code issuer}. */
    public static URI documentUrl(String issuer) {
        return URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer) + PATH);
    }

    /** Whether the document's {@code issuer} member ({@code said}, any JSON value) equals {@code issuer} exactly. */
    public static boolean sameIssuer(String issuer, Object said) {
        return said instanceof String s && s.equals(issuer);
    }

    /** Whether {@code endpoint} is plain http while {@code issuer} is https: refused, the document would downgrade. */
    public static boolean downgrades(String issuer, URI endpoint) {
        return issuer.startsWith("https:") && !"https".equalsIgnoreCase(endpoint.getScheme());
    }
}
