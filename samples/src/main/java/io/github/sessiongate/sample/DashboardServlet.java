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
                + apiNotesPanel(request)
                + Html.logoutForm(request);
        Html.page(request, response, HttpServletResponse.SC_OK, "Dashboard", body);
    }

    /**
     * The "Notes via the API proxy" panel: {@code static/api-notes.js} lists and adds the user's
     * notes at the demo's backend API with {@code fetch("/api/backend/notes")}, the session cookies
     * going along ({@code credentials: 'same-origin'}); the filter's proxy route forwards the call
     * with the access token, which the page never holds.
     */
    private static String apiNotesPanel(HttpServletRequest request) {
        String ctx = Html.escape(request.getContextPath());
        return "<section id=\"api-notes\" data-url=\"" + ctx + "/api/backend/notes\">\n"
                + "<h2>Notes via the API proxy</h2>\n"
                + "<p class=\"hint\">This page calls <code>/api/backend/notes</code> with <code>fetch</code> and its "
                + "cookies; the filter forwards the call to the demo's backend API with your access token as "
                + "<code>Authorization: Bearer</code>. No script here ever sees the token.</p>\n"
                + "<ul id=\"api-notes-list\"></ul>\n"
                + "<form id=\"api-notes-form\"><label>New note <input name=\"text\" maxlength=\"500\" required>"
                + "</label><button type=\"submit\">Add via the API</button></form>\n"
                + "<p id=\"api-notes-status\" class=\"hint\" role=\"status\"></p>\n"
                + "</section>\n"
                + "<script src=\"" + ctx + "/static/api-notes.js\" defer></script>\n";
    }
}
