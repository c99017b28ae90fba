package io.github.sessiongate.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * At start-up the store reads {@code maxmemory-policy}: one WARN naming the setting for a policy
 * that evicts live keys (an evicting Redis drops tombstones and revocations), none for
 * {@code noeviction} or {@code volatile-*}, and one INFO saying it could not check when the ACL
 * user may not run {@code CONFIG GET}.
 */
class RedisEvictionPolicyTest {
    private static RedisServer server;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.startOrSkip();
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    private static void policy(String policy) {
        try (Jedis admin = server.client()) {
            assertEquals("OK", admin.configSet("maxmemory-policy", policy));
        }
    }

    /** The log of starting (and closing) a store with this builder's user, if any. */
    private static String startUp(String user, String password) {
        try (LogCapture log = new LogCapture()) {
            RedisStateStore.Builder b = RedisStateStore.builder().url(server.url()).commandTimeout(Duration.ofSeconds(1))
                    .connectTimeout(Duration.ofSeconds(1));
            if (user != null) {
                b.user(user).password(password);
            }
            b.build().close();
            return log.text();
        }
    }

    private static long lines(String log, String level, String containing) {
        return log.lines().filter(l -> l.contains(" " + level + " ") && l.contains(containing)).count();
    }

    @Test
    void anEvictingPolicyIsWarnedAboutOnceNamingTheSetting() {
        try {
            for (String evicting : List.of("allkeys-lru", "allkeys-lfu", "allkeys-random")) {
                policy(evicting);
                String log = startUp(null, null);
                assertEquals(1, lines(log, "WARN", "maxmemory-policy is " + evicting), log);
                assertTrue(log.contains("tombstones and revocations") && log.contains("noeviction"), log);
            }
        } finally {
            policy("noeviction");
        }
    }

    @Test
    void noevictionAndVolatilePoliciesAreNotWarnedAbout() {
        try {
            for (String kept : List.of("noeviction", "volatile-lru", "volatile-ttl")) {
                policy(kept);
                String log = startUp(null, null);
                assertEquals(0, lines(log, "WARN", "maxmemory-policy"), log);
                assertEquals(0, lines(log, "INFO", "Could not check"), log);
            }
        } finally {
            policy("noeviction");
        }
    }

    @Test
    void anAclUserWithoutConfigGetGetsOneNoteThatThePolicyWasNotChecked() {
        List<String> rules = new ArrayList<>(List.of("reset", "on", ">pw-evict-1", "~sg:*", "resetchannels"));
        for (String rule : RedisStateStore.ACL_COMMANDS.split(" ")) {
            if (!rule.equals("+config|get")) {
                rules.add(rule);
            }
        }
        try (Jedis admin = server.client()) {
            admin.aclSetUser("no-config", rules.toArray(String[]::new));
        }
        policy("allkeys-lru");
        try {
            String log = startUp("no-config", "pw-evict-1");
            assertEquals(1, lines(log, "INFO", "Could not check Redis's maxmemory-policy"), log);
            assertEquals(0, lines(log, "WARN", "maxmemory-policy is"), "it could not see the policy: " + log);
            assertTrue(!log.contains("no-config") && !log.contains("pw-evict-1"), "no user or password: " + log);
        } finally {
            policy("noeviction");
        }
    }
}
