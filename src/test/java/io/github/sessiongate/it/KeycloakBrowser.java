package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The browser's side of a sign-in at Keycloak: it follows the authorization redirect, reads
 * Keycloak's login page, posts the user's name and password to the form {@code kc-form-login}
 * with Keycloak's cookies, and returns where Keycloak sends the browser next (the application's
 * callback). It keeps Keycloak's cookies in a jar of its own, by name, sent only to Keycloak:
 * Keycloak marks them {@code Secure} even on plain-http loopback, which {@code java.net.CookieManager}
 * would never send back over http, and the application's cookies are a different matter the test
 * handles by hand.
 */
final class KeycloakBrowser {
    private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*\\bid=\"kc-form-login\"[^>]*>");
    private static final Pattern SESSION_CODE = Pattern.compile("name=\"session_code\" value=\"([^\"]+)\"");
    private static final Pattern ACTION = Pattern.compile("\\baction=\"([^\"]+)\"");

    private final HttpClient http = JavaHttp.newClient();
    private final Map<String, String> jar = new LinkedHashMap<>();

    /**
     * Signs {@code username} in at the {@code authorize} URL the application redirected to and
     * returns Keycloak's redirect (302) to the application's callback.
     */
    URI signIn(URI authorize, String username, String password) throws Exception {
        HttpResponse<String> page = get(authorize);
        assertEquals(200, page.statusCode(), () -> "Keycloak's login page for " + authorize + ": " + page.body());
        Matcher form = LOGIN_FORM.matcher(page.body());
        assertTrue(form.find(), () -> "no form kc-form-login on Keycloak's page: " + page.body());
        Matcher action = ACTION.matcher(form.group());
        assertTrue(action.find(), form::group);
        URI target = URI.create(action.group(1).replace("&amp;", "&"));
        String body = form(Map.of("username", username, "password", password, "credentialId", ""));
        HttpResponse<String> posted = send(HttpRequest.newBuilder(target)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(302, posted.statusCode(), () -> "Keycloak accepts the credentials: " + posted.body());
        return URI.create(posted.headers().firstValue("Location").orElseThrow());
    }

    /**
     * Follows the application's redirect to Keycloak's {@code end_session_endpoint} and, when
     * Keycloak asks the user to confirm (as it does for a request without {@code id_token_hint}),
     * confirms on its page; returns Keycloak's redirect (302) to the post-logout redirect URI.
     */
    URI logOut(URI endSession) throws Exception {
        HttpResponse<String> page = get(endSession);
        if (page.statusCode() == 302) {
            return URI.create(page.headers().firstValue("Location").orElseThrow());
        }
        assertEquals(200, page.statusCode(), () -> "Keycloak takes the logout request " + endSession + ": " + page.body());
        Matcher form = Pattern.compile("<form[^>]*\\baction=\"([^\"]+)\"[^>]*>").matcher(page.body());
        assertTrue(form.find(), () -> "no form on Keycloak's logout page: " + page.body());
        Matcher code = SESSION_CODE.matcher(page.body());
        assertTrue(code.find(), () -> "no session_code on Keycloak's logout page: " + page.body());
        HttpResponse<String> confirmed = send(HttpRequest.newBuilder(endSession.resolve(form.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("session_code", code.group(1), "confirmLogout", "Logout")))));
        assertEquals(302, confirmed.statusCode(), () -> "Keycloak ends the session: " + confirmed.body());
        return URI.create(confirmed.headers().firstValue("Location").orElseThrow());
    }

    /** A GET at Keycloak with its cookies (redirects not followed). */
    HttpResponse<String> get(URI uri) throws Exception {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        request.timeout(Duration.ofSeconds(30)).header("Accept", "text/html");
        if (!jar.isEmpty()) {
            request.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1).strip();
            boolean cleared = value.isEmpty() || header.toLowerCase(java.util.Locale.ROOT).contains("max-age=0");
            if (cleared) {
                jar.remove(name);
            } else {
                jar.put(name, value);
            }
        }
        return response;
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
