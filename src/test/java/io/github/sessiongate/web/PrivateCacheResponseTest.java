package io.github.sessiongate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrivateCacheResponseTest {

    /** A response that keeps headers in a map, case-insensitively. */
    private static HttpServletResponse headerMap(Map<String, String> headers) {
        HttpServletResponse r = mock(HttpServletResponse.class);
        doAnswer(i -> headers.put(i.<String>getArgument(0).toLowerCase(), i.getArgument(1)))
                .when(r).setHeader(anyString(), anyString());
        when(r.getHeader(anyString())).thenAnswer(i -> headers.get(i.<String>getArgument(0).toLowerCase()));
        doAnswer(i -> {
            headers.clear();
            return null;
        }).when(r).reset();
        return r;
    }

    @Test
    void appliesPrivateNoStoreAndVaryCookie() {
        Map<String, String> h = new HashMap<>();
        new PrivateCacheResponse(headerMap(h));
        assertEquals("private, no-store", h.get("cache-control"));
        assertEquals("Cookie", h.get("vary"));
    }

    @Test
    void applicationCannotWeakenCacheControl() {
        Map<String, String> h = new HashMap<>();
        PrivateCacheResponse r = new PrivateCacheResponse(headerMap(h));
        r.setHeader("Cache-Control", "public, max-age=600");
        r.addHeader("cache-control", "max-age=60");
        r.setHeader("Expires", "Thu, 01 Jan 2099 00:00:00 GMT");
        assertEquals("private, no-store", h.get("cache-control"));
        assertNull(h.get("expires"));
    }

    @Test
    void cdnCachingHeadersAreDropped() {
        Map<String, String> h = new HashMap<>();
        PrivateCacheResponse r = new PrivateCacheResponse(headerMap(h));
        for (String name : new String[] {"Surrogate-Control", "CDN-Cache-Control", "Cloudflare-CDN-Cache-Control", "X-Accel-Expires"}) {
            r.setHeader(name, "max-age=600");
            r.addHeader(name, "max-age=600");
            assertNull(h.get(name.toLowerCase()), name);
        }
    }

    @Test
    void applicationMayMakeItStricter() {
        Map<String, String> h = new HashMap<>();
        PrivateCacheResponse r = new PrivateCacheResponse(headerMap(h));
        r.setHeader("Cache-Control", "no-store, no-cache, must-revalidate");
        assertEquals("private, no-store, no-cache, must-revalidate", h.get("cache-control"));
    }

    @Test
    void varyKeepsCookieWhateverTheApplicationSets() {
        Map<String, String> h = new HashMap<>();
        PrivateCacheResponse r = new PrivateCacheResponse(headerMap(h));
        r.setHeader("Vary", "Accept-Encoding");
        assertEquals("Accept-Encoding, Cookie", h.get("vary"));
        r.addHeader("Vary", "Origin");
        assertEquals("Accept-Encoding, Cookie, Origin", h.get("vary"));
    }

    @Test
    void policySurvivesReset() {
        Map<String, String> h = new HashMap<>();
        PrivateCacheResponse r = new PrivateCacheResponse(headerMap(h));
        r.reset();
        assertEquals("private, no-store", h.get("cache-control"));
        assertEquals("Cookie", h.get("vary"));
    }
}
