package io.github.sessiongate.loadtest;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.Collection;
import java.util.Map;
import org.pac4j.jwt.config.signature.RSASignatureConfiguration;
import org.pac4j.jwt.credentials.authenticator.JwtAuthenticator;

/**
 * The pac4j 6.3 peer: a {@link JwtAuthenticator} with an RS256 {@link RSASignatureConfiguration}
 * (public key only), the token from the access cookie. pac4j checks the signature and {@code exp};
 * this filter adds the issuer, audience and subject checks the other variants make.
 */
final class Pac4jFilter implements Filter {
    private final JwtAuthenticator authenticator;
    private final String issuer;
    private final String audience;

    Pac4jFilter(RSAPublicKey key, String issuer, String audience) {
        this.authenticator = new JwtAuthenticator(new RSASignatureConfiguration(new KeyPair(key, null)));
        this.authenticator.init();
        this.issuer = issuer;
        this.audience = audience;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        String token = AccessCookie.read((HttpServletRequest) req);
        Map<String, Object> claims = null;
        if (token != null) {
            try {
                claims = authenticator.validateTokenAndGetClaims(token);
            } catch (RuntimeException e) {
                claims = null;
            }
        }
        if (claims == null || !accepted(claims)) {
            AccessCookie.refuse((HttpServletResponse) res);
            return;
        }
        req.setAttribute("claims", claims);
        chain.doFilter(req, res);
    }

    private boolean accepted(Map<String, Object> claims) {
        Object aud = claims.get("aud");
        boolean audienceOk = audience.equals(aud) || (aud instanceof Collection<?> list && list.contains(audience));
        return audienceOk && issuer.equals(claims.get("iss")) && claims.get("sub") instanceof String;
    }
}
