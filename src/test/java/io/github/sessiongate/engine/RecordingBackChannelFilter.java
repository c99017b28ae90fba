package io.github.sessiongate.engine;

import io.github.sessiongate.InitParams;
import io.github.sessiongate.login.BackChannelLogout;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The filter of a test webapp whose back-channel logouts revoke through a {@link Recorder} instead
 * of the session markers: named as {@code filter-class} in its web.xml, it maps the init-params as
 * {@code SessionFilter} does and starts the same engine ({@link FilterEngine}) with the recorder of
 * its context path, so a scenario sees exactly which {@code sid} or {@code sub} a posted logout token
 * revoked. Test-side only (the container loads webapp classes parent-first from the test class path).
 */
public final class RecordingBackChannelFilter implements Filter {
    private static final Map<String, Recorder> RECORDERS = new ConcurrentHashMap<>();

    private FilterEngine engine;

    /** What the back-channel logouts of one webapp revoked; {@link #full} makes it refuse (a full store). */
    public static final class Recorder implements BackChannelLogout.Revoker {
        private final List<String> revoked = new CopyOnWriteArrayList<>();
        private volatile boolean full;

        @Override
        public boolean revokeSid(String sid) {
            return !full && revoked.add("sid:" + sid);
        }

        @Override
        public boolean revokeSubject(String subject, Instant authenticatedBefore) {
            return !full && revoked.add("sub:" + subject + "@" + authenticatedBefore.getEpochSecond());
        }

        /** {@code sid:<sid>} or {@code sub:<sub>@<epoch second>}, in order. */
        public List<String> revoked() {
            return List.copyOf(revoked);
        }

        /** Whether it answers "store full" from now on. */
        public void full(boolean full) {
            this.full = full;
        }

        public void clear() {
            revoked.clear();
        }
    }

    /** The recorder of the webapp at {@code contextPath}: the same one for every container of the JVM. */
    public static Recorder recorder(String contextPath) {
        return RECORDERS.computeIfAbsent(contextPath, p -> new Recorder());
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String name : Collections.list(filterConfig.getInitParameterNames())) {
            raw.put(name, filterConfig.getInitParameter(name));
        }
        engine = FilterEngine.start(InitParamsMapping.fromInitParams(InitParams.resolve(raw), Clock.systemUTC()), filterConfig,
                recorder(filterConfig.getServletContext().getContextPath()));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        engine.handle((HttpServletRequest) request, (HttpServletResponse) response, chain);
    }

    @Override
    public void destroy() {
        if (engine != null) {
            engine.close();
        }
    }
}
