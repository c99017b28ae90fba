package io.github.sessiongate.bench;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A reusable {@link HttpServletResponse} for JMH: records the status, the headers (in small arrays,
 * no formatting), the cookies added (by reference, counted as {@code Set-Cookie} headers together
 * with any {@code Set-Cookie} set as a raw header) and the number of body bytes, which are
 * discarded. {@link #reset()} clears it between invocations. Implemented directly (no
 * {@link java.lang.reflect.Proxy}), so recording costs no allocation the filter did not cause.
 * Not thread-safe: one per benchmark thread.
 */
final class BenchResponse implements HttpServletResponse {
    private int status;
    private String contentType;
    private String[] headerNames = new String[16];
    private String[] headerValues = new String[16];
    private int headers;
    private Cookie[] cookies = new Cookie[8];
    private int cookieCount;
    private int rawSetCookies;
    private long bodyBytes;
    private PrintWriter writer;

    private final ServletOutputStream body = new ServletOutputStream() {
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
            throw new UnsupportedOperationException("BenchResponse: no async writes");
        }
    };

    BenchResponse() {
        reset();
    }

    /** Ready for the next invocation: 200, no headers, no cookies, no body. */
    @Override
    public void reset() {
        status = 200;
        contentType = null;
        if (headers != 0) {
            Arrays.fill(headerNames, 0, headers, null);
            Arrays.fill(headerValues, 0, headers, null);
            headers = 0;
        }
        if (cookieCount != 0) {
            Arrays.fill(cookies, 0, cookieCount, null);
            cookieCount = 0;
        }
        rawSetCookies = 0;
        bodyBytes = 0;
    }

    /** {@code Set-Cookie} headers this response got: cookies added plus raw {@code Set-Cookie} headers. */
    int setCookieCount() {
        return cookieCount + rawSetCookies;
    }

    /** The cookies added, in order. */
    List<Cookie> cookies() {
        return List.of(Arrays.copyOf(cookies, cookieCount));
    }

    long bodyBytes() {
        return bodyBytes;
    }

    private int headerIndex(String name) {
        for (int i = 0; i < headers; i++) {
            if (headerNames[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private void append(String name, String value) {
        if (headers == headerNames.length) {
            headerNames = Arrays.copyOf(headerNames, headers * 2);
            headerValues = Arrays.copyOf(headerValues, headers * 2);
        }
        headerNames[headers] = name;
        headerValues[headers++] = value;
        if ("Set-Cookie".equalsIgnoreCase(name)) {
            rawSetCookies++;
        }
    }

    private void removeAll(String name) {
        int kept = 0;
        for (int i = 0; i < headers; i++) {
            if (headerNames[i].equalsIgnoreCase(name)) {
                if ("Set-Cookie".equalsIgnoreCase(name)) {
                    rawSetCookies--;
                }
                continue;
            }
            headerNames[kept] = headerNames[i];
            headerValues[kept++] = headerValues[i];
        }
        Arrays.fill(headerNames, kept, headers, null);
        Arrays.fill(headerValues, kept, headers, null);
        headers = kept;
    }

    // ------------------------------------------------------------------ HttpServletResponse

    @Override
    public void addCookie(Cookie cookie) {
        if (cookieCount == cookies.length) {
            cookies = Arrays.copyOf(cookies, cookieCount * 2);
        }
        cookies[cookieCount++] = cookie;
    }

    @Override
    public boolean containsHeader(String name) {
        return headerIndex(name) >= 0 || "Set-Cookie".equalsIgnoreCase(name) && cookieCount > 0;
    }

    @Override
    public void setHeader(String name, String value) {
        removeAll(name);
        if (value != null) {
            append(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (value != null) {
            append(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public void setDateHeader(String name, long date) {
        setHeader(name, Long.toString(date));
    }

    @Override
    public void addDateHeader(String name, long date) {
        addHeader(name, Long.toString(date));
    }

    @Override
    public String getHeader(String name) {
        int i = headerIndex(name);
        return i < 0 ? null : headerValues[i];
    }

    /** Allocates (a list, and a formatted line per cookie for {@code Set-Cookie}): not on the measured paths. */
    @Override
    public Collection<String> getHeaders(String name) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < headers; i++) {
            if (headerNames[i].equalsIgnoreCase(name)) {
                values.add(headerValues[i]);
            }
        }
        if ("Set-Cookie".equalsIgnoreCase(name)) {
            for (int i = 0; i < cookieCount; i++) {
                values.add(format(cookies[i]));
            }
        }
        return values;
    }

    @Override
    public Collection<String> getHeaderNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < headers; i++) {
            if (!names.contains(headerNames[i])) {
                names.add(headerNames[i]);
            }
        }
        if (cookieCount > 0 && !names.contains("Set-Cookie")) {
            names.add("Set-Cookie");
        }
        return names;
    }

    private static String format(Cookie c) {
        StringBuilder line = new StringBuilder(c.getName()).append('=').append(c.getValue())
                .append("; Max-Age=").append(c.getMaxAge());
        c.getAttributes().forEach((k, v) -> line.append("; ").append(k).append(v.isEmpty() ? "" : "=" + v));
        return line.toString();
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
    public void sendError(int sc, String msg) {
        status = sc;
    }

    @Override
    public void sendError(int sc) {
        status = sc;
    }

    @Override
    public void sendRedirect(String location) {
        status = 302;
        setHeader("Location", location);
    }

    @Override
    public String encodeURL(String url) {
        return url;
    }

    @Override
    public String encodeRedirectURL(String url) {
        return url;
    }

    @Override
    public String getCharacterEncoding() {
        return "UTF-8";
    }

    @Override
    public void setCharacterEncoding(String charset) {
        // recorded nowhere: the body is discarded
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public void setContentType(String type) {
        contentType = type;
    }

    @Override
    public void setContentLength(int len) {
        // the body is discarded
    }

    @Override
    public void setContentLengthLong(long len) {
        // the body is discarded
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return body;
    }

    @Override
    public PrintWriter getWriter() {
        if (writer == null) {
            writer = new PrintWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8), true);
        }
        return writer;
    }

    @Override
    public void setBufferSize(int size) {
        // no buffer
    }

    @Override
    public int getBufferSize() {
        return 8192;
    }

    @Override
    public void flushBuffer() {
        // nothing buffered
    }

    @Override
    public void resetBuffer() {
        bodyBytes = 0;
    }

    /** Never: the benchmark's container sends nothing before the filter returns. */
    @Override
    public boolean isCommitted() {
        return false;
    }

    @Override
    public void setLocale(Locale loc) {
        // not recorded
    }

    @Override
    public Locale getLocale() {
        return Locale.UK;
    }

    @Override
    public String toString() {
        return "BenchResponse " + status;
    }
}
