package io.github.sessiongate.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.InitParams;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidatorInit;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.TestOidcProvider;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code oidc.issuer} and no {@code jwt.*} key source, {@link JwtTokenValidator} validates
 * with the provider's discovered {@code jwks_uri} and its issuer: discovery is tried once at start-up, a
 * provider that is down gives "unavailable" (never a refusal) until it answers, explicit
 * {@code jwt.*} settings win, and {@link JwtTokenValidator#describeRefusal} names the failed check
 * with expected versus actual. Against a provider in this JVM; time from a {@link MutableClock}.
 */
class OidcDiscoveredKeysTest {
    private final MutableClock clock = new MutableClock();
    private TestOidcProvider provider;
    private String issuer;

    @BeforeEach
    void start() throws Exception {
        provider = TestOidcProvider.start().endpoint("jwks_uri", "/certs");
        provider.endpoint("authorization_endpoint", null).endpoint("token_endpoint", null);
        provider.discoveryStatus(503);
        issuer = provider.issuer();
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private String token(Consumer<JwtClaims> change) throws Exception {
        JwtClaims c = provider.claims(clock, "api");
        change.accept(c);
        return provider.sign(c);
    }

    private JwtTokenValidator fromParams(Map<String, String> raw) {
        InitParams params = InitParams.resolve(raw);
        params.get("oidc.issuer"); // the filter's OpenID settings read it
        return ValidatorInit.init(new JwtTokenValidator(), params, clock);
    }

    @Test
    void aProviderDownAtStartIsUnavailableUntilItAnswersThenItsKeysAndIssuerValidate() throws Exception {
        JwtTokenValidator v = fromParams(Map.of("oidc.issuer", issuer, "jwt.audience", "api"));
        assertEquals(1, provider.discoveryHits(), "fetched once at start-up (its failure logged), start-up goes on");
        assertTrue(v.describe().contains("jwks=discovered from " + issuer), v.describe());
        String good = token(c -> { });
        assertInstanceOf(ValidationResult.Unavailable.class, v.validate(good), "a provider that is down: no verdict, no refusal");
        assertEquals(1, provider.discoveryHits(), "not asked again within the retry");
        provider.discoveryStatus(200);
        assertInstanceOf(ValidationResult.Unavailable.class, v.validate(good), "not asked again within the refetch interval");
        assertEquals(1, provider.discoveryHits());
        clock.advance(Duration.ofSeconds(4));
        assertInstanceOf(ValidationResult.Unavailable.class, v.validate(good), "still within the 5 s retry");
        clock.advance(Duration.ofSeconds(1));
        assertInstanceOf(ValidationResult.Valid.class, v.validate(good));
        assertTrue(v.describe().contains("jwks=" + issuer + "/certs"), v.describe());
        assertEquals(new ValidationResult.Invalid(ValidationResult.Reason.WRONG_ISSUER),
                v.validate(token(c -> c.setIssuer(issuer + "/other"))), "the issuer defaults to oidc.issuer");
        v.close();
    }

    @Test
    void explicitJwtSettingsWin() throws Exception {
        provider.discoveryStatus(200);
        JwtTokenValidator v = fromParams(Map.of("oidc.issuer", issuer, "jwt.jwks-url", issuer + "/certs",
                "jwt.issuer", "https://elsewhere.example", "jwt.audience", "api"));
        assertTrue(v.describe().contains("jwks=" + issuer + "/certs") && v.describe().contains("issuer=https://elsewhere.example"),
                v.describe());
        assertEquals(new ValidationResult.Invalid(ValidationResult.Reason.WRONG_ISSUER), v.validate(token(c -> { })));
        assertEquals(0, provider.discoveryHits(), "no discovery with a jwt.* key source");
        v.close();
        JwtTokenValidator byHand = fromParams(Map.of("oidc.issuer", issuer, "oidc.jwks-uri", issuer + "/certs", "jwt.audience", "api"));
        assertInstanceOf(ValidationResult.Valid.class, byHand.validate(token(c -> { })), "oidc.jwks-uri by hand");
        assertEquals(0, provider.discoveryHits(), "no discovery with oidc.jwks-uri");
        byHand.close();
    }

    @Test
    void theBuilderOffersTheSame() throws Exception {
        provider.discoveryStatus(200);
        JwtTokenValidator v = JwtTokenValidator.withOidcDiscovery(URI.create(issuer)).audience("api").clock(clock).build();
        assertInstanceOf(ValidationResult.Valid.class, v.validate(token(c -> { })));
        v.close();
    }

    @Test
    void aRefusalSaysWhichCheckFailedExpectedVersusActual() throws Exception {
        provider.discoveryStatus(200);
        JwtTokenValidator v = fromParams(Map.of("oidc.issuer", issuer, "jwt.audience", "api"));
        String wrongAud = token(c -> c.setAudience("web", "other"));
        assertEquals(new ValidationResult.Invalid(ValidationResult.Reason.WRONG_AUDIENCE), v.validate(wrongAud));
        String detail = v.describeRefusal(wrongAud, ValidationResult.Reason.WRONG_AUDIENCE).orElseThrow();
        assertTrue(detail.startsWith("aud: expected [api], was [web, other]"), detail);
        String wrongIss = token(c -> c.setIssuer("https://evil.example/\u0007"));
        assertTrue(v.describeRefusal(wrongIss, ValidationResult.Reason.WRONG_ISSUER).orElseThrow()
                .equals("iss: expected [" + issuer + "], was https://evil.example/?"));
        String nonce = token(c -> c.setClaim("nonce", "n"));
        assertEquals(new ValidationResult.Invalid(ValidationResult.Reason.WRONG_TOKEN_TYPE), v.validate(nonce));
        assertTrue(v.describeRefusal(nonce, ValidationResult.Reason.WRONG_TOKEN_TYPE).orElseThrow()
                .contains("jwt.accept-access-token-nonce=true"));
        assertEquals(Optional.empty(), v.describeRefusal("not.a.jwt", ValidationResult.Reason.MALFORMED));
        for (String d : new String[] {detail}) {
            assertTrue(!d.contains(wrongAud) && !d.contains("eyJ"), "never the token");
        }
        v.close();
    }
}
