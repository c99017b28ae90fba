package io.github.sessiongate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InitParamsTest {
    private static final Map<String, String> ENV = Map.of("SG_SECRET", "from-env");
    private static final Map<String, String> SYS = Map.of("sg.url", "https://idp.example");

    private static InitParams params(Map<String, String> raw) {
        return InitParams.resolve(raw, ENV::get, SYS::get);
    }

    @Test
    void environmentAndSystemPropertyReferencesAreResolved() {
        InitParams p = params(Map.of("jwt.secret", "${env:SG_SECRET}", "jwt.jwks-url", "${sys:sg.url}/jwks.json"));
        assertEquals("from-env", p.get("jwt.secret").orElseThrow());
        assertEquals("https://idp.example/jwks.json", p.get("jwt.jwks-url").orElseThrow());
    }

    @Test
    void missingReferenceFailsNamingTheParameterButNotAValue() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> params(Map.of("jwt.secret", "${env:NOT_SET}")));
        assertEquals("jwt.secret", e.parameter());
        assertTrue(e.getMessage().contains("NOT_SET"));
    }

    @Test
    void resolvedValueIsNotReinterpretedAsAReference() {
        Map<String, String> env = Map.of("A", "${env:B}", "B", "secret");
        InitParams p = InitParams.resolve(Map.of("x", "${env:A}"), env::get, SYS::get);
        assertEquals("${env:B}", p.get("x").orElseThrow());
    }

    @Test
    void blankValuesCountAsAbsent() {
        assertTrue(params(Map.of("x", "   ")).get("x").isEmpty());
    }

    @Test
    void unreadParametersAreReportedSoTyposFailStartUp() {
        InitParams p = params(Map.of("protected-paths", "/a", "protcted-paths", "/b"));
        p.list("protected-paths");
        assertEquals(Set.of("protcted-paths"), p.unread());
    }

    @Test
    void typedGettersNameTheParameterOnBadValues() {
        InitParams p = params(Map.of("b", "yes", "n", "12x", "d", "ten", "c", "maybe"));
        assertEquals("b", assertThrows(ConfigException.class, () -> p.bool("b", false)).parameter());
        assertEquals("n", assertThrows(ConfigException.class, () -> p.number("n", 1, 0, 100)).parameter());
        assertEquals("d", assertThrows(ConfigException.class,
                () -> p.duration("d", Duration.ZERO, Duration.ZERO, Duration.ofDays(1))).parameter());
        assertEquals("c", assertThrows(ConfigException.class, () -> p.choice("c", "a", "a", "b")).parameter());
    }

    @Test
    void numbersOutsideTheirBoundsFail() {
        assertThrows(ConfigException.class, () -> params(Map.of("n", "101")).number("n", 1, 0, 100));
    }

    @Test
    void durationsAcceptSecondsSuffixesAndIso() {
        InitParams p = params(Map.of("a", "30", "b", "500ms", "c", "5m", "d", "PT2H", "e", "7d"));
        Duration max = Duration.ofDays(30);
        assertEquals(Duration.ofSeconds(30), p.duration("a", Duration.ZERO, Duration.ZERO, max));
        assertEquals(Duration.ofMillis(500), p.duration("b", Duration.ZERO, Duration.ZERO, max));
        assertEquals(Duration.ofMinutes(5), p.duration("c", Duration.ZERO, Duration.ZERO, max));
        assertEquals(Duration.ofHours(2), p.duration("d", Duration.ZERO, Duration.ZERO, max));
        assertEquals(Duration.ofDays(7), p.duration("e", Duration.ZERO, Duration.ZERO, max));
    }

    @Test
    void listsSplitOnCommasAndWhitespace() {
        assertEquals(List.of("/a", "/b/*", "*.css"), params(Map.of("l", " /a,/b/*\n\t *.css ,")).list("l"));
    }

    @Test
    void booleansAreCaseInsensitiveAndDefaulted() {
        InitParams p = params(Map.of("t", "TRUE"));
        assertTrue(p.bool("t", false));
        assertFalse(p.bool("absent", false));
    }

    @Test
    void toStringListsNamesButNoValue() {
        String s = params(Map.of("jwt.secret", "s3cr3t-value")).toString();
        assertTrue(s.contains("jwt.secret"));
        assertFalse(s.contains("s3cr3t"));
    }
}
