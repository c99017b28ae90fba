package io.github.sessiongate.engine;

import io.github.sessiongate.ClientCredentials;
import static io.github.sessiongate.GateConfig.*;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.ProxyRoute;
import io.github.sessiongate.TokenRefresher;
import io.github.sessiongate.StateStore;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.guest.GuestTokens;
import io.github.sessiongate.internal.Bounds;
import io.github.sessiongate.lifetime.SessionLifetime;
import io.github.sessiongate.login.LoginClient;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.remote.HttpTokenRefresher;
import io.github.sessiongate.remote.HttpTokenValidator;
import io.github.sessiongate.login.RevocationClient;
import io.github.sessiongate.web.ClientTokens;
import io.github.sessiongate.EndpointSettings;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * web.xml init-params to a {@link GateConfig}: a string-to-builder mapping, so every bound,
 * default and cross-check stays in the typed settings. Instantiates the {@code validator-class}
 * and calls its {@code init} exactly once, then refuses any parameter that neither the filter nor
 * the validator read.
 */
public final class InitParamsMapping {
    /** The secrets held outside the settings (by the validator and the OAuth2 client), compared not read. */
    private static final List<String> EXTERNAL_SECRETS = List.of("jwt.secret", ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET);

    private InitParamsMapping() {
    }

    /** As {@link #fromInitParams(InitParams, Clock)} on the system clock. */
    public static GateConfig fromInitParams(InitParams params) {
        return fromInitParams(params, Clock.systemUTC());
    }

