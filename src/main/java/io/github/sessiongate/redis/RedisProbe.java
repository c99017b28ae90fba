package io.github.sessiongate.redis;

import java.util.Optional;

/**
 * What the start-up look at Redis found ({@link JedisTransport#probe}): whether the store's own
 * commands are allowed, and the server's {@code maxmemory-policy} where {@code CONFIG GET} is. A
 * class of its own, free of Jedis types, so {@link RedisStateStore} decides and logs without the
 * client.
 *
 * @param outcome what the store's first command met
 * @param policy the {@code maxmemory-policy}, when Redis told it
 * @param cause the failure's class names (never its message, which may quote a key or user), or empty
 */
record RedisProbe(Outcome outcome, Optional<String> policy, String cause) {

    /** What a store command met at start-up. */
    enum Outcome {
        /** Redis answered the store's command. */
        ANSWERED,
        /** No answer (down, unreachable, timed out): the store starts degraded and reconnects by itself. */
        UNREACHABLE,
        /** Redis refused the credentials (WRONGPASS, NOAUTH, AUTH without a password set). */
        AUTH_REFUSED,
        /** The ACL user may not run the store's commands or keys (NOPERM). */
        NOT_PERMITTED,
        /** The TLS handshake failed: the certificate is not trusted. */
        TLS_UNTRUSTED,
        /** The TLS handshake failed: the certificate does not name the host of {@code redis.url}. */
        TLS_WRONG_HOST
    }
}
