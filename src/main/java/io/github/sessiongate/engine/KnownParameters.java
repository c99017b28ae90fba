package io.github.sessiongate.engine;

import io.github.sessiongate.BackendClient;
import io.github.sessiongate.ClientCredentials;
import io.github.sessiongate.ClientTokenSettings;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.GuestSettings;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.LifetimeSettings;
import io.github.sessiongate.LoginSettings;
import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.ProxyRoute;
import io.github.sessiongate.RevokeSettings;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.path.PathRules;
import io.github.sessiongate.remote.HttpTokenRefresher;
import io.github.sessiongate.remote.HttpTokenValidator;
import io.github.sessiongate.web.CsrfGuard;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every init-param name SessionGate and its built-in components read: the {@code PARAM_*} constants
 * of the classes that declare them, with the {@code proxy.<name>.*} forms for each route that
 * {@code proxy.routes} declares. Lets start-up refuse an unknown parameter before the checks that
 * depend on it (a misspelt {@code jwt.jwks-url} must not read as "no key source set"), and suggest
 * the known name nearest to a typo. Immutable.
 */
final class KnownParameters {
    /** The classes declaring {@code PARAM_*} constants (a test holds this list to every such class of the jar). */
    static final List<Class<?>> DECLARING = List.of(BackendClient.class, ClientCredentials.class, ClientTokenSettings.class,
            CookieSealSettings.class, CookieSettings.class, EndpointSettings.class, GateConfig.class, GuestSettings.class,
            LifetimeSettings.class, LoginSettings.class, OidcSettings.class, ProxyRoute.class, RevokeSettings.class,
            AuditLog.class, JwtTokenValidator.class, PathRules.class, HttpTokenRefresher.class, HttpTokenValidator.class,
            CsrfGuard.class);
    /** Package-private, so named: its {@code redis.*} parameters. */
    static final String REDIS_SETTINGS_CLASS = "io.github.sessiongate.redis.RedisSettings";
    /** The placeholder of the per-route parameter templates ({@link ProxyRoute#PARAM_TOKEN}). */
    private static final String ROUTE_PLACEHOLDER = "<name>";
    /** A name this near (edit distance, ignoring case) to a known one gets a suggestion. */
    static final int MAX_SUGGESTION_DISTANCE = 2;
    /** A name at least this long that starts another, or that another starts, gets a suggestion too. */
    static final int MIN_PREFIX_LENGTH = 8;

    private static final Set<String> DECLARED = declared();

    private final Set<String> names;

    private KnownParameters(Set<String> names) {
        this.names = names;
    }

    /** The known names, the per-route ones for each route {@code proxy.routes} declares in {@code params}. */
    static KnownParameters of(InitParams params) {
        Set<String> names = new TreeSet<>();
        List<String> routes = params.peek(ProxyRoute.PARAM_ROUTES)
                .map(v -> InitParamsMapping.routeEntries(v).stream().map(e -> e.split("\\s+")[0]).toList()).orElse(List.of());
        for (String name : DECLARED) {
            if (!name.contains(ROUTE_PLACEHOLDER)) {
                names.add(name);
            }
            for (String route : name.contains(ROUTE_PLACEHOLDER) ? routes : List.<String>of()) {
                names.add(ProxyRoute.param(name, route));
            }
        }
        return new KnownParameters(names);
    }

    /** Every {@code PARAM_*} value of {@link #DECLARING} and of the Redis settings, templates included. */
    static Set<String> declared() {
        Set<String> names = new TreeSet<>();
        List<Class<?>> classes = new ArrayList<>(DECLARING);
        try {
            classes.add(Class.forName(REDIS_SETTINGS_CLASS, false, KnownParameters.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(REDIS_SETTINGS_CLASS + " is part of this jar", e);
        }
        for (Class<?> type : classes) {
            for (Field f : type.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (Modifier.isStatic(mod) && Modifier.isFinal(mod) && f.getType() == String.class
                        && f.getName().startsWith("PARAM_")) {
                    try {
                        f.setAccessible(true); // RedisSettings' constants are package-private
                        names.add((String) f.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return Set.copyOf(names);
    }

    /** Whether {@code name} is a parameter SessionGate reads (under some settings). */
    boolean contains(String name) {
        return names.contains(name);
    }

    /**
     * Fails on the first name that is not known, naming it, the nearest known name if one is close
     * and any other unknown names.
     *
     * @throws ConfigException for the first unknown name
     */
    void refuseUnknown(Collection<String> given) {
        List<String> unknown = given.stream().filter(n -> !names.contains(n)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw unknown(unknown);
        }
    }

    /** The error for these unknown names (at least one): the first named, with what to write instead. */
    ConfigException unknown(List<String> unknown) {
        String first = unknown.get(0);
        String others = unknown.size() > 1 ? " (nor are " + unknown.subList(1, unknown.size()) + ")" : "";
        return new ConfigException(first, "is not a SessionGate parameter" + others + "; "
                + suggestion(first).map(s -> "did you mean `" + s + "`?")
                        .or(() -> undeclaredRoute(first).map(r -> "its route `" + r + "` is not declared in "
                                + ProxyRoute.PARAM_ROUTES))
                        .orElse("check the spelling against the README's parameter table"));
    }

    /** The route a {@code proxy.<name>.*} name refers to, when it has that shape. */
    private static Optional<String> undeclaredRoute(String name) {
        for (String template : DECLARED) {
            int at = template.indexOf(ROUTE_PLACEHOLDER);
            if (at < 0) {
                continue;
            }
            String before = template.substring(0, at);
            String after = template.substring(at + ROUTE_PLACEHOLDER.length());
            if (name.length() > before.length() + after.length() && name.startsWith(before) && name.endsWith(after)) {
                return Optional.of(name.substring(before.length(), name.length() - after.length()));
            }
        }
        return Optional.empty();
    }

    /** The known name nearest to {@code name}, if one is close enough to be the intended one. */
    Optional<String> suggestion(String name) {
        String typed = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : names) {
            int d = distance(typed, known);
            boolean prefix = Math.min(typed.length(), known.length()) >= MIN_PREFIX_LENGTH
                    && (known.startsWith(typed) || typed.startsWith(known));
            if ((d <= MAX_SUGGESTION_DISTANCE || prefix) && d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
