package io.github.sessiongate.cookie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/**
 * A cookie value longer than any token is read as {@link CookieHeaderReader#OVERSIZE_VALUE}, not
 * copied out of the header: as long as the longest token refused, refused as malformed by the
 * validator's format check, and its cookie cleared like any refused one; a value of exactly
 * {@link TokenValidator#MAX_TOKEN_LENGTH} is read as it is.
 */
class OversizeCookieValueTest {
    @Test
    void aValueLongerThanAnyTokenIsTheSharedStandIn() {
        List<CookieHeaderReader.Pair> pairs = new ArrayList<>();
        CookieHeaderReader.parse("a=1; __Host-sg_access=" + "y".repeat(TokenValidator.MAX_TOKEN_LENGTH + 1) + "; b=2", pairs);
        assertEquals(List.of("a", "__Host-sg_access", "b"), pairs.stream().map(CookieHeaderReader.Pair::name).toList());
        assertSame(CookieHeaderReader.OVERSIZE_VALUE, pairs.get(1).value());
        assertEquals(TokenValidator.MAX_TOKEN_LENGTH + 1, pairs.get(1).value().length());

        pairs.clear();
        String longest = "y".repeat(TokenValidator.MAX_TOKEN_LENGTH);
        CookieHeaderReader.parse("__Host-sg_access=" + longest, pairs);
        assertEquals(longest, pairs.get(0).value());
    }

    @Test
    void theStandInIsRefusedAsMalformedAndItsCookieCleared() {
        TokenValidator validator = new TokenValidator() {
            @Override
            protected ValidationResult doValidate(String token) {
                throw new AssertionError("never reached: the format check refuses it");
            }
        };
        assertEquals(ValidationResult.invalid(ValidationResult.Reason.MALFORMED), validator.validate(CookieHeaderReader.OVERSIZE_VALUE));

        CookieCodec codec = new CookieCodec(CookieSettings.defaults());
        SessionCookies carried = codec.read(CookieCodecTest.request("__Host-sg_access=" + "y".repeat(20_000)), true);
        assertSame(CookieHeaderReader.OVERSIZE_VALUE, carried.accessToken().orElseThrow());
        HttpServletResponse response = Mockito.mock(HttpServletResponse.class);
        codec.clearCarried(response, carried, true);
        List<Cookie> cleared = CookieCodecTest.added(response);
        assertEquals(List.of("__Host-sg_access"), cleared.stream().map(Cookie::getName).toList());
        assertEquals(0, cleared.get(0).getMaxAge());
    }
}
