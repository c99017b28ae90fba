package io.github.sessiongate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's Tomcat never writes a cookie value to its log. Tomcat's own cookie parser runs before
 * any filter and, by default, logs a whole malformed {@code Cookie} header (the tokens in it) at
 * INFO; a client that joins cookies with commas is enough. {@link SampleMain} sets
 * {@code org.apache.juli.logging.UserDataHelper.CONFIG=NONE} before Tomcat is created.
 *
 * <p>Every JUL record (Tomcat logs through JUL; levels opened to FINE, Tomcat's debug, so the
 * parser's "info, then debug" mode would show too; FINER is Tomcat's opt-in wire trace, which shows
 * whole requests by design) and everything written to {@code System.err} (the demo's
 * slf4j-simple log) is captured while such requests are served.
 */
@Timeout(60)
class TomcatLogLeakTest {

    @Test
    void aCommaJoinedCookieHeaderNeverReachesTheLog() throws Exception {
        String access = tokenLike();
        String refresh = tokenLike();
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (logged) {
                    logged.add(record.getLevel() + " " + record.getLoggerName() + " " + record.getMessage()
                            + " " + java.util.Arrays.toString(record.getParameters())
                            + " " + (record.getThrown() == null ? "" : String.valueOf(record.getThrown())));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        Logger tomcat = Logger.getLogger("org.apache");
        Level tomcatLevel = tomcat.getLevel();
        root.addHandler(capture);
        tomcat.setLevel(Level.FINE); // Tomcat's debug; FINER is its opt-in wire trace of whole requests
        PrintStream err = System.err;
        ByteArrayOutputStream errCopy = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(err, errCopy), true, StandardCharsets.UTF_8));
        try (SampleMain.Demo demo = SampleMain.start(0, 0, "tomcat", 300)) {
            assertEquals("NONE", System.getProperty(SampleMain.TOMCAT_USER_DATA_LOG_PROPERTY));
            for (String path : new String[] {"/", "/api/me", "/auth/session", "/dashboard"}) {
                for (String cookie : new String[] {
                        "sg_access=" + access + ", sg_refresh=" + refresh,
                        "sg_access=" + access + ",sg_refresh=" + refresh + "; theme=dark",
                        "theme=dark, sg_access=" + access + "; sg_refresh=" + refresh + ", x=\"y"}) {
                    String response = get(demo.port(), path, cookie);
                    assertTrue(response.startsWith("HTTP/1.1 "), response);
                    assertFalse(response.contains(" 500 "), response.lines().findFirst().orElse(""));
                }
            }
        } finally {
            System.setErr(err);
            root.removeHandler(capture);
            tomcat.setLevel(tomcatLevel);
        }
        synchronized (logged) {
            // The capture works: Tomcat's start-up lines were seen.
            assertTrue(logged.stream().anyMatch(line -> line.contains("org.apache")), "no Tomcat log captured");
            for (String line : logged) {
                assertFalse(line.contains(access) || line.contains(refresh), "a token reached the JUL log: " + line);
            }
        }
        String stderr = errCopy.toString(StandardCharsets.UTF_8);
        assertFalse(stderr.contains(access) || stderr.contains(refresh), "a token reached stderr");
    }

    /** A JWT-shaped value, distinct per call, that the log check can look for. */
    private static String tokenLike() {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        return "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9." + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** One raw HTTP/1.1 request, so the Cookie header goes out exactly as written. */
    private static String get(int port, String path, String cookie) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: application/json\r\n"
                    + "Cookie: " + cookie + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Writes to two streams. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
