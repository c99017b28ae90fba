package io.github.sessiongate.redis;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * The Redis store's settings, read once from the init-params and checked: the one validation path
 * of both {@code state-store=redis} and {@link RedisStateStore#builder()} (which hands its values
 * over as these parameters). The password comes from {@code redis.password}, normally
 * {@code ${env:...}} (the filter resolves it before the store sees it); one written in the URL is
 * accepted too but then sits in web.xml. {@code tlsTrust} is the socket factory of
 * {@code redis.tls-ca-file}; empty: the JVM's default trust store.
 */
record RedisSettings(String host, int port, boolean tls, int database, Optional<String> user,
        Optional<String> password, String keyPrefix, Duration connectTimeout, Duration commandTimeout,
        int poolSize, Optional<Path> tlsCaFile, Optional<SSLSocketFactory> tlsTrust) {

    static final String PARAM_URL = "redis.url";
    static final String PARAM_USER = "redis.user";
    static final String PARAM_PASSWORD = "redis.password";
    static final String PARAM_KEY_PREFIX = "redis.key-prefix";
    static final String DEFAULT_KEY_PREFIX = "sg:";
    static final String PARAM_CONNECT_TIMEOUT = "redis.connect-timeout";
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(50);
    static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(1);
    static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final String PARAM_COMMAND_TIMEOUT = "redis.command-timeout";
    static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(100);
    static final Duration MIN_COMMAND_TIMEOUT = Duration.ofMillis(1);
    static final Duration MAX_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    static final String PARAM_POOL_SIZE = "redis.pool-size";
    static final int DEFAULT_POOL_SIZE = 32;
    static final int MIN_POOL_SIZE = 1;
    static final int MAX_POOL_SIZE = 1024;
    static final String PARAM_TLS_CA_FILE = "redis.tls-ca-file";

    @Override
    public String toString() { // never the password
        return (tls ? "rediss://" : "redis://") + host + ":" + port + "/" + database + " prefix '" + keyPrefix
                + "' connect " + connectTimeout.toMillis() + " ms, command " + commandTimeout.toMillis()
                + " ms, pool " + poolSize
                + tlsCaFile.map(f -> ", trusting the CAs of " + f.getFileName()).orElse("");
    }

    static RedisSettings from(InitParams params) {
        String raw = params.require(PARAM_URL, "the Redis server, e.g. redis://127.0.0.1:6379 or rediss://host:6380/0");
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new ConfigException(PARAM_URL, "is not a URL; write redis://host:port or rediss://host:port");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new ConfigException(PARAM_URL, "must start with redis:// or rediss:// (TLS)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new ConfigException(PARAM_URL, "names no host; write redis://host:port");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new ConfigException(PARAM_URL, "takes no query or fragment; use the redis.* parameters");
        }
        int port = uri.getPort() == -1 ? 6379 : uri.getPort();
        int database = 0;
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!path.isEmpty() && !path.equals("/")) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                database = -1;
            }
            if (database < 0) {
                throw new ConfigException(PARAM_URL, "path must be a database number (/0), not '" + path + "'");
            }
        }
        Optional<String> urlUser = Optional.empty();
        Optional<String> urlPassword = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            String u = colon < 0 ? "" : decode(info.substring(0, colon));
            String p = decode(colon < 0 ? info : info.substring(colon + 1));
            urlUser = u.isEmpty() ? Optional.empty() : Optional.of(u);
            urlPassword = p.isEmpty() ? Optional.empty() : Optional.of(p);
        }
        Optional<String> fromUrlUser = urlUser;
        Optional<String> fromUrlPassword = urlPassword;
        Optional<String> user = params.get(PARAM_USER).or(() -> fromUrlUser);
        Optional<String> password = params.get(PARAM_PASSWORD).or(() -> fromUrlPassword);
        if (user.isPresent() && password.isEmpty()) {
            throw new ConfigException(PARAM_USER, "needs redis.password too (e.g. ${env:REDIS_PASSWORD})");
        }
        String prefix = params.get(PARAM_KEY_PREFIX).orElse(DEFAULT_KEY_PREFIX);
        if (prefix.length() > 64 || prefix.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new ConfigException(PARAM_KEY_PREFIX, "must be at most 64 visible ASCII characters, such as 'shop:sg:'");
        }
        Duration connect = params.duration(PARAM_CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, MIN_CONNECT_TIMEOUT,
                MAX_CONNECT_TIMEOUT);
        Duration command = params.duration(PARAM_COMMAND_TIMEOUT, DEFAULT_COMMAND_TIMEOUT, MIN_COMMAND_TIMEOUT,
                MAX_COMMAND_TIMEOUT);
        int pool = (int) params.number(PARAM_POOL_SIZE, DEFAULT_POOL_SIZE, MIN_POOL_SIZE, MAX_POOL_SIZE);
        boolean tls = scheme.equals("rediss");
        Optional<Path> caFile = params.get(PARAM_TLS_CA_FILE).map(f -> {
            if (!tls) {
                throw new ConfigException(PARAM_TLS_CA_FILE, "applies only to a rediss:// URL (TLS); write rediss:// in "
                        + PARAM_URL + " or remove it");
            }
            try {
                return Path.of(f);
            } catch (InvalidPathException e) {
                throw new ConfigException(PARAM_TLS_CA_FILE, "is not a file path; name a PEM file of CA certificates");
            }
        });
        Optional<SSLSocketFactory> trust = caFile.map(f -> RedisTlsTrust.fromPemFile(PARAM_TLS_CA_FILE, f));
        return new RedisSettings(uri.getHost(), port, tls, database, user, password, prefix,
                connect, command, pool, caFile, trust);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
