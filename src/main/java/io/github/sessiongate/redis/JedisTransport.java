package io.github.sessiongate.redis;

import io.github.sessiongate.StateStore.UnavailableException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The only class that touches Jedis, so {@link RedisStateStore} loads (and names the missing
 * artifact) without it. Each method is one round trip on a pooled connection, under the command
 * timeout; waiting for a free connection is bounded by the same timeout. Jedis's failures become
 * {@link UnavailableException} (or {@link RedisFull} for Redis's out-of-memory refusal), never anything
 * else.
 *
 * <p><b>Stale connections.</b> Idle pooled connections are not tested on borrow (a PING each would
 * double the round trips), so after Redis restarts, fails over, or cuts idle clients
 * ({@code timeout}), every idle connection is dead. A command that finds its connection closed by
 * the peer (reset, end of stream, broken pipe: never a timeout) therefore drops every idle
 * connection, which shares that fate, and runs once more on a fresh one. Without this each stale
 * connection would fail one command after Redis is back, and a logout's tombstone or revocation
 * written on it would land only in this node's memory, so another node would keep serving the
 * signed-out token. A timeout is never retried: the command may have run, and a stalled Redis must
 * cost one command timeout, not two. A refused connection is retried once too, at no cost. Should a
 * peer close a connection after running the command (rare: Redis replies first), the commands here
 * are idempotent but two: a counter increment then counts twice, and a lease is found taken (by
 * this very node, so that refresh answers unavailable until the lease lapses; nobody is signed out).
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
            s.tlsTrust().ifPresent(client::sslSocketFactory); // redis.tls-ca-file; else the JVM's trust store
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

    /**
     * Runs {@code command}; when its connection was closed by the peer, drops the pool's idle
     * connections and runs it once more on a fresh one (see the class comment).
     */
    private <T> T onLiveConnection(Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisConnectionException e) {
            if (timedOut(e)) {
                throw e;
            }
            try {
                jedis.getPool().clear(); // idle only; connections in use fail (and are dropped) by themselves
            } catch (RuntimeException ignored) {
                // a closed pool: the retry fails as the first try did
            }
            return command.get();
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    byte[] get(byte[] key) {
        try {
            return onLiveConnection(() -> jedis.get(key));
        } catch (RuntimeException e) {
            throw unavailable("GET", e);
        }
    }

    List<byte[]> mget(byte[][] keys) {
        try {
            return onLiveConnection(() -> jedis.mget(keys));
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
            return "OK".equals(onLiveConnection(() -> jedis.set(key, value, p)));
        } catch (RuntimeException e) {
            throw fullOrUnavailable("SET", e);
        }
    }

    void del(byte[] key) {
        try {
            onLiveConnection(() -> jedis.del(key));
        } catch (RuntimeException e) {
            throw unavailable("DEL", e);
        }
    }

    /** One script, atomic on the server; its reply as Jedis gives it (Long, byte[] or null). */
    Object eval(byte[] script, byte[] key, byte[]... args) throws RedisFull {
        try {
            return onLiveConnection(() -> jedis.eval(script, List.of(key), List.of(args)));
        } catch (RuntimeException e) {
            throw fullOrUnavailable("EVAL", e);
        }
    }

    /**
     * The start-up look: one {@code GET} of a key under the prefix (a command the store needs, so
     * its failure tells a refused password, a missing ACL grant or an untrusted certificate from a
     * Redis that is merely down), then {@code CONFIG GET maxmemory-policy}, which an ACL may deny.
     */
    RedisProbe probe(byte[] someKey) {
        try {
            jedis.get(someKey);
        } catch (RuntimeException e) {
            return new RedisProbe(classify(e), Optional.empty(), causes(e));
        }
        try {
            return new RedisProbe(RedisProbe.Outcome.ANSWERED, policy(jedis.sendCommand(Protocol.Command.CONFIG,
                    "GET", "maxmemory-policy")), "");
        } catch (RuntimeException e) {
            return new RedisProbe(RedisProbe.Outcome.ANSWERED, Optional.empty(), causes(e));
        }
    }

    /** The value of a CONFIG GET reply: a name-value list (RESP2) or map (RESP3). */
    private static Optional<String> policy(Object reply) {
        Object value = null;
        if (reply instanceof List<?> l && l.size() >= 2) {
            value = l.get(1);
        } else if (reply instanceof Map<?, ?> m && !m.isEmpty()) {
            value = m.values().iterator().next();
        }
        if (value instanceof byte[] b) {
            return Optional.of(new String(b, StandardCharsets.UTF_8));
        }
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }

    /** Reads Redis's error code (its first word) and the TLS failure's kind; nothing is logged from here. */
    private static RedisProbe.Outcome classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JedisDataException) {
                String m = t.getMessage() == null ? "" : t.getMessage();
                if (m.startsWith("NOPERM")) {
                    return RedisProbe.Outcome.NOT_PERMITTED;
                }
                if (m.startsWith("WRONGPASS") || m.startsWith("NOAUTH") || m.startsWith("ERR AUTH")
                        || m.contains("invalid password") || m.contains("invalid username-password")) {
                    return RedisProbe.Outcome.AUTH_REFUSED;
                }
            }
            if (t instanceof CertificateException && t.getMessage() != null
                    && (t.getMessage().contains("subject alternative") || t.getMessage().contains("No name matching"))) {
                return RedisProbe.Outcome.TLS_WRONG_HOST;
            }
        }
        // Only a verdict on the certificate is definitive; a handshake cut short (a server
        // restarting, a plain port) is an outage like any other.
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof CertPathBuilderException
                    || t instanceof CertPathValidatorException) {
                return RedisProbe.Outcome.TLS_UNTRUSTED;
            }
        }
        return RedisProbe.Outcome.UNREACHABLE;
    }

    /** The classes of the failure and its causes, for a log line: no message, so no key, user or address. */
    private static String causes(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null && out.length() < 300; t = t.getCause()) {
            out.append(out.length() == 0 ? "" : " < ").append(t.getClass().getSimpleName());
        }
        return out.toString();
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