    /**
     * Maps the parameters onto {@link GateConfig#builder()}, with a clock (for tests).
     *
     * @throws ConfigException naming the parameter at fault; the validator is closed then
     */
    public static GateConfig fromInitParams(InitParams params, Clock clock) {
        KnownParameters known = KnownParameters.of(params);
        if (onlyBuiltInReaders(params)) {
            known.refuseUnknown(params.names()); // before any check a typo would make misleading
        }
        ApiAccess.Hooks api = ApiAccess.hooks();
        GateConfig.Builder b = GateConfig.builder()
                .protectedPaths(params.list(PARAM_PROTECTED_PATHS))
                .publicPaths(params.list(PARAM_PUBLIC_PATHS))
                .roleRules(params.list(PARAM_ROLE_RULES))
                .defaultAccess(GateConfig.Access.valueOf(params.choice(PARAM_DEFAULT_ACCESS,
                        DEFAULT_DEFAULT_ACCESS.name().toLowerCase(Locale.ROOT), "protected", "public").toUpperCase(Locale.ROOT)))
                .loginPath(params.get(PARAM_LOGIN_PATH).orElse(DEFAULT_LOGIN_PATH))
                .realm(params.get(PARAM_REALM).orElse(DEFAULT_REALM))
                .trustedProxies(params.list(PARAM_TRUSTED_PROXIES))
                .acceptBearerHeader(params.bool(PARAM_ACCEPT_BEARER_HEADER, DEFAULT_ACCEPT_BEARER_HEADER))
                .allowJsessionidPathParameter(params.bool(PARAM_ALLOW_JSESSIONID, DEFAULT_ALLOW_JSESSIONID))
                .authorizationHeaderView(params.bool(PARAM_AUTHORIZATION_HEADER_VIEW, DEFAULT_AUTHORIZATION_HEADER_VIEW))
                .loginRedirect(params.bool(PARAM_LOGIN_REDIRECT, DEFAULT_LOGIN_REDIRECT))
                .cookies(cookieSettings(params))
                .auditListeners(AuditLog.listenersFrom(params, classLoader()))
                .endpoints(endpointSettings(params))
                .csrf(GateConfig.Csrf.valueOf(params.choice(PARAM_CSRF, DEFAULT_CSRF.paramValue(), "enforce", "report-only", "off")
                        .replace('-', '_').toUpperCase(Locale.ROOT)))
                .allowedOrigins(params.list(PARAM_ALLOWED_ORIGINS))
                .csrfRequireOrigin(params.bool(PARAM_CSRF_REQUIRE_ORIGIN, DEFAULT_CSRF_REQUIRE_ORIGIN))
                .metricsMicrometer(GateConfig.MicrometerMode.valueOf(params.choice(PARAM_METRICS_MICROMETER,
                        DEFAULT_METRICS_MICROMETER.paramValue(), "auto", "on", "off").toUpperCase(Locale.ROOT)))
                .lifetime(SessionLifetime.settingsFrom(params))
                .clientTokens(ClientTokens.settingsFrom(params))
                .cookieSeal(CookieSeal.settingsFrom(params))
                .guests(GuestTokens.settingsFrom(params))
                .clock(clock);
        for (String external : EXTERNAL_SECRETS) {
            params.peek(external).ifPresent(value -> api.externalSecret(b, external, value));
        }
        params.integer(PARAM_RETRY_AFTER).ifPresent(b::retryAfterSeconds);
        Bounds.duration(params, PARAM_CACHE_TTL).ifPresent(b::cacheTtl);
        params.integer(PARAM_CACHE_MAX_ENTRIES).ifPresent(b::cacheMaxEntries);
        Bounds.duration(params, PARAM_REFRESH_GRACE).ifPresent(b::refreshGrace);
        params.integer(PARAM_GRACE_MAX_ENTRIES).ifPresent(b::graceMaxEntries);
        params.integer(PARAM_SECURITY_MAX_ENTRIES).ifPresent(b::securityMaxEntries);
        params.integer(PARAM_NEGATIVE_CACHE_MAX_ENTRIES).ifPresent(b::negativeCacheMaxEntries);
        params.integer(PARAM_BACKEND_MAX_CONCURRENCY).ifPresent(b::backendMaxConcurrency);
        Bounds.duration(params, PARAM_BACKEND_WAIT_TIMEOUT).ifPresent(b::backendWaitTimeout);
        Bounds.duration(params, PARAM_REFRESH_AHEAD).ifPresent(b::refreshAhead);
        Bounds.duration(params, PARAM_BACKEND_CONNECT_TIMEOUT).ifPresent(b::backendConnectTimeout); // the setter checks
        Bounds.duration(params, PARAM_BACKEND_READ_TIMEOUT).ifPresent(b::backendReadTimeout);
        b.login(LoginClient.settingsFrom(params)).revoke(RevocationClient.settingsFrom(params))
                .backendOrigins(params.list(PARAM_BACKEND_ORIGINS));
        params.get(PARAM_PUBLIC_ORIGIN).ifPresent(b::publicOrigin);
        oidcSettings(params).ifPresent(b::oidc);
        proxyRoutes(params).forEach(b::proxyRoute);
        TokenValidator validator = instantiate(params.get(PARAM_VALIDATOR_CLASS).orElse(DEFAULT_VALIDATOR_CLASS));
        api.initOnce(validator, params, clock);
        b.validator(validator);
        Optional<StateStore> store;
        try {
            store = StateStoreChoice.fromParams(params, classLoader());
        } catch (RuntimeException e) {
            validator.close();
            throw e;
        }
        store.ifPresent(b::stateStore);
        params.get(PARAM_STATE_STORE_KEY).ifPresent(b::stateStoreKey);
        List<String> unread = new ArrayList<>(params.unread());
        if (!unread.isEmpty()) {
            validator.close();
            store.ifPresent(StateStore::close);
            List<String> unknown = unread.stream().filter(n -> !known.contains(n)).toList();
            if (!unknown.isEmpty()) {
                throw known.unknown(unknown);
            }
            throw new ConfigException(unread.get(0), "is not used with these settings"
                    + (unread.size() > 1 ? " (nor are " + unread.subList(1, unread.size()) + ")" : "")
                    + "; remove it, or set the parameter it belongs with (e.g. " + PARAM_STATE_STORE + "=redis for redis.*,"
                    + " or the " + PARAM_VALIDATOR_CLASS + " that reads it)");
        }
        try {
            return b.build(); // the checks of the settings as a set: bounds, secrets used twice, cookie budget
        } catch (RuntimeException e) {
            validator.close();
            store.ifPresent(StateStore::close);
            throw e;
        }
    }

