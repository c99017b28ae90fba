package io.github.sessiongate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackendUrlsTest {
    private static final String RISK = "tokens sent over plain http can be read in transit";

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST", "127.0.0.1", "127.255.0.9", "[::1]", "::1",
            "[0:0:0:0:0:0:0:1]", "[::ffff:127.0.0.1]"})
    void loopbackNamesAndLiteralsAreLoopback(String host) {
        assertTrue(Hosts.isLoopback(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo.localhost", "localhost.evil.example", "127.0.0.1.evil.com", "127.000.0.1",
            "0177.0.0.1", "10.0.0.1", "[::2]", "example.com", ""})
    void otherHostsAreNotLoopbackAndNoNameIsResolved(String host) {
        assertFalse(Hosts.isLoopback(host), host);
        assertFalse(Hosts.isLoopback(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://idp.example.com/x", "http://localhost:8080/x", "http://localhost./x",
            "http://127.1.2.3/x", "http://[::1]:9/x"})
    void httpsOrLoopbackUrlsAreAccepted(String url) {
        assertEquals(url, BackendUrls.check("p", url, RISK).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://idp.example.com/x", "http://foo.localhost/x", "ftp://idp.example.com/x",
            "https://user:pw@idp.example.com/x", "https:///x", "/x", "not a url", "https://idp.example.com/x#f"})
    void otherUrlsAreRefusedNamingTheParameterWithoutEchoingThem(String url) {
        ConfigException e = assertThrows(ConfigException.class, () -> BackendUrls.check("p", url, RISK));
        assertEquals("p", e.parameter());
        assertFalse(e.getMessage().contains("pw@"), e.getMessage());
    }

    @Test
    void plainHttpErrorSaysWhatIsAtRisk() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> BackendUrls.check("p", "http://idp.example.com/x", RISK));
        assertTrue(e.getMessage().contains("must use https: " + RISK), e.getMessage());
    }

    @Test
    void aFragmentIsAcceptedOnlyWhereAllowed() {
        assertEquals("https://idp.example.com/x#f",
                BackendUrls.checkAllowingFragment("p", "https://idp.example.com/x#f", RISK).toString());
    }
}
