package io.github.sessiongate.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

class BrowserNavigationTest {
    private static final String HTML = "text/html,application/xhtml+xml,*/*;q=0.8";

    private static HttpServletRequest request(String method, String accept, String fetchMode, String xrw) {
        HttpServletRequest r = mock(HttpServletRequest.class);
        when(r.getMethod()).thenReturn(method);
        when(r.getHeader("Accept")).thenReturn(accept);
        when(r.getHeader("Sec-Fetch-Mode")).thenReturn(fetchMode);
        when(r.getHeader("X-Requested-With")).thenReturn(xrw);
        return r;
    }

    @Test
    void secFetchModeDecidesWhenPresent() {
        assertTrue(BrowserNavigation.isNavigation(request("GET", "*/*", "navigate", null)));
        assertFalse(BrowserNavigation.isNavigation(request("GET", HTML, "cors", null)));
        assertFalse(BrowserNavigation.isNavigation(request("GET", HTML, "no-cors", null)));
    }

    @Test
    void withoutFetchMetadataAnHtmlGetOrHeadIsANavigation() {
        assertTrue(BrowserNavigation.isNavigation(request("GET", HTML, null, null)));
        assertTrue(BrowserNavigation.isNavigation(request("HEAD", HTML, null, null)));
    }

    @Test
    void apiCallsAreNotNavigations() {
        assertFalse(BrowserNavigation.isNavigation(request("GET", "application/json", null, null)));
        assertFalse(BrowserNavigation.isNavigation(request("GET", null, null, null)));
        assertFalse(BrowserNavigation.isNavigation(request("GET", HTML, null, "XMLHttpRequest")));
        assertFalse(BrowserNavigation.isNavigation(request("POST", HTML, null, null)));
    }
}
