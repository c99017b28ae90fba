package io.github.sessiongate;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filter's init-params after {@code ${env:NAME}} and {@code ${sys:name}} references are
 * resolved, with typed getters that fail with a {@link ConfigException} naming the parameter.
 *
 * <p>Every parameter that is read is remembered, so that after the filter and its validator have
 * read theirs, any parameter left unread is reported as unknown (a typo in web.xml fails
 * start-up instead of silently relaxing a rule). A blank value counts as absent.
 *
 * <p>Used only during {@code init()}; not meant to be kept.
 */
public final class InitParams {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|sys):([^}]*)}");
    /**
     * A {@code ${NAME}} (or {@code ${other:NAME}}) that is not a reference: most likely meant as one,
     * so refused with the two spellings that work rather than passed on literally.
     */
    private static final Pattern UNRESOLVED = Pattern.compile("\\$\\{(?!(?:env|sys):)(?:[A-Za-z]+:)?([A-Za-z_][A-Za-z0-9_.-]*)}");

    private final Map<String, String> values;
    private final Set<String> read = ConcurrentHashMap.newKeySet();
    private final Map<Class<?>, Object> shared = new ConcurrentHashMap<>();

    private InitParams(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Resolves references in the raw values.
     *
     * @param raw parameter names to raw values, as web.xml gives them
     * @param environment how to look up {@code ${env:NAME}}, normally {@code System::getenv}
     * @param properties how to look up {@code ${sys:name}}, normally {@code System::getProperty}
     * @throws ConfigException when a reference names a variable that is not set, or a value holds a
     *         {@code ${NAME}} without {@code env:} or {@code sys:}
     */
    public static InitParams resolve(Map<String, String> raw, UnaryOperator<String> environment,
            UnaryOperator<String> properties) {
        Objects.requireNonNull(raw, "raw");
        Map<String, String> resolved = new LinkedHashMap<>();
        raw.forEach((name, value) -> {
            if (value == null) {
                return;
            }
            Matcher unresolved = UNRESOLVED.matcher(value);
            if (unresolved.find()) {
                String var = unresolved.group(1);
                throw new ConfigException(name, "contains " + unresolved.group() + ", which SessionGate does not resolve; write ${env:"
                        + var + "} for an environment variable or ${sys:" + var + "} for a system property");
            }
            Matcher m = REFERENCE.matcher(value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String key = m.group(2).trim();
                String found = key.isEmpty() ? null
                        : "env".equals(m.group(1)) ? environment.apply(key) : properties.apply(key);
                if (found == null) {
                    throw new ConfigException(name, "refers to ${" + m.group(1) + ":" + key
                            + "}, which is not set; set it or change the parameter");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(found));
            }
            m.appendTail(out);
            String v = out.toString().strip();
            if (!v.isEmpty()) {
                resolved.put(name, v);
            }
        });
        return new InitParams(Collections.unmodifiableMap(resolved));
    }

    /** Resolves against the real environment and system properties. */
    public static InitParams resolve(Map<String, String> raw) {
        return resolve(raw, System::getenv, System::getProperty);
    }

    /** The value, if set and not blank. */
    public Optional<String> get(String name) {
        read.add(name);
        return Optional.ofNullable(values.get(name));
    }

    /**
     * The value without marking it read: for cross-checks (is this secret reused elsewhere?) that
     * must not hide a parameter nobody actually uses from the unknown-parameter check.
     */
    public Optional<String> peek(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The value, or a {@link ConfigException} that says what to set. */
    public String require(String name, String whatToSet) {
        return get(name).orElseThrow(() -> new ConfigException(name, "is required: " + whatToSet));
    }

    /** {@code true}/{@code false} (case-insensitive); anything else fails. */
    public boolean bool(String name, boolean defaultValue) {
        return get(name).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(name, "must be true or false, not '" + v + "'");
        }).orElse(defaultValue);
    }

    /** A whole number within bounds. */
    public long number(String name, long defaultValue, long min, long max) {
        return get(name).map(v -> {
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new ConfigException(name, "must be a whole number, not '" + v + "'");
            }
            if (n < min || n > max) {
                throw new ConfigException(name, "must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        }).orElse(defaultValue);
    }

    /**
     * A duration: plain seconds ({@code 30}), a suffixed amount ({@code 500ms}, {@code 30s},
     * {@code 5m}, {@code 1h}, {@code 7d}) or ISO-8601 ({@code PT30S}).
     */
    public Duration duration(String name, Duration defaultValue, Duration min, Duration max) {
        return get(name).map(v -> {
            Duration d = parseDuration(name, v);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new ConfigException(name, "must be between " + min + " and " + max + ", not " + v);
            }
            return d;
        }).orElse(defaultValue);
    }

    /**
     * A whole number that fits an {@code int}, if set; the typed builder it goes to checks the
     * range (so each bound is written once).
     */
    public Optional<Integer> integer(String name) {
        return get(name).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new ConfigException(name, "must be a whole number, not '" + v + "'");
            }
        });
    }

    /** Comma- or whitespace-separated items; empty when absent. */
    public List<String> list(String name) {
        return get(name).map(InitParams::split).orElse(List.of());
    }

    /** One of the given words (case-insensitive), returned in lower case. */
    public String choice(String name, String defaultValue, String... allowed) {
        return get(name).map(v -> {
            String lower = v.toLowerCase(Locale.ROOT);
            for (String a : allowed) {
                if (a.equals(lower)) {
                    return a;
                }
            }
            throw new ConfigException(name, "must be one of " + String.join(", ", allowed) + ", not '" + v + "'");
        }).orElse(defaultValue);
    }

    /**
     * Attaches a value of the given type for every component built from these parameters, such
     * as the filter's one outbound transport (the caller keeps owning and closing it). Not for
     * application code.
     *
     * @return these parameters
     */
    public <T> InitParams attach(Class<T> type, T value) {
        shared.put(Objects.requireNonNull(type, "type"), type.cast(Objects.requireNonNull(value, "value")));
        return this;
    }

    /**
     * The value of the given type that the filter's component factory attached or a component
     * shared, if any. A component finding no transport builds and closes its own (standalone
     * use, as in unit tests). Not for application code.
     */
    public <T> Optional<T> attached(Class<T> type) {
        return Optional.ofNullable(type.cast(shared.get(type)));
    }

    /**
     * The refresher that {@code refresh-url} or {@code oauth2.token-url} and their parameters
     * describe, over the attached transport if any; empty when neither URL is set. For validators
     * that check tokens locally and refresh at a backend. Not for application code.
     *
     * @throws ConfigException naming the parameter at fault
     */
    public Optional<TokenRefresher> refresher(java.time.Clock clock) {
        return io.github.sessiongate.engine.InitParamsMapping.refresher(this, clock);
    }

    /**
     * A value derived from these parameters once and shared by every component that asks for
     * the same type, such as the OAuth2 client credentials: read once, one object. Not for
     * application code.
     */
    public <T> T shared(Class<T> type, Supplier<? extends T> read) {
        Object value = shared.get(type);
        if (value == null) {
            value = read.get(); // may throw ConfigException; nothing is stored then
            Object raced = shared.putIfAbsent(type, value);
            value = raced != null ? raced : value;
        }
        return type.cast(value);
    }

    /** Names of parameters that were set but never read. */
    public Set<String> unread() {
        Set<String> left = new java.util.TreeSet<>(values.keySet());
        left.removeAll(read);
        return left;
    }

    /** Names of all parameters that are set. */
    public Set<String> names() {
        return values.keySet();
    }

    /** Splits a comma- or whitespace-separated list, dropping empty items. */
    public static List<String> split(String value) {
        return java.util.Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
    }

    static Duration parseDuration(String name, String v) {
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v);
            }
            Matcher m = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)?").matcher(v.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new ConfigException(name, "must be a duration such as 30s, 5m, 1h or PT30S, not '" + v + "'");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (DateTimeParseException e) {
            throw new ConfigException(name, "must be a duration such as 30s, 5m, 1h or PT30S, not '" + v + "'");
        }
    }

    /** Lists the parameter names only: values may be secrets. */
    @Override
    public String toString() {
        return "InitParams" + values.keySet();
    }
}
