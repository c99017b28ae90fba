package io.github.sessiongate.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.sessiongate.web.RequestBodies;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Fuzzes the login-body readers ({@link RequestBodies}): the bytes after the flag byte are the
 * body, read as JSON (choice 0 and 2, the latter with a charset parameter), a form (choice 1) or an
 * unsupported type (choice 3); flag 1 declares no length (chunked), flag 0 a cap of 64 bytes
 * instead of the default 8192.
 *
 * <p>Properties: nothing throws (an in-memory body never fails to read); the answer is either
 * fields or one of the documented problems; a body over the cap never gives fields, whatever its
 * declared length ({@code TOO_LARGE}, or {@code UNSUPPORTED_TYPE} when the type is checked first); fields are non-null strings, one value per name.
 */
class RequestBodiesFuzzTest {
    private static final String[] TYPES = {
        "application/json", "application/x-www-form-urlencoded", "Application/JSON; charset=UTF-8", "text/plain"};

    @DictionaryEntries({"username", "password", "from", "=", "&", "%", "%00", "+", "{", "}", "[", "]", "\"", "\\u", "null", ":", ","})
    @FuzzTest(maxDuration = "10s")
    void loginBody(byte[] data) throws IOException {
        FuzzInput in = FuzzInput.of(data);
        byte[] body = in.rest();
        int max = in.flag(0) ? 64 : 8192;
        String type = TYPES[in.choice()];
        RequestBodies.Fields fields = RequestBodies.read(
                new FakeRequest().body(type, in.flag(1) ? -1 : body.length, body).build(), max);
        assertNotNull(fields);
        if (body.length > max) {
            // Never fields from an over-cap body; an unsupported type may be named first.
            assertTrue(fields.problem() == RequestBodies.Problem.TOO_LARGE
                    || fields.problem() == RequestBodies.Problem.UNSUPPORTED_TYPE, String.valueOf(fields.problem()));
            return;
        }
        if (in.choice() == 3) {
            assertEquals(RequestBodies.Problem.UNSUPPORTED_TYPE, fields.problem());
            return;
        }
        if (!fields.ok()) {
            assertEquals(RequestBodies.Problem.MALFORMED, fields.problem());
            assertNull(fields.values());
            assertTrue(fields.get("username").isEmpty());
            return;
        }
        assertNotNull(fields.values());
        for (Map.Entry<String, String> e : fields.values().entrySet()) {
            assertNotNull(e.getKey());
            assertNotNull(e.getValue());
        }
        for (String name : Arrays.asList("username", "password", "from")) {
            fields.get(name).ifPresent(v -> assertEquals(fields.values().get(name), v));
        }
    }
}
