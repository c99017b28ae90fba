package io.github.sessiongate.jwt;

import static io.github.sessiongate.jwt.TestJwt.AUDIENCE;
import static io.github.sessiongate.jwt.TestJwt.ISSUER;
import static io.github.sessiongate.jwt.TestJwt.NOW;
import static io.github.sessiongate.jwt.TestJwt.SECRET;
import static io.github.sessiongate.jwt.TestJwt.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.testing.TokenSpellings;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One access token, one spelling: the other spellings jose4j would verify (padded, standard
 * alphabet, non-zero pad bits) are refused as malformed before any signature work.
 */
class JwtTokenValidatorCanonicalTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final JwtTokenValidator validator = JwtTokenValidator.fromParams(Map.of(
            JwtTokenValidator.PARAM_SECRET, SECRET,
            JwtTokenValidator.PARAM_ISSUER, ISSUER,
            JwtTokenValidator.PARAM_AUDIENCE, AUDIENCE), CLOCK);

    private final String canonical = TokenSpellings.withUrlSafeCharacter(
            () -> token().claim("jti", UUID.randomUUID().toString()).hs256());

    @Test
    void canonicalSpellingIsAccepted() {
        assertInstanceOf(ValidationResult.Valid.class, validator.validate(canonical));
    }

    @Test
    void paddedSpellingIsRefusedAsMalformed() {
        assertEquals(ValidationResult.invalid(Reason.MALFORMED), validator.validate(TokenSpellings.padded(canonical)));
    }

    @Test
    void standardAlphabetSpellingIsRefusedAsMalformed() {
        assertEquals(ValidationResult.invalid(Reason.MALFORMED),
                validator.validate(TokenSpellings.standardAlphabet(canonical)));
    }

    @Test
    void nonZeroPadBitsSpellingIsRefusedAsMalformed() {
        assertEquals(ValidationResult.invalid(Reason.MALFORMED),
                validator.validate(TokenSpellings.nonZeroPadBits(canonical)));
    }

    @Test
    void es256SignatureWithNonZeroPadBitsIsRefused() {
        // 64-byte ES256 signature: 86 characters, 2 mod 4, four unused bits.
        JwtTokenValidator ec = JwtTokenValidator.fromParams(Map.of(
                JwtTokenValidator.PARAM_PUBLIC_KEY, TestJwt.pem(TestJwt.EC.getPublicKey()),
                JwtTokenValidator.PARAM_ISSUER, ISSUER,
                JwtTokenValidator.PARAM_AUDIENCE, AUDIENCE), CLOCK);
        String es256 = token().es256();
        assertInstanceOf(ValidationResult.Valid.class, ec.validate(es256));
        assertEquals(ValidationResult.invalid(Reason.MALFORMED), ec.validate(TokenSpellings.nonZeroPadBits(es256)));
        assertEquals(ValidationResult.invalid(Reason.MALFORMED), ec.validate(TokenSpellings.padded(es256)));
    }
}
