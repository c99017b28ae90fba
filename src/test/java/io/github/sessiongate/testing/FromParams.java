package io.github.sessiongate.testing;

import io.github.sessiongate.GuestSettings;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.LifetimeSettings;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.guest.GuestTokens;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.internal.HttpTransport;
import io.github.sessiongate.lifetime.SessionLifetime;
import io.github.sessiongate.login.LoginClient;
import io.github.sessiongate.login.RevocationClient;
import io.github.sessiongate.web.ClientTokens;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One component made straight from init-params, for unit tests: the production mapping
 * ({@code settingsFrom}) and the production factory ({@code create}/{@code plan}), with the other
 * HMAC keys read from the same parameters. The filter itself goes through {@code GateConfig} and
 * the engine's {@code Features}, which compare every secret with every other.
 */
public final class FromParams {
    /** The init-params of the filter's HMAC keys, compared by name. */
    private static final List<String> HMAC_KEYS = List.of("jwt.secret", GuestSettings.PARAM_SECRET,
            LifetimeSettings.PARAM_SIGNING_SECRET);

    private FromParams() {
    }

    public static Optional<SessionLifetime> lifetime(InitParams params, Clock clock, Collection<String> otherSecrets) {
        return SessionLifetime.create(SessionLifetime.settingsFrom(params), clock,
                otherKeys(params, LifetimeSettings.PARAM_SIGNING_SECRET), otherSecrets);
    }

    public static Optional<GuestTokens> guests(InitParams params, Clock clock, Collection<String> otherSecrets) {
        return GuestTokens.plan(GuestTokens.settingsFrom(params), clock, otherKeys(params, GuestSettings.PARAM_SECRET),
                otherSecrets).map(p -> p.apply(params.attached(HttpTransport.class).orElse(null)));
    }

    public static Optional<ClientTokens> clientTokens(InitParams params, Clock clock, Collection<String> otherSecrets) {
        return ClientTokens.create(ClientTokens.settingsFrom(params), clock, otherSecrets);
    }

    public static Optional<CookieSeal> cookieSeal(InitParams params, Collection<String> otherSecrets) {
        return CookieSeal.create(CookieSeal.settingsFrom(params), otherSecrets);
    }

    public static Optional<LoginClient> loginClient(InitParams params, Clock clock) {
        return LoginClient.plan(LoginClient.settingsFrom(params), clock, BackendHttp.connectTimeout(params),
                BackendHttp.readTimeout(params)).map(p -> p.apply(params.attached(HttpTransport.class).orElse(null)));
    }

    public static Optional<RevocationClient> revocationClient(InitParams params, Clock clock) {
        return RevocationClient.plan(RevocationClient.settingsFrom(params), clock, BackendHttp.connectTimeout(params),
                BackendHttp.readTimeout(params)).map(p -> p.apply(params.attached(HttpTransport.class).orElse(null)));
    }

    /** The HMAC keys other than {@code own} as configured, by name (absent ones as null); reading marks them read. */
    private static Map<String, String> otherKeys(InitParams params, String own) {
        Map<String, String> others = new LinkedHashMap<>();
        for (String name : HMAC_KEYS) {
            if (!Objects.equals(name, own)) {
                others.put(name, params.get(name).orElse(null));
            }
        }
        return others;
    }
}
