package io.github.sessiongate.loadtest;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.PublicKey;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * The bare jose4j peer: one prebuilt {@link JwtConsumer} (RS256 only; issuer, audience, {@code exp}
 * and {@code sub} required), no cache, the token from the access cookie; the claims go to a request
 * attribute, as an application would use them.
 */
final class Jose4jFilter implements Filter {
    private final JwtConsumer consumer;

    Jose4jFilter(PublicKey key, String issuer, String audience) {
        consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .build();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        String token = AccessCookie.read((HttpServletRequest) req);
        JwtClaims claims = null;
        if (token != null) {
            try {
                claims = consumer.processToClaims(token);
            } catch (InvalidJwtException e) {
                claims = null;
            }
        }
        if (claims == null) {
            AccessCookie.refuse((HttpServletResponse) res);
            return;
        }
        req.setAttribute("claims", claims);
        chain.doFilter(req, res);
    }
}
