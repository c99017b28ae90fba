package io.github.sessiongate.bench;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * The application behind the filter in the benchmarks: counts the requests that reached it and
 * keeps the last one (the filter's wrapper), so the set-up and iteration checks can ask it for the
 * session; allocates nothing. Not thread-safe: one per benchmark thread.
 */
final class BenchChain implements FilterChain {
    long requests;
    ServletRequest last;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response) {
        requests++;
        last = request;
    }
}
