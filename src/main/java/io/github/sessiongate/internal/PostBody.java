package io.github.sessiongate.internal;

import java.net.http.HttpRequest;
import java.util.Map;
import org.jose4j.json.JsonUtil;

/**
 * The body of a backend {@code POST}: string fields as a UTF-8 form or as one flat JSON object,
 * and the check of a configurable field name. The values are secrets (passwords, tokens): nothing
 * here logs or keeps them.
 */
public final class PostBody {
    private PostBody() {
    }

    /** Reads a request-field parameter: 1 to 64 letters, digits, '_', '.', ':' or '-'. */
    public static String fieldName(String parameter, String value) {
        return FieldNames.requestField(parameter, value);
    }

    /**
     * Makes the request a {@code POST} of the fields, with {@code Content-Type} and
     * {@code Cache-Control: no-store}.
     *
     * @param json a JSON object ({@code application/json}) instead of a form
     */
    public static HttpRequest.Builder post(HttpRequest.Builder request, boolean json, Map<String, String> fields) {
        String body = json ? JsonUtil.toJson(fields) : ClientAuth.formBody(fields);
        return request.header("Content-Type", json ? "application/json" : "application/x-www-form-urlencoded")
                .header("Cache-Control", "no-store")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }
}
