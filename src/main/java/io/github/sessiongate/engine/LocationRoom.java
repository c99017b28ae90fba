package io.github.sessiongate.engine;

import io.github.sessiongate.web.ResponseBudget;
import io.github.sessiongate.web.SafeRedirect;

/**
 * How long a {@code Location} may be on a response that also carries {@code Set-Cookie} headers:
 * what the {@link ResponseBudget} leaves next to them, and what the login endpoint accepts back.
 */
final class LocationRoom {
    /** How long a login redirect's {@code from} may be, percent-encoded: what the login endpoint accepts back. */
    private final int maxEncodedFrom;

    LocationRoom(int maxEncodedFrom) {
        this.maxEncodedFrom = maxEncodedFrom;
    }

    /**
     * How long the {@code Location} after a login may be on this response: what the
     * {@link ResponseBudget} leaves next to the {@code Set-Cookie} headers it carries (the new
     * session's cookies and any clearing ones, as written), at most {@link SafeRedirect#MAX_LENGTH}.
     */
    int afterLogin(Exchange ex) {
        return Math.min(SafeRedirect.MAX_LENGTH, ResponseBudget.locationRoom(ex.credentials.cookies().setCookieBytes()));
    }

    /**
     * How long a percent-encoded {@code from} may be in a {@code Location} of {@code prefixLength}
     * characters before it on this response: what the login endpoint accepts back, and what the
     * {@link ResponseBudget} leaves next to the {@code Set-Cookie} headers the response carries.
     */
    int encodedFrom(Exchange ex, int prefixLength) {
        return Math.max(0, Math.min(maxEncodedFrom,
                ResponseBudget.locationRoom(ex.credentials.cookies().setCookieBytes()) - prefixLength));
    }
}
