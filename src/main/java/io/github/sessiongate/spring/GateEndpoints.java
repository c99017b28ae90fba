package io.github.sessiongate.spring;

import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.SessionFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Matches a request for one of the SessionGate filter's own endpoints ({@code /auth/login},
 * {@code /auth/logout}, ... as its {@link EndpointSettings} say), so Spring Security's CSRF filter
 * leaves them to the filter's own CSRF defence. The filters are looked up in the application
 * context (a {@link SessionFilter} bean, or one inside a {@link FilterRegistrationBean}) at the
 * first request, when they have started; the path is the one the filter decides on,
 * {@code getServletPath() + getPathInfo()}.
 */
final class GateEndpoints implements RequestMatcher {
    private final ApplicationContext context;
    private volatile List<EndpointSettings> endpoints;

    GateEndpoints(ApplicationContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String decided = path.isEmpty() ? "/" : path;
        return endpoints().stream().anyMatch(e -> e.match(decided).isPresent());
    }

    private List<EndpointSettings> endpoints() {
        List<EndpointSettings> known = endpoints;
        if (known == null) {
            List<EndpointSettings> found = new ArrayList<>();
            for (SessionFilter filter : filters(context)) {
                try {
                    found.add(filter.config().endpoints());
                } catch (IllegalStateException notStarted) {
                    return List.of(); // ask again at the next request
                }
            }
            endpoints = known = List.copyOf(found);
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
