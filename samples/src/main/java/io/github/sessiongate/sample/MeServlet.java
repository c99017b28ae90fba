package io.github.sessiongate.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/me}: protected JSON built only from the standard servlet security API, which the
 * filter answers from the session.
 */
public final class MeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** The roles this application knows of. */
    private static final List<String> KNOWN_ROLES = List.of("user", "admin");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Principal principal = request.getUserPrincipal();
        if (principal == null) {
            Json.send(response, HttpServletResponse.SC_UNAUTHORIZED, Map.of("error", "unauthenticated"));
            return;
        }
        List<String> roles = new ArrayList<>();
        for (String role : KNOWN_ROLES) {
            if (request.isUserInRole(role)) {
                roles.add(role);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", principal.getName());
        body.put("roles", roles);
        Json.send(response, HttpServletResponse.SC_OK, body);
    }
}
