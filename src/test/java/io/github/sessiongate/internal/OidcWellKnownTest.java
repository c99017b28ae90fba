package io.github.sessiongate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The discovery rules the sign-in and the access-token keys share. */
class OidcWellKnownTest {
    @Test
    void theDocumentSitsUnderTheIssuerWithOneTrailingSlashDropped() {
        assertEquals(URI.create("https://id.example/realms/a/.well-known/openid-configuration"),
                OidcWellKnown.documentUrl("https://id.example/realms/a"));
        assertEquals(URI.create("https://id.example/.well-known/openid-configuration"), OidcWellKnown.documentUrl("https://id.example/"));
    }

    @Test
    void theIssuerMustMatchExactlyAndEndpointsMustNotDowngrade() {
        assertTrue(OidcWellKnown.sameIssuer("https://id.example", "https://id.example"));
        assertFalse(OidcWellKnown.sameIssuer("https://id.example", "https://id.example/"));
        assertFalse(OidcWellKnown.sameIssuer("https://id.example", null));
        assertFalse(OidcWellKnown.sameIssuer("https://id.example", 42));
        assertTrue(OidcWellKnown.downgrades("https://id.example", URI.create("http://127.0.0.1/jwks")));
        assertFalse(OidcWellKnown.downgrades("http://127.0.0.1", URI.create("http://127.0.0.1/jwks")));
    }
}
