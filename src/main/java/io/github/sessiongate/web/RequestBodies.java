package io.github.sessiongate.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * Reads the small bodies the filter's endpoints accept: a form or a flat JSON object of strings,
 * never more than a cap. The body is read from the input stream directly (never through
 * {@code getParameter}, which would read unbounded form bodies and merge in the query).
 */
public final class RequestBodies {
    /** Why a body could not be read. */
    public enum Problem { TOO_LARGE, UNSUPPORTED_TYPE, MALFORMED }

    /** The fields, or the problem. */
    public record Fields(Map<String, String> values, Problem problem) {
        public boolean ok() {
            return problem == null;
        }

        public Optional<String> get(String name) {
            return values == null ? Optional.empty() : Optional.ofNullable(values.get(name));
        }
    }

    private RequestBodies() {
    }

    /** Whether the body is JSON (by Content-Type). */
    public static boolean isJson(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    /** Reads the form or JSON body, at most {@code maxBytes}. */
    public static Fields read(HttpServletRequest request, int maxBytes) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            return new Fields(null, Problem.TOO_LARGE);
        }
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        boolean json = type.startsWith("application/json");
        boolean form = type.startsWith("application/x-www-form-urlencoded");
        if (!json && !form) {
            return new Fields(null, Problem.UNSUPPORTED_TYPE);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            // A body that stopped arriving (the container's idle timeout) or was cut short: the
            // client's fault, a 400, never the container's 500.
            return new Fields(null, Problem.MALFORMED);
        }
        if (body.length > maxBytes) {
            return new Fields(null, Problem.TOO_LARGE);
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return json ? json(text) : form(text);
    }

    private static Fields form(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String pair : text.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (values.putIfAbsent(name, value) != null) {
                    return new Fields(null, Problem.MALFORMED); // one value per field, never a choice
                }
            }
        } catch (IllegalArgumentException e) {
            return new Fields(null, Problem.MALFORMED);
        }
        return new Fields(values, null);
    }

    private static Fields json(String text) {
        try {
            Map<String, Object> parsed = JsonUtil.parseJson(text);
            if (parsed == null) {
                return new Fields(null, Problem.MALFORMED);
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : parsed.entrySet()) {
                if (e.getValue() instanceof String s) {
                    values.put(e.getKey(), s);
                } else if (e.getValue() != null) {
                    return new Fields(null, Problem.MALFORMED);
                }
            }
            return new Fields(values, null);
        } catch (JoseException | RuntimeException e) {
            return new Fields(null, Problem.MALFORMED);
        }
    }
}
