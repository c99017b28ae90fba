package io.github.sessiongate.jwt;

import static io.github.sessiongate.jwt.TestJwt.AUDIENCE;
import static io.github.sessiongate.jwt.TestJwt.ISSUER;
import static io.github.sessiongate.jwt.TestJwt.NOW;
import static io.github.sessiongate.jwt.TestJwt.RSA;
import static io.github.sessiongate.jwt.TestJwt.SECRET;
import static io.github.sessiongate.jwt.TestJwt.b64;
import static io.github.sessiongate.jwt.TestJwt.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Adversarial check of "header first" ({@link JwtTokenValidator#refusalOnSight} and
 * {@code doValidate} read the header segment before the whole token's spelling): over hostile
 * headers crossed with hostile rests (non-ASCII, control characters, characters of 0x100 and more,
 * lone surrogates, quotes, commas, backslashes, padding, a fourth dot, empty segments), whatever
 * is refused on sight is refused by {@link JwtTokenValidator#validate} for the same reason, a
 * token inside a longer {@code Cookie} header (dots after it included) is judged as the same
 * token alone, and nothing throws.
 */
class OnSightAgreementTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String CLAIMS = b64("{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"s\",\"exp\":"
            + (NOW.getEpochSecond() + 600) + "}");

    private final List<JwtTokenValidator> validators = List.of(
            JwtTokenValidator.withSecret(SECRET).issuer(ISSUER).audience(AUDIENCE).clock(CLOCK).build(),
            JwtTokenValidator.withSecret(SECRET).secretKeyId("k-1").issuer(ISSUER).audience(AUDIENCE).clock(CLOCK).build(),
            JwtTokenValidator.withPublicKey(RSA.getPublicKey()).publicKeyId("rsa-1").issuer(ISSUER).audience(AUDIENCE)
                    .clock(CLOCK).build());

    @AfterEach
    void close() {
        validators.forEach(JwtTokenValidator::close);
    }

    /** Header segments: acceptable to one validator or another, refused for each reason, not base64url. */
    private static List<String> headerSegments() {
        List<String> h = new ArrayList<>();
        for (String header : new String[] {"{\"alg\":\"HS256\"}", "{\"alg\":\"HS256\",\"kid\":\"k-1\"}",
                "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", "{\"alg\":\"RS256\",\"kid\":\"rsa-2\"}", "{\"alg\":\"none\"}",
                "{\"alg\":\"HS256\",\"kid\":\"k-2\"}", "{\"alg\":\"HS256\"", "{\"alg\":\"HS256\",\"crit\":[\"x\"],\"kid\":\"zz\"}",
                "{\"alg\":\"HS256\",\"kid\":7}", "not json"}) {
            h.add(b64(header));
        }
        h.add("eyJhbGciOiJIUzI1NiJ9=");
        h.add("eyJhbGciOiJIUzI1NiJ+");
        h.add("eyJhbGci\u00e9iJIUzI1NiJ9");
        return h;
    }

    /** What follows the header segment's dot: canonical, or with one hostile character or shape. */
    private static List<String> rests(boolean cookieOctetsOnly) {
        List<String> r = new ArrayList<>();
        String sig = "c2lnbmF0dXJl";
        r.add(CLAIMS + "." + sig);
        r.add(CLAIMS + "." + sig + "=");
        r.add(CLAIMS + "." + sig + "." + sig);
        r.add(CLAIMS + ".");
        r.add("." + sig);
        r.add(CLAIMS);
        r.add(CLAIMS + "." + sig + "!");
        r.add(CLAIMS.substring(0, 9) + "+" + CLAIMS.substring(10) + "." + sig);
        r.add(CLAIMS + "." + sig + ":");
        if (!cookieOctetsOnly) {
            for (String bad : new String[] {"\"", ",", "\\", " ", ";", "\u0000", "\u0001", "\t", "\u007f", "\u00e9", "\u00ff",
                    "\u0100", "\u20ac", "\ud800", "\udc00", "\ufeff"}) {
                r.add(CLAIMS + bad + "." + sig);
                r.add(CLAIMS + "." + sig + bad);
            }
        }
        return r;
    }

    private static List<String> tokens(boolean cookieOctetsOnly) {
        List<String> tokens = new ArrayList<>();
        for (String header : headerSegments()) {
            for (String rest : rests(cookieOctetsOnly)) {
                tokens.add(header + "." + rest);
            }
        }
        return tokens;
    }

    /** Every validator, its header cache empty and then warm (a genuine token of each accepted header verified). */
    private void compare(List<String> tokens, List<String> mismatches) {
        for (int round = 0; round < 2; round++) {
            for (JwtTokenValidator v : validators) {
                if (round == 1) {
                    v.validate(token().hs256());
                    v.validate(token().kid("k-1").hs256());
                    v.validate(token().kid("rsa-1").rs256());
                }
                for (String t : tokens) {
                    Reason onSight = v.refusalOnSight(t);
                    ValidationResult full = v.validate(t);
                    if (onSight != null && !ValidationResult.invalid(onSight).equals(full)) {
                        mismatches.add(v.describe() + ": on sight " + onSight + ", validate " + full + " for "
                                + io.github.sessiongate.audit.AuditLog.escape(t));
                    }
                }
            }
        }
    }

    /**
     * Failed on main (0791f20), fixed in this branch ({@code refuseOnSight} runs the full header check
     * on this rare junk): {@code HeaderGlance} answers {@code null} both for a header it read and
     * passed and for one it could not read (a number, an array, an escape, a {@code cty}, more than
     * 16 members); {@code refuseOnSight} then refuses a token whose rest is not canonical (padding,
     * {@code +}, {@code !}, {@code :}) as {@link Reason#MALFORMED}, while {@code doValidate} runs the
     * full header check first and refuses such a header for its own reason: e.g.
     * {@code {"alg":"HS256","kid":7}} or {@code {"alg":"HS256","crit":["x"]}} before an RS256 key is
     * DISALLOWED_ALGORITHM in validate, MALFORMED on sight. Before "header first" both read the whole
     * spelling first and agreed. Only the reason differs (both refuse); the filter audits and counts it.
     */
    @Test
    void tokensOfCookieOctetsAreRefusedOnSightOnlyForTheReasonValidateGives() {
        List<String> mismatches = new ArrayList<>();
        compare(tokens(true), mismatches);
        assertEquals(List.of(), mismatches.subList(0, Math.min(3, mismatches.size())), mismatches.size() + " mismatches");
    }

    /**
     * A token whose header the look refuses (an algorithm outside the list, an unknown kid) but
     * whose rest holds a character that is no cookie-octet: such a value reaches the look from a
     * lone access cookie ({@code CookieHeaderReader.loneAtSight}). The look gives the header's
     * reason; so does {@link io.github.sessiongate.TokenValidator#validate}, whose format check the
     * JWT validator leaves to its spelling checks after the header (as 0791f20 left them failing:
     * validate said {@link Reason#MALFORMED} first).
     */
    @Test
    void tokensHoldingCharactersNoCookieCarriesAreRefusedOnSightOnlyForTheReasonValidateGives() {
        List<String> mismatches = new ArrayList<>();
        compare(tokens(false), mismatches);
        assertEquals(List.of(), mismatches.subList(0, Math.min(3, mismatches.size())), mismatches.size() + " mismatches");
    }

    @Test
    void theOnlyDisagreementLeftIsAHeaderReasonForWhatValidateCallsMalformed() {
        List<String> mismatches = new ArrayList<>();
        compare(tokens(false), mismatches);
        assertTrue(mismatches.stream().allMatch(m -> m.contains("validate Invalid[reason=MALFORMED]") && !m.contains("on sight MALFORMED")),
                () -> mismatches.stream().filter(m -> !m.contains("validate Invalid[reason=MALFORMED]")).limit(3).toList().toString());
    }

    @Test
    void aTokenInsideALongerCookieHeaderIsJudgedAsTheSameTokenAlone() {
        List<String> all = tokens(false);
        for (JwtTokenValidator v : validators) {
            v.validate(token().kid("rsa-1").rs256());
            for (String t : all) {
                Reason alone = v.refusalOnSight(t);
                for (String[] around : new String[][] {{"a=1; __Host-sg_access=", "; b=x.y.z"}, {"__Host-sg_access=", ".y.z"},
                        {"x.y.", ".."}, {"", ".a"}, {"a=b.c; __Host-sg_access=", ""}}) {
                    String header = around[0] + t + around[1];
                    int from = around[0].length();
                    assertEquals(alone, v.refusalOnSight(header, from, from + t.length()),
                            () -> io.github.sessiongate.audit.AuditLog.escape(header));
                }
            }
        }
    }

    @Test
    void hostileTokensAreNeverValidNorAnError() {
        int refusedOnSight = 0;
        for (JwtTokenValidator v : validators) {
            for (String t : tokens(false)) {
                ValidationResult full = v.validate(t);
                assertTrue(full instanceof ValidationResult.Invalid, () -> full + " for " + io.github.sessiongate.audit.AuditLog.escape(t));
                if (v.refusalOnSight(t) != null) {
                    refusedOnSight++;
                }
            }
        }
        assertTrue(refusedOnSight > 1000, "most of it is refused on sight: " + refusedOnSight);
    }
}
