package io.github.sessiongate.it;

import io.github.sessiongate.it.RawHttp.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Requests through {@code java.net.http} as the scenarios send them: HTTP/1.1, redirects not
 * followed, no cookie jar (every test sends exactly the cookies it means to), headers as
 * {@code "Name: value"} lines, answers as a {@link Response} like {@link RawHttp}'s.
 */
final class JavaHttp {
    private JavaHttp() {
    }

    /** HTTP/1.1, redirects not followed, no cookie jar, a 5 s connect timeout. */
    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** A request for {@code base + target} with the header lines; the caller sets the method. */
    static HttpRequest.Builder request(URI base, String target, Duration timeout, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + target)).timeout(timeout);
        for (String header : headers) {
            int colon = header.indexOf(':');
            request.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
        }
        return request;
    }

    /** The answer with lower-case header names. */
    static Response toResponse(HttpResponse<String> response) {
        Map<String, List<String>> lower = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), values));
        return new Response(response.statusCode(), lower, response.body());
    }
}
