package io.github.sessiongate.spring;

import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.engine.ApiAccess;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Matches a request the SessionGate filter answers itself ({@code /auth/logout}, {@code /auth/refresh},
 * its login flow's routes, ... as the running filter serves them), so Spring Security's CSRF filter
 * leaves them to the filter's own CSRF defence. An endpoint path the filter does not serve with its
 * settings (no login flow route there, client tokens off) goes to the application and keeps Spring's
 * check. The filters are looked up in the application context (a {@link SessionFilter} bean, or one
 * inside a {@link FilterRegistrationBean}) at the first request, when they have started; the path is
 * the one the filter decides on, {@code getServletPath() + getPathInfo()}.
 */
final class GateEndpoints implements RequestMatcher {
    private final ApplicationContext context;
    private volatile List<SessionFilter> started;

    GateEndpoints(ApplicationContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String decided = path.isEmpty() ? "/" : path;
        boolean answered = false;
        try {
            for (SessionFilter filter : filters()) {
                answered |= ApiAccess.answersItself(filter, decided); // each asked: one not started yet matches nothing
            }
        } catch (IllegalStateException notStarted) {
            started = null; // destroyed, or not started yet: ask the context again at the next request
            return false;
        }
        return answered;
    }

    private List<SessionFilter> filters() {
        List<SessionFilter> known = started;
        if (known == null) {
            started = known = filters(context);
        }
        return known;
    }

    /** Every SessionFilter the context defines, as a bean or inside a registration bean. */
    static List<SessionFilter> filters(ApplicationContext context) {
        List<SessionFilter> filters = new ArrayList<>(context.getBeansOfType(SessionFilter.class, false, false).values());
        for (FilterRegistrationBean<?> registration : context.getBeansOfType(FilterRegistrationBean.class, false, false).values()) {
            if (registration.getFilter() instanceof SessionFilter filter && !filters.contains(filter)) {
                filters.add(filter);
            }
        }
        return filters;
    }
}
