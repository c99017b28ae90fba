package io.github.sessiongate.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reading parsed JSON (token claims, backend answers) as jose4j's {@code JsonUtil} gives it: maps,
 * lists, strings, numbers, booleans. Lenient: a value of the wrong shape is absent, never an
 * exception. Internal; not for application code.
 */
public final class JsonValues {
    private JsonValues() {
    }

    /**
     * Whether JSON text nests objects and arrays at most {@code max} deep (strings skipped). A cheap
     * guard run before parsing, so hostile nesting never reaches the recursive parser or
     * {@link #freeze}.
     */
    public static boolean nestingWithin(String json, int max) {
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

    /**
     * An unmodifiable deep copy of a JSON object: nested objects and arrays are copied and frozen
     * too, keys become strings, insertion order is kept. Recursive: bound the depth first with
     * {@link #nestingWithin}.
     */
    public static Map<String, Object> freeze(Map<?, ?> object) {
        Map<String, Object> copy = new LinkedHashMap<>();
        object.forEach((k, v) -> copy.put(String.valueOf(k), freezeValue(v)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object freezeValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return freeze(map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(freezeValue(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /**
     * A member by exact name, else by dotted path through nested objects ({@code realm_access.roles});
     * {@code null} when absent or when the path meets something other than an object.
     */
    public static Object at(Map<String, Object> object, String path) {
        if (object.containsKey(path)) {
            return object.get(path);
        }
        if (path.indexOf('.') < 0) {
            return null;
        }
        Object current = object;
        for (String part : path.split("\\.", -1)) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    /**
     * Roles from an array of strings (blank ones skipped, others stripped) or a space-separated
     * string; anything else gives none. In order, without duplicates.
     */
    public static Set<String> roles(Object value) {
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
}
