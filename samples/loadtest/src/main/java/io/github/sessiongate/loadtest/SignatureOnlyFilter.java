package io.github.sessiongate.loadtest;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Not a filter anyone should deploy: the <em>verification floor</em>. It reads the token from the
 * access cookie as the peers do and checks its RS256 signature with the JDK's {@link Signature}, the
 * one piece of work every verifying filter must do for a token it has not seen, and nothing else (no
 * header, no claims, no expiry: an expired token passes). Its cost in the same server under the same
 * load is what "one signature check" costs there, so the report can say how much a real filter spends
 * beyond it, and how far any verifying filter could get ahead of another.
 */
final class SignatureOnlyFilter implements Filter {
    private final PublicKey key;

    SignatureOnlyFilter(PublicKey key) {
        this.key = key;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        String token = AccessCookie.read((HttpServletRequest) req);
        if (token == null || !verified(token)) {
            AccessCookie.refuse((HttpServletResponse) res);
            return;
        }
        chain.doFilter(req, res);
    }

    private boolean verified(String token) {
        int dot = token.lastIndexOf('.');
        if (dot < 0) {
            return false;
        }
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update(token.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
            return rs256.verify(Base64.getUrlDecoder().decode(token.substring(dot + 1)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
