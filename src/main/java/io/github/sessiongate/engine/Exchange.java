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
    /** Resolves {@link #origin} when first asked; a refused or plain request never asks (only its {@link #client}). */
    private final RequestOrigin.Resolver origins;
    private RequestOrigin origin;
    private final String client;
    final boolean secure;
    final Credentials credentials;
    /** The response, wrapped to stay private once the request carries or sets a session. */
    HttpServletResponse out;

    /** An exchange whose origin is known. */
    Exchange(HttpServletRequest request, HttpServletResponse response, String path, RequestOrigin origin, boolean secure,
            Credentials credentials) {
        this(request, response, path, null, origin, origin.client(), secure, credentials);
    }

    /** An exchange from {@code client}, its origin resolved by {@code origins} when first asked. */
    Exchange(HttpServletRequest request, HttpServletResponse response, String path, RequestOrigin.Resolver origins,
            String client, boolean secure, Credentials credentials) {
        this(request, response, path, origins, null, client, secure, credentials);
    }

    private Exchange(HttpServletRequest request, HttpServletResponse response, String path, RequestOrigin.Resolver origins,
            RequestOrigin origin, String client, boolean secure, Credentials credentials) {
        this.request = request;
        this.out = credentials.carriesSession() ? keepPrivate(request, response) : response;
        this.path = path;
        this.origins = origins;
        this.origin = origin;
        this.client = client;
        this.secure = secure;
        this.credentials = credentials;
    }

    /** Where the request came from and was addressed to, resolved once when first asked. */
    RequestOrigin origin() {
        if (origin == null) {
            origin = origins.resolve(request);
        }
        return origin;
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
        return client;
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
