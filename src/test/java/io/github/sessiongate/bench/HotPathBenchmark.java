package io.github.sessiongate.bench;

import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.internal.CompactJws;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.path.PathRules;
import io.github.sessiongate.rotation.Bulkhead;
import io.github.sessiongate.rotation.ValidationCache;
import io.github.sessiongate.rotation.Validations;
import io.github.sessiongate.StateStore;
import io.github.sessiongate.store.InMemoryStateStore;
import io.github.sessiongate.store.StateSlot;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-request work of the filter that does not touch the network: deciding a path, and
 * validating an HS256 access token with and without the validation cache, and refusing another
 * spelling of it (the canonical-encoding check); an RS256 token of ten claims with the validator
 * alone, beside a bare jose4j consumer, the floor for the cold path; an uncached EdDSA (Ed25519) validation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPathBenchmark {
    private static final String SECRET = "a-benchmark-secret-of-at-least-32-bytes!";

    private PathRules rules;
    private JwtTokenValidator validator;
    private Validations cached;
    private String token;
    /** The same token with its signature padded: another spelling, refused before any signature work. */
    private String respelt;
    private JwtTokenValidator edValidator;
    private String edToken;
    /** RS256 with a PEM key, ten claims: the cold path of issue 11 (every token new to the validation cache). */
    private JwtTokenValidator rsValidator;
    private String rsToken;
    /** The floor: a bare jose4j consumer with the same key and checks, no cache. */
    private JwtConsumer rsConsumer;

    @Setup
    public void setUp() throws Exception {
        rules = PathRules.compile(List.of("/dashboard/*", "/api/*"), List.of("/", "/static/*", "/api/public/*"),
                List.of("/admin/*=admin"), PathRules.Access.PROTECTED, List.of("/login"));
        validator = JwtTokenValidator.fromParams(Map.of("jwt.secret", SECRET, "jwt.issuer", "https://idp.example",
                "jwt.audience", "bench"), Clock.systemUTC());
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("https://idp.example");
        claims.setAudience("bench");
        claims.setSubject("alice");
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(60);
        claims.setStringListClaim("roles", List.of("user"));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(new HmacKey(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        token = jws.getCompactSerialization();
        // EdDSA: an Ed25519 key pair from the JDK, the public half as PEM, EdDSA listed explicitly.
        java.security.KeyPair ed = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        edValidator = JwtTokenValidator.fromParams(Map.of("jwt.public-key", "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(ed.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----",
                "jwt.algorithms", "EdDSA", "jwt.issuer", "https://idp.example", "jwt.audience", "bench"), Clock.systemUTC());
        JsonWebSignature edJws = new JsonWebSignature();
        edJws.setPayload(claims.toJson());
        edJws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
        edJws.setKey(ed.getPrivate());
        edToken = edJws.getCompactSerialization();
        if (edValidator.validate(edToken).kind() != ValidationResult.Kind.VALID) {
            throw new IllegalStateException("benchmark EdDSA token does not validate");
        }
        respelt = token + "=";
        Clock clock = Clock.systemUTC();
        // The filter's default: the validation cache as a state slot over the in-memory state store.
        cached = new Validations(validator, new ValidationCache(new StateSlot<>(new InMemoryStateStore(10_000, 1, clock),
                "v:", StateStore.EntryClass.CACHE, ValidationCache.CODEC, null, clock, what -> { }),
                Duration.ofSeconds(2), clock), new Bulkhead(64), Duration.ofSeconds(5));
        RsaJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
        rsValidator = JwtTokenValidator.withPublicKey(rsa.getRsaPublicKey()).issuer("https://idp.example")
                .audience("bench").build();
        JwtClaims ten = new JwtClaims();
        ten.setIssuer("https://idp.example");
        ten.setAudience("bench");
        ten.setSubject("0b5e3f7c-2a41-4c55-9d8e-6f1a2b3c4d5e");
        ten.setIssuedAtToNow();
        ten.setExpirationTimeMinutesInTheFuture(60);
        ten.setGeneratedJwtId();
        ten.setStringClaim("azp", "web-client");
        ten.setStringClaim("scope", "openid profile email orders:read");
        ten.setStringListClaim("roles", List.of("user", "admin"));
        ten.setStringClaim("email", "alice@example.com");
        JsonWebSignature rs = new JsonWebSignature();
        rs.setPayload(ten.toJson());
        rs.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        rs.setKeyIdHeaderValue("key-2026-01");
        rs.setHeader("typ", "at+jwt");
        rs.setKey(rsa.getPrivateKey());
        rsToken = rs.getCompactSerialization();
        rsConsumer = new JwtConsumerBuilder().setVerificationKey(rsa.getPublicKey())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedIssuer("https://idp.example").setExpectedAudience("bench")
                .setRequireExpirationTime().setRequireSubject().build();
        if (rsValidator.validate(rsToken).kind() != ValidationResult.Kind.VALID) {
            throw new IllegalStateException("benchmark RS256 token does not validate");
        }
        if (validator.validate(token).kind() != ValidationResult.Kind.VALID) {
            throw new IllegalStateException("benchmark token does not validate");
        }
        if (validator.validate(respelt).kind() != ValidationResult.Kind.INVALID) {
            throw new IllegalStateException("the re-spelt token is not refused");
        }
    }

    @Benchmark
    public PathRules.Rule decideNestedPublicPrefix() {
        return rules.decide("/api/public/ping");
    }

    @Benchmark
    public PathRules.Rule decideRoleRule() {
        return rules.decide("/admin/users/42");
    }

    @Benchmark
    public ValidationResult validateHs256Uncached() {
        return validator.validate(token);
    }

    /** The validator alone on an RS256 token it has not cached (it has no validation cache of its own). */
    @Benchmark
    public ValidationResult validateRs256Uncached() {
        return rsValidator.validate(rsToken);
    }

    /** The floor {@link #validateRs256Uncached} is measured against: a bare jose4j consumer. */
    @Benchmark
    public JwtClaims jose4jConsumerRs256() throws Exception {
        return rsConsumer.processToClaims(rsToken);
    }

    @Benchmark
    public ValidationResult validateEdDsaUncached() {
        return edValidator.validate(edToken);
    }

    @Benchmark
    public ValidationResult validateHs256ThroughCache() {
        return cached.validate(token).result();
    }

    @Benchmark
    public boolean canonicalCheck() {
        return CompactJws.isCanonical(token);
    }

    @Benchmark
    public ValidationResult validateRespeltRefused() {
        return validator.validate(respelt);
    }
}