    /**
     * The API proxy's routes: {@code proxy.routes} entries ({@code NAME PREFIX BASE-URL}, separated
     * by commas or new lines) and each route's {@code proxy.<name>.*} parameters. A parameter of an
     * undeclared route is never read, so it fails start-up as unknown.
     *
     * @throws ConfigException naming the parameter at fault
     */
    public static List<ProxyRoute> proxyRoutes(InitParams params) {
        List<ProxyRoute> routes = new ArrayList<>();
        for (String entry : params.get(ProxyRoute.PARAM_ROUTES).map(InitParamsMapping::routeEntries).orElse(List.of())) {
            String[] parts = entry.split("\\s+");
            if (parts.length != 3) {
                throw new ConfigException(ProxyRoute.PARAM_ROUTES, "entry '" + entry + "' must be NAME PREFIX BASE-URL,"
                        + " e.g. backend /api/backend/* https://api.internal/v1/");
            }
            ProxyRoute.Builder r = ProxyRoute.builder(parts[0], parts[1], parts[2]);
            r.token(ProxyRoute.Token.valueOf(params.choice(r.param(ProxyRoute.PARAM_TOKEN), "access", "access", "none")
                    .toUpperCase(Locale.ROOT)));
            r.sessionRequired(params.choice(r.param(ProxyRoute.PARAM_SESSION), "required", "required", "optional")
                    .equals("required"));
            r.allowGuests(params.bool(r.param(ProxyRoute.PARAM_ALLOW_GUESTS), ProxyRoute.DEFAULT_ALLOW_GUESTS));
            Bounds.duration(params, r.param(ProxyRoute.PARAM_TIMEOUT)).ifPresent(r::timeout);
            r.maxBodyBytes(params.number(r.param(ProxyRoute.PARAM_MAX_BODY), ProxyRoute.DEFAULT_MAX_BODY,
                    ProxyRoute.MIN_MAX_BODY, ProxyRoute.MAX_MAX_BODY));
            params.integer(r.param(ProxyRoute.PARAM_MAX_CONCURRENCY)).ifPresent(r::maxConcurrency);
            r.stripHeaders(params.list(r.param(ProxyRoute.PARAM_STRIP_HEADERS)));
            routes.add(r.build());
        }
        return routes;
    }

    /** The entries of a {@code proxy.routes} value: separated by commas or new lines, stripped, blank ones dropped. */
    static List<String> routeEntries(String value) {
        return Arrays.stream(value.split("[,\\n]")).map(String::strip).filter(e -> !e.isEmpty()).toList();
    }

    /**
     * Whether every component that reads parameters of its own is built in (the validator and the
     * state store), so any name outside {@link KnownParameters} is unknown before anything is read.
     * A custom one may read names of its own: those are judged once everything has read its own.
     */
    private static boolean onlyBuiltInReaders(InitParams params) {
        String validator = params.peek(PARAM_VALIDATOR_CLASS).orElse(DEFAULT_VALIDATOR_CLASS).strip();
        return (validator.equals(JwtTokenValidator.class.getName()) || validator.equals(HttpTokenValidator.class.getName()))
                && StateStoreChoice.builtIn(params.peek(PARAM_STATE_STORE).orElse(DEFAULT_STATE_STORE));
    }

    /**
     * Reads the cookie init-params (marking them read) and validates them as a set.
     *
     * @throws ConfigException naming the first parameter at fault
     */
    public static CookieSettings cookieSettings(InitParams params) {
        Objects.requireNonNull(params, "params");
        CookieSettings.Builder b = CookieSettings.builder();
        params.get(CookieSettings.PARAM_ACCESS_COOKIE_NAME).ifPresent(b::accessCookieName);
        params.get(CookieSettings.PARAM_REFRESH_COOKIE_NAME).ifPresent(b::refreshCookieName);
        b.secure(switch (params.choice(CookieSettings.PARAM_SECURE, "true", "true", "false", "auto")) {
            case "false" -> CookieSettings.SecureMode.NEVER;
            case "auto" -> CookieSettings.SecureMode.AUTO;
            default -> CookieSettings.SecureMode.ALWAYS;
        });
        b.sameSite(CookieSettings.SameSite.valueOf(params.choice(CookieSettings.PARAM_SAME_SITE, "lax", "lax", "strict", "none")
                .toUpperCase(Locale.ROOT)));
        params.get(CookieSettings.PARAM_PATH).ifPresent(b::path);
        b.domain(params.get(CookieSettings.PARAM_DOMAIN).orElse(null));
        // Parsed only: build() applies the bounds, so both paths report alike.
        Bounds.duration(params, CookieSettings.PARAM_ACCESS_MAX_AGE).ifPresent(b::accessMaxAge);
        Bounds.duration(params, CookieSettings.PARAM_REFRESH_MAX_AGE).ifPresent(b::refreshMaxAge);
        b.partitioned(params.bool(CookieSettings.PARAM_PARTITIONED, CookieSettings.DEFAULT_PARTITIONED));
        b.hostPrefix(params.bool(CookieSettings.PARAM_HOST_PREFIX, CookieSettings.DEFAULT_HOST_PREFIX));
        params.integer(CookieSettings.PARAM_MAX_TOTAL_BYTES).ifPresent(b::maxTotalBytes);
        params.get(CookieSettings.PARAM_GUEST_COOKIE_NAME).ifPresent(b::guestCookieName);
        Bounds.duration(params, CookieSettings.PARAM_GUEST_MAX_AGE).ifPresent(b::guestMaxAge);
        params.get(CookieSettings.PARAM_META_COOKIE_NAME).ifPresent(b::metaCookieName);
        Bounds.duration(params, CookieSettings.PARAM_META_MAX_AGE).ifPresent(b::metaMaxAge);
        return b.build();
    }

