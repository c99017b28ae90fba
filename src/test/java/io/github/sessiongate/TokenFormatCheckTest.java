package io.github.sessiongate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/**
 * {@link TokenValidator#looksLikeToken}'s default, the format check run before any hook: 1 to
 * {@link TokenValidator#MAX_TOKEN_LENGTH} characters of the RFC 6265 cookie-value alphabet, for
 * every char (its table is the API's own copy of the cookie reader's).
 */
class TokenFormatCheckTest {
    private static final class Plain extends TokenValidator {
        @Override
        protected ValidationResult doValidate(String token) {
            return ValidationResult.unavailable("not used");
        }

        boolean looks(String token) {
            return looksLikeToken(token);
        }
    }

    @Test
    void everyCharIsJudgedByTheCookieValueAlphabet() {
        Plain v = new Plain();
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            boolean rfc = c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b)
                    || (c >= 0x5d && c <= 0x7e);
            assertEquals(rfc, v.looks("ab" + (char) c + "cd"), "char " + c);
        }
    }

    @Test
    void emptyNullAndOverlongAreRefused() {
        Plain v = new Plain();
        assertFalse(v.looks(null));
        assertFalse(v.looks(""));
        assertFalse(v.looks("a".repeat(TokenValidator.MAX_TOKEN_LENGTH + 1)));
        assertEquals(true, v.looks("a".repeat(TokenValidator.MAX_TOKEN_LENGTH)));
    }
}
