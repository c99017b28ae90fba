package io.github.sessiongate.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.path.PathRules;
import io.github.sessiongate.path.PathVerdict;
import io.github.sessiongate.path.RequestPaths;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the path firewall ({@link RequestPaths}) and the rules ({@link PathRules}).
 *
 * <p>{@code requestPath}: field 0 is the raw request URI; the decoded servlet path is field 0
 * percent-decoded as a container would (choice 0 and 1: as UTF-8, 2: as ISO-8859-1), or field 1
 * plus path info field 2 (choice 3), since containers decode differently. Flag 1 allows
 * {@code ;jsessionid}. Properties: nothing throws; an accepted path is absolute, has no empty, dot
 * or {@code ;} segment, no backslash, control, format or undecodable character, equals servlet path
 * plus path info, and came from a raw URI of printable ASCII without encoded {@code / \ . ; %};
 * the rules then never open {@code /admin} to someone without the role, nor {@code /api} outside
 * {@code /api/public}.
 *
 * <p>{@code pathRules}: NUL-separated fields are protected, public and role-rule patterns and
 * then paths to decide (every field the firewall accepts). Properties: compiling either works or fails with the documented
 * {@link ConfigException}; a compiled rule set decides every path without throwing.
 */
class PathFuzzTest {
    private static final RequestPaths STRICT = new RequestPaths(false);
    private static final RequestPaths JSESSIONID = new RequestPaths(true);
    private static final PathRules RULES = PathRules.compile(List.of("/api/*"), List.of("/", "/api/public/*",
            "/static/*", "*.css"), List.of("/admin/*=admin", "/ops/**=ops|admin"), PathRules.Access.PROTECTED,
            List.of("/login", "/auth/login", "/auth/logout"));

    @DictionaryEntries({"/admin", "/api/", "/api/public/", "/static/", "/login", "%2e", "%2f", "%5c", "%3b", "%25", "%00", "%c0%ae", "%e2%80%ae", "%ef%bf%bd", "/..", "/./", "//", ";jsessionid=", "\\", ".css"})
    @FuzzTest(maxDuration = "10s")
    void requestPath(byte[] data) {
        FuzzInput in = FuzzInput.of(data);
        String raw = in.field(0);
        String servletPath;
        String pathInfo = null;
        switch (in.choice()) {
            case 2 -> servletPath = percentDecode(raw, true);
            case 3 -> {
                servletPath = in.field(1);
                pathInfo = in.fieldOrNull(2);
            }
            default -> servletPath = percentDecode(raw, false);
        }
        PathVerdict verdict = (in.flag(1) ? JSESSIONID : STRICT)
                .check(new FakeRequest().uri(raw, servletPath, pathInfo).build());
        assertNotNull(verdict);
        if (!verdict.isAccepted()) {
            assertNotNull(verdict.reason());
            assertFalse(raw.length() > 50 && verdict.reason().contains(raw), "a reason quotes the request");
            return;
        }
        String path = verdict.path();
        String expected = servletPath + (pathInfo == null ? "" : pathInfo);
        assertEquals(expected.isEmpty() ? "/" : expected, path);
        assertTrue(path.startsWith("/"), path);
        assertFalse(path.contains("//") || path.contains("\\") || path.contains(";"), path);
        for (String segment : path.substring(1).split("/", -1)) {
            assertFalse(segment.equals(".") || segment.equals(".."), path);
        }
        path.codePoints().forEach(c -> {
            assertFalse(Character.isISOControl(c) || c == 0xfffd || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.SURROGATE || c == 0x2028 || c == 0x2029, path);
        });
        for (int i = 0; i < raw.length(); i++) {
            assertTrue(raw.charAt(i) > 0x20 && raw.charAt(i) < 0x7f, raw);
        }
        String lower = raw.toLowerCase(java.util.Locale.ROOT);
        for (String encoded : new String[] {"%2f", "%5c", "%2e", "%3b", "%25", "%00", "\\", "//", "/./", "/../"}) {
            assertFalse(lower.contains(encoded), raw);
        }

        PathRules.Rule rule = RULES.decide(path);
        assertNotNull(rule);
        if (path.equals("/admin") || path.startsWith("/admin/")) {
            assertEquals(PathRules.Access.PROTECTED, rule.access(), path);
            assertTrue(rule.anyOfRoles().contains("admin"), path);
        }
        boolean api = path.equals("/api") || path.startsWith("/api/");
        boolean apiPublic = path.equals("/api/public") || path.startsWith("/api/public/");
        if (api && !apiPublic) {
            assertEquals(PathRules.Access.PROTECTED, rule.access(), path);
        }
    }

    @DictionaryEntries({"/*", "/**", "*.", "=admin", "|", "/admin/*=admin", "/api/*", " ", ",", "/login", "/auth/login"})
    @FuzzTest(maxDuration = "10s")
    void pathRules(byte[] data) {
        FuzzInput in = FuzzInput.of(data);
        List<String> fields = in.fields();
        PathRules rules;
        try {
            rules = PathRules.compile(items(in.field(0)), items(in.field(1)), items(in.field(2)),
                    in.flag(1) ? PathRules.Access.PUBLIC : PathRules.Access.PROTECTED, List.of("/login", "/auth/login"));
        } catch (ConfigException e) {
            assertNotNull(e.getMessage());
            return;
        }
        assertNotNull(rules.describe());
        assertEquals(PathRules.Access.PUBLIC, rules.decide("/login").access());
        for (String path : fields) {
            PathVerdict verdict = STRICT.check(new FakeRequest().uri(path, path, null).build());
            if (verdict.isAccepted()) {
                assertNotNull(rules.decide(verdict.path()));
            }
        }
    }

    private static List<String> items(String field) {
        return field.isEmpty() ? List.of() : Arrays.asList(field.split("[\\s,]+"));
    }

    /** Decodes {@code %XX} as a lenient container would; a bad escape stays as it is. */
    static String percentDecode(String raw, boolean latin1) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int q = raw.indexOf('?');
        String path = q >= 0 ? raw.substring(0, q) : raw;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && Character.digit(path.charAt(i + 1), 16) >= 0
                    && Character.digit(path.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(path.charAt(i + 1), 16) * 16 + Character.digit(path.charAt(i + 2), 16));
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return new String(out.toByteArray(), latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }
}
