package io.github.sessiongate.path;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With few prefix rules {@link PathRules} walks its bases with {@code startsWith}; with more it
 * looks up one substring per '/': both decide every path alike.
 */
class PathRulesPrefixWalkTest {
    private static final List<String> PROTECTED = List.of("/api/*", "/api/v1/*", "/a/*", "/app/**");
    private static final List<String> PUBLIC = List.of("/api/v1/public/*", "/api/v1/publicity", "/static/*");
    private static final List<String> ROLES = List.of("/admin/*=admin", "/api/v1/admin/**=ops|admin");

    private static PathRules rules(int padding) {
        List<String> pub = new ArrayList<>(PUBLIC);
        for (int i = 0; i < padding; i++) {
            pub.add("/zz" + i + "/*"); // unrelated prefixes: push the count over FEW_PREFIXES
        }
        return PathRules.compile(PROTECTED, pub, ROLES, PathRules.Access.PUBLIC, List.of("/login"));
    }

    @Test
    void fewAndManyPrefixesDecideAlike() {
        PathRules few = rules(0);
        PathRules many = rules(PathRules.FEW_PREFIXES + 1);
        List<String> paths = List.of("/", "/a", "/a/", "/ab", "/a/b", "/api", "/api/", "/apix", "/api/v1", "/api/v1/",
                "/api/v1/x", "/api/v1/public", "/api/v1/public/", "/api/v1/public/x/y", "/api/v1/publicity",
                "/api/v1/publicity/x", "/api/v1/admin", "/api/v1/admin/a/b", "/admin", "/admin/", "/admin/x",
                "/administrator", "/app", "/app/x/y", "/static/x.css", "/static", "/staticx", "/login", "/login/x",
                "/other/api/x");
        for (String p : paths) {
            assertEquals(many.decide(p), few.decide(p), p);
        }
        assertEquals("/api/v1/public/*", few.decide("/api/v1/public/x").pattern(), "the longest base wins");
        assertEquals("/api/v1/*", few.decide("/api/v1/publicx").pattern());
    }
}
