package io.github.sessiongate.redis;

import io.github.sessiongate.StateStore.UnavailableException;
import java.util.List;
import javax.net.ssl.SSLParameters;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The only class that touches Jedis, so {@link RedisStateStore} loads (and names the missing
 * artifact) without it. Each method is one round trip on a pooled connection, under the command
 * timeout; waiting for a free connection is bounded by the same timeout. Jedis's failures become
 * {@link UnavailableException} (or {@link RedisFull} for Redis's out-of-memory refusal), never anything
 * else.
 */
final class JedisTransport implements AutoCloseable {
    private final JedisPooled jedis;

    JedisTransport(RedisSettings s) {
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis(s.connectTimeout()))
                .socketTimeoutMillis(millis(s.commandTimeout()))
                .database(s.database())
                .ssl(s.tls())
                .clientName("sessiongate");
        if (s.tls()) {
            // Jedis checks no host name by default; a server certificate must name the host we asked for.
            SSLParameters tls = new SSLParameters();
            tls.setEndpointIdentificationAlgorithm("HTTPS");
            client.sslParameters(tls);
        }
        s.user().ifPresent(client::user);
        s.password().ifPresent(client::password);
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(s.poolSize());
        pool.setMaxIdle(s.poolSize());
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(s.commandTimeout());
        pool.setTestOnBorrow(false); // a PING per borrow would double the round trips; a broken connection fails once
        pool.setJmxEnabled(false);
        this.jedis = new JedisPooled(new HostAndPort(s.host(), s.port()), client.build(), pool);
    }

    private static int millis(java.time.Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    byte[] get(byte[] key) {
        try {
            return jedis.get(key);
        } catch (RuntimeException e) {
            throw unavailable("GET", e);
        }
    }

    List<byte[]> mget(byte[][] keys) {
        try {
            return jedis.mget(keys);
        } catch (RuntimeException e) {
            throw unavailable("MGET", e);
        }
    }

    /** SET with PX (and NX when asked): whether it was set. */
    boolean set(byte[] key, byte[] value, long ttlMillis, boolean onlyIfAbsent) throws RedisFull {
        SetParams p = SetParams.setParams().px(ttlMillis);
        if (onlyIfAbsent) {
            p.nx();
        }
        try {
            return "OK".equals(jedis.set(key, value, p));
        } catch (RuntimeException e) {
            throw fullOrUnavailable("SET", e);
        }
    }

    void del(byte[] key) {
        try {
            jedis.del(key);
        } catch (RuntimeException e) {
            throw unavailable("DEL", e);
        }
    }

    /** One script, atomic on the server; its reply as Jedis gives it (Long, byte[] or null). */
    Object eval(byte[] script, byte[] key, byte[]... args) throws RedisFull {
        try {
            return jedis.eval(script, List.of(key), List.of(args));
        } catch (RuntimeException e) {
            throw fullOrUnavailable("EVAL", e);
        }
    }

    private static RuntimeException fullOrUnavailable(String command, RuntimeException e) throws RedisFull {
        if (e instanceof JedisDataException && e.getMessage() != null && e.getMessage().contains("OOM")) {
            throw new RedisFull();
        }
        return unavailable(command, e);
    }

    /**
     * The command and the failure's class only: a Jedis message may quote a key. Any runtime
     * failure of the client (its pool closed, say), not only a {@link JedisException}, so the
     * store throws nothing else.
     */
    private static UnavailableException unavailable(String command, RuntimeException e) {
        return new UnavailableException("Redis " + command + " failed: " + e.getClass().getSimpleName());
    }

    @Override
    public void close() {
        try {
            jedis.close();
        } catch (RuntimeException e) {
            // closing a pool whose server is gone: nothing left to release
        }
    }
}
