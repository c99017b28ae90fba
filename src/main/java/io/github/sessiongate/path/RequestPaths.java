package io.github.sessiongate.path;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A normalising firewall for request paths, in the spirit of Spring Security's
 * {@code StrictHttpFirewall}: it refuses every request whose path could be read two ways, and
 * hands back the one path that all later rules must match against.
 *
 * <p><b>The decided path</b> is the container-decoded, normalised {@code getServletPath() +
 * getPathInfo()} (an empty result becomes {@code "/"}). It is never derived from
 * {@code getRequestURI()}, which is still encoded and may carry path parameters, and so never
 * matches what the servlet that serves the request sees. If the container throws while computing
 * it (Jetty 12 does for ambiguous URIs in its legacy URI mode) the request is rejected.
 *
 * <p><b>Checks on the raw {@code getRequestURI()}</b>, before anything else:
 * <ul>
 *   <li>only printable ASCII ({@code 0x21..0x7e}): no control character, space or raw non-ASCII
 *       byte; the URI must start with {@code /};</li>
 *   <li>every {@code %} starts a valid escape; no encoded {@code /} ({@code %2f}), {@code \}
 *       ({@code %5c}), {@code .} ({@code %2e}), {@code ;} ({@code %3b}), {@code %}
 *       ({@code %25}, double encoding), NUL ({@code %00}) or other ASCII control character
 *       ({@code %01..%1f}, {@code %7f}), in either case;</li>
 *   <li>no {@code ;} (path parameter); only when {@code allowJsessionidPathParameter} is set, one
 *       trailing {@code ;jsessionid=<id>} on the last segment, where the id is 1 or more of
 *       {@code A-Z a-z 0-9 . _ ~ -} (the name is matched in lower case only);</li>
 *   <li>no backslash, no {@code .} or {@code ..} segment, no empty segment ({@code //}); a
 *       single trailing slash is fine.</li>
 * </ul>
 *
 * <p><b>Checks on the decoded path</b>, because containers decode differently (Tomcat decodes
 * {@code %0d%0a}, {@code %09} and {@code %7f} into the servlet path where Jetty refuses them; a
 * lenient UTF-8 decoder may turn an overlong sequence into {@code .}): it must start with
 * {@code /} and contain no NUL, no control character (C0, DEL, C1), no Unicode format character
 * (category Cf: bidi overrides, zero-width characters), no line or paragraph separator, no unpaired
 * surrogate, no U+FFFD (bytes that did not decode), no {@code \}, no {@code ;}, no {@code .} or
 * {@code ..} segment and no empty segment. Ordinary non-ASCII letters are fine:
 * {@code /caf%C3%A9} is accepted as {@code /café}.
 *
 * <p>Rejection reasons are fixed short strings that never quote the request, so they are safe to
 * log. Immutable and thread-safe.
 */
public final class RequestPaths {
    private static final Logger LOG = LoggerFactory.getLogger(RequestPaths.class);

    private static final String JSESSIONID = ";jsessionid=";

    // Reasons for the raw URI. Package-private so tests can assert which rule fired.
    static final String NO_REQUEST = "no request";
    static final String UNREADABLE_URI = "unreadable request URI";
    static final String NOT_ABSOLUTE = "not an absolute path";
    static final String NON_PRINTABLE = "non-printable or non-ASCII character";
    static final String MALFORMED_ESCAPE = "malformed percent-encoding";
    static final String ENCODED_SLASH = "encoded slash";
    static final String ENCODED_BACKSLASH = "encoded backslash";
    static final String ENCODED_PERIOD = "encoded period";
    static final String ENCODED_SEMICOLON = "encoded semicolon";
    static final String ENCODED_PERCENT = "encoded percent";
    static final String ENCODED_NULL = "encoded null";
    static final String ENCODED_CONTROL = "encoded control character";
    static final String PATH_PARAMETER = "path parameter";
    static final String BACKSLASH = "backslash";
    static final String DOT_SEGMENT = "dot segment";
    static final String EMPTY_SEGMENT = "empty segment";

    // Reasons for the decoded servlet path + path info.
    static final String AMBIGUOUS_PATH = "ambiguous or unreadable servlet path";
    static final String DECODED_NOT_ABSOLUTE = "decoded path not absolute";
    static final String DECODED_NULL = "null character in decoded path";
    static final String DECODED_CONTROL = "control character in decoded path";
    static final String DECODED_INVISIBLE = "format or separator character in decoded path";
    static final String DECODED_SURROGATE = "unpaired surrogate in decoded path";
    static final String DECODED_UNDECODABLE = "undecodable bytes in decoded path";
    static final String DECODED_BACKSLASH = "backslash in decoded path";
    static final String DECODED_SEMICOLON = "semicolon in decoded path";
    static final String DECODED_DOT_SEGMENT = "dot segment in decoded path";
    static final String DECODED_EMPTY_SEGMENT = "empty segment in decoded path";

    private final boolean allowJsessionidPathParameter;

    /**
     * @param allowJsessionidPathParameter accept one trailing {@code ;jsessionid=<id>} (URL
     *        rewriting for cookie-less clients); a relaxation, off by default in the filter
     */
    public RequestPaths(boolean allowJsessionidPathParameter) {
        this.allowJsessionidPathParameter = allowJsessionidPathParameter;
    }

    /**
     * Checks the request and returns the normalised path or the reason to refuse it. Never throws:
     * a {@code null} request, or a container getter that throws, gives a rejection.
     */
    public PathVerdict check(HttpServletRequest request) {
        String decided = decide(request);
        if (isPath(decided)) {
            return PathVerdict.accepted(decided);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("request path rejected: {}", decided);
        }
        return PathVerdict.rejected(decided);
    }

    /**
     * The normalised path {@link #check} accepts, without making a verdict (every request asks), or
     * {@code null} when it rejects the request: then {@link #check} says why.
     */
    public String acceptedPath(HttpServletRequest request) {
        String decided = decide(request);
        return isPath(decided) ? decided : null;
    }

    /**
     * Whether {@link #decide} accepted: an accepted path starts with {@code /}, a reason (one of the
     * constants above) never does.
     */
    private static boolean isPath(String decided) {
        return decided.startsWith("/");
    }

    /** The normalised path, or the reason to refuse the request (see {@link #isPath}). */
    private String decide(HttpServletRequest request) {
        if (request == null) {
            return NO_REQUEST;
        }
        String raw;
        try {
            raw = request.getRequestURI();
        } catch (RuntimeException e) {
            LOG.debug("getRequestURI() threw {}", e.getClass().getName());
            return UNREADABLE_URI;
        }
        if (raw == null) {
            return UNREADABLE_URI;
        }
        String problem = rawProblem(raw, allowJsessionidPathParameter);
        if (problem != null) {
            return problem;
        }
        String path;
        try {
            String servletPath = request.getServletPath();
            String pathInfo = request.getPathInfo();
            // No concatenation when one part is absent (the usual request): no new String.
            path = pathInfo == null || pathInfo.isEmpty() ? (servletPath == null ? "" : servletPath)
                    : servletPath == null || servletPath.isEmpty() ? pathInfo : servletPath + pathInfo;
        } catch (RuntimeException e) {
            // Jetty 12 throws IllegalArgumentException here for ambiguous URIs; never the message:
            // it may quote the request.
            LOG.debug("servlet path getters threw {}", e.getClass().getName());
            return AMBIGUOUS_PATH;
        }
        if (path.isEmpty()) {
            path = "/";
        }
        problem = decodedProblem(path);
        return problem != null ? problem : path;
    }

    /** The first problem with a raw request URI, or {@code null}. */
    static String rawProblem(String raw, boolean allowJsessionid) {
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            return NOT_ABSOLUTE;
        }
        int length = raw.length();
        for (int i = 0; i < length; i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return NON_PRINTABLE;
            }
            if (c == '%') {
                if (i + 2 >= length) {
                    return MALFORMED_ESCAPE;
                }
                int hi = hex(raw.charAt(i + 1));
                int lo = hex(raw.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    return MALFORMED_ESCAPE;
                }
                String encoded = encodedProblem(hi * 16 + lo);
                if (encoded != null) {
                    return encoded;
                }
                i += 2;
            }
        }
        String path = raw;
        int semicolon = raw.indexOf(';');
        if (semicolon >= 0) {
            if (!allowJsessionid || !raw.startsWith(JSESSIONID, semicolon)
                    || !isSessionId(raw, semicolon + JSESSIONID.length())) {
                return PATH_PARAMETER;
            }
            path = raw.substring(0, semicolon);
        }
        if (path.indexOf('\\') >= 0) {
            return BACKSLASH;
        }
        return switch (segmentProblem(path)) {
            case DOT -> DOT_SEGMENT;
            case EMPTY -> EMPTY_SEGMENT;
            case OK -> null;
        };
    }

    /** The value of an ASCII hex digit, or -1 ({@code Character.digit} would accept others). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String encodedProblem(int b) {
        return switch (b) {
            case '/' -> ENCODED_SLASH;
            case '\\' -> ENCODED_BACKSLASH;
            case '.' -> ENCODED_PERIOD;
            case ';' -> ENCODED_SEMICOLON;
            case '%' -> ENCODED_PERCENT;
            case 0 -> ENCODED_NULL;
            default -> b < 0x20 || b == 0x7f ? ENCODED_CONTROL : null;
        };
    }

    /** Whether {@code s} from {@code start} to its end is 1 or more session-id characters. */
    private static boolean isSessionId(String s, int start) {
        if (start >= s.length()) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '~' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The first problem with a decoded path, or {@code null}. */
    static String decodedProblem(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return DECODED_NOT_ABSOLUTE;
        }
        for (int i = 0; i < path.length(); ) {
            int cp = path.codePointAt(i);
            String problem = decodedCharacterProblem(cp);
            if (problem != null) {
                return problem;
            }
            i += Character.charCount(cp);
        }
        return switch (segmentProblem(path)) {
            case DOT -> DECODED_DOT_SEGMENT;
            case EMPTY -> DECODED_EMPTY_SEGMENT;
            case OK -> null;
        };
    }

    /** The problem with one decoded code point, or {@code null}. Shared with {@link PathRules}. */
    static String decodedCharacterProblem(int cp) {
        if (cp == 0) {
            return DECODED_NULL;
        }
        if (Character.isISOControl(cp)) {
            return DECODED_CONTROL;
        }
        if (cp == '\\') {
            return DECODED_BACKSLASH;
        }
        if (cp == ';') {
            return DECODED_SEMICOLON;
        }
        if (cp == 0xFFFD) {
            return DECODED_UNDECODABLE;
        }
        int type = Character.getType(cp);
        if (type == Character.SURROGATE) {
            return DECODED_SURROGATE;
        }
        if (type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR) {
            return DECODED_INVISIBLE;
        }
        return null;
    }

    enum Segments { OK, DOT, EMPTY }

    /**
     * Whether an absolute path has a {@code .} or {@code ..} segment, or an empty segment other
     * than the one after a trailing slash. Shared with {@link PathRules}.
     */
    static Segments segmentProblem(String path) {
        int start = 1;
        int length = path.length();
        while (start <= length) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            int n = end - start;
            if (n == 0 && end < length) {
                return Segments.EMPTY;
            }
            if (n > 0 && n <= 2 && path.charAt(start) == '.'
                    && (n == 1 || path.charAt(start + 1) == '.')) {
                return Segments.DOT;
            }
            start = end + 1;
        }
        return Segments.OK;
    }
}
