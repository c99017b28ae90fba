package io.github.sessiongate.engine;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.StateStore;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.Optional;

/**
 * The store {@value GateConfig#PARAM_STATE_STORE} names in web.xml: {@code memory} (the default:
 * none, so each kind of state gets its bounded in-memory store), {@code redis} (the Redis store,
 * which reads its {@code redis.*} parameters) or the class name of any {@link StateStore}, made
 * with its public no-arg constructor and {@linkplain StateStore#init initialised} once.
 */
final class StateStoreChoice {
    /** What {@code redis} stands for; loaded by name, so the filter links without the Redis client. */
    static final String REDIS_STORE_CLASS = "io.github.sessiongate.redis.RedisStateStore";

    private StateStoreChoice() {
    }

    /** Whether {@code value} names one of the filter's own stores, which read only SessionGate's parameters. */
    static boolean builtIn(String value) {
        String name = value.strip();
        return name.equalsIgnoreCase("memory") || name.equalsIgnoreCase("redis") || name.equals(REDIS_STORE_CLASS);
    }

    /**
     * The configured store, initialised; empty for {@code memory} or when the parameter is absent.
     *
     * @throws ConfigException naming the parameter at fault
     */
    static Optional<StateStore> fromParams(InitParams params, ClassLoader loader) {
        String value = params.get(GateConfig.PARAM_STATE_STORE).orElse(GateConfig.DEFAULT_STATE_STORE).strip();
        String name = switch (value.toLowerCase(Locale.ROOT)) {
            case "memory" -> null;
            case "redis" -> REDIS_STORE_CLASS;
            default -> value;
        };
        if (name == null) {
            return Optional.empty();
        }
        StateStore store;
        try {
            Class<?> type = Class.forName(name, true, loader);
            if (!StateStore.class.isAssignableFrom(type)) {
                throw new ConfigException(GateConfig.PARAM_STATE_STORE, name + " does not implement "
                        + StateStore.class.getName() + "; write memory, redis or the class name of a StateStore");
            }
            store = (StateStore) type.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new ConfigException(GateConfig.PARAM_STATE_STORE, "must be memory, redis or the class name of a "
                    + "StateStore; class " + name + " not found (is its jar in WEB-INF/lib?)");
        } catch (NoSuchMethodException e) {
            throw new ConfigException(GateConfig.PARAM_STATE_STORE, name + " needs a public no-argument constructor");
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            if (cause instanceof ConfigException ce) {
                throw ce;
            }
            throw new ConfigException(GateConfig.PARAM_STATE_STORE, "could not create " + name + ": "
                    + cause.getClass().getSimpleName());
        }
        try {
            store.init(params);
        } catch (RuntimeException e) {
            store.close();
            if (e instanceof ConfigException) {
                throw e;
            }
            throw new ConfigException(GateConfig.PARAM_STATE_STORE, name + ".init failed: " + e.getClass().getSimpleName());
        }
        return Optional.of(store);
    }
}
