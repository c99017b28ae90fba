package io.github.sessiongate.bench;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A cheap in-memory GET request for whole-filter benchmarks: a few fixed headers, at most a handful
 * of attributes, no reflection on the answered getters (any other method throws, so a filter that
 * starts to depend on more is noticed). Not thread-safe: one per benchmark thread and invocation.
 */
final class BenchRequest extends HttpServletRequestWrapper {
    private static final HttpServletRequest UNSUPPORTED = (HttpServletRequest) Proxy.newProxyInstance(
            BenchRequest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> {
                throw new UnsupportedOperationException("BenchRequest." + m.getName());
            });

    private final String uri;
    private final List<String> cookieHeader;
    private final String[] names = new String[4];
    private final Object[] values = new Object[4];

    /** @param cookieHeader the one Cookie header value, or {@code null} for none */
    BenchRequest(String uri, String cookieHeader) {
        super(UNSUPPORTED);
        this.uri = uri;
        this.cookieHeader = cookieHeader == null ? List.of() : List.of(cookieHeader);
    }

    @Override
    public String getMethod() {
        return "GET";
    }

    @Override
    public String getRequestURI() {
        return uri;
    }

    @Override
    public String getServletPath() {
        return uri;
    }

    @Override
    public String getPathInfo() {
        return null;
    }

    @Override
    public String getContextPath() {
        return "";
    }

    @Override
    public String getQueryString() {
        return null;
    }

    @Override
    public String getHeader(String name) {
        if ("Cookie".equalsIgnoreCase(name)) {
            return cookieHeader.isEmpty() ? null : cookieHeader.get(0);
        }
        if ("Accept".equalsIgnoreCase(name)) {
            return "application/json";
        }
        if ("Host".equalsIgnoreCase(name)) {
            return "localhost:8080";
        }
        return null;
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return "Cookie".equalsIgnoreCase(name) ? Collections.enumeration(cookieHeader) : Collections.emptyEnumeration();
    }

    @Override
    public Object getAttribute(String name) {
        for (int i = 0; i < names.length; i++) {
            if (name.equals(names[i])) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public void setAttribute(String name, Object o) {
        int free = -1;
        for (int i = 0; i < names.length; i++) {
            if (name.equals(names[i])) {
                values[i] = o;
                return;
            }
            if (names[i] == null && free < 0) {
                free = i;
            }
        }
        names[free] = name;
        values[free] = o;
    }

    @Override
    public void removeAttribute(String name) {
        for (int i = 0; i < names.length; i++) {
            if (name.equals(names[i])) {
                names[i] = null;
                values[i] = null;
            }
        }
    }

    @Override
    public DispatcherType getDispatcherType() {
        return DispatcherType.REQUEST;
    }

    @Override
    public String getScheme() {
        return "http";
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public String getServerName() {
        return "localhost";
    }

    @Override
    public int getServerPort() {
        return 8080;
    }

    @Override
    public String getRemoteAddr() {
        return "127.0.0.1";
    }

    @Override
    public boolean isAsyncStarted() {
        return false;
    }
}
