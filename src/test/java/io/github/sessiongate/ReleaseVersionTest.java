package io.github.sessiongate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The version a release would publish: semver, {@code -SNAPSHOT} between releases; every sample
 * under {@code samples/} builds against this very version (a sample on an older one would test a
 * jar the checkout no longer makes); the README's install section names it; and {@code CHANGELOG.md}
 * has its section, dated once released.
 */
class ReleaseVersionTest {
    private static final Pattern SEMVER = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(-SNAPSHOT)?");
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
    private static final String GROUP = "io.github.sessiongate";
    private static final String ARTIFACT = "sessiongate";

    @Test
    void versionIsSemverWithSnapshotBetweenReleases() throws Exception {
        String version = libraryVersion();
        assertTrue(SEMVER.matcher(version).matches(),
                () -> "pom.xml's version " + version + " is not MAJOR.MINOR.PATCH, with -SNAPSHOT between releases");
    }

    @Test
    void everySampleDependsOnThisVersion() throws Exception {
        String version = libraryVersion();
        Map<Path, String> used = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Path pom : samplePoms()) {
            Document doc = parse(pom);
            Element project = doc.getDocumentElement();
            if ("pom".equals(child(project, "packaging"))) {
                continue; // an aggregator builds nothing against the library
            }
            List<String> declared = new ArrayList<>();
            NodeList dependencies = doc.getElementsByTagName("dependency");
            for (int i = 0; i < dependencies.getLength(); i++) {
                Element d = (Element) dependencies.item(i);
                if (GROUP.equals(child(d, "groupId")) && ARTIFACT.equals(child(d, "artifactId"))) {
                    declared.add(resolve(project, child(d, "version")));
                }
            }
            if (declared.isEmpty()) {
                problems.add(pom + " declares no dependency on " + GROUP + ":" + ARTIFACT);
            }
            for (String v : declared) {
                used.put(pom, v);
                if (!version.equals(v)) {
                    problems.add(pom + " depends on " + GROUP + ":" + ARTIFACT + ":" + v + ", the library is " + version
                            + ": set its sessiongate.version to " + version);
                }
            }
        }
        assertEquals(List.of(), problems);
        for (Path sample : List.of(Path.of("samples", "pom.xml"), Path.of("samples", "spring-boot", "pom.xml"),
                Path.of("samples", "spring-boot-3", "pom.xml"))) {
            assertTrue(used.containsKey(sample), () -> sample + " not checked: " + used);
        }
    }

    @Test
    void readmeInstallsThisVersion() throws Exception {
        String version = libraryVersion();
        String readme = Files.readString(Path.of("README.md"));
        List<String> named = new ArrayList<>();
        Matcher gradle = Pattern.compile(Pattern.quote(GROUP + ":" + ARTIFACT + ":") + "([^\"'`\\s]+)").matcher(readme);
        while (gradle.find()) {
            named.add(gradle.group(1));
        }
        Matcher maven = Pattern.compile("<artifactId>" + ARTIFACT + "</artifactId>\\s*<version>([^<]+)</version>").matcher(readme);
        while (maven.find()) {
            named.add(maven.group(1));
        }
        assertTrue(named.size() >= 2, () -> "README.md's Install section should give the Maven and Gradle coordinates: " + named);
        assertEquals(List.of(), named.stream().filter(v -> !v.equals(version)).toList(),
                "README.md names versions other than pom.xml's " + version);
    }

    @Test
    void changelogHasTheVersionsSection() throws Exception {
        String version = libraryVersion();
        String release = version.replace("-SNAPSHOT", "");
        Matcher heading = Pattern.compile("^## \\[" + Pattern.quote(release) + "] - (\\S+)\\s*$", Pattern.MULTILINE)
                .matcher(Files.readString(Path.of("CHANGELOG.md")));
        assertTrue(heading.find(), () -> "CHANGELOG.md has no section \"## [" + release + "] - unreleased\" (or dated)");
        if (version.equals(release)) {
            assertTrue(heading.group(1).matches("\\d{4}-\\d{2}-\\d{2}"),
                    () -> "release " + release + " without -SNAPSHOT: date its CHANGELOG.md section (YYYY-MM-DD), not "
                            + heading.group(1));
        }
    }

    /** The library's version, from the top-level pom.xml. */
    static String libraryVersion() throws Exception {
        Element project = parse(Path.of("pom.xml")).getDocumentElement();
        assertEquals(GROUP, child(project, "groupId"));
        assertEquals(ARTIFACT, child(project, "artifactId"));
        return child(project, "version");
    }

    private static List<Path> samplePoms() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("samples"))) {
            List<Path> poms = files.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> Stream.iterate(p.getParent(), q -> q != null, Path::getParent)
                            .noneMatch(q -> q.getFileName() != null
                                    && (q.getFileName().toString().equals("target") || q.getFileName().toString().startsWith("."))))
                    .sorted().toList();
            assertTrue(poms.size() >= 4, () -> "expected samples/pom.xml, samples/loadtest/pom.xml, samples/spring-boot/pom.xml"
                    + " and samples/spring-boot-3/pom.xml, found " + poms);
            return poms;
        }
    }

    /** A version as written, with {@code ${name}} taken from the pom's own properties or version. */
    private static String resolve(Element project, String written) {
        if (written == null) {
            return "(no version)";
        }
        Matcher m = PROPERTY.matcher(written);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = name.equals("project.version") ? child(project, "version") : property(project, name);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        return m.appendTail(out).toString();
    }

    /** A {@code <properties>} value of the top-level pom.xml, or null. */
    static String rootPomProperty(String name) throws Exception {
        return property(parse(Path.of("pom.xml")).getDocumentElement(), name);
    }

    private static String property(Element project, String name) {
        for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("properties")) {
                return child(e, name);
            }
        }
        return null;
    }

    /** The trimmed text of the direct child element with this name, or null. */
    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }
}
