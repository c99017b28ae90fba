package io.github.sessiongate.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jose4j.json.JsonUtil;

/**
 * The filter's own short answers: small fixed JSON bodies with {@code Cache-Control: no-store}.
 * A body never says why a token failed (that goes to the audit log), and never echoes input.
 * They are written before the application has run, so the response is never reset: cookies
 * the filter set on it (a clearing, say) stay.
 */
public final class Answers {
    /** The fixed bodies, encoded once: a flood of refused tokens costs no encoding per answer. */
    private static final byte[] UNAUTHENTICATED = ascii("{\"error\":\"unauthenticated\"}");
    private static final byte[] BAD_REQUEST = ascii("{\"error\":\"bad_request\"}");
    private static final byte[] UNAVAILABLE = ascii("{\"error\":\"unavailable\"}");
    private static final byte[] METHOD_NOT_ALLOWED = ascii("{\"error\":\"method_not_allowed\"}");
    private static final byte[] BAD_GATEWAY = ascii("{\"error\":\"bad_gateway\"}");
    private static final byte[] GATEWAY_TIMEOUT = ascii("{\"error\":\"gateway_timeout\"}");
    private static final byte[] PAYLOAD_TOO_LARGE = ascii("{\"error\":\"payload_too_large\"}");
    private static final String JSON = "application/json;charset=UTF-8";

    private Answers() {
    }

    private static byte[] ascii(String body) {
        return body.getBytes(StandardCharsets.US_ASCII);
    }

    /** 400: the request path failed the firewall. */
    public static void badRequest(HttpServletResponse response) throws IOException {
        json(response, HttpServletResponse.SC_BAD_REQUEST, BAD_REQUEST);
    }

    /**
     * 401 with a {@code WWW-Authenticate} challenge.
     *
     * @param challenge the full header value, e.g. {@code Bearer realm="sessiongate"}
     */
    public static void unauthenticated(HttpServletResponse response, String challenge) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setHeader("WWW-Authenticate", challenge);
        write(response, HttpServletResponse.SC_UNAUTHORIZED, UNAUTHENTICATED);
    }

    /** 403: authenticated, but not allowed here. */
    public static void forbidden(HttpServletResponse response) throws IOException {
        forbidden(response, "forbidden");
    }

    /** 403 with a fixed error code, e.g. {@code csrf}. */
    public static void forbidden(HttpServletResponse response, String error) throws IOException {
        json(response, HttpServletResponse.SC_FORBIDDEN, Map.of("error", error));
    }

    /** Any status with a JSON object body (values: strings, numbers, booleans, lists, maps, null). */
    public static void json(HttpServletResponse response, int status, Map<String, ?> body) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        write(response, status, JsonUtil.toJson(new LinkedHashMap<>(body)));
    }

    /** 405 with {@code Allow}. */
    public static void methodNotAllowed(HttpServletResponse response, String allow) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setHeader("Allow", allow);
        write(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, METHOD_NOT_ALLOWED);
    }

    /** 204 No Content, not cacheable. */
    public static void noContent(HttpServletResponse response) {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        response.setHeader("Cache-Control", "no-store");
    }

    /** 303 See Other to a path the caller built from trusted parts (after a form post). */
    public static void seeOther(HttpServletResponse response, String location) {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", location);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(0);
    }

    /** 503 with {@code Retry-After}: no verdict could be had; nothing was cleared. */
    public static void unavailable(HttpServletResponse response, int retryAfterSeconds) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
        write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, UNAVAILABLE);
    }

    /** 502: a backend the filter forwards to is unreachable or answered badly; nothing was cleared. */
    public static void badGateway(HttpServletResponse response) throws IOException {
        json(response, HttpServletResponse.SC_BAD_GATEWAY, BAD_GATEWAY);
    }

    /** 504: a backend the filter forwards to did not answer in time; nothing was cleared. */
    public static void gatewayTimeout(HttpServletResponse response) throws IOException {
        json(response, HttpServletResponse.SC_GATEWAY_TIMEOUT, GATEWAY_TIMEOUT);
    }

    /** 413: a request body over the configured cap. */
    public static void payloadTooLarge(HttpServletResponse response) throws IOException {
        json(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, PAYLOAD_TOO_LARGE);
    }

    /**
     * A redirect with a {@code Location} that the caller built from trusted parts. Set directly,
     * not through {@code sendRedirect}, so no container turns it absolute from a Host header.
     */
    public static void redirect(HttpServletResponse response, String location) {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(HttpServletResponse.SC_FOUND);
        response.setHeader("Location", location);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(0);
    }

    private static void json(HttpServletResponse response, int status, byte[] body) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        write(response, status, body);
    }

    private static void write(HttpServletResponse response, int status, String body) throws IOException {
        write(response, status, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} as the JSON body; never changes them (the fixed bodies are shared). */
    private static void write(HttpServletResponse response, int status, byte[] bytes) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(JSON);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
