package io.github.sessiongate.redis;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * server and {@code redis.key-prefix}. Chosen in web.xml with {@code state-store=redis}:
 * <pre>{@code
 * <init-param><param-name>state-store</param-name><param-value>redis</param-value></init-param>
 * <init-param><param-name>redis.url</param-name>
 *   <param-value>rediss://redis.internal:6380</param-value></init-param>
 * <init-param><param-name>redis.user</param-name><param-value>sessiongate</param-value></init-param>
 * <init-param><param-name>redis.password</param-name>
 *   <param-value>${env:REDIS_PASSWORD}</param-value></init-param>
 * }</pre>
 * or in code with {@link #builder()}, which takes the same settings through the same checks.
 * Init-params: {@code redis.url} ({@code redis://}, or {@code rediss://} for TLS with the host name
 * checked against the certificate; an optional {@code /db} path), {@code redis.tls-ca-file} (a PEM
 * file of the CAs to trust; default the JVM's trust store), {@code redis.user} and
 * {@code redis.password} (ACL), {@code redis.key-prefix} (default {@code sg:}, so several
 * applications can share one Redis), {@code redis.connect-timeout} (default 50 ms),
 * {@code redis.command-timeout} (default 100 ms; also the longest wait for a pooled connection),
 * {@code redis.pool-size} (default 32).
 *
 * <p>Needs the optional client {@code redis.clients:jedis} on the class path; without it
 * {@link #init} and {@link Builder#build} fail naming the artifact.
 *
 * <p><b>Start-up.</b> The store looks at Redis once, bounded by its timeouts. What waiting will
 * not fix fails start-up with a {@link ConfigException} naming the parameter: a refused password
 * ({@code redis.password}), an ACL user without the store's commands ({@code redis.user}), a
 * certificate the trust does not accept ({@code redis.tls-ca-file}) or that names another host
 * ({@code redis.url}). A Redis that does not answer does not stop the filter: it starts degraded,
 * as for any outage, logs that once, and the pool connects by itself once Redis answers (a
 * password refused only then shows as an outage, logged once a minute). Where {@code CONFIG GET}
 * is allowed it warns once about a {@code maxmemory-policy} that evicts live keys (anything but
 * {@code noeviction} or {@code volatile-*}); where not, it says once, at INFO, that it could not
 * check.
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

    /**
     * The ACL grant of the commands this store runs, least privilege: the commands themselves,
     * those its scripts call, {@code CLIENT SETNAME} (the connection's name), {@code SELECT} (a
     * database other than 0) and {@code CONFIG GET} (only for the start-up look at
     * {@code maxmemory-policy}; leave it out and the store says it could not check). Keys:
     * {@code ~<redis.key-prefix>*}.
     */
    static final String ACL_COMMANDS = "-@all +get +mget +set +del +eval +incrby +pttl +pexpire +client|setname "
            + "+select +config|get";

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

    /** For {@code state-store=redis}; {@link #init} must follow. */
    public RedisStateStore() {
        this(Clock.systemUTC());
    }

    /** With the clock that stamps {@link Lease#expiresAt}; {@link #init} must follow. */
    public RedisStateStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A store set up in code, with the same settings, defaults and checks as the {@code redis.*}
     * init-params (its values go through the same validation, taken literally: no
     * {@code ${env:...}} resolution). {@link Builder#build()} starts it as {@link #init} does.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a started {@link RedisStateStore}; each method sets the init-param of the same name.
     * Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, String> params = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        private Builder set(String name, String value) {
            params.put(name, Objects.requireNonNull(value, name));
            return this;
        }

        /** {@code redis.url}: {@code redis://host:port[/db]} or {@code rediss://} (TLS); required. */
        public Builder url(String url) {
            return set(RedisSettings.PARAM_URL, url);
        }

        /** {@code redis.user}: the ACL user; needs {@link #password}. */
        public Builder user(String user) {
            return set(RedisSettings.PARAM_USER, user);
        }

        /** {@code redis.password}: the password (of the ACL user, or the default user's). */
        public Builder password(String password) {
            return set(RedisSettings.PARAM_PASSWORD, password);
        }

        /** {@code redis.key-prefix}: prefix of every key; default {@code sg:}. */
        public Builder keyPrefix(String prefix) {
            return set(RedisSettings.PARAM_KEY_PREFIX, prefix);
        }

        /** {@code redis.connect-timeout}: default 50 ms, 1 ms to 30 s. */
        public Builder connectTimeout(Duration timeout) {
            return set(RedisSettings.PARAM_CONNECT_TIMEOUT, timeout.toString());
        }

        /** {@code redis.command-timeout}: default 100 ms, 1 ms to 30 s; also the longest wait for a pooled connection. */
        public Builder commandTimeout(Duration timeout) {
            return set(RedisSettings.PARAM_COMMAND_TIMEOUT, timeout.toString());
        }

        /** {@code redis.pool-size}: connections per node; default 32, 1 to 1024. */
        public Builder poolSize(int size) {
            return set(RedisSettings.PARAM_POOL_SIZE, Integer.toString(size));
        }

        /** {@code redis.tls-ca-file}: a PEM file of the CAs a {@code rediss://} server's certificate must chain to. */
        public Builder tlsCaFile(Path pem) {
            return set(RedisSettings.PARAM_TLS_CA_FILE, pem.toString());
        }

        /** The clock that stamps {@link Lease#expiresAt}; default the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The started store; close it when done (a store handed to {@code GateConfig.Builder}
         * stays its owner's).
         *
         * @throws ConfigException as {@link RedisStateStore#init}, naming the init-param of the bad value
         */
        public RedisStateStore build() {
            RedisStateStore store = new RedisStateStore(clock);
            // Taken literally: a lookup that answers each reference with itself resolves nothing.
            store.start(InitParams.resolve(params, name -> "${env:" + name + "}", name -> "${sys:" + name + "}"));
            return store;
        }
    }

    /**
     * Reads the {@code redis.*} init-params, makes the connection pool and looks at Redis once
     * (see {@link #builder()} for what that look decides).
     *
     * @throws ConfigException when the Jedis client is missing, a parameter is wrong, or Redis
     *     refuses the credentials, the ACL grants or the TLS certificate
     */
    @Override
    public void init(InitParams params) {
        start(params);
    }

    /** The one start-up path of {@link #init} and {@link Builder#build}. */
    private void start(InitParams params) {
        if (redis != null) {
            throw new IllegalStateException("init() was already called");
        }
        requireClient(RedisStateStore.class.getClassLoader());
        RedisSettings s = RedisSettings.from(params);
        JedisTransport transport = new JedisTransport(s);
        try {
            check(s, transport.probe(utf8(s.keyPrefix() + "sg-start-up-probe")));
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
        this.settings = s;
        this.redis = transport;
        LOG.info("Redis state store: {}", s);
    }

    /**
     * Fails start-up for what Redis answered and will not change by waiting (a refused password,
     * a missing ACL grant, an untrusted certificate); logs once and starts degraded when Redis did
     * not answer; warns once about an evicting {@code maxmemory-policy}.
     */
    static void check(RedisSettings s, RedisProbe probe) {
        switch (probe.outcome()) {
            case AUTH_REFUSED -> throw new ConfigException(RedisSettings.PARAM_PASSWORD, "was refused by Redis"
                    + (s.user().isPresent() ? " for " + RedisSettings.PARAM_USER : " (no " + RedisSettings.PARAM_USER
                    + " set: the default user)") + "; set " + RedisSettings.PARAM_USER + " and "
                    + RedisSettings.PARAM_PASSWORD + " (e.g. ${env:REDIS_PASSWORD}) to an ACL user Redis accepts");
            case NOT_PERMITTED -> throw new ConfigException(RedisSettings.PARAM_USER, "may not run the store's commands "
                    + "on keys under its prefix; grant them: ACL SETUSER <user> ~<prefix>* " + ACL_COMMANDS
                    + " (see the README's Redis section)");
            case TLS_UNTRUSTED -> throw new ConfigException(RedisSettings.PARAM_TLS_CA_FILE, s.tlsCaFile().isPresent()
                    ? "does not hold the CA that signed the Redis server's certificate; name the PEM file of that CA"
                    : "is not set and the JVM's trust store does not trust the Redis server's certificate; set it "
                    + "to the PEM file of the CA that signed it");
            case TLS_WRONG_HOST -> throw new ConfigException(RedisSettings.PARAM_URL, "names a host the Redis server's "
                    + "certificate does not name; use the host name (or address) in the certificate's subject "
                    + "alternative names, or reissue it (the host-name check stays on)");
            case UNREACHABLE -> LOG.warn("Redis did not answer at start-up ({}): the filter starts with per-node "
                    + "guarantees only and uses Redis by itself once it answers; maxmemory-policy was not checked",
                    probe.cause());
            case ANSWERED -> probe.policy().ifPresentOrElse(policy -> {
                if (!acceptedPolicy(policy)) {
                    LOG.warn("Redis maxmemory-policy is {}: under memory pressure Redis evicts keys, and with them "
                            + "this store's tombstones and revocations, so a signed-out token could be accepted "
                            + "again; set maxmemory-policy noeviction (or volatile-* on a Redis used only for "
                            + "SessionGate)", policy);
                }
            }, () -> LOG.info("Could not check Redis's maxmemory-policy (CONFIG GET refused: {}); make sure it is "
                    + "noeviction (or volatile-* on a Redis used only for SessionGate): an evicting policy drops "
                    + "tombstones and revocations", probe.cause()));
        }
    }

    /**
     * {@code noeviction}, or a {@code volatile-*} policy (the issue's rule for a Redis used only
     * for this store). Note that every key of this store has a TTL, so a {@code volatile-*} policy
     * may still evict them when memory runs out; only {@code noeviction} makes Redis refuse the
     * write instead ({@link WriteResult#FULL}, failing closed). The README says so.
     */
    static boolean acceptedPolicy(String policy) {
        String p = policy.strip().toLowerCase(java.util.Locale.ROOT);
        return p.equals("noeviction") || p.startsWith("volatile-");
    }

    /** Fails with the artifact to add when the client's classes cannot be loaded. */
    static void requireClient(ClassLoader loader) {
        try {
            Class.forName(CLIENT_CLASS, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigException(GateConfig.PARAM_STATE_STORE, "names the Redis store, but the Redis "
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
