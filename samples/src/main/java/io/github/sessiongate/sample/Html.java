package io.github.sessiongate.sample;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Escaping and the page frame shared by the sample's HTML servlets. */
final class Html {
    private Html() {
    }

    /** Escapes text for an HTML element body or a quoted attribute value. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The context parameter holding the OpenID provider's origin ({@code SAMPLE_LOGIN=oidc}; set by
     * {@link SampleMain}): the sign-out form's {@code 303} goes on to its end-session endpoint, and
     * a browser enforces {@code form-action} on a form's redirects too.
     */
    static final String PROVIDER_ORIGIN_PARAM = "sample.provider-origin";

    /**
     * Writes a whole page. {@code bodyHtml} must already be escaped where it holds data.
     * Pages are never cached and may not run inline script: nothing here needs it. Forms may post
     * to this origin only, and be redirected on to the OpenID provider's origin when there is one.
     */
    static void page(HttpServletRequest request, HttpServletResponse response, int status, String title,
            String bodyHtml) throws IOException {
        String ctx = escape(request.getContextPath());
        String html = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + escape(title) + " - SessionGate sample</title>\n"
                + "<link rel=\"stylesheet\" href=\"" + ctx + "/static/app.css\">\n</head>\n<body>\n"
                + "<nav><a href=\"" + ctx + "/\">Home</a> <a href=\"" + ctx + "/dashboard\">Dashboard</a> "
                + "<a href=\"" + ctx + "/admin\">Admin</a> <a href=\"" + ctx + "/api/me\">/api/me</a></nav>\n<main>\n"
                + bodyHtml + "\n</main>\n</body>\n</html>\n";
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String provider = request.getServletContext().getInitParameter(PROVIDER_ORIGIN_PARAM);
        response.setHeader("Content-Security-Policy", "default-src 'self'; form-action 'self'"
                + (provider == null || provider.isBlank() ? "" : " " + provider) + "; frame-ancestors 'none'; base-uri 'none'");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * A sign-out button posting to the filter's logout endpoint (logout is a POST, so a link or an
     * image cannot sign anyone out; the filter also checks the request is same-origin).
     */
    static String logoutForm(HttpServletRequest request) {
        return "<form method=\"post\" action=\"" + escape(request.getContextPath()) + "/auth/logout\">"
                + "<button type=\"submit\">Sign out</button></form>";
    }
}
