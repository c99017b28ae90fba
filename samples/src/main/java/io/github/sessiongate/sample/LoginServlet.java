package io.github.sessiongate.sample;

import io.github.sessiongate.Session;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /login}: the sign-in form. It posts to the filter's own login endpoint,
 * {@code POST /auth/login}, which forwards the credentials to the identity provider, sets the
 * HttpOnly session cookies and redirects (303) to {@code from}, or back here with
 * {@code error=1} (wrong password) or {@code error=unavailable}.
 *
 * <p>{@code from} is the page the filter sent the browser away from; the filter only ever follows
 * a same-origin path, so the form just passes it on (escaped).
 */
public final class LoginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String ctx = Html.escape(request.getContextPath());
        String from = request.getParameter("from");
        String error = request.getParameter("error");
        String message = "1".equals(error) ? "<p class=\"error\">Wrong username or password.</p>\n"
                : "unavailable".equals(error) ? "<p class=\"error\">The sign-in service is not answering; try again.</p>\n"
                : error != null ? "<p class=\"error\">Sign-in failed; try again.</p>\n"
                : "";
        String signedIn = Session.from(request).filter(s -> !s.isGuest())
                .map(s -> "<p>You are signed in as " + Html.escape(s.subject()) + ". Signing in again replaces "
                        + "that session.</p>\n")
                .orElse("");
        String body = "<h1>Sign in</h1>\n" + signedIn + message
                + "<form method=\"post\" action=\"" + ctx + "/auth/login\">\n"
                + "<label>Username <input name=\"username\" autocomplete=\"username\" required autofocus></label>\n"
                + "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
                + "</label>\n"
                + (from == null || from.isEmpty() ? "" : "<input type=\"hidden\" name=\"from\" value=\"" + Html.escape(from) + "\">\n")
                + "<button type=\"submit\">Sign in</button>\n</form>\n"
                + "<p class=\"hint\">Demo users: alice / alice-password, admin / admin-password.</p>";
        Html.page(request, response, HttpServletResponse.SC_OK, "Sign in", body);
    }
}
