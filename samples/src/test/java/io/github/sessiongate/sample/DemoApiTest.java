package io.github.sessiongate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's backend API ({@link DemoApi}) called directly, without the webapp's proxy, on the
 * identity side's port: by the demo identity provider (password sign-in) and by the
 * mock-oauth2-server ({@code SAMPLE_LOGIN=oidc}). It checks the bearer token against that side's
 * keys: {@code valid} with one of its access tokens, {@code invalid} with anything else,
 * {@code absent} without; {@code echo} answers every method with what arrived and sets its cookie.
 */
class DemoApiTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(60)
    void atTheDemoIdentityProvider() throws Exception {
        try (SampleMain.Demo demo = SampleMain.start(0, 0, "jetty", 300)) {
            assertTrue(demo.apiUrl().startsWith(demo.idpUrl() + "/api/"), demo.apiUrl());
            String token = token(demo.idpUrl() + "/login", "username=alice&password=alice-password");
            checkApi(demo.apiUrl(), token, "alice");
        }
    }

    @Test
    @Timeout(60)
    void atTheMockProvider() throws Exception {
        try (SampleMain.Demo demo = SampleMain.start(0, 0, "jetty", 300, Map.of("SAMPLE_LOGIN", "oidc"))) {
            URI idp = URI.create(demo.idpUrl());
            assertEquals("http://127.0.0.1:" + idp.getPort() + "/api/", demo.apiUrl());
            String token = token(demo.idpUrl() + "/token",
                    "grant_type=client_credentials&scope=demo&client_id=demo-client&client_secret=x");
            checkApi(demo.apiUrl(), token, "demo-client");
        }
    }

    private static void checkApi(String api, String token, String subject) throws Exception {
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
            HttpResponse<String> r = send(method, api + "echo/x?a=1&b=%2F", "Bearer " + token,
                    method.equals("GET") ? null : "{}");
            assertEquals(200, r.statusCode(), r.body());
            Map<String, Object> echo = JsonUtil.parseJson(r.body());
            assertEquals(method, echo.get("method"));
            assertEquals("/api/echo/x", echo.get("path"));
            assertEquals("a=1&b=%2F", echo.get("query"));
            assertEquals("valid", echo.get("bearer"), r.body());
            assertEquals(subject, echo.get("sub"));
            assertTrue(((List<?>) echo.get("headers")).contains("authorization"), r.body());
            assertTrue(r.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("backend=1")),
                    r.headers().map().toString());
        }
        HttpResponse<String> head = send("HEAD", api + "echo", "Bearer " + token, null);
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        Map<String, Object> absent = JsonUtil.parseJson(send("GET", api + "echo", null, null).body());
        assertEquals("absent", absent.get("bearer"));
        assertNull(absent.get("sub"));
        assertNull(absent.get("query"), "no query string: null");
        Map<String, Object> forged = JsonUtil.parseJson(send("GET", api + "echo", "Bearer " + token + "x", null).body());
        assertEquals("invalid", forged.get("bearer"));
        assertNull(forged.get("sub"));

        assertEquals(401, send("GET", api + "notes", null, null).statusCode());
        assertEquals(401, send("GET", api + "notes", "Bearer " + token + "x", null).statusCode());
        HttpResponse<String> added = send("POST", api + "notes", "Bearer " + token, "{\"text\":\" hello \"}");
        assertEquals(201, added.statusCode(), added.body());
        assertEquals("hello", JsonUtil.parseJson(added.body()).get("text"));
        assertEquals(400, send("POST", api + "notes", "Bearer " + token, "{\"text\":\"\"}").statusCode());
        assertEquals(400, send("POST", api + "notes", "Bearer " + token, "not json").statusCode());
        HttpResponse<String> listed = send("GET", api + "notes", "Bearer " + token, null);
        assertTrue(listed.body().contains("\"owner\":\"" + subject + "\""), listed.body());
        assertEquals(404, send("GET", api + "nothing", "Bearer " + token, null).statusCode());
    }

    private static String token(String url, String form) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return (String) JsonUtil.parseJson(r.body()).get("access_token");
    }

    private static HttpResponse<String> send(String method, String url, String authorization, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
