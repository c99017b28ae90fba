package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.AuditEvent;
import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.Cookie;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Refusal reasons in the audit: a verified token's wrong issuer is audited with the expected and
 * the actual value, never in the HTTP answer; a refreshed token the validator refuses is audited as
 * that refusal, not as "validator unavailable", and neither clears nor loops.
 */
class RefusalAuditTest {
    private static final CookieCodec CODEC = new CookieCodec(CookieSettings.defaults());
    private static final String ACCESS = CODEC.accessCookieName(true);
    private static final String REFRESH = CODEC.refreshCookieName(true);
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String ISSUER = "https://idp.example.com";

    private final MutableClock clock = new MutableClock();
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private SessionFilter filter;

    @AfterEach
    void stop() {
        if (filter != null) {
            filter.destroy();
        }
    }

    private void start(TokenValidator validator) throws Exception {
        filter = new SessionFilter(GateConfig.builder().validator(validator).protectedPaths("/api/**").clock(clock)
                .auditListeners(List.of(events::add)).build());
        filter.init(null);
    }

    private InMemoryResponse send(InMemoryRequest request) throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        FilterChain app = (req, res) -> { throw new AssertionError("a refused request reached the application"); };
        filter.doFilter(request.build(), response.servlet(), app);
        return response;
    }

    private String token(String issuer) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject("alice");
        claims.setAudience("api");
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromMilliseconds(clock.millis()));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromMilliseconds(clock.millis() + 600_000));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jws.getCompactSerialization();
    }

    private List<String> reasons(Event event) {
        return events.stream().filter(e -> e.event() == event).map(AuditEvent::reason).toList();
    }

    @Test
    void aWrongIssuerIsAuditedWithBothValuesAndTheAnswerStaysGeneric() throws Exception {
        start(JwtTokenValidator.withSecret(SECRET).issuer(ISSUER).audience("api").clock(clock).build());
        InMemoryResponse response = send(InMemoryRequest.get("/api/orders").cookie(ACCESS, token("https://staging.example")));
        assertEquals(401, response.status());
        assertEquals(List.of("wrong_issuer: expected \"" + ISSUER + "\", got \"https://staging.example\""),
                reasons(Event.INVALID_TOKEN));
        assertFalse(response.body().contains("staging"), response.body());
        assertFalse(response.body().contains("expected"), response.body());
        assertFalse(response.body().contains("wrong_issuer"), response.body());
        assertFalse(response.header("WWW-Authenticate").orElse("").contains("staging"));
    }

    @Test
    void aRefreshedTokenTheValidatorRefusesIsAuditedAsThatRefusal() throws Exception {
        AtomicInteger refreshes = new AtomicInteger();
        start(new TokenValidator() {
            @Override
            protected ValidationResult doValidate(String token) {
                return token.equals("minted-elsewhere")
                        ? ValidationResult.invalid(ValidationResult.Reason.WRONG_ISSUER, "expected \"a\", got \"b\"")
                        : ValidationResult.expired();
            }

            @Override
            protected RefreshResult doRefresh(String refreshToken) {
                refreshes.incrementAndGet();
                return RefreshResult.refreshed(new TokenPair("minted-elsewhere", "refresh-2", null));
            }
        });
        for (int i = 0; i < 2; i++) {
            InMemoryResponse response = send(InMemoryRequest.get("/api/orders").cookie(ACCESS, "old-access")
                    .cookie(REFRESH, "refresh-1"));
            assertEquals(503, response.status(), "no verdict, as before: a key the cache has not fetched yet refuses too");
            assertTrue(response.cookies().stream().noneMatch(c -> c.getMaxAge() == 0), "nothing cleared");
            assertTrue(response.cookies().stream().map(Cookie::getValue).noneMatch("minted-elsewhere"::equals),
                    "the refused token is never written");
            assertFalse(response.body().contains("expected"), response.body());
        }
        assertEquals(1, refreshes.get(), "the retry is answered from the grace memo: no loop through the backend");
        assertEquals(List.of("refreshed token refused: wrong_issuer: expected \"a\", got \"b\"",
                "refreshed token refused: wrong_issuer: expected \"a\", got \"b\""), reasons(Event.INVALID_TOKEN));
        assertEquals(List.of("refreshed token refused", "refreshed token refused"), reasons(Event.UNAVAILABLE));
    }
}
