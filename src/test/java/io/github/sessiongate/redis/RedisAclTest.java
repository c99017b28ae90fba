package io.github.sessiongate.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.StateStore.EntryClass;
import io.github.sessiongate.StateStore.Lease;
import io.github.sessiongate.StateStore.WriteResult;
import io.github.sessiongate.testing.Await;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The store as a least-privilege ACL user: {@code ~<prefix>*} and only the commands of
 * {@link RedisStateStore#ACL_COMMANDS} (the list the README gives operators), with the password
 * from {@code ${env:...}}. Every operation works; a prefix outside the grant and a wrong password
 * fail start-up naming the parameter (the documented choice); a Redis that is down at start-up
 * does not, and the store connects by itself once it is back.
 */
class RedisAclTest {
    private static final String USER = "sg-app";
    private static final String PASSWORD = "acl-pw-7f3e9c";
    private static final Duration TTL = Duration.ofMinutes(1);

    private RedisServer server;

    @BeforeEach
    void start() {
        server = RedisServer.startOrSkip();
        grant();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** ACL SETUSER sg-app on >pw ~app:* resetchannels, then the README's command list. */
    private void grant() {
        List<String> rules = new ArrayList<>(List.of("reset", "on", ">" + PASSWORD, "~app:*", "resetchannels"));
        rules.addAll(List.of(RedisStateStore.ACL_COMMANDS.split(" ")));
        try (Jedis admin = server.client()) {
            assertEquals("OK", admin.aclSetUser(USER, rules.toArray(String[]::new)));
        }
    }

    private InitParams params(String prefix, String password) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("redis.url", server.url());
        raw.put("redis.user", USER);
        raw.put("redis.password", "${env:SG_TEST_REDIS_PASSWORD}");
        raw.put("redis.key-prefix", prefix);
        raw.put("redis.command-timeout", "1s");
        raw.put("redis.connect-timeout", "1s");
        return InitParams.resolve(raw, name -> name.equals("SG_TEST_REDIS_PASSWORD") ? password : null, name -> null);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theLeastPrivilegeUserRunsEveryOperationOfTheStore() {
        RedisStateStore store = new RedisStateStore();
        try (LogCapture log = new LogCapture()) {
            store.init(params("app:", PASSWORD));
            assertEquals(0, log.count("INFO", "Could not check"), "CONFIG GET is granted: " + log.text());
            assertFalse(log.text().contains(PASSWORD), log.text());
        }
        try {
            assertEquals(WriteResult.STORED, store.put("a", bytes("1"), TTL, EntryClass.SECURITY));
            assertEquals(WriteResult.EXISTS, store.putIfAbsent("a", bytes("2"), TTL, EntryClass.SECURITY));
            assertEquals(WriteResult.STORED, store.putIfAbsent("b", bytes("2"), TTL, EntryClass.CACHE));
            assertArrayEquals(bytes("1"), store.get("a").orElseThrow());
            assertEquals(2, store.getAll(List.of("a", "b", "c")).size());
            store.delete("b");
            assertTrue(store.get("b").isEmpty());
            assertEquals(1, store.increment("n", 1, TTL, EntryClass.CACHE).orElseThrow());
            assertEquals(3, store.increment("n", 2, TTL, EntryClass.CACHE).orElseThrow());
            Lease lease = store.lease("job", "node-a", TTL).orElseThrow();
            assertTrue(store.lease("job", "node-b", TTL).isEmpty());
            assertTrue(store.renew(lease, TTL).isPresent());
            assertTrue(store.release(lease));
            try (Jedis admin = server.client()) {
                assertArrayEquals(bytes("1"), admin.get(bytes("app:a")), "under the granted prefix");
                assertTrue(admin.pttl("app:n") > 0);
            }
        } finally {
            store.close();
        }
    }

    @Test
    void theReadmeGivesOperatorsThisVeryCommandList() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        assertTrue(readme.contains("~sg:* resetchannels " + RedisStateStore.ACL_COMMANDS + "\n"),
                "README's ACL SETUSER line must grant exactly " + RedisStateStore.ACL_COMMANDS);
    }

    @Test
    void aPrefixOutsideTheGrantFailsStartUpNamingTheUser() {
        RedisStateStore store = new RedisStateStore();
        ConfigException e = assertThrows(ConfigException.class, () -> store.init(params("other:", PASSWORD)));
        assertEquals("redis.user", e.parameter());
        assertTrue(e.getMessage().contains("ACL SETUSER"), e.getMessage());
    }

    @Test
    void aWrongPasswordFailsStartUpNamingThePasswordAndNeverShowsIt() {
        RedisStateStore store = new RedisStateStore();
        ConfigException e = assertThrows(ConfigException.class, () -> store.init(params("app:", "wrong-pw-1d2c")));
        assertEquals("redis.password", e.parameter());
        assertTrue(e.getMessage().contains("redis.user"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-pw-1d2c") || e.getMessage().contains(PASSWORD), e.getMessage());

        ConfigException builder = assertThrows(ConfigException.class, () -> RedisStateStore.builder().url(server.url())
                .user(USER).password("wrong-pw-1d2c").keyPrefix("app:").commandTimeout(Duration.ofSeconds(1)).build());
        assertEquals(e.getMessage(), builder.getMessage(), "the builder's check is the init-params' check");
    }

    @Test
    void aRedisDownAtStartUpDoesNotFailStartUpAndTheStoreConnectsOnceItIsBack() {
        server.stop();
        RedisStateStore store = new RedisStateStore();
        try (LogCapture log = new LogCapture()) {
            store.init(params("app:", PASSWORD));
            assertEquals(1, log.count("WARN", "did not answer at start-up"), log.text());
            assertFalse(log.text().contains(PASSWORD), log.text());
        }
        try {
            assertEquals(WriteResult.UNAVAILABLE, store.put("a", bytes("1"), TTL, EntryClass.SECURITY));
            server.start();
            grant(); // no persistence: the restarted server knows the user again only once granted
            Await.until("the store connects as the ACL user", () -> store.put("a", bytes("1"), TTL,
                    EntryClass.SECURITY) == WriteResult.STORED);
            assertArrayEquals(bytes("1"), store.get("a").orElseThrow());
        } finally {
            store.close();
        }
    }
}
