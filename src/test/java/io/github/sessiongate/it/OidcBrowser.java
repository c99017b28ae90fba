package io.github.sessiongate.it;

import io.github.sessiongate.it.RawHttp.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the OpenID scenarios do as a browser would: the headers of a top-level navigation, the
 * cookies a response set sent back, and the parameters of a redirect's query.
 */
final class OidcBrowser {
    /** The headers of a top-level navigation. */
    static final String[] NAVIGATION = {"Accept: text/html", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document"};

    private OidcBrowser() {
    }

    /** The cookies a response set, as a Cookie header (cleared ones left out). */
    static String cookies(Response r) {
        return r.headers("set-cookie").stream().map(h -> h.split(";", 2)[0]).filter(p -> !p.endsWith("="))
                .collect(Collectors.joining("; "));
    }

    /** Every parameter of a raw query, decoded; fails if one is sent twice. */
    static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            String name = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
            if (q.put(name, kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "") != null) {
                throw new AssertionError("parameter sent twice: " + name + " in " + raw);
            }
        }
        return q;
    }
}
