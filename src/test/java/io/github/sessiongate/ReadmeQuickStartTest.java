package io.github.sessiongate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Quick start stays true as the code moves: it is the first section, every
 * {@code <param-name>} its web.xml sets is an init-param the code declares (a renamed parameter
 * would otherwise fail a reader's start-up), and the jars and SLF4J provider it names carry the
 * versions pom.xml builds with. {@link ParameterTableTest} keeps the reference
 * tables in step; {@link ReleaseVersionTest} the library's own coordinates.
 */
class ReadmeQuickStartTest {
    private static final Pattern PARAM_NAME = Pattern.compile("<param-name>([^<]+)</param-name>");

    @Test
    void quickStartIsTheFirstSection() throws Exception {
        String first = readme().lines().filter(l -> l.startsWith("## ")).findFirst().orElse("(none)");
        assertEquals("## Quick start", first);
    }

    @Test
    void everyQuickStartParamNameIsAnInitParam() throws Exception {
        Set<String> declared = ParameterTableTest.declared().keySet();
        List<String> unknown = new ArrayList<>();
        Matcher m = PARAM_NAME.matcher(quickStart());
        int seen = 0;
        while (m.find()) {
            seen++;
            if (!declared.contains(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        assertTrue(seen >= 6, "the Quick start's web.xml has at least six init-params; found " + seen);
        assertEquals(List.of(), unknown, "Quick start <param-name>s that no PARAM_* constant declares");
    }

    @Test
    void namedJarsHaveTheBuildsVersions() throws Exception {
        String readme = quickStart();
        String slf4j = ReleaseVersionTest.rootPomProperty("slf4j.version");
        List<String> problems = new ArrayList<>();
        expect(readme, "<artifactId>slf4j-jdk14</artifactId>\\s*<version>([^<]+)</version>", slf4j, problems);
        expect(readme, "org\\.slf4j:slf4j-jdk14:([^\"'`\\s]+)", slf4j, problems);
        expect(readme, "`slf4j-jdk14-([^`]+)\\.jar`", slf4j, problems);
        expect(readme, "`slf4j-api-([^`]+)\\.jar`", slf4j, problems);
        expect(readme, "`jose4j-([^`]+)\\.jar`", ReleaseVersionTest.rootPomProperty("jose4j.version"), problems);
        expect(readme, "`sessiongate-([^`]+)\\.jar`", ReleaseVersionTest.libraryVersion(), problems);
        assertEquals(List.of(), problems);
    }

    /** Every match of {@code regex} (at least one) names {@code version} in its first group. */
    private static void expect(String readme, String regex, String version, List<String> problems) {
        Matcher m = Pattern.compile(regex).matcher(readme);
        boolean found = false;
        while (m.find()) {
            found = true;
            if (!m.group(1).equals(version)) {
                problems.add(m.group() + ": pom.xml builds with " + version);
            }
        }
        if (!found) {
            problems.add("no match for " + regex + " in the Quick start");
        }
    }

    private static String readme() throws Exception {
        return Files.readString(Path.of("README.md"));
    }

    /** From "## Quick start" to the next top-level section. */
    private static String quickStart() throws Exception {
        String readme = readme();
        int start = readme.indexOf("\n## Quick start\n");
        assertTrue(start >= 0, "README.md has no \"## Quick start\" section");
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }
}
