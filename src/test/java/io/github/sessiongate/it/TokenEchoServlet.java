package io.github.sessiongate.it;

import io.github.sessiongate.Session;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The protected API of the rotation webapps: answers
 * {@code {"servlet":"token-echo","sub","roles","tokenSha256","bearerSha256"}}, where
 * {@code tokenSha256} is the SHA-256 of {@code Session.token()} and {@code bearerSha256} that of
 * the {@code Authorization: Bearer} value the wrapped request shows (null when it shows none). So a
 * test can tell which token the application was handed after a rotation without any token ever
 * leaving the server.
 */
public class TokenEchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Value of the {@code "servlet"} field. */
    public static final String MARKER = "token-echo";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Session> session = Session.from(request);
        String authorization = request.getHeader("Authorization");
        String bearer = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        StringBuilder json = new StringBuilder("{\"servlet\":").append(Json.quote(MARKER));
        json.append(",\"sub\":").append(Json.quote(session.map(Session::subject).orElse(null)));
        json.append(",\"roles\":[");
        String sep = "";
        for (String role : new TreeSet<>(session.map(Session::roles).orElse(Set.of()))) {
            json.append(sep).append(Json.quote(role));
            sep = ",";
        }
        json.append("],\"tokenSha256\":").append(Json.quote(session.map(s -> Tokens.sha256(s.token())).orElse(null)));
        json.append(",\"bearerSha256\":").append(Json.quote(bearer == null ? null : Tokens.sha256(bearer)));
        json.append('}');
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
