package io.github.sessiongate.testing;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory {@link HttpServletResponse} for filter tests without a container: records the
 * status, headers, cookies and body. Methods it does not model throw.
 */
public final class InMemoryResponse {
    private int status = 200;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final List<Cookie> cookies = new ArrayList<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private String contentType;
    private final HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
            InMemoryResponse.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                switch (m.getName()) {
                    case "setStatus": status = (Integer) args[0]; return null;
                    case "getStatus": return status;
                    case "sendError": status = (Integer) args[0]; return null;
                    case "sendRedirect": status = 302; set("Location", (String) args[0]); return null;
                    case "setHeader": set((String) args[0], (String) args[1]); return null;
                    case "addHeader":
                        if ("Set-Cookie".equalsIgnoreCase((String) args[0])) {
                            cookies.add(SetCookieHeader.parse((String) args[1]));
                        }
                        add((String) args[0], (String) args[1]);
                        return null;
                    case "setIntHeader": set((String) args[0], args[1].toString()); return null;
                    case "setDateHeader": set((String) args[0], args[1].toString()); return null;
                    case "getHeader": return header((String) args[0]).orElse(null);
                    case "getHeaders": return new ArrayList<>(headers.getOrDefault(key((String) args[0]), List.of()));
                    case "getHeaderNames": return new ArrayList<>(headers.keySet());
                    case "containsHeader": return headers.containsKey(key((String) args[0]));
                    case "addCookie": cookies.add((Cookie) args[0]); add("Set-Cookie", format((Cookie) args[0])); return null;
                    case "setContentType": contentType = (String) args[0]; return null;
                    case "getContentType": return contentType;
                    case "setCharacterEncoding", "setContentLength", "setContentLengthLong", "setBufferSize", "flushBuffer":
                        return null;
                    case "getCharacterEncoding": return "UTF-8";
                    case "isCommitted": return false;
                    case "getOutputStream": return stream();
                    case "getWriter": return new PrintWriter(body, true, StandardCharsets.UTF_8);
                    case "toString": return "InMemoryResponse " + status;
                    case "hashCode": return System.identityHashCode(proxy);
                    case "equals": return proxy == args[0];
                    default: throw new UnsupportedOperationException("InMemoryResponse." + m.getName());
                }
            });

    public HttpServletResponse servlet() {
        return response;
    }

    public int status() {
        return status;
    }

    public Optional<String> header(String name) {
        List<String> v = headers.get(key(name));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public List<Cookie> cookies() {
        return Collections.unmodifiableList(cookies);
    }

    /** The value of the last cookie of this name set on the response, if any. */
    public Optional<Cookie> cookie(String name) {
        Cookie found = null;
        for (Cookie c : cookies) {
            if (c.getName().equals(name)) {
                found = c;
            }
        }
        return Optional.ofNullable(found);
    }

    public String body() {
        return body.toString(StandardCharsets.UTF_8);
    }

    private void set(String name, String value) {
        List<String> v = new ArrayList<>();
        v.add(value);
        headers.put(key(name), v);
    }

    private void add(String name, String value) {
        headers.computeIfAbsent(key(name), n -> new ArrayList<>()).add(value);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String format(Cookie c) {
        return c.getName() + "=" + c.getValue() + "; Max-Age=" + c.getMaxAge();
    }

    private ServletOutputStream stream() {
        return new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
