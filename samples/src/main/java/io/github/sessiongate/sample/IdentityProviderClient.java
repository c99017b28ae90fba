package io.github.sessiongate.sample;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sample webapp's side of the demo identity provider: password sign-in and refresh-token
 * revocation over HTTP. Thread-safe; one {@link HttpClient} is shared.
 */
final class IdentityProviderClient {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityProviderClient.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Servlet init-param: the identity provider's base URL. */
    static final String PARAM_IDP_URL = "idp-url";

    /** What a sign-in came to. */
    enum Outcome { SIGNED_IN, REFUSED, UNAVAILABLE }

    /**
     * A sign-in's outcome and, when {@link Outcome#SIGNED_IN}, the tokens.
     * {@link #toString()} never shows them.
     */
    record Result(Outcome outcome, String accessToken, String refreshToken) {
        static Result of(Outcome outcome) {
            return new Result(outcome, null, null);
        }

        @Override
        public String toString() {
            return "Result[" + outcome + ", tokens=[PROTECTED]]";
        }
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /** @param base the identity provider's base URL, such as {@code http://127.0.0.1:8081} */
    IdentityProviderClient(URI base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    /**
     * From the servlet init-param {@value #PARAM_IDP_URL}, in which {@code ${sys:name}} and
     * {@code ${env:NAME}} are resolved as in the filter's parameters.
     */
    static IdentityProviderClient fromInitParam(ServletConfig config) throws ServletException {
        Map<String, String> raw = new HashMap<>();
        raw.put(PARAM_IDP_URL, config.getInitParameter(PARAM_IDP_URL));
        try {
            String url = InitParams.resolve(raw).require(PARAM_IDP_URL, "the demo identity provider's base URL");
            URI uri = URI.create(url.endsWith("/") ? url : url + "/");
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new ConfigException(PARAM_IDP_URL, "must be an http(s) URL");
            }
            return new IdentityProviderClient(uri);
        } catch (IllegalArgumentException e) {
            throw new ServletException("servlet '" + config.getServletName() + "': " + e.getMessage(), e);
        }
    }

    /** Exchanges a username and password for tokens. Never throws for a network fault. */
    Result signIn(String username, String password) {
        HttpResponse<String> response;
        try {
            response = post("/login", Map.of("username", username, "password", password));
        } catch (IOException e) {
            LOG.warn("identity provider {} unreachable: {}", base, e.toString());
            return Result.of(Outcome.UNAVAILABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.of(Outcome.UNAVAILABLE);
        }
        if (response.statusCode() == 400 || response.statusCode() == 401) {
            return Result.of(Outcome.REFUSED);
        }
        if (response.statusCode() != 200) {
            LOG.warn("identity provider {} answered sign-in with status {}", base, response.statusCode());
            return Result.of(Outcome.UNAVAILABLE);
        }
        try {
            Map<String, Object> body = JsonUtil.parseJson(response.body());
            if (body.get("access_token") instanceof String access && body.get("refresh_token") instanceof String refresh
                    && !access.isEmpty() && !refresh.isEmpty()) {
                return new Result(Outcome.SIGNED_IN, access, refresh);
            }
        } catch (JoseException e) {
            // Falls through: the body is not what a token response looks like.
        }
        LOG.warn("identity provider {} sent a sign-in answer without tokens", base);
        return Result.of(Outcome.UNAVAILABLE);
    }

    /** Revokes a refresh token (and the sign-in it belongs to); best effort. */
    void revoke(String refreshToken) {
        try {
            int status = post("/revoke", Map.of("token", refreshToken)).statusCode();
            if (status != 200) {
                LOG.debug("identity provider answered revoke with status {}", status);
            }
        } catch (IOException e) {
            LOG.debug("could not revoke at {}: {}", base, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        form.forEach((name, value) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path.substring(1)))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
