package io.github.sessiongate.jwt;

import static io.github.sessiongate.jwt.TestJwt.AUDIENCE;
import static io.github.sessiongate.jwt.TestJwt.ISSUER;
import static io.github.sessiongate.jwt.TestJwt.NOW;
import static io.github.sessiongate.jwt.TestJwt.SECRET;
import static io.github.sessiongate.jwt.TestJwt.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.testing.LogCapture;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JwtTokenValidator#looksLikeToken} checks only the length, so {@code doValidate} alone
 * keeps every character outside base64url and '.' out. The strongest form of that attack: a token
 * whose signature is genuine over its own spoiled text (the key holder's HMAC over the header, a
 * dot and a payload carrying NUL, a control character, a space, a quote, padding, '+', '/', DEL,
 * Latin-1, characters of 0x100 and more, lone surrogates, a BOM), so no signature check can be what
 * refuses it; and expired tokens so spelled, which must never become an expired verdict. Each is
 * refused as {@code MALFORMED}, on sight for the same reason, without throwing and without its text
 * in the log. A refresh token keeps the default character check ({@code doRefresh}).
 */
class SignedSpellingAttackTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String[] BAD = {"\u0000", "\u0001", "\t", "\n", " ", "\"", ",", ";", "\\", "=", "==", "+", "/",
        "~", "%", "!", "\u007f", "\u0080", "\u00e9", "\u00ff", "\u0141", "\u20ac", "\uff21", "\ud83d", "\ude00",
        "\ud83d\ude00", "\ufeff"};

    private final JwtTokenValidator validator = JwtTokenValidator.withSecret(SECRET).issuer(ISSUER).audience(AUDIENCE)
            .clock(CLOCK).build();

    @AfterEach
    void close() {
        validator.close();
    }

    /** {@code header.payload} with its HS256 signature over the signing input as {@code charset} spells it. */
    private static String signed(String signingInput, Charset charset) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(charset)));
    }

    /** The genuine token's header and payload with {@code bad} in each place, each signed genuinely. */
    private static Map<String, String> spoiled(String genuine) throws Exception {
        String[] p = genuine.split("\\.");
        Map<String, String> out = new LinkedHashMap<>();
        for (String bad : BAD) {
            String label = "U+" + Integer.toHexString(bad.charAt(0)) + (bad.length() > 1 ? "x" + bad.length() : "");
            Map<String, String> inputs = new LinkedHashMap<>();
            inputs.put("end of the payload", p[0] + "." + p[1] + bad);
            inputs.put("middle of the payload", p[0] + "." + p[1].substring(0, 10) + bad + p[1].substring(10));
            inputs.put("start of the payload", p[0] + "." + bad + p[1]);
            inputs.put("end of the header", p[0] + bad + "." + p[1]);
            inputs.put("start of the header", bad + p[0] + "." + p[1]);
            for (Map.Entry<String, String> in : inputs.entrySet()) {
                for (Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1, StandardCharsets.US_ASCII)) {
                    out.put(label + " at the " + in.getKey() + " signed as " + cs, signed(in.getValue(), cs));
                }
            }
            String whole = p[0] + "." + p[1] + "." + p[2];
            out.put(label + " after the signature", whole + bad);
            out.put(label + " in the signature", p[0] + "." + p[1] + "." + p[2].substring(0, 7) + bad + p[2].substring(7));
            out.put(label + " before the token", bad + whole);
        }
        return out;
    }

    private void assertRefusedAsMalformed(String genuine) throws Exception {
        List<String> failures = new ArrayList<>();
        Map<String, String> tokens = spoiled(genuine);
        String log = LogCapture.during(() -> {
            for (Map.Entry<String, String> e : tokens.entrySet()) {
                String t = e.getValue();
                ValidationResult r = validator.validate(t);
                Reason onSight = validator.refusalOnSight(t);
                Reason inHeader = validator.refusalOnSight("a=1; sg_access=" + t + "; b=2", 15, 15 + t.length());
                if (!(r instanceof ValidationResult.Invalid i) || i.reason() != Reason.MALFORMED || onSight != Reason.MALFORMED
                        || inHeader != Reason.MALFORMED) {
                    failures.add(e.getKey() + ": " + r + ", on sight " + onSight + ", in a header " + inHeader);
                }
            }
        });
        assertEquals(List.of(), failures);
        for (String t : tokens.values()) {
            String[] segments = t.split("\\.");
            assertFalse(segments.length > 1 && segments[1].length() > 16 && log.contains(segments[1]), "payload in the log");
        }
    }

    @Test
    void aGenuinelySignedTokenWithAnyCharacterOutsideBase64urlIsMalformed() throws Exception {
        String genuine = token().hs256();
        assertEquals(ValidationResult.Kind.VALID, validator.validate(genuine).kind());
        assertEquals(ValidationResult.Kind.VALID, validator.validate(signed(genuine.substring(0, genuine.lastIndexOf('.')),
                StandardCharsets.US_ASCII)).kind(), "the test's HMAC is the validator's");
        assertRefusedAsMalformed(genuine);
        assertEquals(ValidationResult.Kind.VALID, validator.validate(genuine).kind(), "the genuine token still validates");
    }

    @Test
    void anExpiredTokenSoSpelledIsMalformedNeverExpired() throws Exception {
        String expired = token().time("exp", -3600).time("iat", -7200).hs256();
        assertEquals(ValidationResult.Kind.EXPIRED, validator.validate(expired).kind());
        assertRefusedAsMalformed(expired);
    }

    @Test
    void aRefreshTokenKeepsTheDefaultCharacterCheck() {
        String base = "r".repeat(40);
        for (String bad : BAD) {
            boolean defaultAlphabet = bad.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\');
            for (String t : List.of(base + bad, bad + base)) {
                RefreshResult r = validator.refresh(t);
                assertEquals(defaultAlphabet ? RefreshResult.Kind.UNSUPPORTED : RefreshResult.Kind.REFUSED, r.kind(),
                        () -> "U+" + Integer.toHexString(bad.charAt(0)));
            }
        }
        assertEquals(RefreshResult.Kind.REFUSED, validator.refresh("").kind());
        assertEquals(RefreshResult.Kind.REFUSED, validator.refresh(null).kind());
        assertEquals(RefreshResult.Kind.REFUSED, validator.refresh("r".repeat(JwtTokenValidator.MAX_TOKEN_LENGTH + 1)).kind());
    }

    @Test
    void nullEmptyAndOversizeTokensAreMalformed() {
        for (String t : new String[] {null, "", "a".repeat(JwtTokenValidator.MAX_TOKEN_LENGTH + 1), ".", "..", "...", " unopenable"}) {
            ValidationResult r = validator.validate(t);
            assertTrue(r instanceof ValidationResult.Invalid i && i.reason() == Reason.MALFORMED, String.valueOf(r));
        }
    }
}
