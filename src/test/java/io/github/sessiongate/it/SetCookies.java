package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.it.RawHttp.Response;
import java.util.List;
import java.util.Optional;

/** Reads the {@code Set-Cookie} header a response has for one cookie name. */
final class SetCookies {
    private SetCookies() {
    }

    /** The value the {@code Set-Cookie} for {@code name} sets (empty for a clearing), if any; fails if there are several. */
    static Optional<String> value(Response response, String name) {
        return header(response, name).map(h -> {
            int semicolon = h.indexOf(';');
            return h.substring(name.length() + 1, semicolon < 0 ? h.length() : semicolon);
        });
    }

    /** The whole {@code Set-Cookie} for {@code name}, if any; fails if there are several. */
    static Optional<String> header(Response response, String name) {
        List<String> matching = response.headers("Set-Cookie").stream().filter(h -> h.startsWith(name + "=")).toList();
        assertTrue(matching.size() <= 1, () -> "several Set-Cookie for " + name + ": " + ResponseText.describe(response));
        return matching.stream().findFirst();
    }
}
