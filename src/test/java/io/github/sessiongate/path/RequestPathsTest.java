package io.github.sessiongate.path;

import static io.github.sessiongate.path.RequestPaths.AMBIGUOUS_PATH;
import static io.github.sessiongate.path.RequestPaths.BACKSLASH;
import static io.github.sessiongate.path.RequestPaths.DECODED_BACKSLASH;
import static io.github.sessiongate.path.RequestPaths.DECODED_CONTROL;
import static io.github.sessiongate.path.RequestPaths.DECODED_DOT_SEGMENT;
import static io.github.sessiongate.path.RequestPaths.DECODED_EMPTY_SEGMENT;
import static io.github.sessiongate.path.RequestPaths.DECODED_INVISIBLE;
import static io.github.sessiongate.path.RequestPaths.DECODED_NOT_ABSOLUTE;
import static io.github.sessiongate.path.RequestPaths.DECODED_NULL;
import static io.github.sessiongate.path.RequestPaths.DECODED_SEMICOLON;
import static io.github.sessiongate.path.RequestPaths.DECODED_SURROGATE;
import static io.github.sessiongate.path.RequestPaths.DECODED_UNDECODABLE;
import static io.github.sessiongate.path.RequestPaths.DOT_SEGMENT;
import static io.github.sessiongate.path.RequestPaths.EMPTY_SEGMENT;
import static io.github.sessiongate.path.RequestPaths.ENCODED_BACKSLASH;
import static io.github.sessiongate.path.RequestPaths.ENCODED_CONTROL;
import static io.github.sessiongate.path.RequestPaths.ENCODED_NULL;
import static io.github.sessiongate.path.RequestPaths.ENCODED_PERCENT;
import static io.github.sessiongate.path.RequestPaths.ENCODED_PERIOD;
import static io.github.sessiongate.path.RequestPaths.ENCODED_SEMICOLON;
import static io.github.sessiongate.path.RequestPaths.ENCODED_SLASH;
import static io.github.sessiongate.path.RequestPaths.MALFORMED_ESCAPE;
import static io.github.sessiongate.path.RequestPaths.NON_PRINTABLE;
import static io.github.sessiongate.path.RequestPaths.NOT_ABSOLUTE;
import static io.github.sessiongate.path.RequestPaths.NO_REQUEST;
import static io.github.sessiongate.path.RequestPaths.PATH_PARAMETER;
import static io.github.sessiongate.path.RequestPaths.UNREADABLE_URI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathsTest {
    private final RequestPaths strict = new RequestPaths(false);
    private final RequestPaths jsessionidAllowed = new RequestPaths(true);

    /** A request as a container would present it: raw URI, then the decoded mapping parts. */
    private static HttpServletRequest request(String contextPath, String uri, String servletPath, String pathInfo) {
        HttpServletRequest r = mock(HttpServletRequest.class);
        when(r.getContextPath()).thenReturn(contextPath);
        when(r.getRequestURI()).thenReturn(uri);
        when(r.getServletPath()).thenReturn(servletPath);
        when(r.getPathInfo()).thenReturn(pathInfo);
        return r;
    }

    private static HttpServletRequest request(String uri, String servletPath) {
        return request("", uri, servletPath, null);
    }

    private static void assertAccepted(PathVerdict verdict, String path) {
        assertTrue(verdict.isAccepted(), () -> "expected accepted, was " + verdict);
        assertEquals(path, verdict.path());
    }

    private static void assertRejected(PathVerdict verdict, String reason) {
        assertFalse(verdict.isAccepted(), () -> "expected rejected, was " + verdict);
        assertEquals(reason, verdict.reason());
    }

    // --- accepted paths -------------------------------------------------------------------

    @Test
    void ordinaryPathIsAcceptedAsServletPath() {
        assertAccepted(strict.check(request("/dashboard/reports", "/dashboard/reports")), "/dashboard/reports");
    }

    @Test
    void decidedPathIsServletPathPlusPathInfo() {
        assertAccepted(strict.check(request("/shop", "/shop/api/orders/7", "/api", "/orders/7")), "/api/orders/7");
    }

    @Test
    void contextPathIsIgnored() {
        // Context /admin, servlet path /public: the decided path is /public, not /admin/public.
        HttpServletRequest r = request("/admin", "/admin/public", "/public", null);
        assertAccepted(strict.check(r), "/public");
    }

    @Test
    void decidedPathNeverComesFromRequestUri() {
        // The container maps the request; what it decoded is what the application will serve.
        HttpServletRequest r = request("/app", "/app/x/y", "/x", "/y");
        assertAccepted(strict.check(r), "/x/y");
        verify(r, never()).getContextPath();
    }

    @Test
    void emptyServletPathAndNoPathInfoIsRoot() {
        assertAccepted(strict.check(request("/app", "/app", "", null)), "/");
        assertAccepted(strict.check(request("/app", "/app/", "", "/")), "/");
    }

    @Test
    void nullServletPathCountsAsEmpty() {
        assertAccepted(strict.check(request("", "/x", null, "/x")), "/x");
    }

    @Test
    void trailingSlashIsKept() {
        assertAccepted(strict.check(request("/docs/", "/docs/")), "/docs/");
    }

    @Test
    void dotsInsideSegmentsAreFine() {
        assertAccepted(strict.check(request("/.well-known/security.txt", "/.well-known/security.txt")),
                "/.well-known/security.txt");
        assertAccepted(strict.check(request("/a..b/c...", "/a..b/c...")), "/a..b/c...");
        assertAccepted(strict.check(request("/f.tar.gz", "/f.tar.gz")), "/f.tar.gz");
    }

    @Test
    void encodedOrdinaryCharactersAreDecodedByContainerAndAccepted() {
        assertAccepted(strict.check(request("/my%20file", "/my file")), "/my file");
        assertAccepted(strict.check(request("/caf%C3%A9", "/caf\u00e9")), "/caf\u00e9");
        assertAccepted(strict.check(request("/%E6%97%A5%E6%9C%AC", "/\u65e5\u672c")), "/\u65e5\u672c");
        assertAccepted(strict.check(request("/%F0%9F%98%80", "/\uD83D\uDE00")), "/\uD83D\uDE00");
    }

    // --- hostile raw URIs, one rule each --------------------------------------------------------

    @Test
    void dotDotWithPathParameterIsRejected() {
        // Tomcat strips ";" parameters and normalises to /admin; the raw URI shows the trick.
        assertRejected(strict.check(request("/public/..;/admin", "/admin")), PATH_PARAMETER);
        assertRejected(jsessionidAllowed.check(request("/public/..;/admin", "/admin")), PATH_PARAMETER);
    }

    @Test
    void pathParameterIsRejected() {
        assertRejected(strict.check(request("/admin;x=1", "/admin")), PATH_PARAMETER);
        assertRejected(strict.check(request("/admin;", "/admin")), PATH_PARAMETER);
        assertRejected(strict.check(request("/a;b/c", "/a/c")), PATH_PARAMETER);
    }

    @Test
    void encodedDotDotIsRejected() {
        assertRejected(strict.check(request("/%2e%2e/admin", "/admin")), ENCODED_PERIOD);
        assertRejected(strict.check(request("/%2E./admin", "/admin")), ENCODED_PERIOD);
        assertRejected(strict.check(request("/a/%2e", "/a")), ENCODED_PERIOD);
    }

    @Test
    void emptySegmentIsRejected() {
        assertRejected(strict.check(request("//admin", "/admin")), EMPTY_SEGMENT);
        assertRejected(strict.check(request("/a//b", "/a/b")), EMPTY_SEGMENT);
        assertRejected(strict.check(request("/a//", "/a/")), EMPTY_SEGMENT);
    }

    @Test
    void encodedSlashIsRejectedInLowerCase() {
        assertRejected(strict.check(request("/admin%2f", "/admin/")), ENCODED_SLASH);
    }

    @Test
    void encodedSlashIsRejectedInUpperCase() {
        assertRejected(strict.check(request("/admin%2F", "/admin/")), ENCODED_SLASH);
    }

    @Test
    void encodedBackslashIsRejected() {
        assertRejected(strict.check(request("/a%5cb", "/a\\b")), ENCODED_BACKSLASH);
        assertRejected(strict.check(request("/a%5Cb", "/a\\b")), ENCODED_BACKSLASH);
    }

    @Test
    void backslashIsRejected() {
        assertRejected(strict.check(request("/a\\b", "/a\\b")), BACKSLASH);
        assertRejected(strict.check(request("/a\\..\\admin", "/a\\..\\admin")), BACKSLASH);
    }

    @Test
    void encodedNullIsRejected() {
        assertRejected(strict.check(request("/a%00", "/a\u0000")), ENCODED_NULL);
        assertRejected(strict.check(request("/a%00.jsp", "/a\u0000.jsp")), ENCODED_NULL);
    }

    @Test
    void doubleEncodingIsRejected() {
        // %25%32%66 decodes once to %2f: a second decoder would see a slash.
        assertRejected(strict.check(request("/a%25%32%66", "/a%2f")), ENCODED_PERCENT);
        assertRejected(strict.check(request("/a%25", "/a%")), ENCODED_PERCENT);
    }

    @Test
    void encodedSemicolonIsRejected() {
        assertRejected(strict.check(request("/admin%3bx=1", "/admin;x=1")), ENCODED_SEMICOLON);
        assertRejected(strict.check(request("/admin%3Bx", "/admin;x")), ENCODED_SEMICOLON);
    }

    @Test
    void encodedCrLfIsRejected() {
        assertRejected(strict.check(request("/x%0d%0aSet-Cookie:", "/x\r\nSet-Cookie:")), ENCODED_CONTROL);
        assertRejected(strict.check(request("/x%0D%0ASet-Cookie:", "/x\r\nSet-Cookie:")), ENCODED_CONTROL);
    }

    @Test
    void encodedTabIsRejected() {
        assertRejected(strict.check(request("/x%09", "/x\t")), ENCODED_CONTROL);
    }

    @Test
    void encodedDeleteIsRejected() {
        assertRejected(strict.check(request("/x%7f", "/x\u007f")), ENCODED_CONTROL);
        assertRejected(strict.check(request("/x%7F", "/x\u007f")), ENCODED_CONTROL);
    }

    @Test
    void rawNonAsciiByteIsRejected() {
        // Tomcat presents an unencoded byte 0xE9 as U+00E9 in getRequestURI().
        assertRejected(strict.check(request("/caf\u00e9", "/caf\u00e9")), NON_PRINTABLE);
        assertRejected(strict.check(request("/\u65e5", "/\u65e5")), NON_PRINTABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a b", "/a\tb", "/a\u0000", "/a\r\n", "/a\u007f", "/a\u0085", "/a\u00a0"})
    void rawControlSpaceOrNonPrintableIsRejected(String uri) {
        assertRejected(strict.check(request(uri, "/a")), NON_PRINTABLE);
    }

    @Test
    void dotSegmentAtStartIsRejected() {
        assertRejected(strict.check(request("/./admin", "/admin")), DOT_SEGMENT);
    }

    @Test
    void dotSegmentAtEndIsRejected() {
        assertRejected(strict.check(request("/admin/.", "/admin")), DOT_SEGMENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/../admin", "/a/../admin", "/a/..", "/a/./b", "/.", "/./"})
    void everyDotSegmentIsRejected(String uri) {
        assertRejected(strict.check(request(uri, "/admin")), DOT_SEGMENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%", "/a%2", "/a%zz", "/a%g0", "/a%\u0661\u0662", "/a%%32f"})
    void malformedPercentEncodingIsRejected(String uri) {
        String reason = strict.check(request(uri, "/a")).reason();
        // A non-ASCII "digit" may be caught as non-printable first; either way it is refused.
        assertTrue(reason.equals(MALFORMED_ESCAPE) || reason.equals(NON_PRINTABLE), reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "admin", "http://host/admin"})
    void uriThatIsNotAnAbsolutePathIsRejected(String uri) {
        assertRejected(strict.check(request(uri, "/admin")), NOT_ABSOLUTE);
    }

    // --- getters that throw or return nothing ----------------------------------------------

    @Test
    void servletPathGetterThrowingIsRejected() {
        HttpServletRequest r = request("/a", "/a");
        when(r.getServletPath()).thenThrow(new IllegalArgumentException("Ambiguous URI /a%2F..%2F/secret"));
        assertRejected(strict.check(r), AMBIGUOUS_PATH);
    }

    @Test
    void pathInfoGetterThrowingIsRejected() {
        HttpServletRequest r = request("", "/a/b", "/a", null);
        when(r.getPathInfo()).thenThrow(new IllegalStateException("boom"));
        assertRejected(strict.check(r), AMBIGUOUS_PATH);
    }

    @Test
    void requestUriGetterThrowingOrNullIsRejected() {
        HttpServletRequest r = request("/a", "/a");
        when(r.getRequestURI()).thenThrow(new IllegalArgumentException("bad"));
        assertRejected(strict.check(r), UNREADABLE_URI);
        assertRejected(strict.check(request(null, "/a")), UNREADABLE_URI);
    }

    @Test
    void nullRequestIsRejectedNotThrown() {
        assertRejected(strict.check(null), NO_REQUEST);
    }

    // --- jsessionid ----------------------------------------------------------------------------

    @Test
    void jsessionidIsRejectedByDefault() {
        assertRejected(strict.check(request("/page;jsessionid=ABC123", "/page")), PATH_PARAMETER);
    }

    @Test
    void trailingJsessionidIsAcceptedOnlyWithOptOut() {
        assertAccepted(jsessionidAllowed.check(request("/shop", "/shop/page;jsessionid=ABC123.node0", "/page", null)),
                "/page");
        assertAccepted(jsessionidAllowed.check(request("/shop", "/shop/;jsessionid=node01x9f_2-a~b", "", "/")), "/");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/page;jsessionid=",               // no id
        "/page;JSESSIONID=ABC",            // another spelling
        "/page;jsessionid=a;jsessionid=b", // twice
        "/page;jsessionid=a;x=1",          // followed by another parameter
        "/page;x=1;jsessionid=a",          // preceded by another parameter
        "/page;jsessionid=abc/admin",      // not on the last segment
        "/page;jsessionid=a=b",            // not token characters
        "/page;jsessionid=a+b",
        "/page;jsessionid",
        "/page;sessionid=abc",
        "/..;jsessionid=abc/admin",
    })
    void onlyOneTrailingJsessionidIsAllowed(String uri) {
        assertRejected(jsessionidAllowed.check(request(uri, "/page")), PATH_PARAMETER);
    }

    @Test
    void jsessionidDoesNotExcuseOtherRules() {
        assertRejected(jsessionidAllowed.check(request("/a/..;jsessionid=abc", "/")), DOT_SEGMENT);
        assertRejected(jsessionidAllowed.check(request("//a;jsessionid=abc", "/a")), EMPTY_SEGMENT);
        assertRejected(jsessionidAllowed.check(request("/a;jsessionid=a%2fb", "/a")), ENCODED_SLASH);
        assertRejected(jsessionidAllowed.check(request("/a\\b;jsessionid=abc", "/a\\b")), BACKSLASH);
    }

    // --- decoded path: what a container may decode into the servlet path -------------------------

    @Test
    void decodedCrLfIsRejectedEvenWhenRawLooksClean() {
        assertRejected(strict.check(request("/x", "/x\r\nSet-Cookie:")), DECODED_CONTROL);
    }

    @Test
    void decodedTabAndDeleteAreRejected() {
        assertRejected(strict.check(request("/x", "/x\t")), DECODED_CONTROL);
        assertRejected(strict.check(request("/x", "/x\u007f")), DECODED_CONTROL);
        assertRejected(strict.check(request("/x", "/x\u0085")), DECODED_CONTROL);
    }

    @Test
    void decodedNullIsRejected() {
        assertRejected(strict.check(request("/x", "/x\u0000.jsp")), DECODED_NULL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/x\u202e", "/x\u200b", "/x\u200e", "/x\ufeff", "/x\u00ad", "/x\u2028", "/x\u2029"})
    void decodedInvisibleFormatOrSeparatorCharacterIsRejected(String servletPath) {
        assertRejected(strict.check(request("/x", servletPath)), DECODED_INVISIBLE);
    }

    @Test
    void decodedUnpairedSurrogateIsRejected() {
        assertRejected(strict.check(request("/x", "/x\ud800")), DECODED_SURROGATE);
        assertRejected(strict.check(request("/x", "/x\udc00y")), DECODED_SURROGATE);
    }

    @Test
    void decodedReplacementCharacterIsRejected() {
        assertRejected(strict.check(request("/x", "/x\ufffd")), DECODED_UNDECODABLE);
    }

    @Test
    void decodedBackslashSemicolonAndSegmentsAreRejected() {
        assertRejected(strict.check(request("/x", "/a\\b")), DECODED_BACKSLASH);
        assertRejected(strict.check(request("/x", "/a;b")), DECODED_SEMICOLON);
        // e.g. an overlong UTF-8 %c0%ae decoded leniently into "."
        assertRejected(strict.check(request("/x", "/a/../admin")), DECODED_DOT_SEGMENT);
        assertRejected(strict.check(request("/x", "/a/.")), DECODED_DOT_SEGMENT);
        assertRejected(strict.check(request("/x", "/a//b")), DECODED_EMPTY_SEGMENT);
        assertRejected(strict.check(request("", "/x", "/a/", "/b")), DECODED_EMPTY_SEGMENT);
    }

    @Test
    void decodedPathThatIsNotAbsoluteIsRejected() {
        assertRejected(strict.check(request("/x", "x")), DECODED_NOT_ABSOLUTE);
    }

    // --- reasons -------------------------------------------------------------------------------

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("/x%0d%0aSet-Cookie:%20evil", "/x\r\nSet-Cookie: evil"),
                Arguments.of("/evil;secret=token", "/evil"),
                Arguments.of("/x", "/x\r\nSet-Cookie: evil"),
                Arguments.of("/caf\u00e9secret", "/caf\u00e9secret"));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void reasonIsAFixedStringThatNeverEchoesTheRequest(String uri, String servletPath) throws Exception {
        String reason = strict.check(request(uri, servletPath)).reason();
        assertTrue(declaredReasons().contains(reason), reason);
        assertFalse(reason.contains("evil") || reason.contains("secret") || reason.contains("Set-Cookie"), reason);
    }

    private static Set<String> declaredReasons() throws IllegalAccessException {
        Set<String> reasons = new HashSet<>();
        for (Field f : RequestPaths.class.getDeclaredFields()) {
            if (f.getType() == String.class && Modifier.isStatic(f.getModifiers()) && !f.getName().equals("JSESSIONID")) {
                f.setAccessible(true);
                reasons.add((String) f.get(null));
            }
        }
        return reasons;
    }
}
