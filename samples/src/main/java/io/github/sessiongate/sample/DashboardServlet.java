package io.github.sessiongate.sample;

import io.github.sessiongate.Session;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.TreeSet;

/** {@code /dashboard} and below: protected by the filter, so a session is always there. */
public final class DashboardServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        Session session = Session.from(request).filter(s -> !s.isGuest())
                .orElseThrow(() -> new ServletException("no session on a protected path: is the SessionGate filter mapped?"));
        String expires = session.expiresAt().map(Object::toString).orElse("(not said)");
        String body = "<h1>Hello, " + Html.escape(session.subject()) + "</h1>\n"
                + "<p>Your roles: " + Html.escape(String.join(", ", new TreeSet<>(session.roles()))) + ".</p>\n"
                + "<p>Your access token expires at " + Html.escape(expires) + ". It lives in an HttpOnly cookie: "
                + "no script on this page can read it.</p>\n"
                + Html.logoutForm(request);
        Html.page(request, response, HttpServletResponse.SC_OK, "Dashboard", body);
    }
}
