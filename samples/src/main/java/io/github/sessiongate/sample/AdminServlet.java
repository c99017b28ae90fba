package io.github.sessiongate.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code /admin} and below: the filter lets only users with the {@code admin} role in. */
public final class AdminServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getRemoteUser();
        String body = "<h1>Admin area</h1>\n<p>Signed in as " + Html.escape(user)
                + ", who has the admin role.</p>\n" + Html.logoutForm(request);
        Html.page(request, response, HttpServletResponse.SC_OK, "Admin area", body);
    }
}
