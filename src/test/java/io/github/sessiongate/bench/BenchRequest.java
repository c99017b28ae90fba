package io.github.sessiongate.bench;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A reusable {@link HttpServletRequest} for JMH: a {@code GET} of one path on
 * {@code https://localhost:8443} from {@code 127.0.0.1}, with the headers a browser's
 * {@code fetch()} of a same-origin API sends and one {@code Cookie} header, which
 * {@link #reset(String)} replaces between invocations along with the attributes. Implemented
 * directly (no {@link java.lang.reflect.Proxy}, no Mockito): reading a header or an attribute
 * allocates nothing, so {@code -prof gc} sees the filter's allocation and not the mock's.
 *
 * <p>HTTPS because the filter's defaults ({@code cookie-secure=true}, the {@code __Host-} prefix)
 * name the session cookie {@code __Host-sg_access}, which a browser sends over HTTPS only. Methods
 * the filter has no business calling on this path (sessions, bodies, parameters, parts, async,
 * {@link #getCookies()}: the filter reads the {@code Cookie} header itself) throw
 * {@link UnsupportedOperationException}, so a new dependency fails the benchmark's set-up checks
 * instead of being measured against a wrong answer. Not thread-safe: one per benchmark thread.
 */
final class BenchRequest implements HttpServletRequest {
    static final String SCHEME = "https";
    static final String HOST = "localhost";
    static final int PORT = 8443;

    private final String uri;
    /** Header names and values; the last slot is the {@code Cookie} header. */
    private final String[] headerNames;
    private final String[] headerValues;
    private final int cookieSlot;

    private String[] attributeNames = new String[8];
    private Object[] attributeValues = new Object[8];
    private int attributes;

    /**
     * @param uri the request path (no query)
     * @param cookieHeader the initial {@code Cookie} header, or {@code null} for none
     */
    BenchRequest(String uri, String cookieHeader) {
        this.uri = uri;
        this.headerNames = new String[] {"Host", "User-Agent", "Accept", "Accept-Language", "Sec-Fetch-Site",
            "Sec-Fetch-Mode", "Sec-Fetch-Dest", "Cookie"};
        this.headerValues = new String[] {HOST + ":" + PORT,
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "application/json",
            "en-GB,en;q=0.5", "same-origin", "cors", "empty", cookieHeader};
        this.cookieSlot = headerNames.length - 1;
    }

    /** Ready for the next invocation: a new {@code Cookie} header ({@code null}: none), no attributes. */
    void reset(String cookieHeader) {
        headerValues[cookieSlot] = cookieHeader;
        if (attributes != 0) {
            Arrays.fill(attributeValues, 0, attributes, null);
            attributes = 0;
        }
    }

    private int headerIndex(String name) {
        for (int i = 0; i < headerNames.length; i++) {
            if (headerNames[i].equalsIgnoreCase(name)) {
                return headerValues[i] == null ? -1 : i;
            }
        }
        return -1;
    }

    private int attributeIndex(String name) {
        for (int i = 0; i < attributes; i++) {
            if (attributeNames[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ what the filter reads

    @Override
    public String getHeader(String name) {
        int i = headerIndex(name);
        return i < 0 ? null : headerValues[i];
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        int i = headerIndex(name);
        return i < 0 ? Collections.emptyEnumeration() : new OneValue(headerValues[i]);
    }

    /**
     * {@code getHeaders} of a header sent once as a container answers it: one small enumerator
     * object (16 bytes here; Tomcat's {@code ValuesEnumerator} is 32), not the 80 bytes of
     * {@code Collections.enumeration(List.of(v))}, which no container spends and which
     * {@code -prof gc} would otherwise charge to the filter. The {@code noFilter} baseline never
     * calls it.
     */
    private static final class OneValue implements Enumeration<String> {
        private String next;

        OneValue(String value) {
            this.next = value;
        }

        @Override
        public boolean hasMoreElements() {
            return next != null;
        }

        @Override
        public String nextElement() {
            String value = next;
            if (value == null) {
                throw new java.util.NoSuchElementException();
            }
            next = null;
            return value;
        }
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> names = new ArrayList<>(headerNames.length);
        for (int i = 0; i < headerNames.length; i++) {
            if (headerValues[i] != null) {
                names.add(headerNames[i]);
            }
        }
        return Collections.enumeration(names);
    }

    @Override
    public int getIntHeader(String name) {
        String v = getHeader(name);
        return v == null ? -1 : Integer.parseInt(v);
    }

    @Override
    public long getDateHeader(String name) {
        if (getHeader(name) != null) {
            throw new UnsupportedOperationException("BenchRequest.getDateHeader");
        }
        return -1;
    }

    @Override
    public Object getAttribute(String name) {
        int i = attributeIndex(name);
        return i < 0 ? null : attributeValues[i];
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            removeAttribute(name);
            return;
        }
        int i = attributeIndex(name);
        if (i >= 0) {
            attributeValues[i] = value;
            return;
        }
        if (attributes == attributeNames.length) {
            attributeNames = Arrays.copyOf(attributeNames, attributes * 2);
            attributeValues = Arrays.copyOf(attributeValues, attributes * 2);
        }
        attributeNames[attributes] = name;
        attributeValues[attributes++] = value;
    }

    @Override
    public void removeAttribute(String name) {
        int i = attributeIndex(name);
        if (i >= 0) {
            attributes--;
            attributeNames[i] = attributeNames[attributes];
            attributeValues[i] = attributeValues[attributes];
            attributeNames[attributes] = null;
            attributeValues[attributes] = null;
        }
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return Collections.enumeration(Arrays.asList(Arrays.copyOf(attributeNames, attributes)));
    }

    @Override
    public String getMethod() {
        return "GET";
    }

    @Override
    public String getRequestURI() {
        return uri;
    }

    @Override
    public StringBuffer getRequestURL() {
        return new StringBuffer(SCHEME).append("://").append(HOST).append(':').append(PORT).append(uri);
    }

    @Override
    public String getServletPath() {
        return uri;
    }

    @Override
    public String getPathInfo() {
        return null;
    }

    @Override
    public String getPathTranslated() {
        return null;
    }

    @Override
    public String getContextPath() {
        return "";
    }

    @Override
    public String getQueryString() {
        return null;
    }

    @Override
    public DispatcherType getDispatcherType() {
        return DispatcherType.REQUEST;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public String getServerName() {
        return HOST;
    }

    @Override
    public int getServerPort() {
        return PORT;
    }

    @Override
    public String getRemoteAddr() {
        return "127.0.0.1";
    }

    @Override
    public String getRemoteHost() {
        return "127.0.0.1";
    }

    @Override
    public int getRemotePort() {
        return 50_000;
    }

    @Override
    public String getLocalName() {
        return HOST;
    }

    @Override
    public String getLocalAddr() {
        return "127.0.0.1";
    }

    @Override
    public int getLocalPort() {
        return PORT;
    }

    @Override
    public String getProtocol() {
        return "HTTP/1.1";
    }

    @Override
    public String getContentType() {
        return null;
    }

    @Override
    public int getContentLength() {
        return -1;
    }

    @Override
    public long getContentLengthLong() {
        return -1;
    }

    @Override
    public String getCharacterEncoding() {
        return null;
    }

    @Override
    public void setCharacterEncoding(String env) {
        // a GET has no body to decode
    }

    @Override
    public String getParameter(String name) {
        return null;
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.emptyEnumeration();
    }

    @Override
    public String[] getParameterValues(String name) {
        return null;
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return Map.of();
    }

    @Override
    public String getAuthType() {
        return null;
    }

    @Override
    public String getRemoteUser() {
        return null;
    }

    @Override
    public boolean isUserInRole(String role) {
        return false;
    }

    @Override
    public Principal getUserPrincipal() {
        return null;
    }

    @Override
    public String getRequestedSessionId() {
        return null;
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        return false;
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        return false;
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        return false;
    }

    @Override
    public boolean isAsyncStarted() {
        return false;
    }

    @Override
    public boolean isAsyncSupported() {
        return true;
    }

    @Override
    public Locale getLocale() {
        return Locale.UK;
    }

    @Override
    public Enumeration<Locale> getLocales() {
        return Collections.enumeration(List.of(Locale.UK));
    }

    @Override
    public String getRequestId() {
        return "bench";
    }

    @Override
    public String getProtocolRequestId() {
        return "";
    }

    @Override
    public String toString() {
        return "GET " + uri;
    }

    // ------------------------------------------------------------------ not on the measured paths

    /** Calls of a method this request does not model, even if the filter caught the exception: the checks want 0. */
    static final java.util.concurrent.atomic.AtomicLong UNSUPPORTED_CALLS = new java.util.concurrent.atomic.AtomicLong();

    private static UnsupportedOperationException unsupported(String method) {
        UNSUPPORTED_CALLS.incrementAndGet();
        return new UnsupportedOperationException("BenchRequest." + method + " (a new dependency of the filter? model it)");
    }

    @Override
    public Cookie[] getCookies() {
        throw unsupported("getCookies");
    }

    @Override
    public HttpSession getSession(boolean create) {
        throw unsupported("getSession");
    }

    @Override
    public HttpSession getSession() {
        throw unsupported("getSession");
    }

    @Override
    public String changeSessionId() {
        throw unsupported("changeSessionId");
    }

    @Override
    public boolean authenticate(HttpServletResponse response) {
        throw unsupported("authenticate");
    }

    @Override
    public void login(String username, String password) {
        throw unsupported("login");
    }

    @Override
    public void logout() {
        throw unsupported("logout");
    }

    @Override
    public Collection<Part> getParts() {
        throw unsupported("getParts");
    }

    @Override
    public Part getPart(String name) {
        throw unsupported("getPart");
    }

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) {
        throw unsupported("upgrade");
    }

    @Override
    public ServletInputStream getInputStream() {
        throw unsupported("getInputStream");
    }

    @Override
    public BufferedReader getReader() {
        throw unsupported("getReader");
    }

    @Override
    public RequestDispatcher getRequestDispatcher(String path) {
        throw unsupported("getRequestDispatcher");
    }

    @Override
    public ServletContext getServletContext() {
        throw unsupported("getServletContext");
    }

    @Override
    public AsyncContext startAsync() {
        throw unsupported("startAsync");
    }

    @Override
    public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
        throw unsupported("startAsync");
    }

    @Override
    public AsyncContext getAsyncContext() {
        throw unsupported("getAsyncContext");
    }

    @Override
    public ServletConnection getServletConnection() {
        throw unsupported("getServletConnection");
    }
}
