package io.github.sessiongate.engine;

import io.github.sessiongate.ClientCredentials;
import io.github.sessiongate.ClientTokenSettings;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.GuestSettings;
import io.github.sessiongate.LifetimeSettings;
import io.github.sessiongate.LoginSettings;
import io.github.sessiongate.RevokeSettings;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.guest.GuestTokens;
import io.github.sessiongate.internal.HttpTransport;
import io.github.sessiongate.lifetime.SessionLifetime;
import io.github.sessiongate.store.InMemoryStateStore;
import io.github.sessiongate.web.ClientTokens;
import io.github.sessiongate.web.CsrfGuard;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The optional features a {@link GateConfig} turns on, made from its settings values: session
 * lifetime, client tokens, cookie sealing, the guest-token plan and the CSRF guard. Making them is
 * also the check that no key serves two purposes (every secret against every other the settings
 * hold), so {@code build()} runs it once to refuse a bad config and the composition root again to
 * get the running parts. Holds no resource: guests are a plan, started over the filter's transport.
 */
record Features(Optional<SessionLifetime> lifetime, Optional<ClientTokens> clientTokens, Optional<CookieSeal> cookieSeal,
        Optional<Function<HttpTransport, GuestTokens>> guests, CsrfGuard csrf) {

    /** The secrets that key an HMAC, whose reuse is named in the refusal. */
    private static final List<String> HMAC_KEY_PARAMETERS = List.of("jwt.secret", GuestSettings.PARAM_SECRET,
            LifetimeSettings.PARAM_SIGNING_SECRET);

    /** Every secret the filter may use, so that no key is used for two jobs. */
    private static final List<String> SECRET_PARAMETERS = List.of("jwt.secret", GuestSettings.PARAM_SECRET,
            LifetimeSettings.PARAM_SIGNING_SECRET, ClientTokenSettings.PARAM_SECRET, CookieSealSettings.PARAM_KEYS,
            ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET, GateConfig.PARAM_STATE_STORE_KEY);

    /**
     * Makes the features of {@code config}.
     *
     * @throws io.github.sessiongate.ConfigException naming the parameter at fault, e.g. a key reused
     */
    static Features of(GateConfig config) {
        checkStateStore(config);
        Map<String, List<String>> secrets = secrets(config);
        for (String key : secrets.get(GateConfig.PARAM_STATE_STORE_KEY)) {
            if (othersThan(secrets, GateConfig.PARAM_STATE_STORE_KEY).stream().anyMatch(other -> other.strip().equals(key))) {
                throw new ConfigException(GateConfig.PARAM_STATE_STORE_KEY, "reuses another secret of the filter; give it a key of its own");
            }
        }
        Optional<SessionLifetime> lifetime = config.lifetime().flatMap(s -> SessionLifetime.create(s, config.clock(),
                namedKeys(secrets, LifetimeSettings.PARAM_SIGNING_SECRET),
                othersThan(secrets, LifetimeSettings.PARAM_SIGNING_SECRET)));
        Optional<ClientTokens> clientTokens = config.clientTokens().flatMap(s -> ClientTokens.create(s, config.clock(),
                othersThan(secrets, ClientTokenSettings.PARAM_SECRET)));
        Optional<CookieSeal> cookieSeal = config.cookieSeal().flatMap(s -> CookieSeal.create(s,
                othersThan(secrets, CookieSealSettings.PARAM_KEYS)));
        Optional<Function<HttpTransport, GuestTokens>> guests = config.guests().flatMap(s -> GuestTokens.plan(s,
                config.clock(), namedKeys(secrets, GuestSettings.PARAM_SECRET), othersThan(secrets, GuestSettings.PARAM_SECRET)));
        return new Features(lifetime, clientTokens, cookieSeal, guests, csrf(config));
    }

    /**
     * Any store but the built-in in-memory one may put state outside this JVM, so it needs the
     * state key (token-carrying values are sealed and every value is bound to its key); a key
     * without a store would protect nothing and is refused as a mistake.
     */
    private static void checkStateStore(GateConfig config) {
        boolean remote = config.stateStore().filter(s -> !(s instanceof InMemoryStateStore)).isPresent();
        if (remote && ApiAccess.hooks().stateStoreKey(config).isEmpty()) {
            throw new ConfigException(GateConfig.PARAM_STATE_STORE_KEY, "is required with the state store "
                    + config.stateStore().get().getClass().getName() + ": state that leaves this JVM is sealed; set the "
                    + "same base64url 32-byte key on every node");
        }
        if (config.stateStore().isEmpty() && ApiAccess.hooks().stateStoreKey(config).isPresent()) {
            throw new ConfigException(GateConfig.PARAM_STATE_STORE_KEY, "applies only with "
                    + GateConfig.PARAM_STATE_STORE + "=redis or another shared store (or GateConfig.Builder.stateStore): "
                    + "the built-in store keeps "
                    + "state in this JVM and seals nothing");
        }
    }

    /** The CSRF guard of the settings; refuses a bad allowed origin. */
    static CsrfGuard csrf(GateConfig config) {
        return CsrfGuard.builder()
                .mode(switch (config.csrf()) {
                    case ENFORCE -> CsrfGuard.Mode.ENFORCE;
                    case REPORT_ONLY -> CsrfGuard.Mode.REPORT_ONLY;
                    case OFF -> CsrfGuard.Mode.OFF;
                })
                .allowedOrigins(config.allowedOrigins())
                .requireOrigin(config.csrfRequireOrigin())
                .build();
    }

    /** The configured values of every secret, by init-param, in {@link #SECRET_PARAMETERS} order. */
    private static Map<String, List<String>> secrets(GateConfig config) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (String name : SECRET_PARAMETERS) {
            all.put(name, new ArrayList<>());
        }
        ApiAccess.hooks().externalSecrets(config).forEach((name, value) -> all.get(name).add(value));
        // What the validator holds, however it was made (a code-built one has no init-params).
        ApiAccess.hooks().heldSecrets(config.validator()).forEach((name, value) -> {
            List<String> values = all.get(name);
            if (values != null && !values.contains(value)) {
                values.add(value);
            }
        });
        config.guests().flatMap(GuestSettings::secret).ifPresent(all.get(GuestSettings.PARAM_SECRET)::add);
        config.lifetime().flatMap(LifetimeSettings::signingSecret).ifPresent(all.get(LifetimeSettings.PARAM_SIGNING_SECRET)::add);
        config.clientTokens().flatMap(ClientTokenSettings::secret).ifPresent(all.get(ClientTokenSettings.PARAM_SECRET)::add);
        config.cookieSeal().ifPresent(s -> all.get(CookieSealSettings.PARAM_KEYS).addAll(s.secrets()));
        // The OAuth2 client secret given in code with the login or revoke settings (from init-params it is external).
        List<String> client = all.get(ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET);
        config.login().flatMap(LoginSettings::client).map(ClientCredentials::clientSecret)
                .filter(s -> !client.contains(s)).ifPresent(client::add);
        config.revoke().flatMap(RevokeSettings::client).map(ClientCredentials::clientSecret)
                .filter(s -> !client.contains(s)).ifPresent(client::add);
        return all;
    }

    /** The values of the other secrets. */
    private static List<String> othersThan(Map<String, List<String>> secrets, String own) {
        List<String> others = new ArrayList<>();
        secrets.forEach((name, values) -> {
            if (!name.equals(own)) {
                others.addAll(values);
            }
        });
        return others;
    }

    /** The other HMAC keys by name, so a reuse names the other. */
    private static Map<String, String> namedKeys(Map<String, List<String>> secrets, String own) {
        Map<String, String> named = new LinkedHashMap<>();
        for (String name : HMAC_KEY_PARAMETERS) {
            if (!name.equals(own)) {
                List<String> values = secrets.getOrDefault(name, List.of());
                named.put(name, values.isEmpty() ? null : values.get(0));
            }
        }
        return named;
    }
}
