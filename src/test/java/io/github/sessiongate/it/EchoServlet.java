package io.github.sessiongate.it;

import io.github.sessiongate.Session;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.TreeSet;

/**
 * The application behind the filter: answers every method (OPTIONS aside) with a JSON account of
 * what it was handed, so a test can tell "reached the application" from anything the filter or
 * the container answered. It never prints a token, only the token's SHA-256.
 *
 * <p>Query switches, so one servlet plays several applications:
 * <ul>
 *   <li>{@code cache=public}: asks for shared caching with {@code setHeader} ({@code Cache-Control:
 *       public, max-age=600} and an {@code Expires}), as a careless page would; {@code cache=add}
 *       does it with {@code addHeader} and adds {@code Vary: Accept-Encoding};</li>
 *   <li>{@code status=404}: {@code sendError(404)} on the first dispatch (the error page is this
 *       servlet again, on an ERROR dispatch);</li>
 *   <li>{@code async=dispatch}: {@code startAsync()} then {@code dispatch()}; the body is written on
 *       the ASYNC dispatch.</li>
 * </ul>
 */
public class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Value of the {@code "servlet"} field; present in every body this servlet writes. */
    public static final String MARKER = "echo-servlet";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("OPTIONS".equals(request.getMethod())) {
            // A CORS preflight that got here: the application answers it, not the filter.
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            response.setHeader("X-Echo", "options");
            response.setHeader("Access-Control-Allow-Origin", String.valueOf(request.getHeader("Origin")));
            response.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE");
            return;
        }
        DispatcherType dispatch = request.getDispatcherType();
        if (dispatch == DispatcherType.REQUEST && "404".equals(request.getParameter("status"))) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (dispatch == DispatcherType.REQUEST && "dispatch".equals(request.getParameter("async"))) {
            AsyncContext async = request.startAsync();
            async.dispatch();
            return;
        }
        String cache = request.getParameter("cache");
        if ("public".equals(cache)) {
            response.setHeader("Cache-Control", "public, max-age=600");
            response.setDateHeader("Expires", System.currentTimeMillis() + 600_000);
        } else if ("add".equals(cache)) {
            response.addHeader("Cache-Control", "public");
            response.addHeader("Cache-Control", "max-age=600");
            response.addHeader("Vary", "Accept-Encoding");
        }
        Principal principal = request.getUserPrincipal();
        Object attribute = request.getAttribute(Session.REQUEST_ATTRIBUTE);
        StringBuilder json = new StringBuilder("{");
        json.append("\"servlet\":").append(Json.quote(MARKER));
        json.append(",\"method\":").append(Json.quote(request.getMethod()));
        json.append(",\"dispatcherType\":").append(Json.quote(dispatch.name()));
        json.append(",\"contextPath\":").append(Json.quote(request.getContextPath()));
        json.append(",\"servletPath\":").append(Json.quote(request.getServletPath()));
        json.append(",\"pathInfo\":").append(Json.quote(request.getPathInfo()));
        json.append(",\"principal\":").append(Json.quote(principal == null ? null : principal.getName()));
        json.append(",\"remoteUser\":").append(Json.quote(request.getRemoteUser()));
        json.append(",\"authType\":").append(Json.quote(request.getAuthType()));
        json.append(",\"inRole\":{\"admin\":").append(request.isUserInRole("admin"))
                .append(",\"user\":").append(request.isUserInRole("user")).append('}');
        json.append(",\"attributeClass\":").append(Json.quote(attribute == null ? null : attribute.getClass().getName()));
        json.append(",\"session\":");
        if (attribute instanceof Session session) {
            json.append("{\"subject\":").append(Json.quote(session.subject()));
            json.append(",\"roles\":[");
            String sep = "";
            for (String role : new TreeSet<>(session.roles())) {
                json.append(sep).append(Json.quote(role));
                sep = ",";
            }
            json.append("],\"guest\":").append(session.isGuest());
            json.append(",\"tokenSha256\":").append(Json.quote(Tokens.sha256(session.token()))).append('}');
        } else {
            json.append("null");
        }
        json.append('}');
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
