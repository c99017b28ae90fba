package io.github.sessiongate.remote;

import io.github.sessiongate.ConfigException;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.regex.Pattern;
import org.jose4j.json.JsonUtil;

/**
 * The body of a backend {@code POST}: string fields as a UTF-8 form or as one flat JSON object,
 * and the check of a configurable field name. The values are secrets (passwords, tokens): nothing
 * here logs or keeps them.
 */
final class PostBody {
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private PostBody() {
    }

    /** Reads a request-field parameter: 1 to 64 letters, digits, '_', '.', ':' or '-'. */
    static String fieldName(String parameter, String value) {
        if (!FIELD_NAME.matcher(value).matches()) {
            throw new ConfigException(parameter, "must be a field name of letters, digits, "
                    + "'_', '.', ':' or '-', not '" + value + "'");
        }
        return value;
    }

    /**
     * Makes the request a {@code POST} of the fields, with {@code Content-Type} and
     * {@code Cache-Control: no-store}.
     *
     * @param json a JSON object ({@code application/json}) instead of a form
     */
    static HttpRequest.Builder post(HttpRequest.Builder request, boolean json, Map<String, String> fields) {
        String body = json ? JsonUtil.toJson(fields) : ClientCredentials.formBody(fields);
        return request.header("Content-Type", json ? "application/json" : "application/x-www-form-urlencoded")
                .header("Cache-Control", "no-store")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }
}
