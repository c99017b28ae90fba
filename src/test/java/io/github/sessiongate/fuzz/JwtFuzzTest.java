package io.github.sessiongate.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.sessiongate.Session;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.internal.JsonValues;
import io.github.sessiongate.jwt.JwtTokenValidator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Fuzzes the token pre-checks and claim reading of {@link JwtTokenValidator} against a reference:
 * a plain jose4j {@link JwtConsumer} with the same key, algorithm allow-list, issuer, audience,
 * evaluation time and clock skew. Property: the validator never throws, and never accepts (valid,
 * or lapsed within the skew) a token the reference rejects. Acceptance is reachable: {@code signedToken}
 * signs fuzz-chosen header and claims with the test key.
 *
 * Accepted claims must also equal jose4j's reading of them, since the validator parses claims with
 * its own strict parser; the seeds cover what that parser refuses and jose4j lets through
 * (duplicate names, trailing commas, lone surrogates, fractional times) and header variants
 * ({@code kid}, {@code jwk}, {@code enc}, {@code b64}, escaped {@code alg}).
 *
 * <ul>
 *   <li>{@code mutatedToken}: a valid signed token with one segment replaced, or fuzz text spliced
 *       in, or (choice 3) the fuzz text as the whole token.</li>
 *   <li>{@code signedToken}: field 0 is the header JSON, field 1 the claims JSON, signed with HS256
 *       and the test key (so only the validator's own checks stand between them and acceptance).</li>
 *   <li>{@code jsonValues}: the claim readers of {@link JsonValues} on fuzz JSON: nothing escapes
 *       but jose4j's documented parse refusal, once the nesting pre-check passed.</li>
 * </ul>
 */
class JwtFuzzTest {
    static final long NOW = Instant.parse("2030-01-01T00:00:00Z").getEpochSecond();
    static final String ISSUER = "https://idp.example.com";
    static final String AUDIENCE = "my-app";
    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final int SKEW = 30;

    private static final JwtTokenValidator VALIDATOR = JwtTokenValidator.fromParams(Map.of(
            "jwt.secret", SECRET, "jwt.issuer", ISSUER, "jwt.audience", AUDIENCE, "jwt.algorithms", "HS256",
            "jwt.clock-skew", SKEW + "s"), Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    private static final JwtConsumer REFERENCE = new JwtConsumerBuilder()
            .setVerificationKey(new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)))
            .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
            .setExpectedIssuer(ISSUER)
            .setExpectedAudience(AUDIENCE)
            .setRequireExpirationTime()
            .setRequireSubject()
            .setEvaluationTime(NumericDate.fromSeconds(NOW))
            .setAllowedClockSkewInSeconds(SKEW)
            .build();

    static final String VALID_HEADER = "{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}";
    static final String VALID_CLAIMS = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"alice\","
            + "\"iat\":" + NOW + ",\"exp\":" + (NOW + 600) + ",\"roles\":[\"user\"]}";
    private static final String VALID_TOKEN = sign(VALID_HEADER, VALID_CLAIMS);

    @DictionaryEntries({"eyJ", ".", "==", "+", "/", "\"alg\"", "\"none\"", "\"HS256\"", "\"RS256\"", "\"kid\"", "\"crit\"", "\"cty\"", "\"typ\""})
    @FuzzTest(maxDuration = "10s")
    void mutatedToken(byte[] data) {
        FuzzInput in = FuzzInput.of(data);
        String text = String.join("\u0000", in.fields());
        String fuzzB64 = b64(in.rest());
        String[] parts = VALID_TOKEN.split("\\.");
        String token = switch (in.choice()) {
            case 0 -> (in.flag(1) ? fuzzB64 : parts[0]) + "." + (in.flag(1) ? parts[1] : fuzzB64) + "." + parts[2];
            case 1 -> parts[0] + "." + parts[1] + "." + (in.flag(1) ? fuzzB64 : text);
            case 2 -> {
                int at = text.isEmpty() ? 0 : Math.floorMod(text.charAt(0), VALID_TOKEN.length() + 1);
                yield VALID_TOKEN.substring(0, at) + text + VALID_TOKEN.substring(at);
            }
            default -> text;
        };
        check(token);
    }

    @DictionaryEntries({"\"alg\"", "\"HS256\"", "\"none\"", "\"typ\"", "\"at+jwt\"", "\"JWT\"", "\"cty\"", "\"crit\"", "\"iss\"", "\"https://idp.example.com\"", "\"aud\"", "\"my-app\"", "\"sub\"", "\"exp\"", "\"nbf\"", "\"iat\"", "1893456000", "1893456600", "\"token_use\"", "\"nonce\"", "\"roles\"", "null", "[", "]", "{", "}", "\\u0000", "\"kid\"", "\"enc\"", "\"b64\"", "\"jwk\"", ".5", "e2", ",", "\\ud800"})
    @FuzzTest(maxDuration = "10s")
    void signedToken(byte[] data) {
        FuzzInput in = FuzzInput.of(data);
        String header = in.field(0);
        String claims = in.field(1);
        String token = sign(header, claims);
        check(in.flag(1) ? token + in.field(2) : token);
    }

    /**
     * One token, one spelling: whatever the validator accepts is canonical base64url (RFC 7515
     * section 2: no padding, no {@code +} or {@code /}; RFC 4648 section 3.5: zero pad bits), so
     * every "same token" structure sees one string per token. The token is signed as in
     * {@code signedToken}, then field 2 is appended (flag 1), or it is re-spelt in the standard
     * alphabet (choice 1) or with non-zero pad bits in the signature's last character (choice 2).
     * The committed inputs {@code padded-signature}, {@code standard-alphabet} and {@code pad-bits}
     * are spellings jose4j alone accepts (issue 7 section 5).
     */
    @DictionaryEntries({"=", "==", "+", "/", "\"alg\"", "\"HS256\""})
    @FuzzTest(maxDuration = "10s")
    void acceptedTokensAreCanonical(byte[] data) {
        FuzzInput in = FuzzInput.of(data);
        String token = sign(in.field(0), in.field(1));
        if (in.flag(1)) {
            token = token + in.field(2);
        }
        if (in.choice() == 1) {
            token = token.replace('-', '+').replace('_', '/');
        } else if (in.choice() == 2 && !token.isEmpty()) {
            char last = token.charAt(token.length() - 1);
            int index = ALPHABET.indexOf(last);
            if (index >= 0) {
                token = token.substring(0, token.length() - 1) + ALPHABET.charAt(index ^ 1);
            }
        }
        ValidationResult result = VALIDATOR.validate(token);
        if (!(result instanceof ValidationResult.Valid)) {
            return;
        }
        String[] parts = token.split("\\.", -1);
        assertEquals(3, parts.length, "accepted a token without three segments");
        for (String part : parts) {
            assertTrue(part.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0), "accepted a non-base64url segment");
            int tail = part.length() % 4;
            assertTrue(tail != 1, "accepted an impossible segment length");
            if (tail != 0) {
                int bits = ALPHABET.indexOf(part.charAt(part.length() - 1));
                int unused = tail == 2 ? 4 : 2;
                assertEquals(0, bits & ((1 << unused) - 1), "accepted non-zero pad bits");
            }
        }
    }

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    @DictionaryEntries({"{", "}", "[", "]", "\"", "\\\"", "\\\\", "\"roles\"", "\"scope\"", ".", "null", "true", "1e999", "-0"})
    @FuzzTest(maxDuration = "10s")
    void jsonValues(byte[] data) {
        FuzzInput in = FuzzInput.of(data);
        String json = in.field(0);
        String path = in.field(1);
        boolean shallow = JsonValues.nestingWithin(json, 32);
        if (!shallow) {
            return;
        }
        Map<String, Object> parsed;
        try {
            parsed = JsonUtil.parseJson(json);
        } catch (JoseException e) {
            return; // the documented refusal of malformed JSON
        }
        if (parsed == null) {
            return;
        }
        Map<String, Object> frozen = JsonValues.freeze(parsed);
        assertEquals(parsed.size(), frozen.size());
        Object value = JsonValues.at(frozen, path);
        for (String role : JsonValues.roles(value)) {
            assertFalse(role.isBlank());
        }
        JsonValues.roles(frozen.get("roles"));
        JsonValues.roles(frozen.get("scope"));
    }

    /** The validator never throws, and accepts nothing the reference rejects. */
    private static void check(String token) {
        ValidationResult result = VALIDATOR.validate(token);
        assertNotNull(result);
        Optional<Session> accepted = result instanceof ValidationResult.Valid valid ? Optional.of(valid.session())
                : result instanceof ValidationResult.Expired expired ? expired.lapsedWithinSkew() : Optional.empty();
        if (accepted.isEmpty()) {
            return;
        }
        JwtContext reference = null;
        try {
            reference = REFERENCE.process(token);
        } catch (InvalidJwtException e) {
            fail("accepted a token jose4j's reference consumer rejects (" + result.kind() + "): "
                    + e.getErrorDetails().stream().map(d -> d.getErrorCode() + "").toList());
        }
        Session session = accepted.get();
        // The validator's own claims parser read the same values jose4j's did.
        assertEquals(reference.getJwtClaims().getClaimsMap(), session.claims());
        assertFalse(session.subject().isBlank());
        assertEquals(token, session.token());
        assertTrue(session.expiresAt().orElseThrow().getEpochSecond() + SKEW > NOW);
    }

    static String sign(String header, String claims) {
        String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
