package io.github.sessiongate.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.StateStore;
import io.github.sessiongate.testing.HidingClassLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A WAR that names the Redis store without the optional Jedis jar: the store still loads (so the
 * filter can call it) and {@code init()}, like the typed builder's {@code build()}, fails naming the
 * artifact to add. Simulated with a class
 * loader that hides {@code redis.clients.*} and defines this package's classes itself.
 */
class RedisClientMissingTest {

    /** Hides the client; loads io.github.sessiongate.redis.* afresh so they link against nothing else. */
    private static ClassLoader withoutJedis() {
        return new HidingClassLoader(RedisClientMissingTest.class.getClassLoader(), "redis.clients.", "io.github.sessiongate.redis.");
    }

    @Test
    void initWithoutTheClientNamesTheArtifactToAdd() throws Exception {
        ClassLoader loader = withoutJedis();
        assertThrows(ClassNotFoundException.class, () -> Class.forName("redis.clients.jedis.JedisPooled", false, loader));
        Class<?> c = Class.forName(RedisStateStore.class.getName(), true, loader);
        assertNotSame(RedisStateStore.class, c, "the store under test is the copy that cannot see Jedis");
        StateStore store = (StateStore) c.getConstructor().newInstance();
        assertTrue(store.sharedAcrossNodes());
        ConfigException e = assertThrows(ConfigException.class,
                () -> store.init(InitParams.resolve(Map.of("redis.url", "redis://127.0.0.1:6379"))));
        assertEquals("state-store", e.parameter());
        assertTrue(e.getMessage().contains("redis.clients:jedis"), e.getMessage());
        store.close(); // nothing to release, and no error
    }

    @Test
    void theBuilderWithoutTheClientNamesTheArtifactToo() throws Exception {
        ClassLoader loader = withoutJedis();
        Class<?> c = Class.forName(RedisStateStore.class.getName(), true, loader);
        Object builder = c.getMethod("builder").invoke(null);
        builder.getClass().getMethod("url", String.class).invoke(builder, "redis://127.0.0.1:6379");
        java.lang.reflect.InvocationTargetException thrown = assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> builder.getClass().getMethod("build").invoke(builder));
        ConfigException e = assertInstanceOf(ConfigException.class, thrown.getCause());
        assertEquals("state-store", e.parameter());
        assertTrue(e.getMessage().contains("redis.clients:jedis"), e.getMessage());
    }

    @Test
    void withTheClientTheCheckPasses() {
        RedisStateStore.requireClient(RedisClientMissingTest.class.getClassLoader());
    }
}
