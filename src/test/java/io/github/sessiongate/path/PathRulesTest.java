package io.github.sessiongate.path;

import static io.github.sessiongate.path.PathRules.Access.PROTECTED;
import static io.github.sessiongate.path.PathRules.Access.PUBLIC;
import static io.github.sessiongate.path.PathRules.DEFAULT_PATTERN;
import static io.github.sessiongate.path.PathRules.PARAM_PROTECTED_PATHS;
import static io.github.sessiongate.path.PathRules.PARAM_PUBLIC_PATHS;
import static io.github.sessiongate.path.PathRules.PARAM_ROLE_RULES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.path.PathRules.Access;
import io.github.sessiongate.path.PathRules.Rule;
import io.github.sessiongate.testing.LogCapture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathRulesTest {

    /** Test-only builder so each test reads as the web.xml it stands for. */
    private static final class Config {
        List<String> protectedPaths = List.of();
        List<String> publicPaths = List.of();
        List<String> roleRules = List.of();
        Access defaultAccess = PUBLIC;
        List<String> alwaysPublic = List.of();

        Config protect(String... p) {
            protectedPaths = Arrays.asList(p);
            return this;
        }

        Config open(String... p) {
            publicPaths = Arrays.asList(p);
            return this;
        }

        Config roles(String... r) {
            roleRules = Arrays.asList(r);
            return this;
        }

        Config byDefault(Access a) {
            defaultAccess = a;
            return this;
        }

        Config always(String... p) {
            alwaysPublic = Arrays.asList(p);
            return this;
        }

        PathRules compile() {
            return PathRules.compile(protectedPaths, publicPaths, roleRules, defaultAccess, alwaysPublic);
        }
    }

    private static Config config() {
        return new Config();
    }

    private static void assertRule(Rule rule, Access access, String pattern, String... roles) {
        assertEquals(new Rule(access, Set.of(roles), pattern), rule);
    }

    private static ConfigException assertFails(String parameter, Config config) {
        ConfigException e = assertThrows(ConfigException.class, config::compile);
        assertEquals(parameter, e.parameter(), e.getMessage());
        assertTrue(e.getMessage().contains(parameter), e.getMessage());
        return e;
    }

    // --- exact ---------------------------------------------------------------------------------

    @Test
    void exactPatternMatchesOnlyThatPath() {
        PathRules rules = config().protect("/account").compile();
        assertRule(rules.decide("/account"), PROTECTED, "/account");
        assertRule(rules.decide("/accounts"), PUBLIC, DEFAULT_PATTERN);
        assertRule(rules.decide("/account/x"), PUBLIC, DEFAULT_PATTERN);
        assertRule(rules.decide("/Account"), PUBLIC, DEFAULT_PATTERN);
    }

    @Test
    void exactPatternAlsoCoversTrailingSlash() {
        PathRules rules = config().protect("/login").compile();
        assertRule(rules.decide("/login/"), PROTECTED, "/login");
    }

    @Test
    void exactPatternWrittenWithTrailingSlashCoversBothForms() {
        PathRules rules = config().protect("/account/").compile();
        assertRule(rules.decide("/account"), PROTECTED, "/account/");
        assertRule(rules.decide("/account/"), PROTECTED, "/account/");
    }

    @Test
    void rootExactPatternMatchesOnlyRoot() {
        PathRules rules = config().open("/").byDefault(PROTECTED).compile();
        assertRule(rules.decide("/"), PUBLIC, "/");
        assertRule(rules.decide("/x"), PROTECTED, DEFAULT_PATTERN);
    }

    // --- prefix --------------------------------------------------------------------------------

    @Test
    void prefixCoversItsBaseAndEverythingBelow() {
        PathRules rules = config().protect("/dashboard/*").compile();
        for (String path : List.of("/dashboard", "/dashboard/", "/dashboard/x", "/dashboard/x/y/z.css")) {
            assertRule(rules.decide(path), PROTECTED, "/dashboard/*");
        }
    }

    @Test
    void doubleStarPrefixMeansTheSameAsSingleStar() {
        PathRules rules = config().protect("/dashboard/**").compile();
        for (String path : List.of("/dashboard", "/dashboard/", "/dashboard/x", "/dashboard/x/y")) {
            assertRule(rules.decide(path), PROTECTED, "/dashboard/**");
        }
    }

    @Test
    void prefixMatchesOnSegmentBoundaryOnly() {
        PathRules rules = config().protect("/api/*").compile();
        assertRule(rules.decide("/api"), PROTECTED, "/api/*");
        assertRule(rules.decide("/api/"), PROTECTED, "/api/*");
        assertRule(rules.decide("/api/x"), PROTECTED, "/api/*");
        assertRule(rules.decide("/apix"), PUBLIC, DEFAULT_PATTERN);
        assertRule(rules.decide("/api-v2/x"), PUBLIC, DEFAULT_PATTERN);
        assertRule(rules.decide("/ap"), PUBLIC, DEFAULT_PATTERN);
        assertRule(rules.decide("/x/api/y"), PUBLIC, DEFAULT_PATTERN);
    }

    @Test
    void rootWildcardsCoverEveryPath() {
        for (String pattern : List.of("/*", "/**")) {
            PathRules rules = config().protect(pattern).compile();
            for (String path : List.of("/", "/x", "/x/", "/x/y.css")) {
                assertRule(rules.decide(path), PROTECTED, pattern);
            }
        }
    }

    @Test
    void longestPrefixWins() {
        PathRules rules = config().open("/docs/*").protect("/docs/internal/*").compile();
        assertRule(rules.decide("/docs/intro"), PUBLIC, "/docs/*");
        assertRule(rules.decide("/docs/internal"), PROTECTED, "/docs/internal/*");
        assertRule(rules.decide("/docs/internal/x"), PROTECTED, "/docs/internal/*");
        assertRule(rules.decide("/docs/internals"), PUBLIC, "/docs/*");
    }

    @Test
    void longerPrefixWinsOverRootWildcard() {
        PathRules rules = config().protect("/*").open("/static/*").compile();
        assertRule(rules.decide("/static/app.js"), PUBLIC, "/static/*");
        assertRule(rules.decide("/staticx"), PROTECTED, "/*");
        assertRule(rules.decide("/"), PROTECTED, "/*");
    }

    @Test
    void exactBeatsPrefix() {
        PathRules rules = config().protect("/dashboard/*").open("/dashboard/help").compile();
        assertRule(rules.decide("/dashboard/help"), PUBLIC, "/dashboard/help");
        assertRule(rules.decide("/dashboard/help/"), PUBLIC, "/dashboard/help");
        assertRule(rules.decide("/dashboard/help/x"), PROTECTED, "/dashboard/*");
    }

    // --- extension -----------------------------------------------------------------------------

    @Test
    void protectedExtensionProtectsUncoveredPathsUnderPublicDefault() {
        PathRules rules = config().protect("*.pdf").compile();
        assertRule(rules.decide("/report.pdf"), PROTECTED, "*.pdf");
        assertRule(rules.decide("/a/b/report.pdf"), PROTECTED, "*.pdf");
        assertRule(rules.decide("/a.b.pdf"), PROTECTED, "*.pdf");
        assertRule(rules.decide("/.pdf"), PROTECTED, "*.pdf");
    }

    @Test
    void extensionIsMatchedCaseInsensitively() {
        PathRules rules = config().protect("*.PDF").compile();
        assertRule(rules.decide("/report.pdf"), PROTECTED, "*.PDF");
        assertRule(rules.decide("/report.Pdf"), PROTECTED, "*.PDF");
    }

    @Test
    void extensionIsMatchedOnTheLastSegmentOnly() {
        PathRules rules = config().protect("*.pdf").compile();
        assertRule(rules.decide("/a.pdf/b"), PUBLIC, DEFAULT_PATTERN);
        assertRule(rules.decide("/report.pdfx"), PUBLIC, DEFAULT_PATTERN);
        assertRule(rules.decide("/reportpdf"), PUBLIC, DEFAULT_PATTERN);
        assertRule(rules.decide("/report."), PUBLIC, DEFAULT_PATTERN);
    }

    @Test
    void extensionAlsoCoversOneTrailingSlash() {
        // Some frameworks route /report.pdf/ to the same handler as /report.pdf: fail closed.
        PathRules rules = config().protect("*.pdf").compile();
        assertRule(rules.decide("/report.pdf/"), PROTECTED, "*.pdf");
        assertRule(rules.decide("/a/report.PDF/"), PROTECTED, "*.pdf");
        assertRule(rules.decide("/report./"), PUBLIC, DEFAULT_PATTERN);
        assertRule(rules.decide("/pdf/"), PUBLIC, DEFAULT_PATTERN);
        assertRule(rules.decide("/"), PUBLIC, DEFAULT_PATTERN);
    }

    @Test
    void prefixBeatsExtension() {
        PathRules rules = config().open("/static/*").protect("*.pdf").compile();
        assertRule(rules.decide("/static/manual.pdf"), PUBLIC, "/static/*");
        assertRule(rules.decide("/manual.pdf"), PROTECTED, "*.pdf");
    }

    @Test
    void exactBeatsExtension() {
        PathRules rules = config().open("/terms.pdf").protect("*.pdf").compile();
        assertRule(rules.decide("/terms.pdf"), PUBLIC, "/terms.pdf");
    }

    @Test
    void publicExtensionNeverOpensPathUnderProtectedPrefix() {
        PathRules rules = config().protect("/dashboard/*").open("*.css").compile();
        assertRule(rules.decide("/dashboard/x.css"), PROTECTED, "/dashboard/*");
        assertRule(rules.decide("/x.css"), PUBLIC, "*.css");
    }

    @Test
    void publicExtensionHasNoEffectUnderProtectedDefault() {
        PathRules rules = config().open("*.css").byDefault(PROTECTED).compile();
        assertRule(rules.decide("/x.css"), PROTECTED, DEFAULT_PATTERN);
        assertRule(rules.decide("/dashboard/x.css"), PROTECTED, DEFAULT_PATTERN);
    }

    @Test
    void publicExtensionUnderProtectedDefaultLogsOneWarningSuggestingAPrefix() {
        String log = captureStandardError(() ->
                config().open("*.css", "*.js", "/static/*").byDefault(PROTECTED).compile());
        assertEquals(1, log.split("have no effect", -1).length - 1, log);
        assertTrue(log.contains("WARN"), log);
        assertTrue(log.contains("*.css, *.js"), log);
        assertTrue(log.contains("/static/*"), log);
    }

    @Test
    void publicExtensionUnderPublicDefaultLogsNothing() {
        String log = captureStandardError(() -> config().open("*.css").compile());
        assertFalse(log.contains("have no effect"), log);
    }

    @Test
    void protectedExtensionUnderProtectedDefaultIsAllowed() {
        PathRules rules = config().protect("*.pdf").byDefault(PROTECTED).compile();
        assertRule(rules.decide("/x.pdf"), PROTECTED, "*.pdf");
    }

    // --- role rules ----------------------------------------------------------------------------

    @Test
    void roleRuleImpliesProtectedWithAnyOfItsRoles() {
        PathRules rules = config().roles("/admin/*=admin", "/ops/**=ops|admin").compile();
        assertRule(rules.decide("/admin/users"), PROTECTED, "/admin/*", "admin");
        Rule ops = rules.decide("/ops");
        assertRule(ops, PROTECTED, "/ops/**", "ops", "admin");
        assertEquals(List.of("ops", "admin"), new ArrayList<>(ops.anyOfRoles()));
    }

    @Test
    void roleRuleWorksForExactAndExtensionPatterns() {
        PathRules rules = config().roles("/metrics=ops", "*.bak=admin").compile();
        assertRule(rules.decide("/metrics/"), PROTECTED, "/metrics", "ops");
        assertRule(rules.decide("/db.BAK"), PROTECTED, "*.bak", "admin");
    }

    @Test
    void samePatternInProtectedPathsAndRoleRulesMergesIntoTheRoleRule() {
        PathRules rules = config().protect("/admin/*").roles("/admin/**=admin").compile();
        assertRule(rules.decide("/admin/x"), PROTECTED, "/admin/**", "admin");
        assertTrue(rules.describe().contains("protected: none"), rules.describe());
    }

    @Test
    void samePatternTwiceWithSameRolesIsHarmless() {
        PathRules rules = config().roles("/a/*=x|y", "/a/*=y|x").compile();
        assertRule(rules.decide("/a/b"), PROTECTED, "/a/*", "x", "y");
    }

    @Test
    void samePatternTwiceInRoleRulesWithDifferentRolesFails() {
        assertFails(PARAM_ROLE_RULES, config().roles("/a/*=x", "/a/*=y"));
        assertFails(PARAM_ROLE_RULES, config().roles("/a/*=x", "/a/**=x|y"));
    }

    @Test
    void samePatternInPublicAndProtectedFailsNamingPublicPaths() {
        ConfigException e = assertFails(PARAM_PUBLIC_PATHS, config().protect("/a/*").open("/a/*"));
        assertTrue(e.getMessage().contains(PARAM_PROTECTED_PATHS), e.getMessage());
    }

    @Test
    void samePatternInPublicAndRoleRulesFailsNamingPublicPaths() {
        ConfigException e = assertFails(PARAM_PUBLIC_PATHS, config().roles("/a/*=x").open("/a/*"));
        assertTrue(e.getMessage().contains(PARAM_ROLE_RULES), e.getMessage());
    }

    @Test
    void equivalentSpellingsCountAsTheSamePattern() {
        assertFails(PARAM_PUBLIC_PATHS, config().protect("/a/*").open("/a/**"));
        assertFails(PARAM_PUBLIC_PATHS, config().protect("/a").open("/a/"));
        assertFails(PARAM_PUBLIC_PATHS, config().protect("*.pdf").open("*.PDF"));
    }

    @Test
    void duplicatesWithinOneListAreHarmless() {
        PathRules rules = config().protect("/a/*", "/a/**").open("/b", "/b").compile();
        assertRule(rules.decide("/a/x"), PROTECTED, "/a/*");
        assertRule(rules.decide("/b"), PUBLIC, "/b");
    }

    // --- always public -------------------------------------------------------------------------

    @Test
    void alwaysPublicPathsWinOverEveryRule() {
        PathRules rules = config().protect("/*", "*.html").roles("/auth/*=admin").byDefault(PROTECTED)
                .always("/auth/login", "/login.html").compile();
        assertRule(rules.decide("/auth/login"), PUBLIC, "/auth/login");
        assertRule(rules.decide("/auth/login/"), PUBLIC, "/auth/login");
        assertRule(rules.decide("/auth/login/x"), PROTECTED, "/auth/*", "admin");
        assertRule(rules.decide("/auth/other"), PROTECTED, "/auth/*", "admin");
        assertRule(rules.decide("/login.html"), PUBLIC, "/login.html");
    }

    @Test
    void alwaysPublicPathListedAsProtectedExactPatternFails() {
        assertFails(PARAM_PROTECTED_PATHS, config().protect("/login").always("/login"));
        assertFails(PARAM_PROTECTED_PATHS, config().protect("/login/").always("/login"));
    }

    @Test
    void alwaysPublicPathListedAsExactRoleRuleFails() {
        assertFails(PARAM_ROLE_RULES, config().roles("/login=admin").always("/login"));
    }

    @Test
    void alwaysPublicPathListedInPublicPathsIsFine() {
        PathRules rules = config().open("/login").always("/login").compile();
        assertEquals(PUBLIC, rules.decide("/login").access());
    }

    @Test
    void alwaysPublicPathCoveredOnlyByAProtectedPrefixIsFine() {
        PathRules rules = config().protect("/auth/*").always("/auth/login").compile();
        assertEquals(PUBLIC, rules.decide("/auth/login").access());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/auth/*", "*.html", "login", "", "/a//b", "/a;b"})
    void alwaysPublicPathMustBeAnExactPath(String path) {
        Config c = config().always(path);
        assertThrows(IllegalArgumentException.class, c::compile);
    }

    // --- default -------------------------------------------------------------------------------

    @Test
    void defaultAccessDecidesUncoveredPaths() {
        assertRule(config().compile().decide("/x"), PUBLIC, DEFAULT_PATTERN);
        Rule rule = config().byDefault(PROTECTED).compile().decide("/x");
        assertRule(rule, PROTECTED, DEFAULT_PATTERN);
        assertTrue(rule.anyOfRoles().isEmpty());
    }

    @Test
    void decideReturnsSharedPrecomputedRules() {
        PathRules rules = config().protect("/a/*").compile();
        assertSame(rules.decide("/a/x"), rules.decide("/a/y"));
        assertSame(rules.decide("/b"), rules.decide("/c"));
    }

    // --- bad patterns --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "*", "**", "/a*", "/*.css", "/a/*/b", "/**/a", "/a/***", "/a/b*", "a/b", "admin", "..", ".",
        "/a/../b", "/..", "/a/./b", "/a/.", "/a//b", "//", "//*", "/a//*", "/a;b", "/a;jsessionid=x", "/a\\b",
        "/caf%C3%A9", "/a%2f", "*.", "*.c*", "*.tar.gz", "*./x", "*.css/", "/a b", "/a\u0000", "/a\r\n",
        "/a\u202e", "/a\u200b", "/a\ud800", "/a?x=1", "/a#b", "/a=b", "~/a", "http://x/a",
    })
    void badPatternFailsNamingTheParameter(String pattern) {
        assertFails(PARAM_PROTECTED_PATHS, config().protect(pattern));
        assertFails(PARAM_PUBLIC_PATHS, config().open(pattern));
        assertFails(PARAM_ROLE_RULES, config().roles(pattern + "=admin"));
    }

    @Test
    void emptyOrNullPatternFails() {
        assertFails(PARAM_PROTECTED_PATHS, config().protect(""));
        assertFails(PARAM_PUBLIC_PATHS, config().open((String) null));
        assertFails(PARAM_ROLE_RULES, config().roles("=admin"));
        assertFails(PARAM_ROLE_RULES, config().roles((String) null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin/*", "/admin/*=", "/a/*=x||y", "/a/*=|x", "/a/*=x|", "/a/*=x=y",
        "/a/*=x y", "/a/*=x,y", "/a/*=x\u0000", "/a/*=x;y", "|", "admin"})
    void badRoleRuleFails(String item) {
        assertFails(PARAM_ROLE_RULES, config().roles(item));
    }

    @Test
    void roleRuleSplitByInitParamsAroundSpacesFailsInsteadOfDroppingRoles() {
        // "ops | admin" in web.xml splits into three items; the stray ones must not pass silently.
        assertFails(PARAM_ROLE_RULES, config().roles(InitParams.split("/ops/*=ops | admin").toArray(new String[0])));
    }

    @Test
    void errorMessageNeverEchoesControlCharacters() {
        ConfigException e = assertFails(PARAM_PROTECTED_PATHS, config().protect("/a\r\nX-Injected: 1"));
        assertFalse(e.getMessage().contains("\r") || e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void nullArgumentsAreRefused() {
        assertThrows(NullPointerException.class,
                () -> PathRules.compile(null, List.of(), List.of(), PUBLIC, List.of()));
        assertThrows(NullPointerException.class,
                () -> PathRules.compile(List.of(), List.of(), List.of(), null, List.of()));
        assertThrows(NullPointerException.class, () -> config().compile().decide(null));
    }

    // --- odd request paths ---------------------------------------------------------------------

    @Test
    void nonAsciiPatternsMatchDecodedPaths() {
        PathRules rules = config().protect("/caf\u00e9/*").compile();
        assertRule(rules.decide("/caf\u00e9/menu"), PROTECTED, "/caf\u00e9/*");
        assertRule(rules.decide("/cafe/menu"), PUBLIC, DEFAULT_PATTERN);
    }

    @Test
    void prefixAndExactMatchingIsCaseSensitive() {
        PathRules rules = config().protect("/Admin/*").compile();
        assertRule(rules.decide("/admin/x"), PUBLIC, DEFAULT_PATTERN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "/", "//", "/a/../admin", "/admin;x", "/\u0000", "/.", "*", "/admin%2f"})
    void oddPathsNeverThrowAndFallBackSafely(String path) {
        PathRules rules = config().protect("/admin/*").byDefault(PROTECTED).compile();
        assertEquals(PROTECTED, rules.decide(path).access());
    }

    @Test
    void veryLongPathIsDecidedWithoutTrouble() {
        PathRules rules = config().protect("/a/*").open("/a/b/*").compile();
        String deep = "/a/b" + "/x".repeat(50_000);
        assertRule(rules.decide(deep), PUBLIC, "/a/b/*");
        assertRule(rules.decide("/z" + "/x".repeat(50_000)), PUBLIC, DEFAULT_PATTERN);
    }

    // --- Rule and describe() -------------------------------------------------------------------

    @Test
    void publicRuleTakesNoRolesAndRolesAreImmutable() {
        assertThrows(IllegalArgumentException.class, () -> new Rule(PUBLIC, Set.of("x"), "/a"));
        Rule rule = new Rule(PROTECTED, Set.of("x"), "/a");
        assertThrows(UnsupportedOperationException.class, () -> rule.anyOfRoles().add("y"));
    }

    @Test
    void describeSummarisesEveryRuleOnOneLine() {
        PathRules rules = config()
                .open("/", "/static/**", "*.css")
                .protect("/dashboard/*")
                .roles("/admin/*=admin", "/ops/**=ops|admin")
                .byDefault(PROTECTED)
                .always("/login", "/sessiongate/refresh")
                .compile();
        String d = rules.describe();
        assertEquals("default-access=protected; always public: /login, /sessiongate/refresh;"
                + " public: /, /static/**, *.css (no effect); protected: /dashboard/*;"
                + " role rules: /admin/*=admin, /ops/**=ops|admin", d);
        assertFalse(d.contains("\n"));
        assertTrue(rules.toString().contains(d));
    }

    @Test
    void describeSaysNoneForEmptyLists() {
        assertEquals("default-access=public; public: none; protected: none; role rules: none",
                config().compile().describe());
    }

    private static String captureStandardError(Runnable action) {
        try (LogCapture capture = new LogCapture()) {
            action.run();
            return capture.text();
        }
    }
}
