package io.github.sessiongate.it;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@link ApiServlet} with headers of its own, as real applications have (a long
 * {@code Content-Security-Policy}): {@value #HEADER_BYTES} bytes of the response head that the filter's
 * {@code io.github.sessiongate.web.ResponseBudget} reserve must leave room for.
 */
public class ReservedHeadersServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    /** The bytes this servlet's own header line takes, name, value and CRLF. */
    static final int HEADER_BYTES = 640;
    static final String NAME = "Content-Security-Policy";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String policy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; report-to csp; connect-src 'self'";
        StringBuilder value = new StringBuilder(policy);
        for (int i = 0; value.length() < HEADER_BYTES - NAME.length() - 4; i++) {
            value.append(" https://cdn").append(i % 10).append(".example");
        }
        response.setHeader(NAME, value.substring(0, HEADER_BYTES - NAME.length() - 4));
        super.service(request, response);
    }
}
