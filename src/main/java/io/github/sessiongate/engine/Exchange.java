package io.github.sessiongate.engine;

import io.github.sessiongate.Session;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.web.RequestOrigin;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One request as the filter's steps see it: what came in, where the answer goes, and what the
 * steps have learned so far. Confined to the request's thread; never shared.
 */
final class Exchange {
    final HttpServletRequest request;
    final String path;
    final RequestOrigin origin;
    final boolean secure;
    final Credentials credentials;
    /** The response, wrapped to stay private once the request carries or sets a session. */
    HttpServletResponse out;
    /** The established session, guest or user; {@code null} for none. */
    Session session;
    /** Whether no verdict could be had (validator or backend unavailable). */
    boolean unavailable;
    /** Whether the filter wrote or cleared session cookies on this response. */
    boolean wroteCookies;
    /** The presented access token's validation result, once resolved; {@code null} for none. */
    ValidationResult presented;
    /** Whether this request rotated the tokens (new cookies written). */
    boolean rotated;
    /** What became of the refresh this request already made, if any: a second one would double its effects. */
    Gate.Applied refreshApplied;

    Exchange(HttpServletRequest request, HttpServletResponse out, String path, RequestOrigin origin, boolean secure,
            Credentials credentials) {
        this.request = request;
        this.out = out;
        this.path = path;
        this.origin = origin;
        this.secure = secure;
        this.credentials = credentials;
    }
}
