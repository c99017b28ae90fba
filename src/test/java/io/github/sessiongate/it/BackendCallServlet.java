package io.github.sessiongate.it;

import io.github.sessiongate.BackendClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Calls the backend named by the system property {@value #TARGET_PROPERTY} through the filter's
 * {@link BackendClient} with the signed-in session's token, and answers
 * {@code {"backendStatus": n}}.
 */
public class BackendCallServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** System property holding the URL the servlet calls. */
    public static final String TARGET_PROPERTY = "sessiongate.it.backend-call.target";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        BackendClient client = BackendClient.from(getServletContext());
        HttpResponse<String> answer;
        try {
            answer = client.send(request, HttpRequest.newBuilder(URI.create(System.getProperty(TARGET_PROPERTY))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.sendError(503);
            return;
        }
        response.setContentType("application/json");
        response.getWriter().write("{\"backendStatus\":" + answer.statusCode() + "}");
    }
}
