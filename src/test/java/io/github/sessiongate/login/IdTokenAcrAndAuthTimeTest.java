package io.github.sessiongate.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.TestOidcProvider;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link IdTokenCheck}'s {@code acr} check ({@code oidc.require-acr}) and {@code auth_time} check
 * (when the transaction sent {@code max_age}), OIDC Core 3.1.3.7 items 12 and 13, with ID tokens
 * signed by a test key served from an in-JVM provider; time from a {@link MutableClock}. Each
 * refusal names the claim, what was expected and what came, never the token. Also the login-hint
 * rule and the transaction format that carries {@code max_age}.
 */
class IdTokenAcrAndAuthTimeTest {
    private static final String CLIENT = "web";
    private static final String NONCE = "n-0123456789abcdefghijklmnop";

    private final MutableClock clock = new MutableClock();
    private TestOidcProvider provider;
    private String issuer;
    private OidcDiscovery discovery;

    @BeforeEach
    void start() throws Exception {
        provider = TestOidcProvider.start();
        issuer = provider.issuer();
        discovery = new OidcDiscovery(OidcSettings.builder().issuer(issuer).client("web", "secret").build(), provider.http(), clock);
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private OidcSettings.Builder settings() {
        return OidcSettings.builder().issuer(issuer).client(CLIENT, "secret");
    }

    private OidcTransaction pending(Optional<Duration> maxAge) {
        return new OidcTransaction("s", NONCE, "v", clock.instant().minusSeconds(10), "http://app/cb", "", maxAge);
    }

    private String idToken(Consumer<JwtClaims> change) throws Exception {
        JwtClaims c = provider.claims(clock, CLIENT);
        c.setClaim("nonce", NONCE);
        change.accept(c);
        return provider.sign(c);
    }

    private IdTokenCheck.IdToken validate(OidcSettings s, Optional<Duration> maxAge, Consumer<JwtClaims> change) throws Exception {
        return new IdTokenCheck(s, discovery, clock).validate(discovery.provider().orElseThrow(), idToken(change), pending(maxAge),
                "an-access-token");
    }

    /** The refusal's message, which must name the check and carry no token. */
    private String refused(OidcSettings s, Optional<Duration> maxAge, Consumer<JwtClaims> change) throws Exception {
        String token = idToken(change);
        IdTokenCheck.Refused e = assertThrows(IdTokenCheck.Refused.class, () -> new IdTokenCheck(s, discovery, clock)
                .validate(discovery.provider().orElseThrow(), token, pending(maxAge), "an-access-token"));
        assertFalse(e.getMessage().contains(token.substring(token.lastIndexOf('.') + 1)), "no token in the refusal");
        return e.getMessage();
    }

    private static long seconds(MutableClock clock, long delta) {
        return clock.instant().getEpochSecond() + delta;
    }

    @Test
    void requiredAcrMustBeOneOfTheConfiguredValues() throws Exception {
        OidcSettings required = settings().acrValues("gold silver").requireAcr(true).build();
        assertEquals("alice", validate(required, Optional.empty(), c -> c.setClaim("acr", "silver")).subject());

        assertEquals("acr: expected one of [gold, silver], was bronze",
                refused(required, Optional.empty(), c -> c.setClaim("acr", "bronze")));
        assertEquals("acr: expected one of [gold, silver], was absent", refused(required, Optional.empty(), c -> { }));
        assertTrue(refused(required, Optional.empty(), c -> c.setClaim("acr", 3)).startsWith("malformed claim"),
                "an acr that is not a string is refused");
    }

    @Test
    void acrValuesNotRequiredAreOnlyAWish() throws Exception {
        OidcSettings wish = settings().acrValues("gold").build();
        assertEquals("alice", validate(wish, Optional.empty(), c -> c.setClaim("acr", "bronze")).subject());
        assertEquals("alice", validate(wish, Optional.empty(), c -> { }).subject());
    }

    @Test
    void authTimeIsRequiredAndWithinMaxAgeWhenMaxAgeWasSent() throws Exception {
        OidcSettings s = settings().maxAge(Duration.ofSeconds(300)).build();
        Optional<Duration> sent = Optional.of(Duration.ofSeconds(300));
        assertEquals("alice", validate(s, sent, c -> c.setClaim("auth_time", seconds(clock, -300))).subject());
        assertEquals("alice", validate(s, sent, c -> c.setClaim("auth_time", seconds(clock, -329))).subject(), "within the skew");
        assertEquals("alice", validate(s, sent, c -> c.setClaim("auth_time", seconds(clock, 20))).subject(), "a clock just ahead");

        String old = refused(s, sent, c -> c.setClaim("auth_time", seconds(clock, -331)));
        assertTrue(old.startsWith("auth_time: expected within max_age=300 s (+30 s skew)") && old.endsWith("(331 s ago)"), old);
        assertTrue(refused(s, sent, c -> c.setClaim("auth_time", seconds(clock, 120))).startsWith("auth_time: expected within"));
        assertEquals("auth_time: expected a time within max_age=300 s, was absent", refused(s, sent, c -> { }));
        assertEquals("auth_time: expected a time within max_age=300 s, was not a time in whole seconds",
                refused(s, sent, c -> c.setClaim("auth_time", "yesterday")));
        assertEquals("auth_time: expected a time within max_age=300 s, was not a time in whole seconds",
                refused(s, sent, c -> c.setClaim("auth_time", 1e300)), "a huge number is refused, never an exception");
    }

    @Test
    void theTransactionDecidesNotTheCurrentSetting() throws Exception {
        // A sign-in started without max_age is not held to one configured since; one started with it is.
        OidcSettings now = settings().maxAge(Duration.ofSeconds(60)).build();
        assertEquals("alice", validate(now, Optional.empty(), c -> { }).subject());
        OidcSettings none = settings().build();
        assertTrue(refused(none, Optional.of(Duration.ZERO), c -> c.setClaim("auth_time", seconds(clock, -31)))
                .startsWith("auth_time: expected within max_age=0 s"));
        assertEquals("alice", validate(none, Optional.of(Duration.ZERO), c -> c.setClaim("auth_time", seconds(clock, -5))).subject());
    }

    @Test
    void theTransactionCarriesMaxAgeAndRefusesAnythingElse() {
        java.time.Instant started = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        OidcTransaction sent = new OidcTransaction("s".repeat(43), "n".repeat(43), "v".repeat(64), started,
                "http://app/cb", "/x", Optional.of(Duration.ofSeconds(300)));
        String value = sent.encode(true);
        assertTrue(value.startsWith("o2|") && value.endsWith("|300"), value);
        assertEquals(Optional.of(sent), OidcTransaction.parse(value));
        assertEquals("", OidcTransaction.parse(sent.encode(false)).orElseThrow().from(), "from left out to save room");
        OidcTransaction without = new OidcTransaction("s".repeat(43), "n".repeat(43), "v".repeat(64), clock.instant(),
                "http://app/cb", "/x", Optional.empty());
        assertEquals(Optional.empty(), OidcTransaction.parse(without.encode(true)).orElseThrow().maxAge());
        String old = value.substring(0, value.lastIndexOf('|')).replace("o2|", "o1|");
        assertEquals(Optional.empty(), OidcTransaction.parse(old), "a transaction of the earlier format is refused");
        assertEquals(Optional.empty(), OidcTransaction.parse(value.replace("|300", "|-3")));
        assertEquals(Optional.empty(), OidcTransaction.parse(value.replace("|300", "|9999999999")));
        assertEquals(Optional.empty(), OidcTransaction.parse(value.replace("o2|", "o2|x|")));
        String huge = value.replace("|" + started.getEpochSecond() + "|", "|999999999999999999|");
        assertEquals(Optional.empty(), OidcTransaction.parse(huge), "an impossible start time is refused, never an exception");
    }

    @Test
    void aLoginHintIsBoundedAndPrintable() {
        assertTrue(OidcText.isLoginHint("alice@example.com"));
        assertTrue(OidcText.isLoginHint("jürgen.müller@exämple.de"));
        assertTrue(OidcText.isLoginHint("\uD83D\uDE00@example.com"), "a supplementary character is fine");
        assertTrue(OidcText.isLoginHint("a".repeat(OidcText.MAX_LOGIN_HINT_BYTES)));
        assertFalse(OidcText.isLoginHint("a".repeat(OidcText.MAX_LOGIN_HINT_BYTES + 1)));
        assertFalse(OidcText.isLoginHint("ü".repeat(OidcText.MAX_LOGIN_HINT_BYTES / 2 + 1)), "bytes, not characters");
        assertFalse(OidcText.isLoginHint(""));
        assertFalse(OidcText.isLoginHint("alice\r\nSet-Cookie: x=y"));
        assertFalse(OidcText.isLoginHint("alice\u0000"));
        assertFalse(OidcText.isLoginHint("alice\u202Eevil"), "no bidi override");
        assertFalse(OidcText.isLoginHint("alice\u2028"));
        assertFalse(OidcText.isLoginHint("alice\uD800"), "no lone surrogate");
    }
}
