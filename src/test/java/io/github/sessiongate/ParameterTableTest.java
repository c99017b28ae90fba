package io.github.sessiongate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's parameter tables and the {@code PARAM_*} constants in the code agree: every
 * init-param is in both, with the same default (where the code has a {@code DEFAULT_*} beside it
 * and the table states a literal), and the same range (where the code has {@code MIN_*}/{@code MAX_*}
 * beside it and the table states "A to B"). Fails with the whole list of mismatches.
 */
public class ParameterTableTest {
    private static final Path README = Paths.get("README.md");
    /** A table row: first cell holds one or more backticked names, second the default(s). */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*(`[^|]+?)\\s*\\|\\s*([^|]*?)\\s*\\|(.*)$");
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");
    /** An upper bound alone: "at most `10m`", "(≤ 5m)". */
    private static final Pattern AT_MOST = Pattern.compile("(?:at most|≤)\\s+`?([0-9][0-9,]*(?:ms|s|m|h|d)?)`?");
    private static final Pattern RANGE = Pattern.compile("`?([0-9][0-9,]*(?:ms|s|m|h|d)?)`?\\s+to\\s+`?([0-9][0-9,]*(?:ms|s|m|h|d)?)`?");

    /** Enum constants whose init-param word is not their name ({@code cookie-secure=true} is ALWAYS). */
    private static final Map<String, String> ENUM_WORDS = Map.of("ALWAYS", "true", "NEVER", "false");

    /** One row of the table, per name (a row "`a` / `b`" with "`x` / `y`" gives two). */
    record Documented(String name, String defaultCell, String meaning) {
    }

    /** One init-param in the code: its name, and the constants beside it. */
    public record Declared(String name, String owner, Object defaultValue, Object min, Object max) {
    }

    @Test
    void readmeTableAndConstantsAgree() throws Exception {
        Map<String, Documented> documented = documented(Files.readAllLines(README));
        Map<String, Declared> declared = declared();
        List<String> problems = new ArrayList<>();
        for (String name : declared.keySet()) {
            if (!documented.containsKey(name)) {
                problems.add(name + " (" + declared.get(name).owner() + "): in the code, missing from the README's parameter table");
            }
        }
        for (String name : documented.keySet()) {
            if (!declared.containsKey(name)) {
                problems.add(name + ": in the README's parameter table, no PARAM_* constant in the code");
            }
        }
        for (Declared d : declared.values()) {
            Documented doc = documented.get(d.name());
            if (doc == null) {
                continue;
            }
            Optional<String> literal = literal(doc.defaultCell());
            if (d.defaultValue() != null && literal.isPresent() && !same(d.defaultValue(), literal.get())) {
                problems.add(d.name() + ": README default " + literal.get() + ", code default " + show(d.defaultValue())
                        + " (" + d.owner() + ")");
            }
            Matcher range = RANGE.matcher(doc.meaning());
            boolean hasRange = range.find();
            range.reset();
            if (d.min() != null && d.max() != null && range.find()
                    && !(same(d.min(), range.group(1)) && same(d.max(), range.group(2)))) {
                problems.add(d.name() + ": README range " + range.group(1) + " to " + range.group(2) + ", code range "
                        + show(d.min()) + " to " + show(d.max()) + " (" + d.owner() + ")");
            }
            Matcher atMost = AT_MOST.matcher(doc.defaultCell() + " " + doc.meaning());
            if (d.max() != null && !hasRange && atMost.find() && !same(d.max(), atMost.group(1))) {
                problems.add(d.name() + ": README upper bound " + atMost.group(1) + ", code maximum " + show(d.max())
                        + " (" + d.owner() + ")");
            }
        }
        assertTrue(problems.isEmpty(), () -> problems.size() + " mismatch(es) between README.md and the code:\n  "
                + String.join("\n  ", problems));
    }

    @Test
    void theTableParserFindsTheKnownRows() throws IOException {
        Map<String, Documented> documented = documented(Files.readAllLines(README));
        assertTrue(documented.size() > 80, "found only " + documented.keySet());
        assertTrue(literal(documented.get(GateConfig.PARAM_CACHE_TTL).defaultCell()).orElseThrow().equals("2s"));
        assertTrue(documented.containsKey("meta-cookie-max-age"), "split rows: " + documented.keySet());
    }

    /** The rows of the tables under "## Parameters", by parameter name. */
    static Map<String, Documented> documented(List<String> lines) {
        Map<String, Documented> rows = new TreeMap<>();
        boolean inParameters = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inParameters = line.equals("## Parameters");
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (!inParameters || !m.matches()) {
                continue;
            }
            List<String> names = ticked(m.group(1));
            String[] defaults = m.group(2).split("\\s+/\\s+");
            for (int i = 0; i < names.size(); i++) {
                String cell = defaults.length == names.size() ? defaults[i] : m.group(2);
                rows.put(names.get(i), new Documented(names.get(i), cell.strip(), m.group(3)));
            }
        }
        return rows;
    }

    private static List<String> ticked(String cell) {
        List<String> out = new ArrayList<>();
        Matcher t = TICKED.matcher(cell);
        while (t.find()) {
            out.add(t.group(1));
        }
        return out;
    }

    /** The literal default a cell states ("`2s`", "`2s` (≤ 5m)"), if it states one. */
    static Optional<String> literal(String cell) {
        Matcher t = Pattern.compile("^`([^`]*)`").matcher(cell);
        return t.find() ? Optional.of(t.group(1)) : Optional.empty();
    }

    /** Every {@code PARAM_*} String constant in src/main's classes, with its DEFAULT_/MIN_/MAX_ neighbours. */
    public static Map<String, Declared> declared() throws Exception {
        Path root = Paths.get(GateConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (rel.endsWith(".class") && !rel.contains("module-info")) {
                    classes.add(Class.forName(rel.substring(0, rel.length() - 6).replace('/', '.'), false,
                            GateConfig.class.getClassLoader()));
                }
            }
        }
        Map<String, Declared> out = new TreeMap<>();
        for (Class<?> type : classes) {
            for (Field f : type.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (!Modifier.isStatic(mod) || !Modifier.isFinal(mod) || f.getType() != String.class
                        || !f.getName().startsWith("PARAM_")) {
                    continue;
                }
                f.setAccessible(true);
                String name = (String) f.get(null);
                String suffix = f.getName().substring("PARAM_".length());
                Declared d = new Declared(name, type.getSimpleName() + "." + f.getName(),
                        constant(type, "DEFAULT_" + suffix), constant(type, "MIN_" + suffix), constant(type, "MAX_" + suffix));
                // An alias (GateConfig.PARAM_PUBLIC_PATHS = PathRules.PARAM_PUBLIC_PATHS) keeps the one with most facts.
                out.merge(name, d, (a, b) -> facts(b) > facts(a) ? b : a);
            }
        }
        return out;
    }

    private static int facts(Declared d) {
        return (d.defaultValue() != null ? 2 : 0) + (d.min() != null ? 1 : 0);
    }

    private static Object constant(Class<?> type, String field) throws IllegalAccessException {
        try {
            Field f = type.getDeclaredField(field);
            if (!Modifier.isStatic(f.getModifiers())) {
                return null;
            }
            f.setAccessible(true);
            return f.get(null);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    /** Whether a code value and a README literal mean the same. */
    static boolean same(Object code, String readme) {
        String r = readme.strip();
        if (code instanceof Duration d) {
            try {
                return InitParams.parseDuration("readme", r).equals(d);
            } catch (ConfigException e) {
                return false;
            }
        }
        if (code instanceof Number n) {
            try {
                return Long.parseLong(r.replace(",", "")) == n.longValue();
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (code instanceof Enum<?> e) {
            if (ENUM_WORDS.containsKey(e.name())) {
                return ENUM_WORDS.get(e.name()).equals(r);
            }
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(r.toLowerCase(Locale.ROOT));
        }
        if (code instanceof Collection<?> c) {
            return c.isEmpty() ? r.equals("(none)") : String.join(" ", c.stream().map(String::valueOf).toList()).equals(r);
        }
        return String.valueOf(code).equals(r);
    }

    private static String show(Object value) {
        return value instanceof Duration d ? d.toString() : String.valueOf(value);
    }
}
