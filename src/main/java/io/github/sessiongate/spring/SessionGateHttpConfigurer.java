package io.github.sessiongate.spring;

import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.web.context.SecurityContextHolderFilter;

/**
 * Applied by Spring Security to every {@link HttpSecurity} it creates, so to every
 * {@code SecurityFilterChain}: Spring Security's {@code HttpSecurityConfiguration} loads the
 * {@code AbstractHttpConfigurer}s listed under that key in {@code META-INF/spring.factories}
 * (Security 6.x and 7.x alike). It adds the filter that makes the SessionGate session an
 * {@link SessionAuthentication} (after {@link SecurityContextHolderFilter}, before
 * {@code AnonymousAuthenticationFilter}), and exempts the SessionGate filter's own endpoints from
 * Spring Security's CSRF filter (they have the filter's own CSRF defence, and the filter answers
 * them before the chain when it is ordered first, as the auto-configuration orders it).
 *
 * <p>A chain that should not see SessionGate sessions removes it:
 * {@code http.removeConfigurer(SessionGateHttpConfigurer.class)}.
 */
public final class SessionGateHttpConfigurer extends AbstractHttpConfigurer<SessionGateHttpConfigurer, HttpSecurity> {
    /** For Spring Security's factory loader. */
    public SessionGateHttpConfigurer() {
    }

    @Override
    public void init(HttpSecurity http) {
        @SuppressWarnings("unchecked")
        CsrfConfigurer<HttpSecurity> csrf = http.getConfigurer(CsrfConfigurer.class);
        ApplicationContext context = http.getSharedObject(ApplicationContext.class);
        if (csrf != null && context != null) {
            csrf.ignoringRequestMatchers(new GateEndpoints(context));
        }
    }

    @Override
    public void configure(HttpSecurity http) {
        http.addFilterAfter(new SessionAuthenticationFilter(getSecurityContextHolderStrategy()), SecurityContextHolderFilter.class);
    }
}
