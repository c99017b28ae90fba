/**
 * The {@link io.github.sessiongate.StateStore} on Redis (or Valkey), so several nodes share the
 * filter's state: {@link io.github.sessiongate.redis.RedisStateStore}. It needs the optional
 * Jedis client ({@code redis.clients:jedis}) on the class path; nothing else in the filter does.
 * Not exported yet: name it by class with {@code state-store-class}.
 */
package io.github.sessiongate.redis;
