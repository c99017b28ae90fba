package io.github.sessiongate.it;

import io.github.sessiongate.Session;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a request in the application, after the filter has run (and rotated the tokens in place),
 * until the test releases it: a rotated response kept in flight, deterministically, like a
 * half-sent request body would. Answers {@code {"servlet":"holding","sub":...}}. The latches are
 * static: the containers load test classes parent-first, so the test and the webapp share them.
 */
public class HoldingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private static volatile CountDownLatch entered = new CountDownLatch(0);
    private static volatile CountDownLatch release = new CountDownLatch(0);

    /** The next request will be held; returns the latch counted down when it arrives. */
    static CountDownLatch arm() {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        return entered;
    }

    /** Lets a held request go on. */
    static void release() {
        release.countDown();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CountDownLatch mine = release;
        entered.countDown();
        try {
            if (!mine.await(20, TimeUnit.SECONDS)) {
                response.sendError(500, "never released");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        String sub = Session.from(request).map(Session::subject).orElse(null);
        byte[] body = ("{\"servlet\":\"holding\",\"sub\":" + Json.quote(sub) + "}").getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
