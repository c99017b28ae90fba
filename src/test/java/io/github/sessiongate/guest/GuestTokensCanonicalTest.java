package io.github.sessiongate.guest;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.GuestSettings;
import static io.github.sessiongate.guest.GuestJwt.NOW;
import static io.github.sessiongate.guest.GuestJwt.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.TokenSpellings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A minted guest token has one spelling: the others jose4j would verify are refused as malformed. */
class GuestTokensCanonicalTest {
    private final MutableClock clock = new MutableClock(NOW);
    private final GuestTokens guests = FromParams.guests(GuestTokensTest.params(
            GuestSettings.PARAM_ENABLED, "true", GuestSettings.PARAM_SECRET, SECRET), clock, List.of()).orElseThrow();
    private final String canonical = TokenSpellings.withUrlSafeCharacter(guests::mint);

    @Test
    void canonicalSpellingIsAccepted() {
        assertInstanceOf(ValidationResult.Valid.class, guests.verify(canonical));
    }

    @Test
    void paddedSpellingIsRefusedAsMalformed() {
        assertEquals(ValidationResult.invalid(Reason.MALFORMED), guests.verify(TokenSpellings.padded(canonical)));
    }

    @Test
    void standardAlphabetSpellingIsRefusedAsMalformed() {
        assertEquals(ValidationResult.invalid(Reason.MALFORMED), guests.verify(TokenSpellings.standardAlphabet(canonical)));
    }

    @Test
    void nonZeroPadBitsSpellingIsRefusedAsMalformed() {
        assertEquals(ValidationResult.invalid(Reason.MALFORMED), guests.verify(TokenSpellings.nonZeroPadBits(canonical)));
    }
}
