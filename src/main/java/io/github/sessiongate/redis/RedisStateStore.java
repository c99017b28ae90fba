package io.github.sessiongate.redis;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.StateStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StateStore} on Redis 6.2+ (or Valkey), shared by every node that names the same
 * server and {@code redis.key-prefix}. Named by class in web.xml:
 * <pre>{@code
 * <init-param><param-name>state-store-class</param-name>
 *   <param-value>io.github.sessiongate.redis.RedisStateStore</param-value></init-param>
 * <init-param><param-name>redis.url</param-name>
 *   <param-value>redis://10.0.0.5:6379</param-value></init-param>
 * <init-param><param-name>redis.password</param-name>
 *   <param-value>${env:REDIS_PASSWORD}</param-value></init-param>
 * }</pre>
 * Init-params: {@code redis.url} ({@code redis://} or {@code rediss://} for TLS with the JVM's
 * trust store and the host name checked against the certificate; an optional {@code /db} path), {@code redis.user} and {@code redis.password} (ACL),
 * {@code redis.key-prefix} (default {@code sg:}, so several applications can share one Redis),
 * {@code redis.connect-timeout} (default 50 ms), {@code redis.command-timeout} (default 100 ms;
 * also the longest wait for a pooled connection), {@code redis.pool-size} (default 32).
 *
 * <p>Needs the optional client {@code redis.clients:jedis} on the class path; without it
 * {@link #init} fails naming the artifact. Connecting is lazy: a Redis that is down at start-up
 * does not stop the filter, which degrades as for any outage.
 *
 * <p>Mapping: {@link #put} and {@link #putIfAbsent} are {@code SET PX [NX]}; {@link #getAll} one
 * {@code MGET}; {@link #increment} a script ({@code INCRBY}, then {@code PEXPIRE} only on a counter
 * that had no TTL, i.e. a new one); {@link #lease} {@code SET NX PX} with the owner as the value;
 * {@link #renew} and {@link #release} compare-and-expire and compare-and-delete scripts, so only
 * the owner acts. TTLs are whole milliseconds, rounded up, by Redis's clock. Redis's
 * out-of-memory refusal ({@code maxmemory} under {@code noeviction}) is {@link WriteResult#FULL}
 * for either entry class: Redis cannot evict cache entries selectively, and an evicting policy
 * would drop tombstones (run it with {@code noeviction}, or {@code volatile-*} on a Redis used only
 * for this). A lease's {@link Lease#expiresAt} is this JVM's time before the command was sent plus
 * the TTL, so a holder never believes it holds longer than Redis does (save clock drift).
 */
public final class RedisStateStore implements StateStore {
    /** The Maven artifact users add when this store is configured. */
    static final String ARTIFACT = "redis.clients:jedis";
    /** A class the client has; checked by name before any class that links to it is loaded. */
    static final String CLIENT_CLASS = "redis.clients.jedis.JedisPooled";

    private static final Logger LOG = LoggerFactory.getLogger(RedisStateStore.class);

    private static final byte[] INCREMENT = utf8(
            "local n = redis.call('INCRBY', KEYS[1], ARGV[1]) "
            + "if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end "
            + "return n");
    private static final byte[] RENEW = utf8(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end "
            + "return 0");
    private static final byte[] RELEASE = utf8(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end "
            + "return 0");

    private final Clock clock;
    private volatile RedisSettings settings;
    private volatile JedisTransport redis;

    /** For {@code state-store-class}; {@link #init} must follow. */
    public RedisStateStore() {
        this(Clock.systemUTC());
    }

    /** With the clock that stamps {@link Lease#expiresAt}; {@link #init} must follow. */
    public RedisStateStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reads the {@code redis.*} init-params and makes the connection pool (it connects on first
     * use).
     *
     * @throws ConfigException when the Jedis client is missing or a parameter is wrong
     */
    @Override
    public void init(InitParams params) {
        if (redis != null) {
            throw new IllegalStateException("init() was already called");
        }
        requireClient(RedisStateStore.class.getClassLoader());
        RedisSettings s = RedisSettings.from(params);
        this.settings = s;
        this.redis = new JedisTransport(s);
        LOG.info("Redis state store: {}", s);
    }

    /** Fails with the artifact to add when the client's classes cannot be loaded. */
    static void requireClient(ClassLoader loader) {
        try {
            Class.forName(CLIENT_CLASS, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigException(GateConfig.PARAM_STATE_STORE_CLASS, "names the Redis store, but the Redis "
                    + "client is not on the class path; add the Maven artifact " + ARTIFACT
                    + " (5.x) to the application (its jar and commons-pool2 in WEB-INF/lib)");
        }
    }

    private JedisTransport redis() {
        JedisTransport r = redis;
        if (r == null) {
            throw new IllegalStateException("RedisStateStore: init() was not called");
        }
        return r;
    }

    private byte[] key(String key) {
        return utf8(settings.keyPrefix() + Objects.requireNonNull(key, "key"));
    }

    /** Whole milliseconds, rounded up; a TTL must be positive. */
    static long ttlMillis(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a TTL must be positive: " + ttl);
        }
        long ms = ttl.toMillis();
        return ttl.getNano() % 1_000_000 == 0 ? ms : ms + 1;
    }

    @Override
    public boolean sharedAcrossNodes() {
        return true;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(redis().get(key(key)));
    }

    @Override
    public Map<String, byte[]> getAll(Collection<String> keys) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(keys));
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (distinct.isEmpty()) {
            return out;
        }
        byte[][] raw = new byte[distinct.size()][];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = key(distinct.get(i));
        }
        List<byte[]> values = redis().mget(raw);
        for (int i = 0; i < raw.length && i < values.size(); i++) {
            if (values.get(i) != null) {
                out.put(distinct.get(i), values.get(i));
            }
        }
        return out;
    }

    @Override
    public WriteResult put(String key, byte[] value, Duration ttl, EntryClass entryClass) {
        return set(key, value, ttl, entryClass, false);
    }

    @Override
    public WriteResult putIfAbsent(String key, byte[] value, Duration ttl, EntryClass entryClass) {
        return set(key, value, ttl, entryClass, true);
    }

    private WriteResult set(String key, byte[] value, Duration ttl, EntryClass entryClass, boolean onlyIfAbsent) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(entryClass, "entryClass");
        long ms = ttlMillis(ttl);
        try {
            return redis().set(key(key), value, ms, onlyIfAbsent) ? WriteResult.STORED : WriteResult.EXISTS;
        } catch (RedisFull e) {
            return WriteResult.FULL;
        } catch (UnavailableException e) {
            return WriteResult.UNAVAILABLE;
        }
    }

    @Override
    public void delete(String key) {
        redis().del(key(key));
    }

    @Override
    public OptionalLong increment(String key, long delta, Duration ttl, EntryClass entryClass) {
        Objects.requireNonNull(entryClass, "entryClass");
        long ms = ttlMillis(ttl);
        try {
            Object n = redis().eval(INCREMENT, key(key), ascii(delta), ascii(ms));
            return OptionalLong.of((Long) n);
        } catch (RedisFull e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public Optional<Lease> lease(String key, String owner, Duration ttl) {
        Objects.requireNonNull(owner, "owner");
        long ms = ttlMillis(ttl);
        Instant sent = clock.instant();
        try {
            if (redis().set(key(key), owner.getBytes(StandardCharsets.UTF_8), ms, true)) {
                return Optional.of(new Lease(key, owner, sent.plusMillis(ms)));
            }
            return Optional.empty();
        } catch (RedisFull e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Lease> renew(Lease lease, Duration ttl) {
        long ms = ttlMillis(ttl);
        Instant sent = clock.instant();
        try {
            Object renewed = redis().eval(RENEW, key(lease.key()), lease.owner().getBytes(StandardCharsets.UTF_8),
                    ascii(ms));
            return Long.valueOf(1).equals(renewed)
                    ? Optional.of(new Lease(lease.key(), lease.owner(), sent.plusMillis(ms)))
                    : Optional.empty();
        } catch (RedisFull e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean release(Lease lease) {
        try {
            return Long.valueOf(1).equals(redis().eval(RELEASE, key(lease.key()),
                    lease.owner().getBytes(StandardCharsets.UTF_8)));
        } catch (RedisFull e) {
            return false; // DEL is allowed under OOM; not reached in practice
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        JedisTransport r = redis;
        if (r != null) {
            r.close();
        }
    }
}
