package io.github.sessiongate.sample;

import io.github.sessiongate.Session;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/** {@code /}: public. Greets a signed-in user (the filter validates cookies on public paths too). */
public final class HomeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String ctx = Html.escape(request.getContextPath());
        Optional<Session> session = Session.from(request).filter(s -> !s.isGuest());
        String body = session.map(s -> "<h1>Hello, " + Html.escape(s.subject()) + "</h1>\n"
                        + "<p>You are signed in. Go to your <a href=\"" + ctx + "/dashboard\">dashboard</a>.</p>\n"
                        + Html.logoutForm(request))
                .orElse("<h1>SessionGate sample</h1>\n"
                        + "<p>This page is public. <a href=\"" + ctx + "/login\">Sign in</a> to see the "
                        + "<a href=\"" + ctx + "/dashboard\">dashboard</a>.</p>");
        Html.page(request, response, HttpServletResponse.SC_OK, "Home", body);
    }
}
