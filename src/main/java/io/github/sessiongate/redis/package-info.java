/**
 * The {@link io.github.sessiongate.StateStore} on Redis (or Valkey), so several nodes share the
 * filter's state: {@link io.github.sessiongate.redis.RedisStateStore}. It needs the optional
 * Jedis client ({@code redis.clients:jedis}) on the class path; nothing else in the filter does.
 * Choose it with {@code state-store=redis} in web.xml or {@code RedisStateStore.builder()} in code.
 * Only {@code RedisStateStore} and its builder are public; no Jedis type appears in them.
 */
package io.github.sessiongate.redis;
