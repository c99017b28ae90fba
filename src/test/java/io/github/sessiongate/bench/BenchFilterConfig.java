package io.github.sessiongate.bench;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The container's view of web.xml for a benchmark filter: a name and its init-params, no servlet context. */
final class BenchFilterConfig implements FilterConfig {
    private final Map<String, String> params;

    BenchFilterConfig(Map<String, String> params) {
        this.params = new LinkedHashMap<>(params);
    }

    @Override
    public String getFilterName() {
        return "sessiongate";
    }

    @Override
    public ServletContext getServletContext() {
        return null;
    }

    @Override
    public String getInitParameter(String name) {
        return params.get(name);
    }

    @Override
    public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(params.keySet());
    }

    @Override
    public String toString() {
        return "FilterConfig[sessiongate]";
    }
}
