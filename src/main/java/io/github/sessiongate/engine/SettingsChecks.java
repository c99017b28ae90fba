package io.github.sessiongate.engine;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.path.PathRules;
import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.web.RequestOrigin;
import io.github.sessiongate.web.SafeRedirect;
import io.github.sessiongate.web.TrustedProxies;
import io.github.sessiongate.internal.BackendUrls;
import io.github.sessiongate.internal.Bounds;
import io.github.sessiongate.internal.Hosts;
import io.github.sessiongate.internal.FieldNames;
import io.github.sessiongate.internal.Secrets;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.cookie.CookieHeaderReader;
import io.github.sessiongate.cookie.CookieNames;
import io.github.sessiongate.secret.HmacSecret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the engine makes of a {@link GateConfig}'s plain values: the public origin, the trusted
 * proxies, the compiled path rules. Also
 * the checks of {@link GateConfig.Builder#build()} that need engine code, so a bad pattern fails
 * at {@code build()} and names its parameter, as it does from init-params.
 */
public final class SettingsChecks {
    /** Least length of an HMAC key, in bytes. */
    public static final int MIN_HMAC_KEY_BYTES = HmacSecret.MIN_BYTES;

    private SettingsChecks() {
    }

    /**
     * For the API's settings builders: {@code value} when within {@code [min, max]}.
     *
     * @throws ConfigException naming {@code parameter} otherwise
     */
    public static Duration duration(String parameter, Duration value, Duration min, Duration max) {
        return Bounds.duration(parameter, value, min, max);
    }

    /**
     * For the API's settings builders: {@code value} when within {@code [min, max]}.
     *
     * @throws ConfigException naming {@code parameter} otherwise
     */
    public static int number(String parameter, int value, int min, int max) {
        return Bounds.number(parameter, value, min, max);
    }

    /**
     * For the API's settings builders: a backend URL, https or http to loopback only.
     *
     * @param overPlainHttp what plain http to another host would risk, for the refusal
     * @throws ConfigException naming {@code parameter} otherwise
     */
    public static URI backendUrl(String parameter, String value, String overPlainHttp) {
        return BackendUrls.check(parameter, value, overPlainHttp);
    }

    /** The prefix that marks a secret given in base64. */
    public static final String BASE64_PREFIX = Secrets.BASE64_PREFIX;

    /**
     * For the API's settings builders: a secret's bytes ({@code base64:} prefix decoded); the
     * caller zeroes them after use.
     *
     * @throws ConfigException naming {@code parameter} when the form is bad
     */
    public static byte[] secretBytes(String parameter, String value) {
        return Secrets.decode(parameter, value);
    }

    /**
     * For the API's settings builders: standard or URL-safe base64, padding optional.
     *
     * @throws ConfigException naming {@code parameter} otherwise
     */
    public static byte[] base64(String parameter, String encoded) {
        return Secrets.base64(parameter, encoded);
    }

    /** Whether {@code path} is a path inside the application that a redirect may go to. */
    public static boolean isPlainPath(String path) {
        return SafeRedirect.target(path).isPresent();
    }

    /** Whether a cookie name ends in {@code .} and digits, as the chunks of a large cookie do. */
    public static boolean endsWithDotDigits(String name) {
        return CookieNames.endsWithDotDigits(name);
    }

    /**
     * For the API's settings builders: a field the filter sends to a backend.
     *
     * @throws ConfigException naming {@code parameter} otherwise
     */
    public static String requestField(String parameter, String value) {
        return FieldNames.requestField(parameter, value);
    }

    /**
     * For the API's settings builders: a field path in a backend's JSON answer.
     *
     * @throws ConfigException naming {@code parameter} otherwise
     */
    public static String jsonPath(String parameter, String value) {
        return FieldNames.jsonPath(parameter, value);
    }

    /** Whether {@code host} is a loopback name or address, where plain http stays on the machine. */
    public static boolean isLoopback(String host) {
        return Hosts.isLoopback(host);
    }

    /** Whether {@code value} is 1 to {@code maxLength} RFC 6265 token characters. */
    public static boolean isCookieToken(String value, int maxLength) {
        return !value.isEmpty() && value.length() <= maxLength
                && value.chars().allMatch(c -> CookieHeaderReader.isTokenChar((char) c));
    }

    /**
     * For the API's settings builders: an HMAC key's form and length, checked now; whether it is
     * reused for another job is checked when the whole configuration is built.
     *
     * @throws ConfigException naming {@code parameter} otherwise
     */
    public static void hmacKey(String parameter, String value) {
        HmacSecret.parse(parameter, value, Map.of(), List.of());
    }

    /**
     * Runs the engine's checks of the settings; called by {@code build()}.
     *
     * @throws ConfigException naming the parameter at fault
     */
    public static void check(GateConfig config) {
        Features features = Features.of(config); // every key against every other; the CSRF origins
        // The largest write of session cookies must leave room in the response's header budget.
        // A login flow that keeps transactions (OpenID) writes the provider facts with the tokens: one more cookie.
        boolean flowCookies = config.loginFlow().map(LoginFlow::usesLoginTransactions).orElse(config.oidc().isPresent());
        new CookieCodec(config.cookies(), CookieCodec.sessionKinds(features.guests().isPresent(),
                features.lifetime().isPresent(), flowCookies), null).requireWithinResponseBudget();
        publicOrigin(config);
        trustedProxies(config);
        pathRules(config);
    }

    /** The configured public origin, checked to be a bare http(s) origin. */
    public static URI publicOrigin(GateConfig config) {
        return config.publicOrigin().map(URI::toString)
                .map(origin -> RequestOrigin.parsePublicOrigin(GateConfig.PARAM_PUBLIC_ORIGIN, origin)).orElse(null);
    }

    /** The parsed trusted proxies. */
    public static TrustedProxies trustedProxies(GateConfig config) {
        return TrustedProxies.parse(GateConfig.PARAM_TRUSTED_PROXIES, config.trustedProxies());
    }

    /** The compiled path rules: the configured ones, plus the login page and the available endpoints as public. */
    public static PathRules pathRules(GateConfig config) {
        return PathRules.compile(config.protectedPaths(), config.publicPaths(), config.roleRules(),
                access(config.defaultAccess()), alwaysPublic(config));
    }

    static PathRules.Access access(GateConfig.Access access) {
        return switch (access) {
            case PROTECTED -> PathRules.Access.PROTECTED;
            case PUBLIC -> PathRules.Access.PUBLIC;
        };
    }

    /** Exact paths that are public whatever the rules say: the login page and the filter's working endpoints. */
    private static List<String> alwaysPublic(GateConfig config) {
        List<String> paths = new ArrayList<>();
        EndpointSettings endpoints = config.endpoints();
        for (EndpointSettings.Endpoint e : EndpointSettings.Endpoint.values()) {
            boolean available = switch (e) {
                case LOGIN -> config.loginEnabled();
                case CLIENT_TOKEN -> config.clientTokens().isPresent();
                default -> true;
            };
            if (available) {
                endpoints.path(e).ifPresent(paths::add); // an endpoint that is off opens nothing
            }
        }
        if (!paths.contains(config.loginPath())) {
            paths.add(config.loginPath());
        }
        return paths;
    }
}
