package io.github.sessiongate.web;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.ClientTokenSettings;
import static io.github.sessiongate.web.ClientTokensTest.NOW;
import static io.github.sessiongate.web.ClientTokensTest.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.github.sessiongate.Session;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.TokenSpellings;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A client token has one spelling: the others jose4j would verify are refused as malformed. */
class ClientTokensCanonicalTest {
    private final MutableClock clock = new MutableClock(NOW);
    private final ClientTokens tokens = FromParams.clientTokens(ClientTokensTest.params(ClientTokenSettings.PARAM_SECRET, SECRET),
            clock, List.of()).orElseThrow();
    private final Session alice = Session.builder("alice", ClientTokensTest.ACCESS_TOKEN).roles(Set.of("user")).build();
    private final String canonical = TokenSpellings.withUrlSafeCharacter(
            () -> tokens.mint(alice, tokens.bindingOf(ClientTokensTest.REFRESH_TOKEN)));

    @Test
    void canonicalSpellingIsAccepted() {
        assertInstanceOf(ValidationResult.Valid.class, tokens.verify(canonical));
    }

    @Test
    void paddedSpellingIsRefusedAsMalformed() {
        assertEquals(ValidationResult.invalid(Reason.MALFORMED), tokens.verify(TokenSpellings.padded(canonical)));
    }

    @Test
    void standardAlphabetSpellingIsRefusedAsMalformed() {
        assertEquals(ValidationResult.invalid(Reason.MALFORMED), tokens.verify(TokenSpellings.standardAlphabet(canonical)));
    }

    @Test
    void nonZeroPadBitsSpellingIsRefusedAsMalformed() {
        assertEquals(ValidationResult.invalid(Reason.MALFORMED), tokens.verify(TokenSpellings.nonZeroPadBits(canonical)));
    }
}
