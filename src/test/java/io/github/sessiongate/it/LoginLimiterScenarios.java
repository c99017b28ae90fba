package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.FakeAuthBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The login limiter through a real container ({@link JettyLoginLimiterTest}, {@link TomcatLoginLimiterTest}):
 * the webapp {@code login-limiter} at {@value #LIM} logs in through {@link FakeAuthBackend} (users
 * alice and admin), trusts 127.0.0.1 as a proxy so {@code X-Forwarded-For} speaks for distinct
 * client addresses, and keeps the limiter's defaults (5 failures per username and address, 25 per
 * address) with the username delay off so no server thread sleeps. Nobody sleeps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LoginLimiterScenarios {
    static final String LIM = "/lim";
    static final String PROP_PREFIX = "sessiongate.it.limiter.";

    private final ForwardedClients clientAddresses = new ForwardedClients("203.0", 113);
    private final Teardown teardown = new Teardown();
    private FakeAuthBackend backend;
    private URI base;

    /** A fresh, unstarted container. */
    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        backend = teardown.add(FakeAuthBackend.builder().build().start());
        teardown.add(new ScenarioProperties(PROP_PREFIX)).backend(backend);
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(LIM, "login-limiter")));
        Response warm = login("alice", "alice-password", freshClient());
        assertEquals(200, warm.status(), () -> "not serving: " + warm);
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    @Test
    void theAttackersOwnSuccessfulLoginsNoLongerResetTheVictimsCount() throws Exception {
        String attacker = freshClient();
        int logins = backend.calls(FakeAuthBackend.LOGIN);
        List<Integer> victimStatuses = new ArrayList<>();
        for (int round = 0; round < 3; round++) { // 4 wrong, 1 own success, repeat
            for (int i = 0; i < 4; i++) {
                victimStatuses.add(login("alice", "guess-" + round + "-" + i, attacker).status());
            }
            Response own = login("admin", "admin-password", attacker);
            assertEquals(200, own.status(), () -> "the attacker's own login still works: " + own);
        }
        assertEquals(List.of(401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429), victimStatuses,
                "5 guesses for the victim pair, then 429 despite the attacker's own successes");
        assertEquals(logins + 5 + 3, backend.calls(FakeAuthBackend.LOGIN), "a refused guess never reaches the backend");

        Response right = login("ALICE ", "alice-password", attacker);
        assertEquals(429, right.status(), () -> "the victim pair is limited under any spelling: " + right);
        assertEquals(Map.of("error", "too_many_attempts"), Json.object(right.body()));
        long retryAfter = Long.parseLong(right.header("Retry-After").orElse("-1"));
        assertTrue(retryAfter >= 1 && retryAfter <= 300, () -> "Retry-After within the 5m window: " + retryAfter);
        Response victim = login("alice", "alice-password", freshClient());
        assertEquals(200, victim.status(), () -> "the victim from her own address is not locked out: " + victim);
    }

    @Test
    void sprayingOneAddressAcrossUsernamesHitsTheAddressCeiling() throws Exception {
        String sprayer = freshClient();
        for (int i = 0; i < 25; i++) {
            Response r = login("user-" + i, "Summer2026!", sprayer);
            assertEquals(401, r.status(), () -> "guess within the ceiling: " + r);
        }
        Response next = login("alice", "alice-password", sprayer);
        assertEquals(429, next.status(), () -> "the address reached login-address-max-failures (25): " + next);
        assertTrue(next.header("Retry-After").isPresent());
        Response elsewhere = login("user-99", "Summer2026!", freshClient());
        assertEquals(401, elsewhere.status(), () -> "another address is not affected: " + elsewhere);
    }

    @Test
    void aUsernameFailingFromManyAddressesIsNeverRefused() throws Exception {
        for (int a = 0; a < 4; a++) {
            String client = freshClient();
            for (int i = 0; i < 5; i++) {
                Response r = login("admin", "wrong-" + i, client);
                assertEquals(401, r.status(), () -> "a wrong password, answered: " + r);
            }
        }
        Response owner = login("admin", "admin-password", freshClient());
        assertEquals(200, owner.status(), () -> "20 failures from 4 addresses never lock the owner out: " + owner);
    }

    @Test
    void fiveSlowBodiesFromOneAddressDoNotBlockASixthLoginFromIt() throws Exception {
        String client = freshClient();
        List<HeldLogin> held = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                held.add(HeldLogin.open(base, LIM + "/auth/login", json("alice", "slow-guess-" + i), client, "Origin: " + base));
            }
            Response sixth = login("alice", "alice-password", client);
            assertEquals(200, sixth.status(), () -> "five bodies held open reserve nothing: " + sixth);

            for (HeldLogin h : held) {
                Response r = h.finish();
                assertEquals(401, r.status(), () -> "a completed slow guess is answered and counted: " + r);
            }
        } finally {
            for (HeldLogin h : held) {
                h.close();
            }
        }
        Response afterFive = login("alice", "alice-password", client);
        assertEquals(429, afterFive.status(), () -> "the five completed guesses counted for the pair: " + afterFive);
    }

    // ================================================================ helpers

    /** A client address of its own, through the trusted proxy 127.0.0.1. */
    String freshClient() {
        return clientAddresses.next();
    }

    Response login(String user, String password, String client) throws IOException {
        return RawHttp.send(base, "POST", LIM + "/auth/login", json(user, password).getBytes(StandardCharsets.UTF_8),
                client, "Content-Type: application/json", "Origin: " + base);
    }

    static String json(String user, String password) {
        return "{\"username\":" + Json.quote(user) + ",\"password\":" + Json.quote(password) + "}";
    }

    /**
     * A JSON login whose body is held back: the headers (with {@code Content-Length} and
     * {@code Expect: 100-continue}) and the first half of the body go out at once; the second half
     * only when {@link #finish} is called. Waiting for the interim {@code 100 Continue} means the
     * container has the request (Jetty sends it when the filter starts reading the body).
     */
    static final class HeldLogin implements AutoCloseable {
        private final Socket socket;
        private final byte[] rest;

        private HeldLogin(Socket socket, byte[] rest) {
            this.socket = socket;
            this.rest = rest;
        }

        static HeldLogin open(URI base, String target, String body, String... headerLines) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            int half = bytes.length / 2;
            StringBuilder head = new StringBuilder("POST " + target + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\n");
            for (String line : headerLines) {
                head.append(line).append("\r\n");
            }
            head.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length)
                    .append("\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
            Socket socket = new Socket(base.getHost(), base.getPort());
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String interim = readHead(socket.getInputStream());
            if (!interim.startsWith("HTTP/1.1 100")) {
                socket.close();
                throw new AssertionError("expected 100 Continue, got " + interim);
            }
            out.write(bytes, 0, half);
            out.flush();
            byte[] rest = new byte[bytes.length - half];
            System.arraycopy(bytes, half, rest, 0, rest.length);
            return new HeldLogin(socket, rest);
        }

        /** Sends the rest of the body and reads the final response (by Content-Length, else to end of stream). */
        Response finish() throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(rest);
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            while (head.startsWith("HTTP/1.1 1")) {
                head = readHead(in);
            }
            int status = Integer.parseInt(head.split(" ")[1]);
            Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && !line.startsWith("HTTP/")) {
                    headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                            k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
                }
            }
            // Jetty keeps the connection open after a 100-continue exchange despite Connection: close.
            List<String> length = headers.get("content-length");
            byte[] body = length != null ? in.readNBytes(Integer.parseInt(length.get(0))) : in.readAllBytes();
            return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
        }

        /** Reads one response head, up to and including the blank line. */
        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
