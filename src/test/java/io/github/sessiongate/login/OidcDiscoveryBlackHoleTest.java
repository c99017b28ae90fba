package io.github.sessiongate.login;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.testing.MutableClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A provider that accepts connections and never answers, while several requests need discovery at
 * once (logouts, revokes, sign-ins on a node that has not discovered yet): each waits at most about
 * one backend read timeout (here longer than the retry pause), never one timeout per request queued
 * on the discovery lock.
 */
class OidcDiscoveryBlackHoleTest {
    private static final Duration READ = OidcDiscovery.RETRY.plusMillis(700);

    @Test
    void concurrentCallersWaitAtMostAboutOneTimeoutEach() throws Exception {
        try (ServerSocket blackHole = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
                BackendHttp http = new BackendHttp(Duration.ofSeconds(1), READ)) {
            String issuer = "http://127.0.0.1:" + blackHole.getLocalPort() + "/dead";
            OidcDiscovery discovery = new OidcDiscovery(OidcSettings.builder().issuer(issuer).client("web", "secret").build(), http,
                    MutableClock.followingSystemTime());
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<Long>> waits = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    waits.add(pool.submit(() -> {
                        long start = System.nanoTime();
                        Optional<OidcDiscovery.Provider> p = discovery.provider();
                        assertTrue(p.isEmpty());
                        return (System.nanoTime() - start) / 1_000_000;
                    }));
                }
                for (Future<Long> w : waits) {
                    long millis = w.get();
                    assertTrue(millis < READ.toMillis() * 2 + 500, () -> "waited " + millis + " ms for a black-holed discovery");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
