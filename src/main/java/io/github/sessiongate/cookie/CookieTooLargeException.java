package io.github.sessiongate.cookie;

import io.github.sessiongate.CookieSettings;

/**
 * The session cookies would not fit: together they would take more of the browser's {@code Cookie}
 * request header than {@code cookie-max-total-bytes} allows, and a larger header makes the container
 * answer 431 or drop the connection before any filter runs. Thrown by {@link CookieCodec#write} and the
 * guest and meta writes before anything is written. The message states sizes and the limit, never a
 * token.
 */
public final class CookieTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int totalBytes;
    private final int accessBytes;
    private final int refreshBytes;
    private final int otherBytes;
    private final int limit;

    /**
     * @param totalBytes bytes all session cookies would take in the Cookie header, separators included
     * @param accessBytes bytes of the access cookie(s), {@code name=value} each
     * @param refreshBytes bytes of the refresh cookie(s), {@code name=value} each
     * @param limit the configured {@code cookie-max-total-bytes}
     */
    public CookieTooLargeException(int totalBytes, int accessBytes, int refreshBytes, int limit) {
        this(totalBytes, accessBytes, refreshBytes, 0, limit);
    }

    /**
     * @param totalBytes bytes all session cookies would take in the Cookie header, separators included
     * @param accessBytes bytes of the access cookie(s), {@code name=value} each
     * @param refreshBytes bytes of the refresh cookie(s), {@code name=value} each
     * @param otherBytes bytes of the guest and meta cookies, {@code name=value} each
     * @param limit the configured {@code cookie-max-total-bytes}
     */
    public CookieTooLargeException(int totalBytes, int accessBytes, int refreshBytes, int otherBytes, int limit) {
        super("session cookies would take " + totalBytes + " bytes of the Cookie request header (access "
                + accessBytes + ", refresh " + refreshBytes + (otherBytes == 0 ? "" : ", guest and meta " + otherBytes)
                + ", separators " + (totalBytes - accessBytes - refreshBytes - otherBytes)
                + "), over the limit of " + limit + " set by " + CookieSettings.PARAM_MAX_TOTAL_BYTES
                + "; nothing was written");
        this.totalBytes = totalBytes;
        this.accessBytes = accessBytes;
        this.refreshBytes = refreshBytes;
        this.otherBytes = otherBytes;
        this.limit = limit;
    }

    /** Bytes all session cookies would take in the Cookie header. */
    public int totalBytes() {
        return totalBytes;
    }

    /** Bytes of the access cookie(s). */
    public int accessBytes() {
        return accessBytes;
    }

    /** Bytes of the refresh cookie(s), written or kept. */
    public int refreshBytes() {
        return refreshBytes;
    }

    /** Bytes of the guest and meta cookies, written or kept. */
    public int otherBytes() {
        return otherBytes;
    }

    /** The configured limit. */
    public int limit() {
        return limit;
    }
}
