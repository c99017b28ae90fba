package io.github.sessiongate.remote;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.TokenValidator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * Lenient reading of backend JSON with jose4j's parser: anything malformed is "absent", never an
 * exception, and no parser message (which may quote a token) escapes.
 */
final class Json {
    /** Deepest nesting accepted; deeper answers are treated as unparsable. */
    static final int MAX_DEPTH = 32;

    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_:/$@-]+(\\.[A-Za-z0-9_:/$@-]+)*");

    private Json() {
    }

    /** The body as an immutable JSON object, or empty when it is not one. */
    static Optional<Map<String, Object>> object(String body) {
        if (body == null || body.isBlank() || !nestingWithin(body, MAX_DEPTH)) {
            return Optional.empty();
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> frozen = (Map<String, Object>) freeze(JsonUtil.parseJson(body));
            return Optional.of(frozen);
        } catch (JoseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A member by exact name, else by dotted path through objects; {@code null} when absent. */
    static Object at(Map<String, Object> json, String path) {
        if (json.containsKey(path)) {
            return json.get(path);
        }
        if (path.indexOf('.') < 0) {
            return null;
        }
        Object current = json;
        for (String part : path.split("\\.", -1)) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    /** A non-blank string member. */
    static Optional<String> string(Map<String, Object> json, String path) {
        Object v = at(json, path);
        return v instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    /** A whole number of seconds: a JSON number without fraction, or a string of digits. */
    static OptionalLong seconds(Object value) {
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

    /** Roles from an array of strings or a space-separated string; anything else gives none. */
    static Set<String> roles(Object value) {
        Set<String> roles = new LinkedHashSet<>();
        if (value instanceof String s) {
            for (String role : s.split("\\s+")) {
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            }
        } else if (value instanceof Collection<?> values) {
            for (Object role : values) {
                if (role instanceof String s && !s.isBlank()) {
                    roles.add(s.strip());
                }
            }
        }
        return roles;
    }

    /**
     * Whether a backend's token is usable as a cookie value: 1 to
     * {@link TokenValidator#MAX_TOKEN_LENGTH} printable ASCII characters other than space, quote,
     * comma, semicolon and backslash (RFC 6265).
     */
    static boolean isCookieSafeToken(String token) {
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
    static String fieldPath(String parameter, String value) {
        if (!PATH.matcher(value).matches()) {
            throw new ConfigException(parameter, "must be a JSON member name or a dotted path such as "
                    + "data.access_token, not '" + value + "'");
        }
        return value;
    }

    /** Unmodifiable deep copy. */
    static Object freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), freeze(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(freeze(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /** Whether JSON text nests objects and arrays at most {@code max} deep (strings skipped). */
    static boolean nestingWithin(String json, int max) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char ch = json.charAt(i);
            if (inString) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    inString = false;
                }
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '{' || ch == '[') {
                if (++depth > max) {
                    return false;
                }
            } else if (ch == '}' || ch == ']') {
                depth--;
            }
        }
        return true;
    }
}
