package io.github.sessiongate.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.store.InMemoryStateStore;
import io.github.sessiongate.store.OnceKeys;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.TestOidcProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verification table of OpenID Connect Back-Channel Logout 1.0 §2.6 ({@link BackChannelLogout},
 * {@link LogoutTokenCheck}): every rule refused one at a time, the valid token accepted, the {@code typ}
 * variants, replays, and what the revoker is told. Tokens are signed by a test key that
 * {@link TestOidcProvider} (a real HTTP server in this JVM) serves as its JWKS; time from a {@link MutableClock}.
 */
class BackChannelLogoutTest {
    private static final String CLIENT = "web";
    private static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

    /** A revoker for tests that never reach it. */
    private static final BackChannelLogout.Revoker NEVER_CALLED = new BackChannelLogout.Revoker() {
        @Override
        public boolean revokeSid(String sid) {
            throw new AssertionError("not reached");
        }

        @Override
        public boolean revokeSubject(String subject, Instant authenticatedBefore) {
            throw new AssertionError("not reached");
        }
    };

    private final MutableClock clock = new MutableClock();
    private final InMemoryStateStore memory = new InMemoryStateStore(1, 100, clock);
    private final OnceKeys ledger = new OnceKeys(null, memory, "sg:j:", cause -> { });
    private final List<String> revoked = new CopyOnWriteArrayList<>();
    private volatile boolean storeFull;
    private TestOidcProvider provider;
    private String issuer;
    private BackChannelLogout logout;

    @BeforeEach
    void start() throws Exception {
        provider = TestOidcProvider.start();
        issuer = provider.issuer();
        OidcSettings settings = OidcSettings.builder().issuer(issuer).client(CLIENT, "secret").build();
        logout = new BackChannelLogout(settings, new OidcDiscovery(settings, provider.http(), clock), clock, replays(),
                new BackChannelLogout.Revoker() {
                    @Override
                    public boolean revokeSid(String sid) {
                        return !storeFull && revoked.add("sid:" + sid);
                    }

                    @Override
                    public boolean revokeSubject(String subject, Instant authenticatedBefore) {
                        return !storeFull && revoked.add("sub:" + subject + "@" + authenticatedBefore);
                    }
                });
    }

    private BackChannelLogout.Replays replays() {
        return new BackChannelLogout.Replays() {
            @Override
            public Claim claim(String iss, String jti, Duration ttl) {
                return Claim.valueOf(ledger.claim(iss + "\n" + jti, ttl).name());
            }

            @Override
            public void release(String iss, String jti) {
                ledger.release(iss + "\n" + jti);
            }
        };
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    /** Claims of a valid logout token: iss, aud, iat now, exp in 2 minutes, a fresh jti, events, sid and sub. */
    private JwtClaims claims() {
        JwtClaims c = new JwtClaims();
        c.setIssuer(issuer);
        c.setAudience(CLIENT);
        c.setIssuedAt(NumericDate.fromMilliseconds(clock.millis()));
        c.setExpirationTime(NumericDate.fromMilliseconds(clock.instant().plusSeconds(120).toEpochMilli()));
        c.setJwtId(UUID.randomUUID().toString());
        c.setClaim("events", Map.of(EVENT, Map.of()));
        c.setClaim("sid", "provider-session");
        c.setSubject("alice");
        return c;
    }

    private String token(Consumer<JwtClaims> change) throws Exception {
        return token(change, "logout+jwt");
    }

    private String token(Consumer<JwtClaims> change, Object typ) throws Exception {
        JwtClaims c = claims();
        change.accept(c);
        return sign(c, provider.key(), AlgorithmIdentifiers.RSA_USING_SHA256, typ);
    }

    private static String sign(JwtClaims claims, RsaJsonWebKey key, String alg, Object typ) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(TestOidcProvider.KEY_ID);
        jws.setAlgorithmHeaderValue(alg);
        if (typ != null) {
            jws.getHeaders().setObjectHeaderValue("typ", typ);
        }
        return jws.getCompactSerialization();
    }

    private BackChannelLogout.Result post(String token) {
        return logout.logout(token);
    }

    private void refused(Consumer<JwtClaims> change) throws Exception {
        refusedToken(token(change));
    }

    private void refusedToken(String token) {
        BackChannelLogout.Result r = post(token);
        assertEquals(BackChannelLogout.Outcome.INVALID, r.outcome(), r::detail);
        assertEquals(List.of(), revoked, "nothing revoked for an invalid token");
    }

    @Test
    void aValidTokenWithSidRevokesThatProviderSessionOnly() throws Exception {
        BackChannelLogout.Result r = post(token(c -> { }));
        assertEquals(BackChannelLogout.Outcome.LOGGED_OUT, r.outcome(), r::detail);
        assertEquals("sid", r.detail());
        assertEquals(List.of("sid:provider-session"), revoked);
    }

