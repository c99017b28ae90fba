package io.github.sessiongate.sample;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jose4j.json.JsonUtil;

/** Writes the sample's small JSON answers (jose4j's JSON writer does the escaping). */
final class Json {
    private Json() {
    }

    static void send(HttpServletResponse response, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = JsonUtil.toJson(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
