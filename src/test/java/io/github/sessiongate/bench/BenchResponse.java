package io.github.sessiongate.bench;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.lang.reflect.Proxy;

/**
 * A cheap in-memory response for whole-filter benchmarks: remembers the status, counts headers,
 * cookies and body bytes, keeps the last few header values. Any other method throws.
 */
final class BenchResponse extends HttpServletResponseWrapper {
    private static final HttpServletResponse UNSUPPORTED = (HttpServletResponse) Proxy.newProxyInstance(
            BenchResponse.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                throw new UnsupportedOperationException("BenchResponse." + m.getName());
            });

    int status = 200;
    int headers;
    int cookies;
    int bodyBytes;
    private String cacheControl;
    private String vary;
    private final ServletOutputStream out = new ServletOutputStream() {
        @Override
        public void write(int b) {
            bodyBytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bodyBytes += len;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
        }
    };

    BenchResponse() {
        super(UNSUPPORTED);
    }

    @Override
    public void setStatus(int sc) {
        status = sc;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public void setHeader(String name, String value) {
        headers++;
        if ("Cache-Control".equalsIgnoreCase(name)) {
            cacheControl = value;
        } else if ("Vary".equalsIgnoreCase(name)) {
            vary = value;
        }
    }

    @Override
    public void addHeader(String name, String value) {
        setHeader(name, value);
    }

    @Override
    public String getHeader(String name) {
        if ("Cache-Control".equalsIgnoreCase(name)) {
            return cacheControl;
        }
        return "Vary".equalsIgnoreCase(name) ? vary : null;
    }

    @Override
    public boolean containsHeader(String name) {
        return getHeader(name) != null;
    }

    @Override
    public void addCookie(Cookie cookie) {
        cookies++;
    }

    @Override
    public void setContentType(String type) {
    }

    @Override
    public void setContentLength(int len) {
    }

    @Override
    public void setCharacterEncoding(String charset) {
    }

    @Override
    public boolean isCommitted() {
        return false;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return out;
    }
}
