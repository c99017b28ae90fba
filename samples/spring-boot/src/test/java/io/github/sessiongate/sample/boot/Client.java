package io.github.sessiongate.sample.boot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Plain HTTP to the application on its real port, cookies kept by hand (as a browser would send them). */
final class Client {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Client(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    HttpResponse<String> get(String path, Map<String, String> cookies) throws IOException, InterruptedException {
        return send(request(path, cookies).header("Accept", "application/json").GET());
    }

    HttpResponse<String> postJson(String path, Map<String, String> cookies, String json) throws IOException, InterruptedException {
        return send(request(path, cookies).header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** The cookies a response sets (name to value), leaving out the ones it clears. */
    static Map<String, String> setCookies(HttpResponse<?> response) {
        Map<String, String> set = new LinkedHashMap<>();
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0 && !header.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                set.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return set;
    }

    /** The one cookie whose name ends with {@code suffix} ({@code sg_access}: with or without the __Host- prefix). */
    static Map.Entry<String, String> cookie(Map<String, String> cookies, String suffix) {
        return cookies.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).findFirst()
                .orElseThrow(() -> new AssertionError("no *" + suffix + " cookie in " + cookies.keySet()));
    }

    private HttpRequest.Builder request(String path, Map<String, String> cookies) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (!cookies.isEmpty()) {
            b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
