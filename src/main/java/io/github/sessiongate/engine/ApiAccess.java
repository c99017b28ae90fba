package io.github.sessiongate.engine;

import io.github.sessiongate.BackendClient;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * The engine's door to the few package-private operations of the API that only the composition
 * root may call (the validator's once-only {@code init}, the init-param mapping's additions to a
 * {@link GateConfig.Builder}). {@code SessionFilter} registers the implementation from its static
 * initialiser, so the API shows no public method for them; this package is not exported.
 */
public final class ApiAccess {
    /** What the API lets the engine do that application code cannot. */
    public interface Hooks {
        /** Calls {@code TokenValidator.init} exactly once, right after construction. */
        void initOnce(TokenValidator validator, InitParams params, Clock clock);

        /** Records a secret held outside the settings (validator's, OAuth2 client's) for the reuse check. */
        void externalSecret(GateConfig.Builder builder, String name, String value);

        /**
         * The backend client the application gets: the one given to the builder (not owned), or
         * one made from {@code backend-origins} over the filter's transport (owned); empty for none.
         */
        Optional<Started<BackendClient>> backendClient(GateConfig config, Outbound filterTransport);

        /** The validator's {@code describeRefusal(token, reason)}: which check failed, for a log line. */
        Optional<String> describeRefusal(TokenValidator validator, String token, ValidationResult.Reason reason);

        /** The secrets the validator holds (its {@code heldSecrets()}), for the key-reuse check. */
        Map<String, String> heldSecrets(TokenValidator validator);

        /** The state key ({@code state-store-key}), if set: never exposed as API. */
        Optional<SecretKey> stateStoreKey(GateConfig config);

        /** The secrets held outside the settings (validator's, OAuth2 client's), by init-param. */
        Map<String, String> externalSecrets(GateConfig config);

        /** The filter's engine once {@code init} has run; empty before it and after {@code destroy}. */
        Optional<FilterEngine> engine(SessionFilter filter);
    }

    /**
     * A component as {@link Hooks#backendClient} gives it.
     *
     * @param owned whether the filter made it and so must close it (a component handed in through
     *        the builder stays its owner's)
     */
    public record Started<T>(T component, boolean owned) {
    }

    private static volatile Hooks hooks;

    private ApiAccess() {
    }

    /**
     * Registers the hooks; called once, by {@code SessionFilter}'s static initialiser.
     *
     * @throws IllegalStateException on a second call
     */
    public static synchronized void register(Hooks api) {
        if (hooks != null) {
            throw new IllegalStateException("the API hooks are already registered");
        }
        hooks = Objects.requireNonNull(api, "api");
    }

    /**
     * Whether {@code filter} answers a request to this decided path itself, never handing it to the
     * chain (its endpoints, its login flow's routes, the back-channel logout); for the Spring
     * integration, which leaves exactly those to the filter's own CSRF defence.
     *
     * @throws IllegalStateException when the filter has not started
     */
    public static boolean answersItself(SessionFilter filter, String path) {
        return hooks().engine(filter).orElseThrow(() -> new IllegalStateException("init() has not run"))
                .answersItself(path);
    }

    /** The hooks, initialising {@code SessionFilter} first if nothing has loaded it yet. */
    static Hooks hooks() {
        Hooks h = hooks;
        if (h == null) {
            try {
                Class.forName("io.github.sessiongate.SessionFilter", true, ApiAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("SessionFilter is missing from the jar", e);
            }
            h = hooks;
        }
        return Objects.requireNonNull(h, "SessionFilter registered no API hooks");
    }
}
