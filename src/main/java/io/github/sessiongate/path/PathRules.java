package io.github.sessiongate.path;

import io.github.sessiongate.ConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which normalised request paths (see {@link RequestPaths}) are public, protected, or protected
 * and gated by roles. Compiled once at start-up from the filter's init-params; {@link #decide} is a
 * few hash lookups per request.
 *
 * <pre>{@code
 * <init-param><param-name>public-paths</param-name><param-value>/ /static/** *.ico</param-value></init-param>
 * <init-param><param-name>protected-paths</param-name><param-value>/dashboard/*</param-value></init-param>
 * <init-param><param-name>role-rules</param-name><param-value>/admin/*=admin, /ops/**=ops|admin</param-value></init-param>
 * <init-param><param-name>default-access</param-name><param-value>protected</param-value></init-param>
 * }</pre>
 *
 * <p><b>Pattern forms</b> (the only ones accepted; anything else fails start-up with a
 * {@link ConfigException} naming the parameter):
 * <ul>
 *   <li>exact: {@code /login}. It also covers the same path with one trailing slash
 *       ({@code /login/}); writing {@code /login/} means the same as {@code /login}.</li>
 *   <li>prefix: {@code /dashboard/*} or {@code /dashboard/**} (the same thing): {@code /dashboard}
 *       itself and everything below it, on segment boundaries only, so {@code /api/*} covers
 *       {@code /api}, {@code /api/} and {@code /api/x} but never {@code /apix}. {@code /*} and
 *       {@code /**} cover every path.</li>
 *   <li>extension: {@code *.css}: paths whose last segment ends in {@code .css} (ignoring one
 *       trailing slash, as for an exact rule, so {@code /a.css/} counts too). The extension is
 *       one non-empty word without {@code .}, matched case-insensitively (so a protected
 *       {@code *.pdf} also covers {@code /a.PDF}, as a case-insensitive file system would serve
 *       it).</li>
 * </ul>
 * Patterns are decoded paths, matched case-sensitively (exact and prefix) as the Servlet
 * specification does. A pattern must start with {@code /} or {@code *.}; it must not contain a
 * {@code *} anywhere else, a {@code .} or {@code ..} segment, an empty segment ({@code //}),
 * {@code ;}, {@code \}, {@code %} (write {@code /café}, not {@code /caf%C3%A9}), {@code ?},
 * {@code #}, {@code =}, whitespace, or a control or invisible character: such a pattern could
 * never match a path that {@link RequestPaths} accepts, so it is a mistake.
 *
 * <p><b>Precedence</b>: the most specific rule wins: the filter's always-public paths, then an
 * exact rule, then the longest prefix, then an extension, then {@code default-access}.
 * <ul>
 *   <li>An extension rule decides only for paths that no exact or prefix rule covers. A public
 *       extension rule never opens a path that would otherwise be protected: under a protected
 *       {@code /dashboard/*} or under {@code default-access=protected}, a public {@code *.css}
 *       leaves {@code /dashboard/x.css} protected. With a protected default a public extension
 *       rule therefore has no effect (start-up logs a WARN; use a public prefix such as
 *       {@code /static/*}). A protected extension rule does protect the paths no prefix covers,
 *       even under a public default.</li>
 *   <li>A role rule ({@code pattern=role} or {@code pattern=role1|role2}) makes the pattern
 *       protected and requires at least one of the roles. The same pattern in
 *       {@code protected-paths} and {@code role-rules} merges into the role rule. The same pattern
 *       in {@code public-paths} and in {@code protected-paths} or {@code role-rules} fails
 *       ({@code public-paths} is named), as does the same pattern twice in {@code role-rules}
 *       with different roles. {@code /a/*} and {@code /a/**} count as the same pattern, as do
 *       {@code /a} and {@code /a/}.</li>
 *   <li>The filter's always-public exact paths (its login page and its own endpoints), and their
 *       trailing-slash forms, are public whatever the rules say; listing one as an exact pattern
 *       in {@code protected-paths} or {@code role-rules} fails.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class PathRules {
    private static final Logger LOG = LoggerFactory.getLogger(PathRules.class);

    /** Init-param: patterns that need an authenticated user. */
    public static final String PARAM_PROTECTED_PATHS = io.github.sessiongate.GateConfig.PARAM_PROTECTED_PATHS;
    /** Init-param: patterns open to anyone. */
    public static final String PARAM_PUBLIC_PATHS = io.github.sessiongate.GateConfig.PARAM_PUBLIC_PATHS;
    /** Init-param: {@code pattern=role1|role2} items. */
    public static final String PARAM_ROLE_RULES = io.github.sessiongate.GateConfig.PARAM_ROLE_RULES;
    /** {@link Rule#pattern()} when no pattern matched and {@code default-access} decided. */
    public static final String DEFAULT_PATTERN = "(default)";

    /** Whether a path needs an authenticated user. */
    public enum Access { PUBLIC, PROTECTED }

    /**
     * A decision: access, the roles of which the user needs at least one (empty = any
     * authenticated user), and the pattern that decided ({@value #DEFAULT_PATTERN} when none).
     */
    public record Rule(Access access, Set<String> anyOfRoles, String pattern) {
        /** Copies the roles (keeping their order); a public rule takes no roles. */
        public Rule {
            Objects.requireNonNull(access, "access");
            Objects.requireNonNull(pattern, "pattern");
            anyOfRoles = Collections.unmodifiableSet(new LinkedHashSet<>(
                    Objects.requireNonNull(anyOfRoles, "anyOfRoles")));
            if (access == Access.PUBLIC && !anyOfRoles.isEmpty()) {
                throw new IllegalArgumentException("a public rule takes no roles");
            }
        }
    }

    private enum Kind { EXACT, PREFIX, EXTENSION }

    /** What a pattern matches, so that equivalent spellings ({@code /a/*}, {@code /a/**}) meet. */
    private record Key(Kind kind, String value) {
    }

    /** One pattern while compiling. */
    private static final class Entry {
        final Key key;
        final String text;
        final Access access;
        final Set<String> roles;
        final String parameter;

        Entry(Key key, String text, Access access, Set<String> roles, String parameter) {
            this.key = key;
            this.text = text;
            this.access = access;
            this.roles = roles;
            this.parameter = parameter;
        }
    }

    private final Rule defaultRule;
    /** Exact paths and their trailing-slash forms, always-public paths included. */
    private final Map<String, Rule> exact;
    /** Prefix bases without the trailing slash ({@code ""} for {@code /*}). */
    private final Map<String, Rule> prefixes;
    private final int longestPrefix;
    /**
     * The prefix bases longest first, and their rules, when there are few ({@link #FEW_PREFIXES}):
     * then a request walks them with {@code startsWith}, making no substring per '/' of its path.
     * {@code null} with more (then each '/' costs one map lookup of a substring).
     */
    private final String[] bases;
    private final Rule[] baseRules;
    static final int FEW_PREFIXES = 16;
    /** Lower-case extensions; public ones only when they can take effect. */
    private final Map<String, Rule> extensions;
    private final String description;

    private PathRules(Rule defaultRule, Map<String, Rule> exact, Map<String, Rule> prefixes,
            Map<String, Rule> extensions, String description) {
        this.defaultRule = defaultRule;
        this.exact = exact;
        this.prefixes = prefixes;
        this.extensions = extensions;
        this.longestPrefix = prefixes.keySet().stream().mapToInt(String::length).max().orElse(-1);
        if (prefixes.size() <= FEW_PREFIXES) {
            this.bases = prefixes.keySet().stream().sorted(java.util.Comparator.comparingInt(String::length).reversed())
                    .toArray(String[]::new);
            this.baseRules = java.util.Arrays.stream(bases).map(prefixes::get).toArray(Rule[]::new);
        } else {
            this.bases = null;
            this.baseRules = null;
        }
        this.description = description;
    }

    /**
     * Compiles the rules.
     *
     * @param protectedPatterns value of init-param "protected-paths" already split
     * @param publicPatterns    "public-paths"
     * @param roleRules         "role-rules" already split into items like "/admin/*=admin" or
     *                          "/ops/**=ops|admin"
     * @param defaultAccess     "default-access"
     * @param alwaysPublic      exact paths the filter forces public (login page, the filter's own
     *                          endpoints)
     * @throws ConfigException naming the parameter ("protected-paths", "public-paths",
     *         "role-rules") on any bad pattern or conflict
     * @throws IllegalArgumentException when an always-public path is not an exact path
     */
    public static PathRules compile(List<String> protectedPatterns, List<String> publicPatterns,
            List<String> roleRules, Access defaultAccess, List<String> alwaysPublic) {
        Objects.requireNonNull(protectedPatterns, "protectedPatterns");
        Objects.requireNonNull(publicPatterns, "publicPatterns");
        Objects.requireNonNull(roleRules, "roleRules");
        Objects.requireNonNull(defaultAccess, "defaultAccess");
        Objects.requireNonNull(alwaysPublic, "alwaysPublic");

        Map<Key, Entry> entries = new LinkedHashMap<>();
        for (String item : roleRules) {
            addRoleRule(entries, item);
        }
        for (String pattern : protectedPatterns) {
            Key key = parsePattern(PARAM_PROTECTED_PATHS, pattern);
            // Already a role rule: the role rule absorbs it. Already protected: a duplicate.
            entries.putIfAbsent(key, new Entry(key, pattern, Access.PROTECTED, Set.of(), PARAM_PROTECTED_PATHS));
        }
        for (String pattern : publicPatterns) {
            Key key = parsePattern(PARAM_PUBLIC_PATHS, pattern);
            Entry existing = entries.get(key);
            if (existing != null && existing.access == Access.PROTECTED) {
                throw new ConfigException(PARAM_PUBLIC_PATHS, shown(pattern) + " is also listed in "
                        + existing.parameter + (existing.text.equals(pattern) ? "" : " as " + shown(existing.text))
                        + "; a path is either public or protected, so remove one of them");
            }
            entries.putIfAbsent(key, new Entry(key, pattern, Access.PUBLIC, Set.of(), PARAM_PUBLIC_PATHS));
        }

        Set<String> always = new LinkedHashSet<>();
        for (String path : alwaysPublic) {
            String normalised = alwaysPublicPath(path);
            Entry existing = entries.get(new Key(Kind.EXACT, normalised));
            if (existing != null && existing.access == Access.PROTECTED) {
                throw new ConfigException(existing.parameter, shown(existing.text)
                        + " is always public (the login page or one of the filter's own endpoints);"
                        + " remove it from " + existing.parameter);
            }
            always.add(normalised);
        }

        Map<String, Rule> exact = new HashMap<>();
        Map<String, Rule> prefixes = new HashMap<>();
        Map<String, Rule> extensions = new HashMap<>();
        List<String> ineffective = new ArrayList<>();
        for (Entry e : entries.values()) {
            Rule rule = new Rule(e.access, e.roles, e.text);
            switch (e.key.kind()) {
                case EXACT -> putExact(exact, e.key.value(), rule);
                case PREFIX -> prefixes.put(e.key.value(), rule);
                case EXTENSION -> {
                    if (e.access == Access.PUBLIC && defaultAccess == Access.PROTECTED) {
                        ineffective.add(e.text);
                    } else {
                        extensions.put(e.key.value(), rule);
                    }
                }
            }
        }
        for (String path : always) {
            putExact(exact, path, new Rule(Access.PUBLIC, Set.of(), path));
        }
        if (!ineffective.isEmpty()) {
            LOG.warn("{}: extension pattern(s) {} have no effect: default-access is protected, and a public"
                    + " extension rule never opens a protected path. List a public prefix instead, such as"
                    + " /static/*", PARAM_PUBLIC_PATHS, String.join(", ", ineffective));
        }
        String description = describe(defaultAccess, always, entries.values(), ineffective);
        return new PathRules(new Rule(defaultAccess, Set.of(), DEFAULT_PATTERN), Map.copyOf(exact),
                Map.copyOf(prefixes), Map.copyOf(extensions), description);
    }

    /**
     * The rule for a path that {@link RequestPaths} accepted. Never {@code null}; a path no pattern
     * covers gets {@code default-access} with pattern {@value #DEFAULT_PATTERN}.
     */
    public Rule decide(String normalisedPath) {
        Objects.requireNonNull(normalisedPath, "normalisedPath");
        Rule rule = exact.get(normalisedPath);
        if (rule != null) {
            return rule;
        }
        if (longestPrefix >= 0) {
            rule = longestPrefix(normalisedPath);
            if (rule != null) {
                return rule;
            }
        }
        if (!extensions.isEmpty()) {
            // Like an exact rule, an extension rule covers one trailing slash: /a.pdf/ as /a.pdf.
            int end = normalisedPath.endsWith("/") ? normalisedPath.length() - 1 : normalisedPath.length();
            int slash = normalisedPath.lastIndexOf('/', end - 1);
            int dot = normalisedPath.lastIndexOf('.', end - 1);
            if (dot > slash && dot < end - 1) {
                rule = extensions.get(normalisedPath.substring(dot + 1, end).toLowerCase(Locale.ROOT));
                if (rule != null) {
                    return rule;
                }
            }
        }
        return defaultRule;
    }

    /** The path itself, then each shorter prefix that ends before a {@code /}, longest first. */
    private Rule longestPrefix(String path) {
        if (bases != null) {
            // The longest base that is the path or is followed in it by '/': what the lookups below find.
            for (int i = 0; i < bases.length; i++) {
                String base = bases[i];
                if (path.startsWith(base) && (path.length() == base.length() || path.charAt(base.length()) == '/')) {
                    return baseRules[i];
                }
            }
            return null;
        }
        if (path.length() <= longestPrefix) {
            Rule rule = prefixes.get(path);
            if (rule != null) {
                return rule;
            }
        }
        int end = path.lastIndexOf('/', Math.min(path.length() - 1, longestPrefix));
        while (end >= 0) {
            Rule rule = prefixes.get(path.substring(0, end));
            if (rule != null) {
                return rule;
            }
            end = path.lastIndexOf('/', end - 1);
        }
        return null;
    }

    /** One-line summary for the INFO start-up log. Patterns and role names only. */
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "PathRules[" + description + "]";
    }

    private static void putExact(Map<String, Rule> exact, String path, Rule rule) {
        exact.put(path, rule);
        if (!"/".equals(path)) {
            exact.put(path + "/", rule);
        }
    }

    private static void addRoleRule(Map<Key, Entry> entries, String item) {
        if (item == null || item.isEmpty()) {
            throw new ConfigException(PARAM_ROLE_RULES, "contains an empty item");
        }
        int eq = item.indexOf('=');
        if (eq < 0) {
            throw new ConfigException(PARAM_ROLE_RULES, shown(item)
                    + " must be pattern=role or pattern=role1|role2, e.g. /admin/*=admin");
        }
        String pattern = item.substring(0, eq);
        Key key = parsePattern(PARAM_ROLE_RULES, pattern);
        Set<String> roles = parseRoles(item, item.substring(eq + 1));
        Entry existing = entries.get(key);
        if (existing != null) {
            if (!existing.roles.equals(roles)) {
                throw new ConfigException(PARAM_ROLE_RULES, shown(pattern) + " is listed twice with different"
                        + " roles; list it once with every role, e.g. " + shown(pattern) + "=role1|role2");
            }
            return;
        }
        entries.put(key, new Entry(key, pattern, Access.PROTECTED, roles, PARAM_ROLE_RULES));
    }

    private static Set<String> parseRoles(String item, String value) {
        Set<String> roles = new LinkedHashSet<>();
        for (String role : value.split("\\|", -1)) {
            if (role.isEmpty()) {
                throw new ConfigException(PARAM_ROLE_RULES, shown(item)
                        + " has an empty role; write pattern=role or pattern=role1|role2");
            }
            for (int i = 0; i < role.length(); ) {
                int cp = role.codePointAt(i);
                if (cp == '=' || cp == ',' || Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                        || RequestPaths.decodedCharacterProblem(cp) != null) {
                    throw new ConfigException(PARAM_ROLE_RULES, shown(item)
                            + " has a role with a forbidden character (whitespace, ',', '=', ';', '\\' or a"
                            + " control character)");
                }
                i += Character.charCount(cp);
            }
            roles.add(role);
        }
        return roles;
    }

    private static String alwaysPublicPath(String path) {
        Objects.requireNonNull(path, "alwaysPublic path");
        Key key;
        try {
            key = parsePattern("always-public", path);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("always-public path is not a valid exact path: " + shown(path));
        }
        if (key.kind() != Kind.EXACT) {
            throw new IllegalArgumentException("always-public path must be an exact path: " + shown(path));
        }
        return key.value();
    }

    /** Validates one pattern and returns what it matches. */
    private static Key parsePattern(String parameter, String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new ConfigException(parameter, "contains an empty pattern");
        }
        checkCharacters(parameter, pattern);
        if (pattern.startsWith("*.")) {
            String extension = pattern.substring(2);
            if (extension.isEmpty()) {
                throw new ConfigException(parameter, shown(pattern) + " has an empty extension; write e.g. *.css");
            }
            if (extension.indexOf('*') >= 0 || extension.indexOf('/') >= 0 || extension.indexOf('.') >= 0) {
                throw new ConfigException(parameter, shown(pattern)
                        + " is not an extension pattern; write *.ext with one extension, e.g. *.css or *.gz");
            }
            return new Key(Kind.EXTENSION, extension.toLowerCase(Locale.ROOT));
        }
        if (pattern.charAt(0) != '/') {
            throw new ConfigException(parameter, shown(pattern)
                    + " must start with / (a path such as /login or /static/*) or *. (an extension such as *.css)");
        }
        Kind kind;
        String base;
        if (pattern.endsWith("/**")) {
            kind = Kind.PREFIX;
            base = pattern.substring(0, pattern.length() - 3);
        } else if (pattern.endsWith("/*")) {
            kind = Kind.PREFIX;
            base = pattern.substring(0, pattern.length() - 2);
        } else {
            kind = Kind.EXACT;
            base = pattern;
        }
        if (base.indexOf('*') >= 0) {
            throw new ConfigException(parameter, shown(pattern) + ": '*' is allowed only as a final /* or /**"
                    + " (a prefix) or as *.ext (an extension)");
        }
        switch (RequestPaths.segmentProblem(pattern)) {
            case DOT -> throw new ConfigException(parameter, shown(pattern)
                    + " has a . or .. segment, which no accepted request path has");
            case EMPTY -> throw new ConfigException(parameter, shown(pattern)
                    + " has an empty segment (//), which no accepted request path has");
            case OK -> { }
        }
        if (kind == Kind.EXACT && base.length() > 1 && base.endsWith("/")) {
            base = base.substring(0, base.length() - 1); // an exact rule covers both forms
        }
        return new Key(kind, base);
    }

    private static void checkCharacters(String parameter, String pattern) {
        for (int i = 0; i < pattern.length(); ) {
            int cp = pattern.codePointAt(i);
            String what = null;
            if (cp == ';') {
                what = "';' (a path parameter)";
            } else if (cp == '\\') {
                what = "'\\'";
            } else if (cp == '%') {
                what = "'%' (write the decoded path, e.g. /café rather than /caf%C3%A9)";
            } else if (cp == '?' || cp == '#') {
                what = "'?' or '#' (query strings and fragments are not part of the path)";
            } else if (cp == '=') {
                what = "'=' (role rules belong in " + PARAM_ROLE_RULES + ")";
            } else if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                what = "whitespace";
            } else if (RequestPaths.decodedCharacterProblem(cp) != null) {
                what = "a control or invisible character";
            }
            if (what != null) {
                throw new ConfigException(parameter, shown(pattern) + " must not contain " + what);
            }
            i += Character.charCount(cp);
        }
    }

    /** A pattern quoted for an error message, with unsafe characters replaced and length capped. */
    private static String shown(String s) {
        StringBuilder b = new StringBuilder("'");
        int limit = Math.min(s.length(), 80);
        for (int i = 0; i < limit; ) {
            int cp = s.codePointAt(i);
            boolean unsafe = (cp != '\\' && cp != ';' && RequestPaths.decodedCharacterProblem(cp) != null);
            b.append(unsafe ? "?" : new String(Character.toChars(cp)));
            i += Character.charCount(cp);
        }
        return b.append(s.length() > limit ? "...'" : "'").toString();
    }

    private static String describe(Access defaultAccess, Set<String> always, Iterable<Entry> entries,
            List<String> ineffective) {
        StringJoiner publics = new StringJoiner(", ");
        StringJoiner protecteds = new StringJoiner(", ");
        StringJoiner roles = new StringJoiner(", ");
        for (Entry e : entries) {
            if (e.access == Access.PUBLIC) {
                publics.add(ineffective.contains(e.text) ? e.text + " (no effect)" : e.text);
            } else if (e.roles.isEmpty()) {
                protecteds.add(e.text);
            } else {
                roles.add(e.text + "=" + String.join("|", e.roles));
            }
        }
        StringJoiner line = new StringJoiner("; ");
        line.add("default-access=" + defaultAccess.name().toLowerCase(Locale.ROOT));
        if (!always.isEmpty()) {
            line.add("always public: " + String.join(", ", always));
        }
        line.add("public: " + (publics.length() == 0 ? "none" : publics.toString()));
        line.add("protected: " + (protecteds.length() == 0 ? "none" : protecteds.toString()));
        line.add("role rules: " + (roles.length() == 0 ? "none" : roles.toString()));
        return line.toString();
    }
}
