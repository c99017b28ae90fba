package io.github.sessiongate.fuzz;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-written in-memory {@link HttpServletRequest} for fuzz targets: far cheaper per execution
 * than a Mockito mock. Only the getters a parser under test calls are answered; any other method
 * throws, so a parser that starts to depend on more is noticed.
 */
public final class FakeRequest {
    private final Map<String, List<String>> headers = new HashMap<>();
    private String requestUri;
    private String servletPath;
    private String pathInfo;
    private String contentType;
    private long contentLength = -1;
    private byte[] body = new byte[0];

    public FakeRequest header(String name, String... values) {
        headers.put(name.toLowerCase(java.util.Locale.ROOT), List.of(values));
        return this;
    }

    public FakeRequest uri(String raw, String servletPath, String pathInfo) {
        this.requestUri = raw;
        this.servletPath = servletPath;
        this.pathInfo = pathInfo;
        return this;
    }

    public FakeRequest body(String contentType, long declaredLength, byte[] body) {
        this.contentType = contentType;
        this.contentLength = declaredLength;
        this.body = body.clone();
        return this;
    }

    public HttpServletRequest build() {
        return (HttpServletRequest) Proxy.newProxyInstance(FakeRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getHeaders": {
                            List<String> values = headers.get(((String) args[0]).toLowerCase(java.util.Locale.ROOT));
                            return Collections.enumeration(values == null ? List.of() : values);
                        }
                        case "getHeader": {
                            List<String> values = headers.get(((String) args[0]).toLowerCase(java.util.Locale.ROOT));
                            return values == null || values.isEmpty() ? null : values.get(0);
                        }
                        case "getRequestURI":
                            return requestUri;
                        case "getServletPath":
                            return servletPath;
                        case "getPathInfo":
                            return pathInfo;
                        case "getContentType":
                            return contentType;
                        case "getContentLengthLong":
                            return contentLength;
                        case "getContentLength":
                            return contentLength > Integer.MAX_VALUE ? -1 : (int) contentLength;
                        case "getInputStream":
                            return new BytesInput(body);
                        case "toString":
                            return "FakeRequest";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            throw new UnsupportedOperationException("FakeRequest." + method.getName());
                    }
                });
    }

    /** A servlet input stream over bytes. */
    private static final class BytesInput extends ServletInputStream {
        private final ByteArrayInputStream in;

        BytesInput(byte[] bytes) {
            this.in = new ByteArrayInputStream(bytes);
        }

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
    }
}
