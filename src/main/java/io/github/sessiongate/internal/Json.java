package io.github.sessiongate.internal;

import io.github.sessiongate.TokenValidator;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * Lenient reading of backend JSON with jose4j's parser: anything malformed is "absent", never an
 * exception, and no parser message (which may quote a token) escapes. Paths, roles and freezing
 * are {@link JsonValues}'s.
 */
public final class Json {
    /** Deepest nesting accepted; deeper answers are treated as unparsable. */
    public static final int MAX_DEPTH = 32;


    private Json() {
    }

    /** The body as an immutable JSON object, or empty when it is not one. */
    public static Optional<Map<String, Object>> object(String body) {
        if (body == null || body.isBlank() || !JsonValues.nestingWithin(body, MAX_DEPTH)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonValues.freeze(JsonUtil.parseJson(body)));
        } catch (JoseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A non-blank string member. */
    public static Optional<String> string(Map<String, Object> json, String path) {
        Object v = JsonValues.at(json, path);
        return v instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    /** A whole number of seconds: a JSON number without fraction, or a string of digits. */
    public static OptionalLong seconds(Object value) {
        try {
            if (value instanceof Long || value instanceof Integer) {
                return OptionalLong.of(((Number) value).longValue());
            }
            if (value instanceof Number n) {
                return OptionalLong.of(new BigDecimal(n.toString()).longValueExact());
            }
            if (value instanceof String s && s.strip().matches("-?\\d{1,18}")) {
                return OptionalLong.of(Long.parseLong(s.strip()));
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // a fraction or out of range: absent
        }
        return OptionalLong.empty();
    }

    /**
     * Whether a backend's token is usable as a cookie value: 1 to
     * {@link TokenValidator#MAX_TOKEN_LENGTH} printable ASCII characters other than space, quote,
     * comma, semicolon and backslash (RFC 6265).
     */
    public static boolean isCookieSafeToken(String token) {
        if (token == null || token.isEmpty() || token.length() > TokenValidator.MAX_TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Reads a field-path parameter: a member name or a dotted path of names. */
    public static String fieldPath(String parameter, String value) {
        return FieldNames.jsonPath(parameter, value);
    }
}
