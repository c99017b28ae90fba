package io.github.sessiongate;

import io.github.sessiongate.engine.MicrometerChoice;
import io.github.sessiongate.engine.SettingsChecks;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every setting of a {@link SessionFilter}, parsed and checked once, then immutable.
 *
 * <p>Two ways in, one set of checks: web.xml init-params (each {@code PARAM_*}
 * constant is an init-param name, its {@code DEFAULT_*} neighbour the value used when it is
 * absent), and {@link #builder()} for {@code ServletContext.addFilter}. A bad value fails with a
 * {@link ConfigException} naming the parameter. Each group of parameters is an immutable settings
 * value with a typed builder ({@link CookieSettings}, {@code EndpointSettings}, {@code CsrfGuard},
 * {@code GuestSettings}, {@code LifetimeSettings}, {@code ClientTokenSettings},
 * {@code CookieSealSettings}, {@code LoginSettings}, {@code RevokeSettings});
 * the filter's init-param mapping only maps strings onto those builders, so each bound and default is
 * written once, and {@link Builder#build()} runs every cross-check (no secret serves two purposes,
 * the cookies fit the response header budget). The validator reads its own parameters.
 */
public final class GateConfig {
    /** Paths that need a session: comma/space separated patterns (see README). */
    public static final String PARAM_PROTECTED_PATHS = "protected-paths";
    /** Paths open to everyone. */
    public static final String PARAM_PUBLIC_PATHS = "public-paths";
    /** Role-gated paths, {@code pattern=role[|role...]} items; each implies protected. */
    public static final String PARAM_ROLE_RULES = "role-rules";
    /** What a path matching no rule gets: {@code protected} or {@code public}. */
    public static final String PARAM_DEFAULT_ACCESS = "default-access";
    public static final Access DEFAULT_DEFAULT_ACCESS = Access.PROTECTED;
    /** The login page, relative to the context; always public. */
    public static final String PARAM_LOGIN_PATH = "login-path";
    public static final String DEFAULT_LOGIN_PATH = "/login";
    /** Realm named in the {@code WWW-Authenticate} challenge of a 401. */
    public static final String PARAM_REALM = "realm";
    public static final String DEFAULT_REALM = "sessiongate";
    /** The application's origin as browsers see it, e.g. {@code https://app.example.com}. */
    public static final String PARAM_PUBLIC_ORIGIN = "public-origin";
    /** Proxies (IPs or CIDRs) whose {@code X-Forwarded-*} headers are believed. Default: none. */
    public static final String PARAM_TRUSTED_PROXIES = "trusted-proxies";
    /** Whether {@code Authorization: Bearer} is accepted from non-browser clients. */
    public static final String PARAM_ACCEPT_BEARER_HEADER = "accept-bearer-header";
    public static final boolean DEFAULT_ACCEPT_BEARER_HEADER = false;
    /** Firewall opt-out: allow a trailing {@code ;jsessionid=...} path parameter. */
    public static final String PARAM_ALLOW_JSESSIONID = "allow-jsessionid-path-parameter";
    public static final boolean DEFAULT_ALLOW_JSESSIONID = false;
    /** Class name of the {@link TokenValidator}; needs a public no-argument constructor. */
    public static final String PARAM_VALIDATOR_CLASS = "validator-class";
    public static final String DEFAULT_VALIDATOR_CLASS = "io.github.sessiongate.jwt.JwtTokenValidator";
    /** Seconds a client is told to wait ({@code Retry-After}) when no verdict could be had. */
    public static final String PARAM_RETRY_AFTER = "retry-after-seconds";
    public static final int DEFAULT_RETRY_AFTER = 5;
    public static final int MIN_RETRY_AFTER = 1;
    public static final int MAX_RETRY_AFTER = 3600;

    /** How long a valid validation result is reused, and an expired verdict shared in a refresh storm; {@code 0} disables both. */
    public static final String PARAM_CACHE_TTL = "cache-ttl";
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(2);
    public static final Duration MIN_CACHE_TTL = Duration.ZERO;
    public static final Duration MAX_CACHE_TTL = Duration.ofMinutes(1);
    /** Bound on cached validation results. */
    public static final String PARAM_CACHE_MAX_ENTRIES = "cache-max-entries";
    public static final int DEFAULT_CACHE_MAX_ENTRIES = 10_000;
    public static final int MIN_CACHE_MAX_ENTRIES = 1;
    public static final int MAX_CACHE_MAX_ENTRIES = 10_000_000;
    /** How long a just-rotated refresh token still yields the same new pair; {@code 0} disables. */
    public static final String PARAM_REFRESH_GRACE = "refresh-grace";
    public static final Duration DEFAULT_REFRESH_GRACE = Duration.ofSeconds(30);
    public static final Duration MIN_REFRESH_GRACE = Duration.ZERO;
    public static final Duration MAX_REFRESH_GRACE = Duration.ofMinutes(5);
    /** Bound on remembered rotations. */
    public static final String PARAM_GRACE_MAX_ENTRIES = "grace-max-entries";
    public static final int DEFAULT_GRACE_MAX_ENTRIES = 10_000;
    public static final int MIN_GRACE_MAX_ENTRIES = 1;
    public static final int MAX_GRACE_MAX_ENTRIES = 10_000_000;
    /**
     * Bound on each security store: tombstones of ended refresh tokens, revoked access tokens, and
     * rotation chains. Never evicted; when one is full, refreshes and logouts answer 503.
     */
    public static final String PARAM_SECURITY_MAX_ENTRIES = "security-max-entries";
    public static final int DEFAULT_SECURITY_MAX_ENTRIES = 50_000;
    public static final int MIN_SECURITY_MAX_ENTRIES = 1;
    public static final int MAX_SECURITY_MAX_ENTRIES = 10_000_000;
    /** Bound on the negative cache of refusals of tokens never seen valid (junk); evicts when full. */
    public static final String PARAM_NEGATIVE_CACHE_MAX_ENTRIES = "negative-cache-max-entries";
    public static final int DEFAULT_NEGATIVE_CACHE_MAX_ENTRIES = 10_000;
    public static final int MIN_NEGATIVE_CACHE_MAX_ENTRIES = 1;
    public static final int MAX_NEGATIVE_CACHE_MAX_ENTRIES = 10_000_000;
    /** Backend calls (remote validations and refreshes) in flight at once, across all tokens. */
    public static final String PARAM_BACKEND_MAX_CONCURRENCY = "backend-max-concurrency";
    public static final int DEFAULT_BACKEND_MAX_CONCURRENCY = 64;
    public static final int MIN_BACKEND_MAX_CONCURRENCY = 1;
    public static final int MAX_BACKEND_MAX_CONCURRENCY = 100_000;
    /**
     * How long a request waits for another request's call with the same token, and a login for
     * attempts in flight to leave room under the login limits.
     */
    public static final String PARAM_BACKEND_WAIT_TIMEOUT = "backend-wait-timeout";
    public static final Duration DEFAULT_BACKEND_WAIT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration MIN_BACKEND_WAIT_TIMEOUT = Duration.ofMillis(100);
    public static final Duration MAX_BACKEND_WAIT_TIMEOUT = Duration.ofMinutes(1);
    /** Refresh a still-valid access token this close to its expiry; {@code 0} (default) only after. */
    public static final String PARAM_REFRESH_AHEAD = "refresh-ahead";
    public static final Duration DEFAULT_REFRESH_AHEAD = Duration.ZERO;
    public static final Duration MIN_REFRESH_AHEAD = Duration.ZERO;
    public static final Duration MAX_REFRESH_AHEAD = Duration.ofMinutes(10);
    /** Whether the wrapped request shows the access token as {@code Authorization: Bearer}. */
    /**
     * Whether a page navigation without a session is sent to the login flow's entry point; off, a
     * protected path answers {@code 401} to everyone (an application with no pages).
     */
    public static final String PARAM_LOGIN_REDIRECT = "login-redirect";
    public static final boolean DEFAULT_LOGIN_REDIRECT = true;
    public static final String PARAM_AUTHORIZATION_HEADER_VIEW = "authorization-header-view";
    public static final boolean DEFAULT_AUTHORIZATION_HEADER_VIEW = false;
    /** Connect timeout of the filter's one outbound transport, shared by every backend call. */
    public static final String PARAM_BACKEND_CONNECT_TIMEOUT = "backend-connect-timeout";
    public static final Duration DEFAULT_BACKEND_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Time allowed for a backend's answer after the request is sent. */
    public static final String PARAM_BACKEND_READ_TIMEOUT = "backend-read-timeout";
    public static final Duration DEFAULT_BACKEND_READ_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration MIN_BACKEND_TIMEOUT = Duration.ofMillis(50);
    public static final Duration MAX_BACKEND_TIMEOUT = Duration.ofSeconds(60);
    /** Origins the application's {@link BackendClient} may send the user's token to. */
    public static final String PARAM_BACKEND_ORIGINS = BackendClient.PARAM_BACKEND_ORIGINS;
    /** The CSRF check: {@code enforce}, {@code report-only} or {@code off}. */
    public static final String PARAM_CSRF = "csrf";
    public static final Csrf DEFAULT_CSRF = Csrf.ENFORCE;
    /**
     * Origins besides the application's own that may send state-changing requests, comma- or
     * whitespace-separated, each a bare {@code http(s)://host[:port]}; no wildcards.
     */
    public static final String PARAM_ALLOWED_ORIGINS = "allowed-origins";
    /** Refuse checked requests that carry none of Sec-Fetch-Site, Origin and Referer. */
    public static final String PARAM_CSRF_REQUIRE_ORIGIN = "csrf-require-origin";
    public static final boolean DEFAULT_CSRF_REQUIRE_ORIGIN = false;
    /**
     * Where the shared state lives: {@code memory} (the bounded in-memory default, per node),
     * {@code redis} (the Redis store, {@code redis.*} parameters) or the class name of any
     * {@link StateStore} (public no-arg constructor).
     */
    public static final String PARAM_STATE_STORE = "state-store";
    public static final String DEFAULT_STATE_STORE = "memory";
    /**
     * The key sealing token-carrying state before it leaves the JVM: base64url, 32 bytes, the same
     * on every node; required by a store shared across nodes. Secret.
     */
    public static final String PARAM_STATE_STORE_KEY = "state-store-key";
    /**
     * Whether the filter's figures are registered as Micrometer meters ({@code sessiongate.*}):
     * {@code auto} (when {@code io.micrometer:micrometer-core} is on the class path), {@code on}
     * (start-up fails without it) or {@code off}.
     */
    public static final String PARAM_METRICS_MICROMETER = "metrics.micrometer";
    public static final MicrometerMode DEFAULT_METRICS_MICROMETER = MicrometerMode.AUTO;

    private final List<String> protectedPaths;
    private final List<String> publicPaths;
    private final List<String> roleRules;
    private final Access defaultAccess;
    private final String loginPath;
    private final String realm;
    private final URI publicOrigin;
    private final List<String> trustedProxies;
    private final boolean acceptBearerHeader;
    private final boolean allowJsessionid;
    private final int retryAfterSeconds;
    private final Duration cacheTtl;
    private final int cacheMaxEntries;
    private final Duration refreshGrace;
    private final int graceMaxEntries;
    private final int securityMaxEntries;
    private final int negativeCacheMaxEntries;
    private final int backendMaxConcurrency;
    private final Duration backendWaitTimeout;
    private final Duration refreshAhead;
    private final boolean authorizationHeaderView;
    private final boolean loginRedirect;
    private final CookieSettings cookies;
    private final List<AuditListener> auditListeners;
    private final EndpointSettings endpoints;
    private final Csrf csrf;
    private final List<String> allowedOrigins;
    private final boolean csrfRequireOrigin;
    private final GuestSettings guests;
    private final LifetimeSettings lifetime;
    private final ClientTokenSettings clientTokens;
    private final CookieSealSettings cookieSeal;
    private final Map<String, String> externalSecrets;
    private final List<String> backendOrigins;
    private final List<ProxyRoute> proxyRoutes;
    private final BackendClient givenBackendClient;
    private final LoginSettings login;
    private final RevokeSettings revoke;
    private final LoginFlow loginFlow;
    private final OidcSettings oidc;
    private final Duration backendConnectTimeout;
    private final Duration backendReadTimeout;
    private final TokenValidator validator;
    private final Clock clock;
    private final StateStore stateStore;
    private final javax.crypto.SecretKey stateStoreKey;
    private final MicrometerMode micrometer;
    private final Object meterRegistry;

    private GateConfig(Builder b) {
        this.protectedPaths = List.copyOf(b.protectedPaths);
        this.publicPaths = List.copyOf(b.publicPaths);
        this.roleRules = List.copyOf(b.roleRules);
        this.defaultAccess = b.defaultAccess;
        this.loginPath = checkLoginPath(b.loginPath);
        this.realm = checkRealm(b.realm);
        this.publicOrigin = b.publicOrigin == null ? null : uri(b.publicOrigin); // its shape: checked by the engine, below
        this.trustedProxies = List.copyOf(b.trustedProxies);
        this.acceptBearerHeader = b.acceptBearerHeader;
        this.allowJsessionid = b.allowJsessionid;
        this.retryAfterSeconds = SettingsChecks.number(PARAM_RETRY_AFTER, b.retryAfterSeconds, MIN_RETRY_AFTER, MAX_RETRY_AFTER);
        this.cacheTtl = SettingsChecks.duration(PARAM_CACHE_TTL, b.cacheTtl, MIN_CACHE_TTL, MAX_CACHE_TTL);
        this.cacheMaxEntries = SettingsChecks.number(PARAM_CACHE_MAX_ENTRIES, b.cacheMaxEntries, MIN_CACHE_MAX_ENTRIES,
                MAX_CACHE_MAX_ENTRIES);
        this.refreshGrace = SettingsChecks.duration(PARAM_REFRESH_GRACE, b.refreshGrace, MIN_REFRESH_GRACE, MAX_REFRESH_GRACE);
        this.graceMaxEntries = SettingsChecks.number(PARAM_GRACE_MAX_ENTRIES, b.graceMaxEntries, MIN_GRACE_MAX_ENTRIES,
                MAX_GRACE_MAX_ENTRIES);
        this.securityMaxEntries = SettingsChecks.number(PARAM_SECURITY_MAX_ENTRIES, b.securityMaxEntries, MIN_SECURITY_MAX_ENTRIES,
                MAX_SECURITY_MAX_ENTRIES);
        this.negativeCacheMaxEntries = SettingsChecks.number(PARAM_NEGATIVE_CACHE_MAX_ENTRIES, b.negativeCacheMaxEntries,
                MIN_NEGATIVE_CACHE_MAX_ENTRIES, MAX_NEGATIVE_CACHE_MAX_ENTRIES);
        this.backendMaxConcurrency = SettingsChecks.number(PARAM_BACKEND_MAX_CONCURRENCY, b.backendMaxConcurrency,
                MIN_BACKEND_MAX_CONCURRENCY, MAX_BACKEND_MAX_CONCURRENCY);
        this.backendWaitTimeout = SettingsChecks.duration(PARAM_BACKEND_WAIT_TIMEOUT, b.backendWaitTimeout, MIN_BACKEND_WAIT_TIMEOUT,
                MAX_BACKEND_WAIT_TIMEOUT);
        this.refreshAhead = SettingsChecks.duration(PARAM_REFRESH_AHEAD, b.refreshAhead, MIN_REFRESH_AHEAD, MAX_REFRESH_AHEAD);
        this.authorizationHeaderView = b.authorizationHeaderView;
        this.loginRedirect = b.loginRedirect;
        this.stateStore = b.stateStore;
        this.stateStoreKey = b.stateStoreKey == null ? null : stateKey(b.stateStoreKey);
        this.micrometer = b.micrometer;
        this.meterRegistry = b.meterRegistry;
        MicrometerChoice.check(micrometer, meterRegistry, GateConfig.class.getClassLoader());
        this.cookies = b.cookies != null ? b.cookies : CookieSettings.builder().build();
        this.auditListeners = List.copyOf(b.auditListeners);
        this.endpoints = b.endpoints != null ? b.endpoints : EndpointSettings.defaults();
        this.csrf = b.csrf;
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        this.csrfRequireOrigin = b.csrfRequireOrigin;
        this.clock = b.clock;
        this.lifetime = b.lifetime == null || !b.lifetime.enabled() ? null : b.lifetime;
        this.clientTokens = b.clientTokens == null || !b.clientTokens.enabled() ? null : b.clientTokens;
        this.cookieSeal = b.cookieSeal == null || !b.cookieSeal.enabled() ? null : b.cookieSeal;
        this.guests = b.guests == null || !b.guests.enabled() ? null : b.guests;
        Map<String, String> external = new LinkedHashMap<>(b.externalSecrets);
        if (b.stateStoreKey != null) {
            external.put(PARAM_STATE_STORE_KEY, b.stateStoreKey.strip()); // for the key-reuse check
        }
        this.externalSecrets = Map.copyOf(external);
        this.backendOrigins = List.copyOf(b.backendOrigins);
        this.proxyRoutes = checkProxyRoutes(b.proxyRoutes);
        this.givenBackendClient = b.backendClient;
        BackendClient.Builder origins = BackendClient.builder();
        backendOrigins.forEach(origins::allowOrigin); // refuses a bad origin now, naming backend-origins
        if (givenBackendClient != null && !backendOrigins.isEmpty()) {
            throw new ConfigException(PARAM_BACKEND_ORIGINS, "cannot be combined with a BackendClient given to the builder:"
                    + " set the origins on that client, or let the filter make one from " + PARAM_BACKEND_ORIGINS);
        }
        this.backendConnectTimeout = b.backendConnectTimeout; // both checked by their setters
        this.backendReadTimeout = b.backendReadTimeout;
        this.login = b.login == null || !b.login.enabled() ? null : b.login;
        this.revoke = b.revoke == null || !b.revoke.enabled() ? null : b.revoke;
        this.loginFlow = b.loginFlow;
        if (loginFlow != null && (login != null || revoke != null)) {
            throw new ConfigException("loginFlow", "replaces the password login: its flow does not use login(..) or revoke(..)");
        }
        this.oidc = b.oidc;
        if (oidc != null && (login != null || revoke != null || loginFlow != null)) {
            throw new ConfigException(OidcSettings.PARAM_ISSUER, "OpenID Connect sign-in replaces the password login: remove "
                    + (loginFlow != null ? "the login flow given in code" : login != null ? "login-url / oauth2.login"
                    : "revoke-url / oauth2.revocation-url") + " (the provider's endpoints come from discovery)");
        }
        this.validator = b.validator;
        if (validator == null) {
            throw new ConfigException(PARAM_VALIDATOR_CLASS, "no validator given: name a TokenValidator class, "
                    + "or configure the built-in JWT validator (see README)");
        }
        // The checks that need the engine: no key serves two purposes; the cookie budget; origins, proxies, path rules.
        SettingsChecks.check(this);
    }

    /** Starts a programmatic configuration; {@link Builder#validator} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** What the CSRF check does ({@value #PARAM_CSRF}). */
    public enum Csrf {
        /** Refuse what the check refuses ({@code enforce}, the default). */
        ENFORCE("enforce"),
        /** Check and log would-be refusals, refuse nothing ({@code report-only}). */
        REPORT_ONLY("report-only"),
        /** No check ({@code off}). */
        OFF("off");

        private final String paramValue;

        Csrf(String paramValue) {
            this.paramValue = paramValue;
        }

        /** The value as written in the {@value GateConfig#PARAM_CSRF} init-param. */
        public String paramValue() {
            return paramValue;
        }
    }

    /** Whether the figures become Micrometer meters ({@value #PARAM_METRICS_MICROMETER}). */
    public enum MicrometerMode {
        /** When Micrometer is on the class path ({@code auto}, the default). */
        AUTO("auto"),
        /** Always: start-up fails when Micrometer is missing ({@code on}). */
        ON("on"),
        /** Never, even with Micrometer present or a registry given ({@code off}). */
        OFF("off");

        private final String paramValue;

        MicrometerMode(String paramValue) {
            this.paramValue = paramValue;
        }

        /** The value as written in the {@value GateConfig#PARAM_METRICS_MICROMETER} init-param. */
        public String paramValue() {
            return paramValue;
        }
    }

    /** What a path matching no rule gets ({@value #PARAM_DEFAULT_ACCESS}). */
    public enum Access {
        /** Needs a session. */
        PROTECTED,
        /** Open to everyone. */
        PUBLIC
    }

    private static URI uri(String origin) {
        try {
            return new URI(origin);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(PARAM_PUBLIC_ORIGIN, "must be an origin such as https://app.example.com, not '" + origin + "'");
        }
    }

    private static String checkLoginPath(String path) {
        if (path == null || !path.startsWith("/") || path.startsWith("//") || path.contains("..")
                || path.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f || c == '?' || c == '#' || c == '\\' || c == ';' || c == '%' || c == '*')) {
            throw new ConfigException(PARAM_LOGIN_PATH, "must be a plain path inside the application such as /login");
        }
        return path;
    }

    private static String checkRealm(String realm) {
        if (realm == null || realm.isEmpty() || !realm.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\')) {
            throw new ConfigException(PARAM_REALM, "must be printable ASCII without spaces, quotes or backslashes");
        }
        return realm;
    }

    public List<String> protectedPaths() {
        return protectedPaths;
    }

    public List<String> publicPaths() {
        return publicPaths;
    }

    public List<String> roleRules() {
        return roleRules;
    }

    public Access defaultAccess() {
        return defaultAccess;
    }

    public String loginPath() {
        return loginPath;
    }

    public String realm() {
        return realm;
    }

    /** The origin browsers use ({@value #PARAM_PUBLIC_ORIGIN}), if set; {@link Builder#build()} checked it. */
    public Optional<URI> publicOrigin() {
        return Optional.ofNullable(publicOrigin);
    }

    /** The proxies (IPs or CIDRs) whose forwarding headers are believed, as configured; checked by {@link Builder#build()}. */
    public List<String> trustedProxies() {
        return trustedProxies;
    }

    public boolean acceptBearerHeader() {
        return acceptBearerHeader;
    }

    public boolean allowJsessionidPathParameter() {
        return allowJsessionid;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public CookieSettings cookies() {
        return cookies;
    }

    public Duration cacheTtl() {
        return cacheTtl;
    }

    public int cacheMaxEntries() {
        return cacheMaxEntries;
    }

    public Duration refreshGrace() {
        return refreshGrace;
    }

    public int graceMaxEntries() {
        return graceMaxEntries;
    }

    /** Bound on each security store (tombstones, revocations, rotation chains). */
    public int securityMaxEntries() {
        return securityMaxEntries;
    }

    /** Bound on the evicting negative cache of junk refusals. */
    public int negativeCacheMaxEntries() {
        return negativeCacheMaxEntries;
    }

    public int backendMaxConcurrency() {
        return backendMaxConcurrency;
    }

    public Duration backendWaitTimeout() {
        return backendWaitTimeout;
    }

    public Duration refreshAhead() {
        return refreshAhead;
    }

    public boolean authorizationHeaderView() {
        return authorizationHeaderView;
    }

    /** Whether a page navigation without a session goes to the login flow's entry point ({@value #PARAM_LOGIN_REDIRECT}). */
    public boolean loginRedirect() {
        return loginRedirect;
    }

    /** Listeners told of every audit event (init-param {@code audit-listener-class}). */
    public List<AuditListener> auditListeners() {
        return auditListeners;
    }

    /** The filter's own endpoints: paths, login limits, session claims. */
    public EndpointSettings endpoints() {
        return endpoints;
    }

    /** The CSRF check ({@value #PARAM_CSRF}). */
    public Csrf csrf() {
        return csrf;
    }

    /** Origins besides the application's own that may send state-changing requests ({@value #PARAM_ALLOWED_ORIGINS}). */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Whether a checked request must carry an origin header ({@value #PARAM_CSRF_REQUIRE_ORIGIN}). */
    public boolean csrfRequireOrigin() {
        return csrfRequireOrigin;
    }

    /** Guest tokens, if on ({@code guest-tokens=true}). */
    public Optional<GuestSettings> guests() {
        return Optional.ofNullable(guests);
    }

    /** The server-enforced session lifetime, if any timeout is on. */
    public Optional<LifetimeSettings> lifetime() {
        return Optional.ofNullable(lifetime);
    }

    /** Client tokens for browser SDKs, if on ({@code client-token-secret} set). */
    public Optional<ClientTokenSettings> clientTokens() {
        return Optional.ofNullable(clientTokens);
    }

    /** Sealing of token cookies, if on ({@code cookie-encryption-keys} set). */
    public Optional<CookieSealSettings> cookieSeal() {
        return Optional.ofNullable(cookieSeal);
    }

    /** Secrets held outside these settings (the validator's, the OAuth2 client's) by init-param, for the reuse check. */
    Map<String, String> externalSecrets() {
        return externalSecrets;
    }

    /** Whether the login endpoint has a backend ({@code login-url} or {@code login(..)}); without one it is off. */
    public boolean loginEnabled() {
        return login != null;
    }

    /** Whether logout revokes refresh tokens at a backend. */
    public boolean revokeEnabled() {
        return revoke != null;
    }

    /** The backend login behind the login endpoint, if set. */
    public Optional<LoginSettings> login() {
        return Optional.ofNullable(login);
    }

    /** Revocation of refresh tokens at logout, if set. */
    public Optional<RevokeSettings> revoke() {
        return Optional.ofNullable(revoke);
    }

    /** The login flow given in code; empty for the password flow of {@link #login()} and {@link #revoke()}. */
    public Optional<LoginFlow> loginFlow() {
        return Optional.ofNullable(loginFlow);
    }

    /** OpenID Connect sign-in ({@value OidcSettings#PARAM_ISSUER}), if set; it replaces the password login. */
    public Optional<OidcSettings> oidc() {
        return Optional.ofNullable(oidc);
    }

    /** The origins of the backend client the filter makes and publishes ({@value #PARAM_BACKEND_ORIGINS}); empty for none. */
    public List<String> backendOrigins() {
        return backendOrigins;
    }

    /** The API proxy's routes ({@value ProxyRoute#PARAM_ROUTES}), in the order given; empty when off. */
    public List<ProxyRoute> proxyRoutes() {
        return proxyRoutes;
    }

    /** Route names are unique and no prefix lies inside another's: a path is forwarded by one route or none. */
    private static List<ProxyRoute> checkProxyRoutes(List<ProxyRoute> routes) {
        for (int i = 0; i < routes.size(); i++) {
            for (int j = 0; j < i; j++) {
                ProxyRoute a = routes.get(j);
                ProxyRoute b = routes.get(i);
                if (a.name().equals(b.name())) {
                    throw new ConfigException(ProxyRoute.PARAM_ROUTES, "names the route " + b.name() + " twice");
                }
                if (a.overlaps(b)) {
                    throw new ConfigException(ProxyRoute.PARAM_ROUTES, "routes " + a.name() + " (" + a.prefix() + "/*) and "
                            + b.name() + " (" + b.prefix() + "/*) overlap: give each its own prefix");
                }
            }
        }
        return List.copyOf(routes);
    }

    /** The backend client given ready-made to the builder (its owner's: the filter never closes it), if any. */
    public Optional<BackendClient> givenBackendClient() {
        return Optional.ofNullable(givenBackendClient);
    }

    /** Time allowed for a backend's answer ({@value #PARAM_BACKEND_READ_TIMEOUT}) for login, revoke and the backend client. */
    public Duration backendReadTimeout() {
        return backendReadTimeout;
    }

    /**
     * {@code backend-connect-timeout}: the connect timeout of the filter's one outbound transport,
     * which every backend call shares (each call has its own read timeout).
     */
    public Duration backendConnectTimeout() {
        return backendConnectTimeout;
    }

    public TokenValidator validator() {
        return validator;
    }

    public Clock clock() {
        return clock;
    }

    /** The configured state store; empty: the bounded in-memory default, per node. */
    public Optional<StateStore> stateStore() {
        return Optional.ofNullable(stateStore);
    }

    /** Whether the figures become Micrometer meters ({@value #PARAM_METRICS_MICROMETER}). */
    public MicrometerMode micrometer() {
        return micrometer;
    }

    /**
     * The Micrometer {@code MeterRegistry} given to the builder, typed {@code Object} so this class
     * never links Micrometer; empty: the one in the {@code ServletContext}, else the global one.
     */
    public Optional<Object> meterRegistry() {
        return Optional.ofNullable(meterRegistry);
    }

    /** Whether a state key is set: token-carrying state is sealed before it leaves the JVM. */
    public boolean stateSealed() {
        return stateStoreKey != null;
    }

    /** The state key ({@value #PARAM_STATE_STORE_KEY}); for the engine only, through {@code SessionFilter}'s hooks. */
    Optional<javax.crypto.SecretKey> stateStoreKey() {
        return Optional.ofNullable(stateStoreKey);
    }

    private static javax.crypto.SecretKey stateKey(String base64url) {
        byte[] raw;
        try {
            raw = java.util.Base64.getUrlDecoder().decode(base64url.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(PARAM_STATE_STORE_KEY, "is not base64url");
        }
        if (raw.length != 32) {
            throw new ConfigException(PARAM_STATE_STORE_KEY, "must be 32 bytes (43 base64url characters), not " + raw.length);
        }
        return new javax.crypto.spec.SecretKeySpec(raw, "AES");
    }

    /** The effective settings in one line, for the start-up log. No secret appears. */
    public String describe() {
        return "paths{protected=" + protectedPaths + ", public=" + publicPaths + ", roles=" + roleRules
                + ", default=" + defaultAccess.name().toLowerCase(java.util.Locale.ROOT) + "}, endpoints{" + endpoints.describe() + "}, csrf{" + csrf.paramValue() + (allowedOrigins.isEmpty() ? "" : ", " + PARAM_ALLOWED_ORIGINS + "=" + allowedOrigins) + (csrfRequireOrigin ? ", " + PARAM_CSRF_REQUIRE_ORIGIN + "=true" : "") + "}, login-path=" + loginPath + ", cookies{" + cookies.describe()
                + "}, validator=" + validator.describe() + ", " + PARAM_ACCEPT_BEARER_HEADER + "=" + acceptBearerHeader
                + ", " + PARAM_PUBLIC_ORIGIN + "=" + (publicOrigin == null ? "(from request)" : publicOrigin)
                + ", " + PARAM_TRUSTED_PROXIES + "=" + trustedProxies
                + ", rotation{" + PARAM_CACHE_TTL + "=" + cacheTtl + ", " + PARAM_REFRESH_GRACE + "=" + refreshGrace
                + ", " + PARAM_BACKEND_MAX_CONCURRENCY + "=" + backendMaxConcurrency
                + (refreshAhead.isZero() ? "" : ", " + PARAM_REFRESH_AHEAD + "=" + refreshAhead) + "}"
                + (lifetime == null ? "" : ", lifetime{" + lifetime + "}")
                + (clientTokens == null ? "" : ", client-tokens{" + clientTokens + "}")
                + (cookieSeal == null ? "" : ", sealed{" + cookieSeal + "}")
                + (allowJsessionid ? ", " + PARAM_ALLOW_JSESSIONID + "=true" : "")
                + (loginRedirect ? "" : ", " + PARAM_LOGIN_REDIRECT + "=false")
                + (stateStore == null ? "" : ", state-store=" + stateStore.getClass().getName()
                        + (stateStoreKey == null ? "" : " (sealed)"))
                + (micrometer == DEFAULT_METRICS_MICROMETER ? "" : ", " + PARAM_METRICS_MICROMETER + "=" + micrometer.paramValue())
                + (meterRegistry == null ? "" : ", meter-registry=" + meterRegistry.getClass().getName());
    }

    @Override
    public String toString() {
        return "GateConfig[" + describe() + "]";
    }

    /**
     * Builds a {@link GateConfig} in code; every setting has the same name, default and checks
     * as its init-param. Not thread-safe; {@link #build()} returns an immutable config.
     */
    public static final class Builder {
        private List<String> protectedPaths = List.of();
        private List<String> publicPaths = List.of();
        private List<String> roleRules = List.of();
        private Access defaultAccess = DEFAULT_DEFAULT_ACCESS;
        private String loginPath = DEFAULT_LOGIN_PATH;
        private String realm = DEFAULT_REALM;
        private String publicOrigin;
        private List<String> trustedProxies = List.of();
        private boolean acceptBearerHeader = DEFAULT_ACCEPT_BEARER_HEADER;
        private boolean allowJsessionid = DEFAULT_ALLOW_JSESSIONID;
        private int retryAfterSeconds = DEFAULT_RETRY_AFTER;
        private Duration cacheTtl = DEFAULT_CACHE_TTL;
        private int cacheMaxEntries = DEFAULT_CACHE_MAX_ENTRIES;
        private Duration refreshGrace = DEFAULT_REFRESH_GRACE;
        private int graceMaxEntries = DEFAULT_GRACE_MAX_ENTRIES;
        private int securityMaxEntries = DEFAULT_SECURITY_MAX_ENTRIES;
        private int negativeCacheMaxEntries = DEFAULT_NEGATIVE_CACHE_MAX_ENTRIES;
        private int backendMaxConcurrency = DEFAULT_BACKEND_MAX_CONCURRENCY;
        private Duration backendWaitTimeout = DEFAULT_BACKEND_WAIT_TIMEOUT;
        private Duration refreshAhead = DEFAULT_REFRESH_AHEAD;
        private boolean authorizationHeaderView = DEFAULT_AUTHORIZATION_HEADER_VIEW;
        private boolean loginRedirect = DEFAULT_LOGIN_REDIRECT;
        private StateStore stateStore;
        private String stateStoreKey;
        private CookieSettings cookies;
        private List<AuditListener> auditListeners = List.of();
        private MicrometerMode micrometer = DEFAULT_METRICS_MICROMETER;
        private Object meterRegistry;
        private EndpointSettings endpoints;
        private Csrf csrf = DEFAULT_CSRF;
        private List<String> allowedOrigins = List.of();
        private boolean csrfRequireOrigin = DEFAULT_CSRF_REQUIRE_ORIGIN;
        private GuestSettings guests;
        private LifetimeSettings lifetime;
        private ClientTokenSettings clientTokens;
        private CookieSealSettings cookieSeal;
        private final Map<String, String> externalSecrets = new LinkedHashMap<>();
        private List<String> backendOrigins = List.of();
        private final List<ProxyRoute> proxyRoutes = new ArrayList<>();
        private BackendClient backendClient;
        private Duration backendConnectTimeout = DEFAULT_BACKEND_CONNECT_TIMEOUT;
        private Duration backendReadTimeout = DEFAULT_BACKEND_READ_TIMEOUT;
        private LoginSettings login;
        private RevokeSettings revoke;
        private LoginFlow loginFlow;
        private OidcSettings oidc;
        private TokenValidator validator;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder protectedPaths(String... patterns) {
            return protectedPaths(Arrays.asList(patterns));
        }

        public Builder protectedPaths(List<String> patterns) {
            this.protectedPaths = List.copyOf(patterns);
            return this;
        }

        public Builder publicPaths(String... patterns) {
            return publicPaths(Arrays.asList(patterns));
        }

        public Builder publicPaths(List<String> patterns) {
            this.publicPaths = List.copyOf(patterns);
            return this;
        }

        /** Items such as {@code /admin/*=admin} or {@code /ops/**=ops|admin}. */
        public Builder roleRules(String... rules) {
            return roleRules(Arrays.asList(rules));
        }

        public Builder roleRules(List<String> rules) {
            this.roleRules = List.copyOf(rules);
            return this;
        }

        /** Role rules from a map of pattern to roles (any of which suffices). */
        public Builder roleRules(Map<String, List<String>> rules) {
            List<String> items = new ArrayList<>();
            rules.forEach((pattern, roles) -> items.add(pattern + "=" + String.join("|", roles)));
            this.roleRules = List.copyOf(items);
            return this;
        }

        public Builder defaultAccess(Access access) {
            this.defaultAccess = Objects.requireNonNull(access, "access");
            return this;
        }

        public Builder loginPath(String path) {
            this.loginPath = Objects.requireNonNull(path, "path");
            return this;
        }

        public Builder realm(String realm) {
            this.realm = Objects.requireNonNull(realm, "realm");
            return this;
        }

        /** The origin browsers use, such as {@code https://app.example.com}; default: from each request. */
        public Builder publicOrigin(String origin) {
            this.publicOrigin = origin;
            return this;
        }

        /** As {@link #publicOrigin(String)}; checked at {@link #build()}. */
        public Builder publicOrigin(URI origin) {
            return publicOrigin(Objects.requireNonNull(origin, "origin").toString());
        }

        public Builder trustedProxies(String... proxies) {
            return trustedProxies(Arrays.asList(proxies));
        }

        public Builder trustedProxies(List<String> proxies) {
            this.trustedProxies = List.copyOf(proxies);
            return this;
        }

        public Builder acceptBearerHeader(boolean accept) {
            this.acceptBearerHeader = accept;
            return this;
        }

        public Builder allowJsessionidPathParameter(boolean allow) {
            this.allowJsessionid = allow;
            return this;
        }

        public Builder retryAfterSeconds(int seconds) {
            this.retryAfterSeconds = seconds;
            return this;
        }

        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        public Builder cacheMaxEntries(int max) {
            this.cacheMaxEntries = max;
            return this;
        }

        public Builder refreshGrace(Duration grace) {
            this.refreshGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        public Builder graceMaxEntries(int max) {
            this.graceMaxEntries = max;
            return this;
        }

        /**
         * Bound on each security store: tombstones, access-token revocations, rotation chains.
         * Default {@value GateConfig#DEFAULT_SECURITY_MAX_ENTRIES}; 1 to 10,000,000, else
         * {@link ConfigException} at {@link #build()}. Never evicted: when full, refreshes and
         * logouts answer 503 with {@code Retry-After} and clear no cookie.
         */
        public Builder securityMaxEntries(int max) {
            this.securityMaxEntries = max;
            return this;
        }

        /**
         * Bound on the negative cache of refusals of tokens never seen valid. Default
         * {@value GateConfig#DEFAULT_NEGATIVE_CACHE_MAX_ENTRIES}; 1 to 10,000,000, else
         * {@link ConfigException} at {@link #build()}. Evicts when full.
         */
        public Builder negativeCacheMaxEntries(int max) {
            this.negativeCacheMaxEntries = max;
            return this;
        }

        public Builder backendMaxConcurrency(int max) {
            this.backendMaxConcurrency = max;
            return this;
        }

        public Builder backendWaitTimeout(Duration timeout) {
            this.backendWaitTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder refreshAhead(Duration window) {
            this.refreshAhead = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * Whether a page navigation without a session is sent to the login flow's entry point
         * ({@value GateConfig#PARAM_LOGIN_REDIRECT}, default true); false: protected paths answer
         * {@code 401} to everyone, for an application with no pages.
         */
        public Builder loginRedirect(boolean redirect) {
            this.loginRedirect = redirect;
            return this;
        }

        public Builder authorizationHeaderView(boolean expose) {
            this.authorizationHeaderView = expose;
            return this;
        }

        /**
         * Where the shared state lives (validation cache, refresh lease, grace memo, tombstones,
         * revocations). Default: a bounded in-memory store per node. A store handed in here stays
         * its owner's: the filter never closes it. One shared across nodes needs {@link #stateStoreKey}.
         */
        public Builder stateStore(StateStore store) {
            this.stateStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * The key sealing token-carrying state before it reaches the store ({@value GateConfig#PARAM_STATE_STORE_KEY}):
         * base64url of 32 random bytes, the same on every node; else {@link ConfigException} at {@link #build()}.
         */
        public Builder stateStoreKey(String base64url) {
            this.stateStoreKey = Objects.requireNonNull(base64url, "base64url");
            return this;
        }

        public Builder cookies(CookieSettings cookies) {
            this.cookies = Objects.requireNonNull(cookies, "cookies");
            return this;
        }

        /** The filter's endpoints; default: every endpoint at its default path. */
        public Builder endpoints(EndpointSettings endpoints) {
            this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
            return this;
        }

        /**
         * Guest tokens for visitors without a session; default off. Build with
         * {@link GuestSettings#builder()}; the filter starts and closes them. {@link #build()}
         * refuses a secret used for anything else.
         */
        public Builder guests(GuestSettings guests) {
            this.guests = Objects.requireNonNull(guests, "guests");
            return this;
        }

        /**
         * Server-enforced session lifetime; default off. Build with {@link LifetimeSettings#builder()};
         * {@link #build()} refuses a signing secret used for anything else.
         */
        public Builder lifetime(LifetimeSettings lifetime) {
            this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        /**
         * Client tokens for browser SDKs; default off (the endpoint is then off). Build with
         * {@link ClientTokenSettings#builder()}; {@link #build()} refuses a secret used for anything else.
         */
        public Builder clientTokens(ClientTokenSettings clientTokens) {
            this.clientTokens = Objects.requireNonNull(clientTokens, "clientTokens");
            return this;
        }

        /**
         * Sealing of token cookies; default off. Build with {@link CookieSealSettings#builder()};
         * {@link #build()} refuses a key used for anything else.
         */
        public Builder cookieSeal(CookieSealSettings cookieSeal) {
            this.cookieSeal = Objects.requireNonNull(cookieSeal, "cookieSeal");
            return this;
        }

        /** The backend client published to the application; default none. Yours: the filter never closes it. */
        public Builder backendClient(BackendClient backendClient) {
            this.backendClient = Objects.requireNonNull(backendClient, "backendClient");
            return this;
        }

        /** The CSRF check ({@value GateConfig#PARAM_CSRF}); default enforced. */
        public Builder csrf(Csrf csrf) {
            this.csrf = Objects.requireNonNull(csrf, "csrf");
            return this;
        }

        /**
         * Origins besides the application's own that may send state-changing requests
         * ({@value GateConfig#PARAM_ALLOWED_ORIGINS}), such as {@code https://admin.example.com}:
         * bare http(s) origins, no wildcards, else {@link ConfigException} at {@link #build()}.
         */
        public Builder allowedOrigins(List<String> origins) {
            Objects.requireNonNull(origins, "origins").forEach(o -> Objects.requireNonNull(o, "origin"));
            this.allowedOrigins = List.copyOf(origins);
            return this;
        }

        /** Refuse checked requests without Sec-Fetch-Site, Origin and Referer ({@value GateConfig#PARAM_CSRF_REQUIRE_ORIGIN}). */
        public Builder csrfRequireOrigin(boolean require) {
            this.csrfRequireOrigin = require;
            return this;
        }

        /** Listeners told of every audit event, in order, on the request thread. */
        public Builder auditListeners(List<AuditListener> listeners) {
            this.auditListeners = List.copyOf(listeners);
            return this;
        }

        /**
         * Whether the figures become Micrometer meters ({@value GateConfig#PARAM_METRICS_MICROMETER});
         * default {@link MicrometerMode#AUTO}. {@link MicrometerMode#ON} without
         * {@code io.micrometer:micrometer-core} fails at {@link #build()}.
         */
        public Builder metricsMicrometer(MicrometerMode mode) {
            this.micrometer = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * The Micrometer {@code io.micrometer.core.instrument.MeterRegistry} the filter registers its
         * {@code sessiongate.*} meters in (Spring Boot: Actuator's registry). Typed {@code Object} so
         * that an application without Micrometer never links it; anything else fails at
         * {@link #build()} with a {@link ConfigException}. Default: the registry in the
         * {@code ServletContext} attribute {@code io.micrometer.core.instrument.MeterRegistry}, else
         * {@code Metrics.globalRegistry}. Stays its owner's: the filter removes its meters at
         * {@code destroy()}, never closes the registry. Ignored with {@link MicrometerMode#OFF}.
         */
        public Builder meterRegistry(Object registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The validator, ready as built (e.g. {@code JwtTokenValidator.withJwkSetUri(..).build()}). */
        public Builder validator(TokenValidator validator) {
            this.validator = Objects.requireNonNull(validator, "validator");
            return this;
        }

        /**
         * Connect timeout of the filter's one outbound transport ({@code backend-connect-timeout}).
         * Default {@link #DEFAULT_BACKEND_CONNECT_TIMEOUT}; 50 ms to 60 s, else
         * {@link ConfigException} at once.
         */
        public Builder backendConnectTimeout(Duration timeout) {
            this.backendConnectTimeout = SettingsChecks.duration(PARAM_BACKEND_CONNECT_TIMEOUT,
                    Objects.requireNonNull(timeout, "timeout"), MIN_BACKEND_TIMEOUT, MAX_BACKEND_TIMEOUT);
            return this;
        }

        /**
         * Time allowed for a backend's answer ({@code backend-read-timeout}) for login, revoke and the
         * {@code BackendClient} the filter makes. Default {@link GateConfig#DEFAULT_BACKEND_READ_TIMEOUT};
         * 50 ms to 60 s, else {@link ConfigException} at once.
         */
        public Builder backendReadTimeout(Duration timeout) {
            this.backendReadTimeout = SettingsChecks.duration(PARAM_BACKEND_READ_TIMEOUT,
                    Objects.requireNonNull(timeout, "timeout"), MIN_BACKEND_TIMEOUT, MAX_BACKEND_TIMEOUT);
            return this;
        }

        /**
         * The backend login behind the login endpoint, from {@link LoginSettings#builder()}; default
         * none (the endpoint is then off). The filter starts it over its one transport and closes it.
         */
        public Builder login(LoginSettings login) {
            this.login = Objects.requireNonNull(login, "login");
            return this;
        }

        /**
         * Revocation of refresh tokens at logout, from {@link RevokeSettings#builder()}; default none.
         * The filter starts it over its one transport and closes it.
         */
        public Builder revoke(RevokeSettings revoke) {
            this.revoke = Objects.requireNonNull(revoke, "revoke");
            return this;
        }

        /**
         * How users sign in, instead of the password login ({@link #login}, {@link #revoke}, which
         * it excludes): its routes, its entry point for pages without a session, its logout step.
         * The flow stays the caller's; the filter never closes it. Default: the password flow.
         */
        public Builder loginFlow(LoginFlow flow) {
            this.loginFlow = Objects.requireNonNull(flow, "flow");
            return this;
        }

        /**
         * OpenID Connect sign-in, from {@link OidcSettings#builder()}: replaces the password login
         * ({@link #login}, {@link #revoke}, {@link #loginFlow}, which it excludes). Needs
         * {@link #cookieSeal} for its login-transaction cookies.
         */
        public Builder oidc(OidcSettings oidc) {
            this.oidc = Objects.requireNonNull(oidc, "oidc");
            return this;
        }

        /**
         * A backend client the filter makes over its one transport, publishes to the application
         * ({@code BackendClient.from(context)}) and closes ({@value GateConfig#PARAM_BACKEND_ORIGINS}):
         * origins such as {@code https://api.example.com}, http only to loopback. Not with
         * {@link #backendClient(BackendClient)}.
         */
        /**
         * Adds a route of the API proxy: requests under its prefix are forwarded to its backend
         * with the user's token instead of reaching the application. {@link #build()} refuses two
         * routes with one name or overlapping prefixes.
         */
        public Builder proxyRoute(ProxyRoute route) {
            proxyRoutes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        public Builder backendOrigins(List<String> origins) {
            Objects.requireNonNull(origins, "origins").forEach(o -> Objects.requireNonNull(o, "origin"));
            this.backendOrigins = List.copyOf(origins);
            return this;
        }

        /** For the engine's init-param mapping: a secret held outside these settings, compared not read. */
        void externalSecret(String name, String value) {
            externalSecrets.put(name, value);
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Checks everything and returns the immutable config. */
        public GateConfig build() {
            return new GateConfig(this);
        }
    }
}