    /** The web application's class loader during init(), for classes named in init-params. */
    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : InitParamsMapping.class.getClassLoader();
    }

    private static TokenValidator instantiate(String className) {
        try {
            Class<?> type = Class.forName(className, true, classLoader());
            if (!TokenValidator.class.isAssignableFrom(type)) {
                throw new ConfigException(PARAM_VALIDATOR_CLASS, className + " does not extend " + TokenValidator.class.getName());
            }
            return (TokenValidator) type.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new ConfigException(PARAM_VALIDATOR_CLASS, "class " + className + " not found; is its jar in WEB-INF/lib?");
        } catch (NoSuchMethodException e) {
            throw new ConfigException(PARAM_VALIDATOR_CLASS, className + " needs a public no-argument constructor");
        } catch (InvocationTargetException | InstantiationException | IllegalAccessException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            if (cause instanceof ConfigException ce) {
                throw ce;
            }
            throw new ConfigException(PARAM_VALIDATOR_CLASS, "could not create " + className + ": " + cause.getClass().getSimpleName());
        }
    }

    /**
     * Reads the {@code oidc.*} parameters; empty when none is set. Any of them without
     * {@code oidc.issuer} is refused by the builder, naming it.
     */
    public static Optional<OidcSettings> oidcSettings(InitParams params) {
        List<String> names = List.of(OidcSettings.PARAM_ISSUER, OidcSettings.PARAM_CLIENT_ID, OidcSettings.PARAM_CLIENT_SECRET,
                OidcSettings.PARAM_SCOPE, OidcSettings.PARAM_CALLBACK_PATH, OidcSettings.PARAM_TRANSACTION_MAX_AGE,
                OidcSettings.PARAM_BACKCHANNEL_LOGOUT_PATH,
                OidcSettings.PARAM_CLIENT_AUTH, OidcSettings.PARAM_CLIENT_KEY, OidcSettings.PARAM_CLIENT_KEY_ID,
                OidcSettings.PARAM_CLIENT_ASSERTION_AUDIENCE, OidcSettings.PARAM_AUTHORIZATION_ENDPOINT,
                OidcSettings.PARAM_TOKEN_ENDPOINT, OidcSettings.PARAM_JWKS_URI, OidcSettings.PARAM_END_SESSION_ENDPOINT,
                OidcSettings.PARAM_REVOCATION_ENDPOINT, OidcSettings.PARAM_AUDIENCE, OidcSettings.PARAM_RESOURCE,
                OidcSettings.PARAM_PROMPT, OidcSettings.PARAM_ACR_VALUES, OidcSettings.PARAM_REQUIRE_ACR, OidcSettings.PARAM_MAX_AGE,
                OidcSettings.PARAM_LOGIN_HINT_FROM_REQUEST, OidcSettings.PARAM_TOKEN_REQUEST_SCOPE);
        if (names.stream().noneMatch(n -> params.peek(n).isPresent())) {
            return Optional.empty();
        }
        OidcSettings.Builder b = OidcSettings.builder();
        params.get(OidcSettings.PARAM_ISSUER).ifPresent(b::issuer);
        Optional<String> id = params.get(OidcSettings.PARAM_CLIENT_ID);
        Optional<String> secret = params.get(OidcSettings.PARAM_CLIENT_SECRET);
        // With private_key_jwt there is no secret; the builder checks the combinations.
        OidcSettings.ClientAuth auth = OidcSettings.ClientAuth.of(params.choice(OidcSettings.PARAM_CLIENT_AUTH,
                OidcSettings.ClientAuth.CLIENT_SECRET_BASIC.value(), "client_secret_basic", "client_secret_post", "private_key_jwt"));
        b.clientAuth(auth);
        if (id.isPresent() && secret.isPresent()) {
            b.client(id.get(), secret.get());
        } else if (id.isPresent() && auth == OidcSettings.ClientAuth.PRIVATE_KEY_JWT) {
            b.clientId(id.get());
        } else if (id.isPresent() != secret.isPresent()) {
            throw new ConfigException(id.isPresent() ? OidcSettings.PARAM_CLIENT_SECRET : OidcSettings.PARAM_CLIENT_ID,
                    "is required with " + OidcSettings.PARAM_ISSUER);
        }
        params.get(OidcSettings.PARAM_CLIENT_KEY).ifPresent(b::clientKey);
        params.get(OidcSettings.PARAM_CLIENT_KEY_ID).ifPresent(b::clientKeyId);
        params.get(OidcSettings.PARAM_CLIENT_ASSERTION_AUDIENCE).ifPresent(v -> b.clientAssertionAudience(
                switch (params.choice(OidcSettings.PARAM_CLIENT_ASSERTION_AUDIENCE, "issuer", "issuer", "token-endpoint")) {
                    case "token-endpoint" -> OidcSettings.AssertionAudience.TOKEN_ENDPOINT;
                    default -> OidcSettings.AssertionAudience.ISSUER;
                }));
        for (String endpoint : OidcSettings.ENDPOINT_PARAMS) {
            params.get(endpoint).ifPresent(url -> b.endpoint(endpoint, url));
        }
        params.get(OidcSettings.PARAM_AUDIENCE).ifPresent(b::audience);
        b.resource(params.list(OidcSettings.PARAM_RESOURCE).toArray(new String[0]));
        params.get(OidcSettings.PARAM_SCOPE).ifPresent(b::scope);
        params.get(OidcSettings.PARAM_CALLBACK_PATH).ifPresent(b::callbackPath);
        params.get(OidcSettings.PARAM_BACKCHANNEL_LOGOUT_PATH).ifPresent(b::backChannelLogoutPath);
        Bounds.duration(params, OidcSettings.PARAM_TRANSACTION_MAX_AGE).ifPresent(b::transactionMaxAge);
        // The authorization-request extras (prompt, acr_values, max_age, login_hint).
        params.get(OidcSettings.PARAM_PROMPT).ifPresent(b::prompt);
        params.get(OidcSettings.PARAM_ACR_VALUES).ifPresent(b::acrValues);
        b.requireAcr(params.bool(OidcSettings.PARAM_REQUIRE_ACR, false));
        Bounds.duration(params, OidcSettings.PARAM_MAX_AGE).ifPresent(b::maxAge);
        b.loginHintFromRequest(params.bool(OidcSettings.PARAM_LOGIN_HINT_FROM_REQUEST, false));
        b.tokenRequestScope(params.bool(OidcSettings.PARAM_TOKEN_REQUEST_SCOPE, false));
        return Optional.of(b.build());
    }

    /** Reads the endpoint parameters: a string-to-{@link Builder} mapping; the builder checks. */
    public static EndpointSettings endpointSettings(InitParams params) {
        EndpointSettings.Builder b = EndpointSettings.builder();
        for (EndpointSettings.Endpoint e : EndpointSettings.Endpoint.values()) {
            params.get(e.parameter()).ifPresent(path -> b.path(e, path));
        }
        params.get(EndpointSettings.PARAM_LOGIN_SUCCESS_PATH).ifPresent(b::loginSuccessPath);
        params.get(EndpointSettings.PARAM_LOGOUT_REDIRECT_PATH).ifPresent(b::logoutRedirectPath);
        params.integer(EndpointSettings.PARAM_LOGIN_MAX_BODY_BYTES).ifPresent(b::loginMaxBodyBytes);
        params.integer(EndpointSettings.PARAM_LOGIN_MAX_FAILURES).ifPresent(b::loginMaxFailures);
        params.integer(EndpointSettings.PARAM_LOGIN_ADDRESS_MAX_FAILURES).ifPresent(b::loginAddressMaxFailures);
        Bounds.duration(params, EndpointSettings.PARAM_LOGIN_USERNAME_MAX_DELAY).ifPresent(b::loginUsernameMaxDelay);
        Bounds.duration(params, EndpointSettings.PARAM_LOGIN_FAILURE_WINDOW).ifPresent(b::loginFailureWindow);
        return b.sessionClaims(params.list(EndpointSettings.PARAM_SESSION_CLAIMS)).build();
    }

    /**
     * The refresher that {@code refresh-url} or {@code oauth2.token-url} and their parameters
     * describe, over the attached transport if any; empty when neither URL is set.
     *
     * @throws ConfigException naming the parameter at fault
     */
    public static Optional<TokenRefresher> refresher(InitParams params, Clock clock) {
        return HttpTokenRefresher.fromParams(params, clock).map(TokenRefresher.class::cast);
    }
}
