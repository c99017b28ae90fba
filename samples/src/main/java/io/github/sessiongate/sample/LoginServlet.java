package io.github.sessiongate.sample;

import io.github.sessiongate.Session;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /login}: the sign-in form (GET) and its handler (POST), which trades the password for
 * tokens at the identity provider and puts them in the session cookies with the library's
 * {@link io.github.sessiongate.CookieCodec}. Temporary: the filter will serve this as
 * {@code /auth/login}.
 *
 * <p>The form carries {@code from}, the page the filter sent the browser away from. After
 * sign-in the browser goes back there, but only to a path on this application (a single leading
 * {@code /}, no {@code \}, nothing outside printable ASCII); anything else goes to the dashboard,
 * so this page is no open redirect.
 *
 * <p>Init-param {@value IdentityProviderClient#PARAM_IDP_URL}: the identity provider's base URL.
 */
public final class LoginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LoginServlet.class);

    /** Where a sign-in goes when {@code from} is absent or unsafe (relative to the context). */
    static final String DEFAULT_TARGET = "/dashboard";
    private static final int MAX_FROM_LENGTH = 2048;

    private transient SessionCookieSupport cookies;
    private transient IdentityProviderClient idp;

    @Override
    public void init() throws ServletException {
        cookies = SessionCookieSupport.fromFilterRegistration(getServletContext());
        idp = IdentityProviderClient.fromInitParam(getServletConfig());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String ctx = Html.escape(request.getContextPath());
        String from = safeTarget(request.getContextPath(), request.getParameter("from"));
        String error = request.getParameter("error");
        String message = "1".equals(error) ? "<p class=\"error\">Wrong username or password.</p>\n"
                : "2".equals(error) ? "<p class=\"error\">The sign-in service is not answering; try again.</p>\n"
                : "";
        String signedIn = Session.from(request).filter(s -> !s.isGuest())
                .map(s -> "<p>You are signed in as " + Html.escape(s.subject()) + ". Signing in again replaces "
                        + "that session.</p>\n")
                .orElse("");
        String body = "<h1>Sign in</h1>\n" + signedIn + message
                + "<form method=\"post\" action=\"" + ctx + "/login\">\n"
                + "<label>Username <input name=\"username\" autocomplete=\"username\" required autofocus></label>\n"
                + "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
                + "</label>\n"
                + (from == null ? "" : "<input type=\"hidden\" name=\"from\" value=\"" + Html.escape(from) + "\">\n")
                + "<button type=\"submit\">Sign in</button>\n</form>\n"
                + "<p class=\"hint\">Demo users: alice / alice-password, admin / admin-password.</p>";
        Html.page(request, response, HttpServletResponse.SC_OK, "Sign in", body);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!cookies.isSameOrigin(request)) {
            Html.page(request, response, HttpServletResponse.SC_FORBIDDEN, "Forbidden",
                    "<h1>Forbidden</h1>\n<p>Sign-in must come from this site's own form.</p>");
            return;
        }
        String ctx = request.getContextPath();
        String from = safeTarget(ctx, request.getParameter("from"));
        String username = request.getParameter("username");
        String password = request.getParameter("password");
        IdentityProviderClient.Result result = username == null || password == null || username.isBlank()
                ? IdentityProviderClient.Result.of(IdentityProviderClient.Outcome.REFUSED)
                : idp.signIn(username.strip(), password);
        if (result.outcome() != IdentityProviderClient.Outcome.SIGNED_IN) {
            String error = result.outcome() == IdentityProviderClient.Outcome.REFUSED ? "1" : "2";
            LOG.debug("sign-in failed: {}", result.outcome());
            seeOther(response, ctx + "/login?error=" + error
                    + (from == null ? "" : "&from=" + URLEncoder.encode(from, StandardCharsets.UTF_8)));
            return;
        }
        cookies.write(request, response, result.accessToken(), result.refreshToken());
        seeOther(response, from != null ? from : ctx + DEFAULT_TARGET);
    }

    /**
     * {@code from} when it is a path on this application: starts with the context path and a
     * single {@code /}, has no {@code \} and only printable ASCII (the filter percent-encodes
     * what it puts there); otherwise {@code null}.
     */
    static String safeTarget(String contextPath, String from) {
        if (from == null || from.isEmpty() || from.length() > MAX_FROM_LENGTH
                || from.charAt(0) != '/' || from.startsWith("//")) {
            return null;
        }
        for (int i = 0; i < from.length(); i++) {
            char c = from.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return null;
            }
        }
        if (!contextPath.isEmpty() && !(from.equals(contextPath) || from.startsWith(contextPath + "/")
                || from.startsWith(contextPath + "?"))) {
            return null;
        }
        return from;
    }

    /** 303 to a path on this server; set directly so no container rewrites it from the Host header. */
    static void seeOther(HttpServletResponse response, String location) {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", location);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(0);
    }
}
