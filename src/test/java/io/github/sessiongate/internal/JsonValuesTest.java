package io.github.sessiongate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Test;

class JsonValuesTest {

    @Test
    void freezeCopiesDeeplyAndForbidsChanges() throws Exception {
        Map<String, Object> parsed = JsonUtil.parseJson("{\"a\":{\"b\":[1,{\"c\":null},[2]]},\"d\":\"x\"}");
        Map<String, Object> frozen = JsonValues.freeze(parsed);
        assertEquals(parsed, frozen);
        assertEquals(List.of("a", "d"), new ArrayList<>(frozen.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> a = (Map<String, Object>) frozen.get("a");
        @SuppressWarnings("unchecked")
        List<Object> b = (List<Object>) a.get("b");
        assertThrows(UnsupportedOperationException.class, () -> frozen.put("e", 1));
        assertThrows(UnsupportedOperationException.class, () -> a.put("e", 1));
        assertThrows(UnsupportedOperationException.class, () -> b.add(3));
        parsed.put("later", 1);
        assertFalse(frozen.containsKey("later"));
    }

    @Test
    void atFindsExactNamesBeforeDottedPaths() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("realm_access", Map.of("roles", List.of("admin")));
        json.put("a.b", "exact");
        json.put("a", Map.of("b", "nested"));
        assertEquals(List.of("admin"), JsonValues.at(json, "realm_access.roles"));
        assertEquals("exact", JsonValues.at(json, "a.b"));
        assertNull(JsonValues.at(json, "realm_access.roles.x"));
        assertNull(JsonValues.at(json, "missing"));
        assertNull(JsonValues.at(json, "a..b"));
    }

    @Test
    void rolesComeFromStringArraysOrSpaceSeparatedStrings() {
        assertEquals(Set.of("a", "b"), JsonValues.roles(List.of("a", " b ", "", 3, "a")));
        assertEquals(Set.of("read", "write"), JsonValues.roles(" read  write "));
        assertTrue(JsonValues.roles(42).isEmpty());
        assertTrue(JsonValues.roles(null).isEmpty());
    }

    @Test
    void nestingIsCountedOutsideStringsOnly() {
        assertTrue(JsonValues.nestingWithin("{\"a\":[[1]]}", 3));
        assertFalse(JsonValues.nestingWithin("{\"a\":[[1]]}", 2));
        assertTrue(JsonValues.nestingWithin("{\"a\":\"[[[[\\\"[[[\"}", 1));
    }
}
