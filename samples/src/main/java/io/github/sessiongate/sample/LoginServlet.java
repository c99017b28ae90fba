package io.github.sessiongate.sample;

import io.github.sessiongate.Session;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * {@code GET /login}: the sign-in page. With the context parameter {@value #MODE_PARAM} set to
 * {@code oidc} (web-oidc.xml, {@code SAMPLE_LOGIN=oidc}) it offers "Sign in with the provider", a
 * link to the filter's {@code GET /auth/login?from=...}, which sends the browser to the OpenID
 * provider; after a provider error ({@code error=provider_error}, the provider's code in
 * {@code provider_error}) it shows that code, escaped, and a "Sign in again" link, and never
 * starts a sign-in by itself. Otherwise it is the sign-in form. It posts to the filter's own login endpoint,
 * {@code POST /auth/login}, which forwards the credentials to the identity provider, sets the
 * HttpOnly session cookies and redirects (303) to {@code from}, or back here with
 * {@code error=1} (wrong password) or {@code error=unavailable}.
 *
 * <p>{@code from} is the page the filter sent the browser away from; the filter only ever follows
 * a same-origin path, so the form just passes it on (escaped).
 */
public final class LoginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The context parameter naming the sign-in: {@code oidc}, or anything else for the password form. */
    public static final String MODE_PARAM = "sample.login";
    /** What the page shows of a provider's error code: a plain token, as OAuth 2.0 defines them. */
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("oidc".equals(getServletContext().getInitParameter(MODE_PARAM))) {
            providerPage(request, response);
            return;
        }
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

    /** The OpenID Connect sign-in page: a link to the provider, or what went wrong and a link to try again. */
    private static void providerPage(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String from = request.getParameter("from");
        String start = request.getContextPath() + "/auth/login"
                + (from == null || from.isEmpty() ? "" : "?from=" + URLEncoder.encode(from, StandardCharsets.UTF_8));
        String error = request.getParameter("error");
        String signedIn = Session.from(request).filter(s -> !s.isGuest())
                .map(s -> "<p>You are signed in as " + Html.escape(s.subject()) + ". Signing in again replaces "
                        + "that session.</p>\n")
                .orElse("");
        String body;
        if (error == null) {
            body = "<h1>Sign in</h1>\n" + signedIn
                    + "<p><a class=\"button\" href=\"" + Html.escape(start) + "\">Sign in with the provider</a></p>\n"
                    + "<p class=\"hint\">With the demo's own mock-oauth2-server, type any name on its page; "
                    + "<code>admin</code> gets the admin role.</p>";
        } else {
            String code = request.getParameter("provider_error");
            String what = "provider_error".equals(error)
                    ? "The identity provider did not sign you in"
                            + (code != null && ERROR_CODE.matcher(code).matches() ? ": <code>" + Html.escape(code) + "</code>" : "")
                    : "unavailable".equals(error) ? "The identity provider is not answering" : "Sign-in failed";
            body = "<h1>Sign in</h1>\n" + signedIn + "<p class=\"error\">" + what + ".</p>\n"
                    + "<p><a href=\"" + Html.escape(start) + "\">Sign in again</a></p>";
        }
        Html.page(request, response, HttpServletResponse.SC_OK, "Sign in", body);
    }
}