    @Test
    void aTokenWithSubOnlyRevokesTheSubjectsSessionsAuthenticatedBeforeItsIat() throws Exception {
        Instant iat = clock.instant().minusSeconds(40);
        BackChannelLogout.Result r = post(token(c -> {
            c.unsetClaim("sid");
            c.setIssuedAt(NumericDate.fromSeconds(iat.getEpochSecond()));
        }));
        assertEquals(BackChannelLogout.Outcome.LOGGED_OUT, r.outcome(), r::detail);
        assertEquals(List.of("sub:alice@" + iat), revoked);
    }

    @Test
    void aTokenWithSidOnlyIsValid() throws Exception {
        assertEquals(BackChannelLogout.Outcome.LOGGED_OUT, post(token(c -> c.unsetClaim("sub"))).outcome());
        assertEquals(List.of("sid:provider-session"), revoked);
    }

    @ParameterizedTest
    @ValueSource(strings = {"logout+jwt", "application/logout+jwt", "Logout+JWT", "APPLICATION/LOGOUT+JWT"})
    void theLogoutTypeIsAcceptedInEverySpelling(String typ) throws Exception {
        assertEquals(BackChannelLogout.Outcome.LOGGED_OUT, post(token(c -> { }, typ)).outcome());
    }

    @Test
    void anUntypedTokenIsAccepted() throws Exception {
        assertEquals(BackChannelLogout.Outcome.LOGGED_OUT, post(token(c -> { }, null)).outcome());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "jwt", "at+jwt", "application/jwt", "logout+jwt ", "secevent+jwt", ""})
    void anyOtherExplicitTypeIsRefused(String typ) throws Exception {
        refusedToken(token(c -> { }, typ));
    }

    @Test
    void aTypThatIsNotAStringIsRefused() throws Exception {
        refusedToken(token(c -> { }, 7));
    }

    @Test
    void theSignatureMustBeTheProvidersWithAnAllowedAlgorithm() throws Exception {
        RsaJsonWebKey stranger = RsaJwkGenerator.generateJwk(2048);
        refusedToken(sign(claims(), stranger, AlgorithmIdentifiers.RSA_USING_SHA256, "logout+jwt"));

        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(claims().toJson());
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        none.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        none.setHeader("typ", "logout+jwt");
        refusedToken(none.getCompactSerialization());

        JsonWebSignature hmac = new JsonWebSignature();
        hmac.setPayload(claims().toJson());
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKey(new HmacKey(provider.key().getRsaPublicKey().getEncoded()));
        hmac.setDoKeyValidation(false);
        hmac.setKeyIdHeaderValue(TestOidcProvider.KEY_ID);
        refusedToken(hmac.getCompactSerialization());

        String valid = token(c -> { });
        refusedToken(valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA");
        refusedToken("not-a-jwt");
    }

    @Test
    void theIssuerMustBeExact() throws Exception {
        refused(c -> c.setIssuer(issuer + "/"));
        refused(c -> c.setIssuer("https://other.example"));
        refused(c -> c.unsetClaim("iss"));
    }

    @Test
    void theAudienceMustContainTheClientId() throws Exception {
        refused(c -> c.setAudience("someone-else"));
        refused(c -> c.unsetClaim("aud"));
        assertEquals(BackChannelLogout.Outcome.LOGGED_OUT, post(token(c -> c.setAudience("api", CLIENT))).outcome(),
                "aud is a list that contains the client id");
    }

    @Test
    void iatIsRequiredAndMustBeWithinTheWindow() throws Exception {
        refused(c -> c.unsetClaim("iat"));
        refused(c -> c.setIssuedAt(NumericDate.fromSeconds(clock.instant().plusSeconds(31).getEpochSecond())));
        Duration tooOld = BackChannelLogout.MAX_AGE.plus(BackChannelLogout.SKEW).plusSeconds(1);
        refused(c -> {
            c.setIssuedAt(NumericDate.fromSeconds(clock.instant().minus(tooOld).getEpochSecond()));
            c.unsetClaim("exp");
        });
        assertEquals(BackChannelLogout.Outcome.LOGGED_OUT, post(token(c -> c.setIssuedAt(NumericDate.fromSeconds(
                clock.instant().plusSeconds(25).getEpochSecond())))).outcome(), "within the skew ahead");
        assertEquals(BackChannelLogout.Outcome.LOGGED_OUT, post(token(c -> {
            c.setIssuedAt(NumericDate.fromSeconds(clock.instant().minus(BackChannelLogout.MAX_AGE).getEpochSecond()));
            c.unsetClaim("exp");
        })).outcome(), "as old as the window allows");
    }

    @Test
    void expIsCheckedWhenPresentAndOptional() throws Exception {
        refused(c -> c.setExpirationTime(NumericDate.fromSeconds(clock.instant().minusSeconds(31).getEpochSecond())));
        assertEquals(BackChannelLogout.Outcome.LOGGED_OUT, post(token(c -> c.unsetClaim("exp"))).outcome());
    }

    @Test
    void eventsMustBeAnObjectWithTheBackChannelLogoutMemberHoldingAnObject() throws Exception {
        refused(c -> c.unsetClaim("events"));
        refused(c -> c.setClaim("events", List.of(EVENT)));
        refused(c -> c.setClaim("events", EVENT));
        refused(c -> c.setClaim("events", Map.of()));
        refused(c -> c.setClaim("events", Map.of("http://schemas.openid.net/event/other", Map.of())));
        refused(c -> c.setClaim("events", Map.of(EVENT, "yes")));
        refused(c -> c.setClaim("events", Map.of(EVENT, List.of())));
        assertEquals(BackChannelLogout.Outcome.LOGGED_OUT, post(token(c -> c.setClaim("events",
                Map.of(EVENT, Map.of("reason", "x"), "urn:other", Map.of())))).outcome(), "other members and a non-empty value");
    }

    @Test
    void sidOrSubMustBePresentAsStrings() throws Exception {
        refused(c -> {
            c.unsetClaim("sid");
            c.unsetClaim("sub");
        });
        refused(c -> c.setClaim("sid", 42));
        refused(c -> c.setClaim("sid", ""));
        refused(c -> {
            c.unsetClaim("sid");
            c.setClaim("sub", List.of("alice"));
        });
        refused(c -> c.setClaim("sid", "s".repeat(LogoutTokenCheck.MAX_CLAIM + 1)));
    }

    @Test
    void aNonceIsRefused() throws Exception {
        refused(c -> c.setClaim("nonce", "n-0123456789"));
    }

    @Test
    void jtiIsRequired() throws Exception {
        refused(c -> c.unsetClaim("jti"));
        refused(c -> c.setClaim("jti", 12));
    }

    @Test
    void aReplayedJtiIsRefusedWhileRememberedAndOnlyThen() throws Exception {
        String once = token(c -> { });
        assertEquals(BackChannelLogout.Outcome.LOGGED_OUT, post(once).outcome());
        BackChannelLogout.Result again = post(once);
        assertEquals(BackChannelLogout.Outcome.INVALID, again.outcome());
        assertTrue(again.detail().contains("jti"), again::detail);
        String sameJti = token(c -> c.setJwtId("fixed"));
        assertEquals(BackChannelLogout.Outcome.LOGGED_OUT, post(sameJti).outcome());
        assertEquals(BackChannelLogout.Outcome.INVALID, post(token(c -> c.setJwtId("fixed"))).outcome(),
                "another token with a used jti");
        assertEquals(2, revoked.size(), "revoked once per fresh jti: " + revoked);
        assertTrue(BackChannelLogout.REPLAY_TTL.compareTo(BackChannelLogout.MAX_AGE.plus(BackChannelLogout.SKEW)) > 0,
                "the ledger outlives the iat window");
    }

    @Test
    void aFullRevocationStoreIsTransientAndTheRetryIsNoReplay() throws Exception {
        String t = token(c -> { });
        storeFull = true;
        assertEquals(BackChannelLogout.Outcome.STORE_FULL, post(t).outcome());
        storeFull = false;
        assertEquals(BackChannelLogout.Outcome.LOGGED_OUT, post(t).outcome(), "the provider's retry goes through");
        assertEquals(List.of("sid:provider-session"), revoked);
    }

    @Test
    void aFullLedgerIsTransient() throws Exception {
        InMemoryStateStore tiny = new InMemoryStateStore(1, 1, clock);
        OnceKeys full = new OnceKeys(null, tiny, "sg:j:", cause -> { });
        full.claim("occupied", Duration.ofMinutes(10));
        OidcSettings settings = OidcSettings.builder().issuer(issuer).client(CLIENT, "secret").build();
        BackChannelLogout small = new BackChannelLogout(settings, new OidcDiscovery(settings, provider.http(), clock), clock,
                new BackChannelLogout.Replays() {
                    @Override
                    public Claim claim(String iss, String jti, Duration ttl) {
                        return Claim.valueOf(full.claim(iss + jti, ttl).name());
                    }

                    @Override
                    public void release(String iss, String jti) {
                        full.release(iss + jti);
                    }
                }, NEVER_CALLED);
        assertEquals(BackChannelLogout.Outcome.STORE_FULL, small.logout(token(c -> { })).outcome());
    }

    @Test
    void anUnavailableJwksIsTransientNotInvalid() throws Exception {
        provider.handle("/jwks-down", ex -> {
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        OidcSettings settings = OidcSettings.builder().issuer(issuer).client(CLIENT, "secret")
                .endpoint(OidcSettings.PARAM_JWKS_URI, issuer + "/jwks-down").build();
        BackChannelLogout down = new BackChannelLogout(settings, new OidcDiscovery(settings, provider.http(), clock), clock,
                replays(), NEVER_CALLED);
        String t = token(c -> { });
        assertEquals(BackChannelLogout.Outcome.KEYS_UNAVAILABLE, down.logout(t).outcome());
        assertEquals(BackChannelLogout.Outcome.LOGGED_OUT, post(t).outcome(), "its jti was not spent: the retry goes through");
    }

    @Test
    void anUnavailableDiscoveryIsTransientNotInvalid() throws Exception {
        provider.discoveryStatus(500);
        assertEquals(BackChannelLogout.Outcome.KEYS_UNAVAILABLE, post(token(c -> { })).outcome());
    }
}
