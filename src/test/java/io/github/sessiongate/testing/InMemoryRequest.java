package io.github.sessiongate.testing;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An in-memory {@link HttpServletRequest} for filter tests without a container: method, path,
 * headers, attributes and a body; a plain-HTTP request from 127.0.0.1 to localhost:8080 with an
 * empty context path. Methods it does not model throw, so a test notices new dependencies.
 */
public final class InMemoryRequest {
    private final String method;
    private final String uri;
    private String query;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private boolean chunked;
    /** Counted down when an async request completes; {@code null}: async not supported. */
    private java.util.concurrent.CountDownLatch asyncDone;

    private InMemoryRequest(String method, String uri) {
        this.method = method;
        this.uri = uri;
    }

    public static InMemoryRequest get(String uri) {
        return new InMemoryRequest("GET", uri);
    }

    public static InMemoryRequest post(String uri) {
        return new InMemoryRequest("POST", uri);
    }

    /** A request with any method. */
    public static InMemoryRequest method(String method, String uri) {
        return new InMemoryRequest(method, uri);
    }

    /** The body goes without a length ({@code Transfer-Encoding: chunked}, content length -1). */
    public InMemoryRequest chunked() {
        this.chunked = true;
        return header("Transfer-Encoding", "chunked");
    }

    /** Supports the servlet async API; the latch counts down at {@code AsyncContext.complete()}. */
    public InMemoryRequest async() {
        this.asyncDone = new java.util.concurrent.CountDownLatch(1);
        return this;
    }

    /** The latch of {@link #async()}, counted down when the async request completes. */
    public java.util.concurrent.CountDownLatch asyncCompleted() {
        return asyncDone;
    }

    public InMemoryRequest query(String query) {
        this.query = query;
        return this;
    }

    public InMemoryRequest header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
        return this;
    }

    /** A browser page navigation (what gets a login redirect rather than a 401). */
    public InMemoryRequest navigation() {
        return header("Sec-Fetch-Mode", "navigate").header("Sec-Fetch-Dest", "document").header("Accept", "text/html");
    }

    public InMemoryRequest cookie(String name, String value) {
        return header("Cookie", name + "=" + value);
    }

    public InMemoryRequest body(String contentType, String text) {
        header("Content-Type", contentType);
        this.body = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public HttpServletRequest build() {
        Map<String, Object> attributes = new HashMap<>();
        return (HttpServletRequest) Proxy.newProxyInstance(InMemoryRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "getMethod": return method;
                        case "getRequestURI": return uri;
                        case "getRequestURL": return new StringBuffer("http://localhost:8080" + uri);
                        case "getServletPath": return uri;
                        case "getPathInfo": return null;
                        case "getContextPath": return "";
                        case "getQueryString": return query;
                        case "getHeader": {
                            List<String> v = headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
                            return v == null ? null : v.get(0);
                        }
                        case "getHeaders": {
                            List<String> v = headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
                            return Collections.enumeration(v == null ? List.of() : v);
                        }
                        case "getHeaderNames": return Collections.enumeration(headers.keySet());
                        case "getIntHeader": {
                            List<String> v = headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
                            return v == null ? -1 : Integer.parseInt(v.get(0));
                        }
                        case "getCookies": return new Cookie[0];
                        case "getAttribute": return attributes.get((String) args[0]);
                        case "setAttribute": attributes.put((String) args[0], args[1]); return null;
                        case "removeAttribute": attributes.remove((String) args[0]); return null;
                        case "getAttributeNames": return Collections.enumeration(new ArrayList<>(attributes.keySet()));
                        case "getDispatcherType": return DispatcherType.REQUEST;
                        case "getScheme": return "http";
                        case "isSecure": return false;
                        case "getServerName": return "localhost";
                        case "getServerPort": return 8080;
                        case "getRemoteAddr": return "127.0.0.1";
                        case "getRemoteHost": return "127.0.0.1";
                        case "getRemotePort": return 50000;
                        case "getLocalAddr": return "127.0.0.1";
                        case "getLocalPort": return 8080;
                        case "getProtocol": return "HTTP/1.1";
                        case "getContentType": return headers.containsKey("content-type") ? headers.get("content-type").get(0) : null;
                        case "getContentLength": return chunked ? -1 : body.length;
                        case "getContentLengthLong": return chunked ? -1L : (long) body.length;
                        case "getCharacterEncoding": return "UTF-8";
                        case "getInputStream": return stream(body);
                        case "getParameter": return null;
                        case "isAsyncStarted": return false;
                        case "isAsyncSupported": return asyncDone != null;
                        case "startAsync": {
                            if (asyncDone == null) {
                                throw new IllegalStateException("async not supported");
                            }
                            return asyncContext((HttpServletRequest) proxy);
                        }
                        case "toString": return method + " " + uri;
                        case "hashCode": return System.identityHashCode(proxy);
                        case "equals": return proxy == args[0];
                        default: throw new UnsupportedOperationException("InMemoryRequest." + m.getName());
                    }
                });
    }

    private jakarta.servlet.AsyncContext asyncContext(HttpServletRequest request) {
        return (jakarta.servlet.AsyncContext) Proxy.newProxyInstance(InMemoryRequest.class.getClassLoader(),
                new Class<?>[] {jakarta.servlet.AsyncContext.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "setTimeout": return null;
                        case "getTimeout": return 0L;
                        case "getRequest": return request;
                        case "addListener": return null; // nothing here ends a request but complete()
                        case "complete": asyncDone.countDown(); return null;
                        case "hashCode": return System.identityHashCode(proxy);
                        case "equals": return proxy == args[0];
                        default: throw new UnsupportedOperationException("InMemoryRequest.AsyncContext." + m.getName());
                    }
                });
    }

    private static ServletInputStream stream(byte[] bytes) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
