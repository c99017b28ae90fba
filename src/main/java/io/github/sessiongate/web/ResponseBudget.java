package io.github.sessiongate.web;

/**
 * The one byte budget for the response headers the filter adds, so that no request, however odd,
 * pushes a response past the containers' default response-header limit into a 500.
 *
 * <p>Jetty 12 ({@code HttpConfiguration.responseHeaderSize}) and Tomcat 11 ({@code maxHttpHeaderSize},
 * which also bounds the response) refuse a response head over {@value #CONTAINER_LIMIT} bytes. Of
 * those, {@value #RESERVE} bytes are left to the container and the application (status line,
 * {@code Date}, {@code Server}, {@code Content-Type}, {@code Content-Length}, CORS and the
 * application's own headers on a page the filter let through), {@value #OWN_HEADERS} bytes to the
 * filter's own fixed headers ({@code Cache-Control: private, no-store}, {@code Vary: Cookie},
 * {@code Retry-After}, {@code Allow}, the JSON {@code Content-Type}), and the rest,
 * {@value #COOKIES_AND_LOCATION} bytes, to what a request can make grow: the {@code Set-Cookie}
 * headers (the tokens, bounded by {@code cookie-max-total-bytes}, and the clearing headers) and the
 * {@code Location}. Each header line counts as {@code Name: value} plus CRLF.
 *
 * <p>The cookies are written first, and their bytes are counted as written; the clearing headers get
 * what remains after them and {@value #FALLBACK_LOCATION} bytes kept for a {@code Location} to a
 * configured path (at most {@code CookieCodec.MAX_CLEARING_BYTES}); a {@code Location} that carries a
 * {@code from} gets what remains after all the {@code Set-Cookie} headers ({@link #locationRoom}).
 * Start-up refuses a {@code cookie-max-total-bytes} whose largest possible write, attributes included,
 * would leave less than {@value #FALLBACK_LOCATION} bytes.
 */
public final class ResponseBudget {
    /** The response-header limit Jetty and Tomcat have by default. */
    public static final int CONTAINER_LIMIT = 8192;
    /** Left to the container's and the application's own headers, status line included. */
    public static final int RESERVE = 1024;
    /** The filter's own fixed headers besides {@code Set-Cookie} and {@code Location}. */
    public static final int OWN_HEADERS = 160;
    /** What the {@code Set-Cookie} headers and the {@code Location} of one response may take together. */
    public static final int COOKIES_AND_LOCATION = CONTAINER_LIMIT - RESERVE - OWN_HEADERS;
    /** Kept back from the clearing headers for a {@code Location} to a configured path (context path included). */
    public static final int FALLBACK_LOCATION = 128;

    private static final int LOCATION_LINE = "Location: ".length() + 2;

    private ResponseBudget() {
    }

    /**
     * How many characters a {@code Location} may have once {@code setCookieBytes} of {@code Set-Cookie}
     * headers are on the response: the budget's rest, less the header name and CRLF; at least 0.
     *
     * @param setCookieBytes the bytes of the {@code Set-Cookie} headers the filter added, each counted
     *     as {@code Set-Cookie: name=value; attributes} plus CRLF
     */
    public static int locationRoom(int setCookieBytes) {
        return Math.max(0, COOKIES_AND_LOCATION - Math.max(0, setCookieBytes) - LOCATION_LINE);
    }

    /**
     * The most bytes the cookies written in one go may take, attributes included, so that a fallback
     * {@code Location} still fits: what start-up checks {@code cookie-max-total-bytes} against.
     */
    public static int maxWriteBytes() {
        return COOKIES_AND_LOCATION - FALLBACK_LOCATION;
    }
}
