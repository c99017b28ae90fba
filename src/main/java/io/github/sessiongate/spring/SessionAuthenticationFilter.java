package io.github.sessiongate.spring;

import io.github.sessiongate.Session;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Inside a {@code SecurityFilterChain}, after {@code SecurityContextHolderFilter} (which replaces
 * any context set before the chain) and before {@code AnonymousAuthenticationFilter}: puts the
 * session that {@link io.github.sessiongate.SessionFilter} attached to the request into the
 * security context as a {@link SessionAuthentication}. Leaves a context that already holds an
 * authentication, a request without a session and a guest session alone (a guest stays anonymous
 * to Spring Security). Stateless: nothing is saved; {@code SecurityContextHolderFilter} clears the
 * holder after the request.
 */
final class SessionAuthenticationFilter implements Filter {
    private final SecurityContextHolderStrategy holder;

    SessionAuthenticationFilter(SecurityContextHolderStrategy holder) {
        this.holder = Objects.requireNonNull(holder, "holder");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Optional<Session> session = Session.from(request);
        if (session.isPresent() && !session.get().isGuest() && holder.getContext().getAuthentication() == null) {
            SecurityContext context = holder.createEmptyContext();
            context.setAuthentication(new SessionAuthentication(session.get()));
            holder.setContext(context);
        }
        chain.doFilter(request, response);
    }
}
