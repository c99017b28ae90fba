package io.github.sessiongate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Spring Boot configuration metadata (IDE completion for {@code sessiongate.*} properties) lists
 * exactly the init-params the code declares ({@code PARAM_*} constants, as {@link ParameterTableTest}
 * finds them), each under the {@code sessiongate.} prefix with a description; and the files that let
 * Spring find the integration name classes that exist.
 */
class SpringMetadataTest {
    private static final Path METADATA = Path.of("src/main/resources/META-INF/spring-configuration-metadata.json");
    /** One property object: its name, then (before the next object) its description. */
    private static final Pattern PROPERTY = Pattern.compile(
            "\\{\\s*\"name\":\\s*\"sessiongate\\.([^\"]+)\",\\s*\"type\":\\s*\"java\\.lang\\.String\",\\s*\"description\":\\s*\"([^\"]*)\"");

    @Test
    void metadataListsExactlyTheDeclaredParameters() throws Exception {
        String json = Files.readString(METADATA);
        Set<String> listed = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        Matcher m = PROPERTY.matcher(json);
        while (m.find()) {
            if (!listed.add(m.group(1))) {
                problems.add("sessiongate." + m.group(1) + " listed twice");
            }
            if (m.group(2).isBlank()) {
                problems.add("sessiongate." + m.group(1) + " has no description");
            }
        }
        Set<String> declared = ParameterTableTest.declared().keySet();
        for (String name : declared) {
            if (!listed.contains(name)) {
                problems.add("sessiongate." + name + ": a PARAM_* constant, missing from " + METADATA);
            }
        }
        for (String name : listed) {
            if (!declared.contains(name)) {
                problems.add("sessiongate." + name + ": in " + METADATA + ", no PARAM_* constant in the code");
            }
        }
        assertEquals(List.of(), problems, "regenerate the file from the README's tables with .ci/spring-metadata");
        assertEquals(countOf(json, "\"name\": \"sessiongate."), listed.size(), "every property object parsed");
    }

    @Test
    void springFindsTheIntegrationByClassNamesThatExist() throws Exception {
        List<String> imports = Files.readAllLines(Path.of(
                "src/main/resources/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"));
        assertEquals(List.of("io.github.sessiongate.spring.SessionGateAutoConfiguration"), imports);
        String factories = Files.readString(Path.of("src/main/resources/META-INF/spring.factories"));
        assertTrue(factories.startsWith(
                "org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer=\\\n"
                        + "  io.github.sessiongate.spring.SessionGateHttpConfigurer\n"), factories);
        Class.forName(imports.get(0), false, getClass().getClassLoader());
        Class.forName("io.github.sessiongate.spring.SessionGateHttpConfigurer", false, getClass().getClassLoader());
    }

    private static long countOf(String text, String part) {
        return Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
    }
}
