package io.github.sessiongate.redis;

/**
 * Redis refused a write for memory ({@code maxmemory} reached under {@code noeviction}): the
 * store answers {@link io.github.sessiongate.StateStore.WriteResult#FULL}. A class of its own, not
 * nested in {@link JedisTransport}, so {@link RedisStateStore} links without the Jedis client.
 */
final class RedisFull extends Exception {
    private static final long serialVersionUID = 1L;

    RedisFull() {
        super("Redis is out of memory", null, false, false);
    }
}
