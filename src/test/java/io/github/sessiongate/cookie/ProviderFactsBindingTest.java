package io.github.sessiongate.cookie;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.LoginFlow.ProviderFacts;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The provider-facts value is bound to the session it was written with: a facts cookie planted next
 * to another user's session (cookie tossing) opens for nobody but its own session's subject.
 */
class ProviderFactsBindingTest {
    private static final CookieSeal SEAL = CookieSeal.create(CookieSealSettings.builder()
            .key("k1", Base64.getEncoder().encodeToString(new byte[32])).build(), List.of()).orElseThrow();
    private static final ProviderFacts MALLORY = new ProviderFacts("https://id.example", "mallory", Optional.of("sid-m"),
            Optional.of("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2ln"));

    @Test
    void factsOpenOnlyForTheSubjectOfTheSessionTheyWereWrittenWith() {
        String sealed = ProviderFactsValue.seal(MALLORY, "mallory", SEAL);
        assertEquals(Optional.of(MALLORY), ProviderFactsValue.openFor(sealed, SEAL, "mallory"));
        for (String other : List.of("alice", "Mallory", "mallory ", "")) {
            assertEquals(Optional.empty(), ProviderFactsValue.openFor(sealed, SEAL, other), other);
        }
        assertEquals(Optional.empty(), ProviderFactsValue.openFor(sealed, SEAL, null));
    }

    @Test
    void aSessionSubjectOtherThanTheProvidersSubIsBoundByItsDigestWhateverItsLength() {
        String accessSubject = "pairwise-" + "x".repeat(3000); // Entra ID's access-token sub differs from the ID token's
        String sealed = ProviderFactsValue.seal(MALLORY, accessSubject, SEAL);
        assertEquals(Optional.of(MALLORY), ProviderFactsValue.openFor(sealed, SEAL, accessSubject));
        assertEquals(Optional.empty(), ProviderFactsValue.openFor(sealed, SEAL, "mallory"), "not the ID token's sub");
        assertEquals(Optional.empty(), ProviderFactsValue.openFor(sealed, SEAL, accessSubject + "y"));
        String same = ProviderFactsValue.seal(MALLORY, "mallory", SEAL);
        assertEquals(true, sealed.length() - same.length() < 40, "16 bytes, not the subject: " + sealed.length() + " vs " + same.length());
    }

    @Test
    void aForeignOrTamperedValueOpensForNobody() {
        String sealed = ProviderFactsValue.seal(MALLORY, "mallory", SEAL);
        String foreign = ProviderFactsValue.seal(MALLORY, "mallory", CookieSeal.perProcess());
        String tampered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("AA") ? "BB" : "AA");
        for (String value : List.of(foreign, tampered, "", "a.b.c.d.e")) {
            assertEquals(Optional.empty(), ProviderFactsValue.openFor(value, SEAL, "mallory"), value);
        }
    }
}
