package io.github.sessiongate.sample;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /logout}: revokes the refresh token at the identity provider (best effort), clears
 * the session cookies with the library's {@link io.github.sessiongate.CookieCodec} and sends the
 * browser home with a 303.
 *
 * <p>Init-param {@value IdentityProviderClient#PARAM_IDP_URL}: the identity provider's base URL.
 */
public final class LogoutServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private transient SessionCookieSupport cookies;
    private transient IdentityProviderClient idp;

    @Override
    public void init() throws ServletException {
        cookies = SessionCookieSupport.fromFilterRegistration(getServletContext());
        idp = IdentityProviderClient.fromInitParam(getServletConfig());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!cookies.isSameOrigin(request)) {
            Html.page(request, response, HttpServletResponse.SC_FORBIDDEN, "Forbidden",
                    "<h1>Forbidden</h1>\n<p>Sign-out must come from this site's own pages.</p>");
            return;
        }
        cookies.refreshToken(request).ifPresent(idp::revoke);
        cookies.clear(request, response);
        LoginServlet.seeOther(response, request.getContextPath() + "/");
    }
}
