package io.github.sessiongate.jwt;

import static io.github.sessiongate.jwt.TestJwt.AUDIENCE;
import static io.github.sessiongate.jwt.TestJwt.ISSUER;
import static io.github.sessiongate.jwt.TestJwt.NOW;
import static io.github.sessiongate.jwt.TestJwt.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.internal.LogText;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A refusal of a token whose signature verified names what was expected and what the token had
 * ({@link ValidationResult.Invalid#detail()}), cut at 100 characters and escaped; a token whose
 * signature did not verify gets no detail, whatever its claims say.
 */
class RefusalDetailTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final JwtTokenValidator validator = JwtTokenValidator.withSecret(SECRET).issuer(ISSUER).audience(AUDIENCE)
            .clock(CLOCK).build();

    @AfterEach
    void close() {
        validator.close();
    }

    private ValidationResult.Invalid refused(String token, Reason reason) {
        ValidationResult.Invalid invalid = assertInstanceOf(ValidationResult.Invalid.class, validator.validate(token));
        assertEquals(reason, invalid.reason());
        return invalid;
    }

    @Test
    void aWrongIssuerNamesTheExpectedAndTheActualValue() {
        String token = TestJwt.token().claim("iss", "https://other.example").hs256();
        assertEquals("expected \"" + ISSUER + "\", got \"https://other.example\"", refused(token, Reason.WRONG_ISSUER).detail());
        assertEquals(ValidationResult.invalid(Reason.WRONG_ISSUER), validator.validate(token),
                "the detail is commentary: the verdict equals a plain refusal");
        assertFalse(validator.validate(token).toString().contains("other.example"), "toString leaves the detail out");
    }

    @Test
    void aMissingIssuerSaysSo() {
        assertEquals("expected \"" + ISSUER + "\", got (none)",
                refused(TestJwt.token().without("iss").hs256(), Reason.WRONG_ISSUER).detail());
    }

    @Test
    void aWrongAudienceNamesEveryAudienceOfTheToken() {
        String token = TestJwt.token().claim("aud", List.of("web", "other")).hs256();
        assertEquals("expected \"" + AUDIENCE + "\", got [\"web\", \"other\"]", refused(token, Reason.WRONG_AUDIENCE).detail());
    }

    @Test
    void severalAcceptedIssuersAreListed() {
        try (JwtTokenValidator two = JwtTokenValidator.withSecret(SECRET).issuers(List.of(ISSUER, "https://b.example"))
                .audience(AUDIENCE).clock(CLOCK).build()) {
            ValidationResult.Invalid invalid = assertInstanceOf(ValidationResult.Invalid.class,
                    two.validate(TestJwt.token().claim("iss", "https://c.example").hs256()));
            assertEquals("expected one of [\"" + ISSUER + "\", \"https://b.example\"], got \"https://c.example\"",
                    invalid.detail());
        }
    }

    @Test
    void aForgedSignatureGetsNoDetailWhateverItsIssuer() {
        String forged = TestJwt.token().claim("iss", "https://attacker.example")
                .sign("HS256", new HmacKey("another-secret-of-32-bytes-000000".getBytes(StandardCharsets.UTF_8)));
        ValidationResult.Invalid invalid = refused(forged, Reason.BAD_SIGNATURE);
        assertNull(invalid.detail(), "claims of a token that did not verify are never repeated");
    }

    @Test
    void theValueIsCutAt100CharactersAndControlCharactersAreEscaped() {
        String issuer = "https://e\u0000vil\n\"x\"/" + "a".repeat(200);
        String detail = refused(TestJwt.token().claim("iss", issuer).hs256(), Reason.WRONG_ISSUER).detail();
        String kept = issuer.substring(0, LogText.MAX).replace("\u0000", "\\u0000").replace("\n", "\\u000a")
                .replace("\"", "\\u0022");
        assertEquals("expected \"" + ISSUER + "\", got \"" + kept + "...\"", detail);
        assertFalse(detail.chars().anyMatch(c -> c < 0x20 || c >= 0x7f), detail);
        assertFalse(detail.contains("a".repeat(LogText.MAX)), "cut at 100 characters");
    }

    @Test
    void wrongTokenTypeNamesTheClaimThatMadeItSo() {
        assertEquals("header typ \"refresh+jwt\" is not an access token's type",
                refused(TestJwt.token().header("typ", "refresh+jwt").hs256(), Reason.WRONG_TOKEN_TYPE).detail());
        assertEquals("claim typ \"Refresh\" is not an access token's type",
                refused(TestJwt.token().claim("typ", "Refresh").hs256(), Reason.WRONG_TOKEN_TYPE).detail());
        assertEquals("claim token_use: expected \"access\", got \"id\"",
                refused(TestJwt.token().claim("token_use", "id").hs256(), Reason.WRONG_TOKEN_TYPE).detail());
        assertTrue(refused(TestJwt.token().claim("nonce", "n").hs256(), Reason.WRONG_TOKEN_TYPE).detail()
                .startsWith("claim nonce marks an ID token"));
        assertEquals("claim at_hash marks an ID token",
                refused(TestJwt.token().claim("at_hash", "h").hs256(), Reason.WRONG_TOKEN_TYPE).detail());
    }

    @Test
    void aRequiredTypeNamesTheExpectedHeaderType() {
        try (JwtTokenValidator typed = JwtTokenValidator.withSecret(SECRET).issuer(ISSUER).audience(AUDIENCE)
                .requireType("at+jwt").clock(CLOCK).build()) {
            ValidationResult.Invalid invalid = assertInstanceOf(ValidationResult.Invalid.class,
                    typed.validate(TestJwt.token().header("typ", "JWT").hs256()));
            assertEquals("header typ: expected \"at+jwt\" (jwt.require-type), got \"JWT\"", invalid.detail());
        }
    }

    @Test
    void otherRefusalsAndValidTokensCarryNoDetail() {
        assertNull(refused(TestJwt.token().without("sub").hs256(), Reason.NO_SUBJECT).detail());
        assertInstanceOf(ValidationResult.Valid.class, validator.validate(TestJwt.token().hs256()));
    }

    @Test
    void logTextQuotesCutsAndEscapes() {
        assertEquals("(none)", LogText.quoted(null));
        assertEquals("\"a\\u005cb\\u0007\"", LogText.quoted("a\\b\u0007"));
        assertEquals("[\"x\", \"y\"]", LogText.quoted(List.of("x", "y")));
        assertEquals("b".repeat(100) + "...", LogText.escaped("b".repeat(101)));
        assertEquals("b".repeat(100), LogText.escaped("b".repeat(100)));
    }
}
