package io.github.sessiongate.engine;

import io.github.sessiongate.web.PrivateCacheResponse;
import io.github.sessiongate.web.RequestOrigin;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One request's plumbing: what came in, what it presents, and where the answer goes (the response,
 * made private once it carries or sets a session). Holds no decision: that is a {@link Resolution}.
 * Also the request's {@link Resolver.Where}, so the resolver's audit lines cost no object.
 * Confined to the request's thread; never shared.
 */
final class Exchange implements Resolver.Where {
    /** Request attribute marking a request whose responses must stay private (it carried or set a session). */
    static final String PRIVATE_ATTRIBUTE = "io.github.sessiongate.private";

    final HttpServletRequest request;
    final String path;
    final RequestOrigin origin;
    final boolean secure;
    final Credentials credentials;
    /** The response, wrapped to stay private once the request carries or sets a session. */
    HttpServletResponse out;

    Exchange(HttpServletRequest request, HttpServletResponse response, String path, RequestOrigin origin, boolean secure,
            Credentials credentials) {
        this.request = request;
        this.out = credentials.carriesSession() ? keepPrivate(request, response) : response;
        this.path = path;
        this.origin = origin;
        this.secure = secure;
        this.credentials = credentials;
    }

    /** Where the request comes from, for the resolver's audit lines: this exchange, no object more. */
    Resolver.Where where() {
        return this;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String client() {
        return origin.client();
    }

    /** The response, made private first: it is about to carry a session or a session cookie. */
    HttpServletResponse privately() {
        if (!(out instanceof PrivateCacheResponse)) {
            out = keepPrivate(request, out);
        }
        return out;
    }

    static HttpServletResponse keepPrivate(HttpServletRequest request, HttpServletResponse response) {
        request.setAttribute(PRIVATE_ATTRIBUTE, Boolean.TRUE);
        return new PrivateCacheResponse(response);
    }
}
