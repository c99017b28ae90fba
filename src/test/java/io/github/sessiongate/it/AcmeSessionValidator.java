package io.github.sessiongate.it;

import io.github.sessiongate.InitParams;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A made-up custom backend, written the way a user would: "Acme" keeps sessions server-side and
 * answers {@code GET {acme.url}/sessions/{token}} with {@code 200 {"user":..,"roles":[..]}}, or
 * 404 for a session it does not know. Named in web.xml by {@code validator-class}; reads its own
 * init-param {@value #PARAM_URL}.
 *
 * <p>200 gives a session, 404 a definitive refusal ({@code REJECTED_BY_BACKEND}), any other status
 * or an I/O failure no verdict. A 200 whose body is not the expected JSON makes
 * {@link #doValidate} throw, which the filter must also treat as no verdict.
 */
public final class AcmeSessionValidator extends TokenValidator {
    /** Init-param: base URL of the Acme session service. */
    public static final String PARAM_URL = "acme.url";

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private URI base;
    private HttpClient client;

    /** For {@code validator-class}. */
    public AcmeSessionValidator() {
    }

    @Override
    protected void init(InitParams params, Clock clock) {
        String url = params.require(PARAM_URL, "the base URL of the Acme session service");
        base = URI.create(url.endsWith("/") ? url : url + "/");
        client = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    protected ValidationResult doValidate(String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("sessions/" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .timeout(TIMEOUT).GET().build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return ValidationResult.unavailable("Acme unreachable: " + e.getClass().getSimpleName());
        }
        int status = response.statusCode();
        if (status == 200) {
            // Throws on anything but the expected document: the filter must treat that as no verdict.
            Map<String, Object> body = Json.object(response.body());
            String user = (String) body.get("user");
            Set<String> roles = new LinkedHashSet<>();
            for (Object role : (List<?>) body.get("roles")) {
                roles.add((String) role);
            }
            return ValidationResult.valid(Session.builder(user, token).roles(roles).build());
        }
        if (status == 404) {
            return ValidationResult.invalid(ValidationResult.Reason.REJECTED_BY_BACKEND);
        }
        return ValidationResult.unavailable("Acme answered " + status);
    }

    @Override
    public String describe() {
        return "AcmeSessionValidator(" + base + ")";
    }
}
