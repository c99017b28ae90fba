package io.github.sessiongate.it;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** A public page that greets whoever the filter says is signed in: {@code Hello, alice} or {@link #ANONYMOUS}. */
public class GreetingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** The whole body for a request without a session. */
    public static final String ANONYMOUS = "Hello, stranger";

    /** The whole body for a signed-in user. */
    static String greeting(String user) {
        return "Hello, " + user;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getRemoteUser();
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write(user == null ? ANONYMOUS : greeting(user));
    }
}
