package io.github.sessiongate.engine;

import io.github.sessiongate.BackendClient;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.guest.GuestTokens;
import io.github.sessiongate.lifetime.SessionLifetime;
import io.github.sessiongate.web.ClientTokens;
import io.github.sessiongate.web.CsrfGuard;
import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.internal.HttpTransport;
import io.github.sessiongate.login.BackChannelLogout;
import io.github.sessiongate.rotation.SessionMarkers;
import io.github.sessiongate.login.LoginClient;
import io.github.sessiongate.login.OidcLoginFlow;
import io.github.sessiongate.login.PasswordLoginFlow;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.web.RequestOrigin;
import io.github.sessiongate.web.TrustedProxies;
import io.github.sessiongate.login.RevocationClient;
import io.github.sessiongate.proxy.ProxyThreads;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: turns one filter's settings into its running components and owns them.
 *
 * <p>It makes one outbound {@link HttpTransport} (one {@code HttpClient}, one executor of daemon
 * threads {@code sessiongate-http-N}), shared by every backend call: remote validation and
 * introspection, refresh, login, revoke, guests from {@code guest-url}, the application's
 * {@link BackendClient} and the API proxy, whose routes' bulkheads and forwarding threads
 * ({@code sessiongate-proxy-<route>-N}) it also owns. The OAuth2 client settings are read once ({@link InitParams#shared}).
 * Components are made per filter start from the settings, never kept in {@link GateConfig}, so a
 * config serving a second filter hands out no closed component. {@link #close()} closes exactly
 * what this factory made, in reverse order, the transport last; components handed in ready-made
 * through {@link GateConfig.Builder} stay their owner's. The validator is closed too, as
 * {@link TokenValidator#close()} has always promised, whoever built it.
 */
public final class Components implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Components.class);

    private final GateConfig config;
    private final HttpTransport transport;
    private final Optional<GuestTokens> guests;
    private final Optional<LoginClient> login;
    private final Optional<RevocationClient> revoke;
    private final Optional<BackendClient> backendClient;
    private final Optional<SessionLifetime> lifetime;
    private final Optional<ClientTokens> clientTokens;
    private final Optional<CookieSeal> cookieSeal;
    /** Seals the login transactions and the provider facts: the configured cookie seal, else a per-process key. */
    private final Optional<CookieSeal> flowSeal;
    private final EndpointSettings endpoints;
    private final CsrfGuard csrf;
    private final SharedState state;
    private final LoginFlow loginFlow;
    /** The back-channel logout of the built-in OpenID flow, unless its path is {@code off}. */
    private final Optional<BackChannelLogout> backChannelLogout;
    /** The API proxy routes' bulkheads and forwarding threads (none start before a forward). */
    private final ProxyThreads proxyThreads;
    /** What this factory made, closed last-made first. */
    private final Deque<AutoCloseable> made = new ArrayDeque<>();

    private Components(GateConfig config, HttpTransport transport, boolean ownsStateStore, BackChannelLogout.Revoker revoker) {
        this.config = config;
        this.transport = transport;
        made.push(transport);
        try {
            made.push(config.validator());
            if (ownsStateStore) {
                config.stateStore().ifPresent(made::push); // made from the state-store parameter: ours to close
            }
            this.proxyThreads = owned(ProxyThreads.of(config.proxyRoutes())); // stopped before the transport they send over
            this.state = SharedState.create(config);
            made.push(state); // stops its lease renewals, before the store it renews in is closed
            Features features = Features.of(config);
            this.guests = features.guests().map(plan -> {
                return owned(plan.apply(transport));
            });
            this.login = config.login().flatMap(s -> LoginClient.plan(s, config.clock(), config.backendConnectTimeout(),
                    config.backendReadTimeout())).map(plan -> owned(plan.apply(transport)));
            this.revoke = config.revoke().flatMap(s -> RevocationClient.plan(s, config.clock(), config.backendConnectTimeout(),
                    config.backendReadTimeout())).map(plan -> owned(plan.apply(transport)));
            this.backendClient = ApiAccess.hooks().backendClient(config, Outbound.shared(transport)).map(started -> {
                if (started.owned()) {
                    made.push(started.component());
                }
                return started.component();
            });
            this.lifetime = features.lifetime();
            this.clientTokens = features.clientTokens();
            this.cookieSeal = features.cookieSeal();
            this.endpoints = config.endpoints();
            this.csrf = features.csrf();
            // A flow handed in stays its owner's; the password flow holds nothing but the clients above.
            this.loginFlow = config.loginFlow().orElseGet(() -> config.oidc().<LoginFlow>map(oidc -> new OidcLoginFlow(oidc,
                    endpoints, new RequestOrigin.Resolver(config.publicOrigin().orElse(null),
                            TrustedProxies.parse(GateConfig.PARAM_TRUSTED_PROXIES, config.trustedProxies())),
                    BackendHttp.over(transport, config.backendConnectTimeout(), config.backendReadTimeout()), config.clock(),
                    config.loginPath()))
                    .orElseGet(() -> new PasswordLoginFlow(endpoints, config.loginPath(), login,
                    revoke, config.backendWaitTimeout(), state.loginLimiter(endpoints))));
            // Only the flow made here from oidc.*: a flow handed in through the builder has no such endpoint.
            this.backChannelLogout = config.loginFlow().isEmpty() && loginFlow instanceof OidcLoginFlow oidcFlow
                    && config.oidc().flatMap(o -> o.backChannelLogoutPath()).isPresent()
                    ? Optional.of(oidcFlow.backChannelLogout(state.logoutTokenIds(),
                            revoker != null ? revoker : markersOf(state))) : Optional.empty();
            this.flowSeal = loginFlow.usesLoginTransactions() ? Optional.of(cookieSeal.orElseGet(() -> {
                LOG.warn("{} is not set: login transactions and provider facts are sealed with a random key of this "
                        + "process, so a sign-in completes only on the node that started it, and a logout on another "
                        + "node (or after a restart) ends the provider session without a hint; set {} on every node "
                        + "to share them", CookieSealSettings.PARAM_KEYS, CookieSealSettings.PARAM_KEYS);
                return CookieSeal.perProcess();
            })) : Optional.empty();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Parses web.xml init-params with the filter's transport attached, so that the validator's and
     * every other component's backend calls share it.
     *
     * @throws ConfigException naming the parameter at fault; nothing is left running then
     */
    public static Components fromInitParams(Map<String, String> raw, Clock clock) {
        InitParams params = InitParams.resolve(raw);
        HttpTransport transport = HttpTransport.create(params.duration(GateConfig.PARAM_BACKEND_CONNECT_TIMEOUT,
                GateConfig.DEFAULT_BACKEND_CONNECT_TIMEOUT, GateConfig.MIN_BACKEND_TIMEOUT, GateConfig.MAX_BACKEND_TIMEOUT));
        GateConfig config;
        try {
            config = InitParamsMapping.fromInitParams(params.attach(HttpTransport.class, transport), clock);
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
        return new Components(config, transport, params.peek(GateConfig.PARAM_STATE_STORE).isPresent(), null);
    }

    /** Starts the components of a config built in code; its validator is ready as built. */
    public static Components fromConfig(GateConfig config) {
        return fromConfig(config, null);
    }

    /**
     * A back-channel logout revokes through the session markers: a {@code sid} marker, or a
     * {@code sub} marker for sessions authenticated before the token's {@code iat}, in the shared
     * store, so every node refuses the session on its next request.
     */
    private static BackChannelLogout.Revoker markersOf(SharedState state) {
        SessionMarkers markers = state.sessionMarkers();
        return new BackChannelLogout.Revoker() {
            @Override
            public boolean revokeSid(String sid) {
                return markers.revokeSid(sid);
            }

            @Override
            public boolean revokeSubject(String subject, java.time.Instant authenticatedBefore) {
                return markers.revokeSubject(subject, authenticatedBefore);
            }
        };
    }

    /** As {@link #fromConfig(GateConfig)}, with the back-channel logout revoking through {@code revoker} (tests; {@code null}: the session markers). */
    static Components fromConfig(GateConfig config, BackChannelLogout.Revoker revoker) {
        return new Components(config, HttpTransport.create(config.backendConnectTimeout()), false, revoker);
    }

    /** Records a component this factory made, to close it at {@link #close()}. */
    private <T extends AutoCloseable> T owned(T component) {
        made.push(component);
        return component;
    }

    public GateConfig config() {
        return config;
    }

    /** Server-enforced session lifetime, if configured. */
    Optional<SessionLifetime> lifetime() {
        return lifetime;
    }

    /** Client tokens for browser SDKs, if configured. */
    Optional<ClientTokens> clientTokens() {
        return clientTokens;
    }

    /** Sealing of token cookies, if configured. */
    Optional<CookieSeal> cookieSeal() {
        return cookieSeal;
    }

    /**
     * What seals the login transactions and the provider facts, when the flow uses login
     * transactions: the configured cookie seal ({@code cookie-encryption-keys}), else a random key of
     * this process (a sign-in then completes only on the node that started it). The session's tokens
     * never use the per-process key: they follow {@link #cookieSeal()} through the codec's token
     * writes ({@code SessionWriter}), which take values already sealed; only the codec's kind-generic
     * writes and {@code open} use this seal, and the engine calls those for the login transactions alone.
     */
    Optional<CookieSeal> flowSeal() {
        return flowSeal;
    }

    /** The filter's own endpoints. */
    EndpointSettings endpoints() {
        return endpoints;
    }

    /** The shared state (validation cache, revocations, grace memo, refresh lease) over the configured store. */
    SharedState state() {
        return state;
    }

    /** The CSRF defence. */
    CsrfGuard csrf() {
        return csrf;
    }

    /** The one outbound transport. */
    HttpTransport transport() {
        return transport;
    }

    /** The API proxy routes' bulkheads and threads, stopped by {@link #close()}. */
    ProxyThreads proxyThreads() {
        return proxyThreads;
    }

    Optional<GuestTokens> guests() {
        return guests;
    }

    Optional<LoginClient> login() {
        return login;
    }

    Optional<RevocationClient> revoke() {
        return revoke;
    }

    /** How users sign in: the flow from the settings, else the password flow over the login and revoke clients. */
    LoginFlow loginFlow() {
        return loginFlow;
    }

    /** The OpenID back-channel logout, when the built-in OpenID flow runs and its path is not {@code off}. */
    Optional<BackChannelLogout> backChannelLogout() {
        return backChannelLogout;
    }

    public Optional<BackendClient> backendClient() {
        return backendClient;
    }

    /** The outbound components in one line, for the start-up log. No secret appears. */
    public String describe() {
        return guests.map(g -> ", guests{" + g.describe() + "}").orElse("")
                + login.map(l -> ", login{" + l.describe() + "}").orElse("")
                + revoke.map(r -> ", revoke{" + r.describe() + "}").orElse("")
                + backendClient.map(c -> ", backend-origins=" + c.origins()).orElse("");
    }

    /** Closes what this factory made, last made first; the transport (made first) goes last. Idempotent. */
    @Override
    public void close() {
        AutoCloseable next;
        while ((next = pollMade()) != null) {
            try {
                next.close();
            } catch (Exception | LinkageError e) {
                LOG.warn("closing {} failed: {}", next.getClass().getName(), e.getClass().getName());
            }
        }
    }

    private AutoCloseable pollMade() {
        synchronized (made) {
            return made.poll();
        }
    }
}
