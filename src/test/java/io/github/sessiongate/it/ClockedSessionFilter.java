package io.github.sessiongate.it;

import io.github.sessiongate.InitParams;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.engine.InitParamsMapping;
import io.github.sessiongate.testing.MutableClock;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The filter of a test webapp whose time a test moves: named as {@code filter-class} in its
 * web.xml in place of {@link SessionFilter}, it maps the same init-params with the same mapping
 * ({@link InitParamsMapping}), on the {@link #clock} of its context path, and runs a
 * {@link SessionFilter} built from that config. The filter and its validator share the clock, so
 * a test steps past a sliding interval or a grace window by {@link MutableClock#advance} instead of
 * sleeping. The clock follows the system time otherwise (the test backends mint tokens on it).
 *
 * <p>Test-side only: the container loads webapp classes parent-first from the test class path,
 * so the test and the webapp see the same clock. The one difference from a web.xml filter is the
 * way it starts (from a config, as {@code new SessionFilter(config)} does), so the validator calls
 * its backend over a client of its own rather than the filter's shared transport.
 */
public final class ClockedSessionFilter implements Filter {
    private static final Map<String, MutableClock> CLOCKS = new ConcurrentHashMap<>();

    private SessionFilter delegate;

    /** The clock of the webapp at {@code contextPath}: the same one for every container of the JVM. */
    static MutableClock clock(String contextPath) {
        return CLOCKS.computeIfAbsent(contextPath, p -> MutableClock.followingSystemTime());
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String name : Collections.list(filterConfig.getInitParameterNames())) {
            raw.put(name, filterConfig.getInitParameter(name));
        }
        MutableClock clock = clock(filterConfig.getServletContext().getContextPath());
        SessionFilter filter = new SessionFilter(InitParamsMapping.fromInitParams(InitParams.resolve(raw), clock));
        filter.init(filterConfig);
        delegate = filter;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        delegate.doFilter(request, response, chain);
    }

    @Override
    public void destroy() {
        if (delegate != null) {
            delegate.destroy();
        }
    }
}
