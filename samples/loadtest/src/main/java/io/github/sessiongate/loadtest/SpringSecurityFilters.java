package io.github.sessiongate.loadtest;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;

/**
 * The Spring Security 6.5 peer, wired by hand without a Spring context, in the order a
 * {@code SecurityFilterChain} would run them: {@link #contextCleaner} (the
 * {@code SecurityContextHolderFilter}'s clean-up), the {@link BearerTokenAuthenticationFilter}
 * over a {@link ProviderManager} with a {@link JwtAuthenticationProvider} and a
 * {@link NimbusJwtDecoder#withPublicKey} decoder (RS256; the default validators with the issuer, plus
 * an audience validator), its token from the access cookie through a {@link BearerTokenResolver};
 * then {@link #requireAuthentication} (what {@code authorizeHttpRequests(anyRequest().authenticated())}
 * amounts to): 401 when no authentication was established, since the bearer filter passes a request
 * without a token straight on.
 */
final class SpringSecurityFilters {
    private SpringSecurityFilters() {
    }

    /** The bearer-token filter, configured as described above. */
    static BearerTokenAuthenticationFilter bearer(RSAPublicKey key, String issuer, String audience) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(key).signatureAlgorithm(SignatureAlgorithm.RS256).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(issuer),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)),
                new JwtClaimValidator<String>(JwtClaimNames.SUB, sub -> sub != null && !sub.isEmpty())));
        ProviderManager manager = new ProviderManager(new JwtAuthenticationProvider(decoder));
        BearerTokenAuthenticationFilter filter = new BearerTokenAuthenticationFilter(manager);
        BearerTokenResolver fromCookie = AccessCookie::read;
        filter.setBearerTokenResolver(fromCookie);
        return filter;
    }

    /** Clears the thread's security context after the request, as {@code SecurityContextHolderFilter} does. */
    static Filter contextCleaner() {
        return (req, res, chain) -> {
            try {
                chain.doFilter(req, res);
            } finally {
                SecurityContextHolder.clearContext();
            }
        };
    }

    /** 401 unless the bearer filter authenticated the request. */
    static Filter requireAuthentication() {
        return new Filter() {
            @Override
            public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
                Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
                if (authentication == null || !authentication.isAuthenticated() || !(authentication.getPrincipal() instanceof Jwt)) {
                    AccessCookie.refuse((HttpServletResponse) res);
                    return;
                }
                chain.doFilter(req, res);
            }
        };
    }
}
