package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.Await;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.RecordingBackend;
import io.github.sessiongate.testing.RecordingBackend.Answer;
import io.github.sessiongate.testing.RecordingBackend.Hold;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Round 13 of the adversarial review, on each real container ({@link JettyAdversarialRound13Test},
 * {@link TomcatAdversarialRound13Test}): browsers that abandon proxied streams (mid-download, or an
 * event stream while it is idle) while other users' forwards run on the same route. The container
 * recycles the abandoned requests' objects and hands them to the next requests; every other
 * user's answer must still be complete and its own, and the abandoned forwards' slots come back.
 * Uses the {@code proxyattack} webapp ({@link ProxyAttackScenarios} describes its routes).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AdversarialRound13Scenarios {
    private static final String CTX = "/pa";
    private static final String BACKEND = CTX + "/api/backend";
    private static final String SINGLE = CTX + "/api/single";
    private static final String V1 = "/v1/";
    private static final int USERS = 12;
    private static final int ABANDONERS = 6;
    private static final int ROUNDS = 3;

    private final MutableClock authClock = MutableClock.followingSystemTime();
    private final Teardown teardown = new Teardown();
    private final ExecutorService browsers = Executors.newFixedThreadPool(ABANDONERS);
    private FakeAuthBackend auth;
    private RecordingBackend api;
    private HttpClient http;
    private URI base;

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        FakeAuthBackend.Builder users = FakeAuthBackend.builder().clock(authClock).user("mallory", "pw").user("alice", "pw");
        for (int i = 0; i < USERS; i++) {
            users.user("user" + i, "pw");
        }
        auth = teardown.add(users.build().start());
        api = teardown.add(new RecordingBackend().start());
        teardown.add(new ScenarioProperties("sessiongate.it.proxyattack."))
                .backend(auth)
                .prefixed("backend-url", api.baseUrl() + V1)
                .prefixed("raw-url", api.baseUrl() + V1);
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(CTX, "proxyattack")));
        http = JavaHttp.newClient();
    }

    @AfterAll
    void stop() throws Exception {
        browsers.shutdownNow();
        teardown.close();
    }

    /** Browsers leaving mid-download (connection reset) never cut, mix or end another user's answer. */
    @Test
    void abandonedDownloadsNeverReachOrCutOtherUsersAnswers() throws Exception {
        api.answer(V1 + "abandoned", Answer.status(200).header("Content-Type", "application/octet-stream")
                .streamed(64L * RecordingBackend.BLOCK_SIZE));
        List<String> bodies = userAnswers("download");
        for (int round = 0; round < ROUNDS; round++) {
            List<Future<?>> leaving = new ArrayList<>();
            for (int i = 0; i < ABANDONERS; i++) {
                leaving.add(browsers.submit(() -> abandon(BACKEND + "/abandoned", auth.accessToken("mallory"))));
            }
            assertOwnAnswers("download", bodies);
            for (Future<?> f : leaving) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        assertOwnAnswers("download", bodies);
    }

    /**
     * Browsers that reset the connection before the backend answered: the forwards find their
     * requests gone only when the answer comes, while other users' requests are being served.
     */
    @Test
    void browsersGoneBeforeTheAnswerStartedNeverReachOtherUsersAnswers() throws Exception {
        try (Hold backendSlow = new Hold()) {
            api.answer(V1 + "held", Answer.status(200).header("Content-Type", "application/octet-stream")
                    .streamed(8L * RecordingBackend.BLOCK_SIZE).heldBy(backendSlow));
            assertOwnAnswersAroundTheRelease("early", backendSlow, () -> {
                for (int i = 0; i < ABANDONERS; i++) {
                    try (Socket browser = new Socket(base.getHost(), base.getPort())) {
                        browser.getOutputStream().write(RawHttp.head(base, "GET", BACKEND + "/held",
                                cookie(auth.accessToken("mallory"))));
                        browser.getOutputStream().flush();
                        backendSlow.awaitArrivals(i + 1);
                        browser.setSoLinger(true, 0);
                    }
                }
                return null;
            });
        }
    }

    /**
     * An event stream abandoned while idle (the backend sends nothing, so the container sees no
     * failed write) and then woken: other users' answers meanwhile and after are their own, and the
     * single-forward route's slot comes back.
     */
    @Test
    void eventStreamAbandonedWhileIdleLeavesOtherAnswersAloneAndGivesItsSlotBack() throws Exception {
        try (Hold idle = new Hold()) {
            api.answer(V1 + "events", Answer.status(200).header("Content-Type", "text/event-stream")
                    .streamed(4L * RecordingBackend.BLOCK_SIZE).pausedAfter(RecordingBackend.BLOCK_SIZE, idle));
            assertOwnAnswersAroundTheRelease("sse", idle, () -> {
                // The reset only once the backend is idle at its pause: before that, a reset on a busy
                // machine can reach the forward while the backend still writes, which is the other test.
                abandon(SINGLE + "/events", auth.accessToken("mallory"), () -> idle.awaitArrivals(1));
                return null;
            });
        }
        String after = "after-events-" + UUID.randomUUID();
        api.answer(V1 + "after-events", Answer.status(200).body(after));
        Response[] last = new Response[1];
        Await.until("the abandoned stream giving the single slot back", () -> (last[0] = unchecked(() ->
                get(SINGLE + "/after-events", auth.accessToken("alice")))).status() != 503, () -> String.valueOf(last[0]));
        assertEquals(200, last[0].status(), () -> last[0].toString());
        assertEquals(after, last[0].body());
    }

    /**
     * Other users' answers are their own after {@code abandon} has left forwards waiting at
     * {@code hold}, after the hold's release, and once more after the woken forwards found their
     * browsers gone.
     */
    private void assertOwnAnswersAroundTheRelease(String prefix, Hold hold, Io<Void> abandon) throws Exception {
        List<String> bodies = userAnswers(prefix);
        abandon.get();
        assertOwnAnswers(prefix, bodies);
        hold.release();
        assertOwnAnswers(prefix, bodies);
        assertOwnAnswers(prefix, bodies);
    }

    /** Distinct bodies, one per user, at {@code V1 + prefix-i}; long enough to span several writes. */
    private List<String> userAnswers(String prefix) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            String body = (prefix + "-user-" + i + "-" + UUID.randomUUID() + ";").repeat(600);
            api.answer(V1 + prefix + "-" + i, Answer.status(200).header("Content-Type", "text/plain").body(body));
            bodies.add(body);
        }
        return bodies;
    }

    /** Every user asks at once for their own answer; each gets exactly it. */
    private void assertOwnAnswers(String prefix, List<String> bodies) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            answers.add(http.sendAsync(JavaHttp.request(base, BACKEND + "/" + prefix + "-" + i, Duration.ofSeconds(30),
                    cookie(auth.accessToken("user" + i))).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<Runnable> checks = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            HttpResponse<String> r = answers.get(i).get(40, TimeUnit.SECONDS);
            String expected = bodies.get(i);
            int user = i;
            checks.add(() -> assertEquals(200, r.statusCode(), () -> "user " + user + ": " + r.statusCode()));
            checks.add(() -> assertEquals(expected.length(), r.body().length(), () -> "user " + user + " got a cut or mixed body"));
            checks.add(() -> assertEquals(expected, r.body(), () -> "user " + user + " got another's body"));
        }
        assertAll(checks.stream().map(c -> (org.junit.jupiter.api.function.Executable) c::run));
    }

    /** A browser that reads the first bytes of an answer, then resets the connection. */
    private Void abandon(String target, String token) throws IOException {
        return abandon(target, token, () -> { });
    }

    /** As {@link #abandon(String, String)}, running {@code beforeReset} after the first bytes arrived. */
    private Void abandon(String target, String token, Runnable beforeReset) throws IOException {
        try (Socket browser = new Socket(base.getHost(), base.getPort())) {
            browser.setSoTimeout(20_000);
            browser.setReceiveBufferSize(4096);
            browser.getOutputStream().write(RawHttp.head(base, "GET", target, cookie(token)));
            browser.getOutputStream().flush();
            browser.getInputStream().readNBytes(4096);
            beforeReset.run();
            browser.setSoLinger(true, 0); // a reset, as a killed tab or a dropped network gives
        }
        return null;
    }

    private Response get(String target, String token) throws IOException, InterruptedException {
        return JavaHttp.toResponse(http.send(JavaHttp.request(base, target, Duration.ofSeconds(20), cookie(token)).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static String cookie(String token) {
        return "Cookie: " + CookieSettings.DEFAULT_ACCESS_COOKIE_NAME + "=" + token;
    }

    private interface Io<T> {
        T get() throws Exception;
    }

    private static <T> T unchecked(Io<T> call) {
        try {
            return call.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
