package io.github.sessiongate.cookie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.testing.InMemoryRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reading with {@link HeldTokens}: a lone access cookie equal to a held token is read as the held
 * string (no copy); any other value, another kind, or a request the general path reads (duplicates,
 * chunks) reads exactly as without it. The region asked about is exactly the value, quotes excluded.
 */
class HeldTokensReadTest {
    private static final String TOKEN = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
    private final CookieCodec codec = new CookieCodec(CookieSettings.defaults(), false, false);
    private final String access = codec.accessCookieName(true);
    private final List<String> asked = new ArrayList<>();
    /** Holds {@link #TOKEN}; records each region it is asked about. */
    private final HeldTokens held = (source, from, to) -> {
        asked.add(source.substring(from, to));
        return source.regionMatches(from, TOKEN, 0, TOKEN.length()) && to - from == TOKEN.length() ? TOKEN : null;
    };

    private SessionCookies read(String... headers) {
        InMemoryRequest request = InMemoryRequest.get("/api/orders");
        for (String h : headers) {
            request.header("Cookie", h);
        }
        return codec.read(request.build(), true, held);
    }

    @Test
    void aHeldTokenIsReadAsTheHeldString() {
        SessionCookies c = read("theme=dark; " + access + "=" + new String(TOKEN.toCharArray()) + "; lang=en");
        assertSame(TOKEN, c.valueOrNull(CookieKind.ACCESS));
        assertSame(TOKEN, c.accessToken().orElseThrow());
        assertEquals(List.of(TOKEN), asked);
    }

    @Test
    void aQuotedValueIsAskedWithoutItsQuotes() {
        SessionCookies c = read(access + "=\"" + TOKEN + "\"");
        assertSame(TOKEN, c.valueOrNull(CookieKind.ACCESS));
        assertEquals(List.of(TOKEN), asked);
    }

    @Test
    void anotherValueIsReadAsWritten() {
        String other = TOKEN.substring(0, TOKEN.length() - 1) + "X";
        SessionCookies c = read(access + "=" + other);
        assertEquals(Optional.of(other), c.accessToken());
        assertNotSame(TOKEN, c.valueOrNull(CookieKind.ACCESS));
    }

    @Test
    void aHeldValueChangesNoVerdictAndShortValuesAreNeverAsked() {
        SessionCookies refresh = read(codec.refreshCookieName(true) + "=" + TOKEN + "; a=1; b=" + "x".repeat(31));
        assertEquals(Optional.of(TOKEN), refresh.refreshToken());
        SessionCookies duplicated = read(access + "=" + TOKEN, access + "=" + TOKEN);
        assertTrue(duplicated.accessToken().isEmpty(), "two cookies with our name are an error, not a choice");
        assertTrue(duplicated.hasDuplicates());
        assertTrue(asked.stream().allMatch(v -> v.length() >= CookieHeaderReader.HELD_MIN_LENGTH), "asked " + asked);
        assertEquals(3, asked.size(), "each long value asked once: " + asked);
    }

    @Test
    void withoutHeldTokensTheSameRequestReadsTheSame() {
        String header = "a=1; " + access + "=" + TOKEN;
        SessionCookies plain = codec.read(requestWith(header), true);
        SessionCookies viaHeld = read(header);
        assertEquals(plain.toString(), viaHeld.toString());
        assertEquals(plain.accessToken(), viaHeld.accessToken());
        assertEquals(plain.presentNames(), viaHeld.presentNames());
    }

    private static jakarta.servlet.http.HttpServletRequest requestWith(String header) {
        return InMemoryRequest.get("/api/orders").header("Cookie", header).build();
    }
}
