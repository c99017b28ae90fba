package io.github.sessiongate.it;

import io.github.sessiongate.Session;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application of the endpoint webapps, mapped both to the protected {@code /api/*} and to the
 * public pages: answers every method with
 * {@code {"servlet":"api","method","contextPath","principal","subject","guest"}}, {@code 201} for a
 * {@code POST} (a state change was made) and {@code 200} otherwise. {@code subject} and {@code guest}
 * come from {@link Session#from}, {@code principal} from {@code getUserPrincipal()}; no token is ever
 * written. Every call is counted per context path ({@link #calls}), so a test can prove the filter
 * refused a request before the application ran, not merely that the body looks different.
 */
public class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Value of the {@code "servlet"} field. */
    public static final String MARKER = "api";

    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    /** How many requests this servlet has served in the context so far (all methods). */
    static int calls(String contextPath) {
        AtomicInteger n = CALLS.get(contextPath);
        return n == null ? 0 : n.get();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CALLS.computeIfAbsent(request.getContextPath(), k -> new AtomicInteger()).incrementAndGet();
        Principal principal = request.getUserPrincipal();
        Optional<Session> session = Session.from(request);
        String json = "{\"servlet\":" + Json.quote(MARKER)
                + ",\"method\":" + Json.quote(request.getMethod())
                + ",\"contextPath\":" + Json.quote(request.getContextPath())
                + ",\"principal\":" + Json.quote(principal == null ? null : principal.getName())
                + ",\"subject\":" + Json.quote(session.map(Session::subject).orElse(null))
                + ",\"guest\":" + session.map(Session::isGuest).orElse(false)
                + "}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus("POST".equals(request.getMethod()) ? HttpServletResponse.SC_CREATED : HttpServletResponse.SC_OK);
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
