package io.github.sessiongate.it;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The application's login page: a fixed body, so a test can tell it was served. */
public class LoginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** The whole body. */
    public static final String BODY = "login-page";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(BODY);
    }
}
