package io.github.sessiongate.engine;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.StateStore;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;

/**
 * One node of the marker tests: the filter's request steps over a given state store (shared
 * between nodes when the store is), protecting {@code /app/**}, with {@link HsValidator}: real
 * HS256 signature checks, and a refresh "backend" in this JVM that counts its calls. Tokens carry
 * {@code sub}, {@code sid} (when given) and {@code iat}; refresh tokens are opaque.
 */
final class MarkerNode implements AutoCloseable {
    static final CookieCodec CODEC = new CookieCodec(CookieSettings.defaults(), CookieCodec.sessionKinds(false, false, false), null);
    static final String ACCESS = CODEC.accessCookieName(true);
    static final String REFRESH = CODEC.refreshCookieName(true);
    static final String STATE_KEY = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]).replace('A', 'k');
    static final Duration ACCESS_TTL = Duration.ofMinutes(5);

    final RequestSteps steps;
    final Components components;

    MarkerNode(TokenValidator validator, StateStore store, Clock clock) {
        this(validator, store, clock, UnaryOperator.identity());
    }

    MarkerNode(TokenValidator validator, StateStore store, Clock clock, UnaryOperator<GateConfig.Builder> more) {
        GateConfig.Builder b = GateConfig.builder().validator(validator).protectedPaths("/app/**").clock(clock);
        if (store != null) {
            b.stateStore(store).stateStoreKey(STATE_KEY);
        }
        this.components = Components.fromConfig(more.apply(b).build());
        this.steps = new RequestSteps(components, "", "marker-node");
    }

    /** The node's session markers, as the back-channel endpoint uses them. */
    io.github.sessiongate.rotation.SessionMarkers markers() {
        return components.state().sessionMarkers();
    }

    /** A JSON API request to {@code /app/data} with these cookies (null: absent). */
    Answer get(String access, String refresh) throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        boolean[] reached = {false};
        steps.handle(request(access, refresh).build(), response.servlet(), (req, res) -> reached[0] = true);
        return new Answer(response, reached[0]);
    }

    /** As {@link #get}, through a whole {@link io.github.sessiongate.SessionFilter}. */
    static Answer get(io.github.sessiongate.SessionFilter filter, String access, String refresh) throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        boolean[] reached = {false};
        filter.doFilter(request(access, refresh).build(), response.servlet(), (req, res) -> reached[0] = true);
        return new Answer(response, reached[0]);
    }

    /** The config a node is built from, for a test that runs a whole filter. */
    static GateConfig config(HsValidator validator, StateStore store, Clock clock) {
        return GateConfig.builder().validator(validator).protectedPaths("/app/**").clock(clock).stateStore(store)
                .stateStoreKey(STATE_KEY).build();
    }

    private static InMemoryRequest request(String access, String refresh) {
        InMemoryRequest r = InMemoryRequest.get("/app/data").header("Accept", "application/json");
        if (access != null) {
            r.cookie(ACCESS, access);
        }
        if (refresh != null) {
            r.cookie(REFRESH, refresh);
        }
        return r;
    }

    /** A JSON logout ({@code POST /auth/logout}) with these cookies. */
    Answer logout(String access, String refresh) throws Exception {
        InMemoryRequest r = InMemoryRequest.post("/auth/logout").header("Origin", "http://localhost:8080")
                .header("Accept", "application/json");
        if (access != null) {
            r.cookie(ACCESS, access);
        }
        if (refresh != null) {
            r.cookie(REFRESH, refresh);
        }
        InMemoryResponse response = new InMemoryResponse();
        steps.handle(r.build(), response.servlet(), (req, res) -> { });
        return new Answer(response, false);
    }

    /** What one request got: the response, and whether the application behind the filter ran. */
    record Answer(InMemoryResponse response, boolean reached) {
        int status() {
            return reached ? 200 : response.status();
        }

        /** The Set-Cookie value of a cookie, or null; an empty value clears it. */
        String cookie(String name) {
            return response.cookie(name).map(jakarta.servlet.http.Cookie::getValue).orElse(null);
        }

        boolean cleared(String name) {
            return response.cookie(name).map(c -> c.getMaxAge() == 0).orElse(false);
        }
    }

    @Override
    public void close() {
        steps.close();
    }

    /** HS256 JWTs checked for real; refresh tokens {@code r-N} minted here, rotated on each refresh. */
    static final class HsValidator extends TokenValidator {
        private static final HmacKey KEY = new HmacKey("marker-tests-hs256-key-of-32-bytes!!".getBytes());
        final AtomicInteger refreshCalls = new AtomicInteger();
        private final AtomicInteger next = new AtomicInteger();
        /** Refresh token to the (sub, sid) of its session. */
        private final Map<String, String[]> sessions = new ConcurrentHashMap<>();
        private final Clock clock;
        private final boolean backend;

        HsValidator(Clock clock) {
            this(clock, false);
        }

        /** @param backend whether it says it calls a backend to validate (the shared-cache case) */
        HsValidator(Clock clock, boolean backend) {
            this.clock = clock;
            this.backend = backend;
        }

        @Override
        public boolean callsBackendToValidate() {
            return backend;
        }

        /** A login: a pair for {@code sub} (and {@code sid}, may be null) issued now. */
        TokenPair login(String sub, String sid) {
            String refresh = "r-" + next.incrementAndGet();
            sessions.put(refresh, new String[] {sub, sid});
            return new TokenPair(access(sub, sid, clock.instant()), refresh, clock.instant().plus(ACCESS_TTL));
        }

        String access(String sub, String sid, Instant iat) {
            return access(sub, sid, iat, iat.plus(ACCESS_TTL));
        }

        String access(String sub, String sid, Instant iat, Instant exp) {
            JwtClaims claims = new JwtClaims();
            claims.setSubject(sub);
            if (sid != null) {
                claims.setClaim("sid", sid);
            }
            claims.setIssuedAt(NumericDate.fromSeconds(iat.getEpochSecond()));
            claims.setExpirationTime(NumericDate.fromSeconds(exp.getEpochSecond()));
            claims.setJwtId("j-" + next.incrementAndGet());
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            jws.setKey(KEY);
            try {
                return jws.getCompactSerialization();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected ValidationResult doValidate(String token) {
            JwtConsumer consumer = new JwtConsumerBuilder().setVerificationKey(KEY).setRequireExpirationTime()
                    .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis())).setAllowedClockSkewInSeconds(0)
                    .setRelaxVerificationKeyValidation().build();
            try {
                JwtClaims claims = consumer.processToClaims(token);
                Map<String, Object> map = new LinkedHashMap<>(claims.getClaimsMap());
                return ValidationResult.valid(Session.builder(claims.getSubject(), token).roles(Set.of("user")).claims(map)
                        .expiresAt(Instant.ofEpochSecond(claims.getExpirationTime().getValue())).build());
            } catch (InvalidJwtException e) {
                return e.hasExpired() ? ValidationResult.expired() : ValidationResult.invalid(ValidationResult.Reason.BAD_SIGNATURE);
            } catch (Exception e) {
                return ValidationResult.invalid(ValidationResult.Reason.MALFORMED);
            }
        }

        @Override
        protected RefreshResult doRefresh(String refreshToken) {
            refreshCalls.incrementAndGet();
            String[] who = sessions.remove(refreshToken);
            if (who == null) {
                return RefreshResult.refused();
            }
            String refresh = "r-" + next.incrementAndGet();
            sessions.put(refresh, who);
            return RefreshResult.refreshed(new TokenPair(access(who[0], who[1], clock.instant()), refresh,
                    clock.instant().plus(ACCESS_TTL)));
        }
    }
}
