package io.github.sessiongate.engine;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.path.PathRules;
import io.github.sessiongate.web.EndpointSettings;
import io.github.sessiongate.web.RequestOrigin;
import io.github.sessiongate.web.TrustedProxies;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What the engine makes of a {@link GateConfig}'s plain values: the public origin, the trusted
 * proxies, the compiled path rules. Also
 * the checks of {@link GateConfig.Builder#build()} that need engine code, so a bad pattern fails
 * at {@code build()} and names its parameter, as it does from init-params.
 */
public final class SettingsChecks {
    private SettingsChecks() {
    }

    /**
     * Runs the engine's checks of the settings; called by {@code build()}.
     *
     * @throws ConfigException naming the parameter at fault
     */
    public static void check(GateConfig config) {
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
        EndpointSettings endpoints = ApiAccess.hooks().endpoints(config);
        for (EndpointSettings.Endpoint e : EndpointSettings.Endpoint.values()) {
            boolean available = switch (e) {
                case LOGIN -> config.loginEnabled();
                case CLIENT_TOKEN -> config.clientTokensEnabled();
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
