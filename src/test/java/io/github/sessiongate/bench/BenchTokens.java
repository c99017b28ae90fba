package io.github.sessiongate.bench;

import io.github.sessiongate.TokenValidator;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Locale;
import java.util.stream.IntStream;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Keys and access tokens of one algorithm for the filter benchmarks: HS256 (a 40-byte secret),
 * RS256 (RSA-2048), ES256 (P-256) or EdDSA (Ed25519), the public key as PEM, and tokens of ten
 * claims ({@code iss}, {@code aud}, {@code sub}, {@code exp} an hour ahead, {@code iat}, {@code nbf},
 * {@code jti}, {@code scope}, {@code roles}, {@code name}), about 750 characters with RS256, headed
 * {@code {"kid":"bench-key","typ":"JWT","alg":...}} as an identity provider's are. Every token has
 * its own {@code sub} number and {@code jti}, so no two are equal. Also the malformed tokens of
 * {@link FilterBenchmark#garbage}.
 */
final class BenchTokens {
    static final String ISSUER = "https://idp.example.com/realms/bench";
    static final String AUDIENCE = "bench-api";
    static final String KEY_ID = "bench-key";
    /** The HS256 secret: 40 ASCII bytes (at least 32 are required). */
    static final String SECRET = "a-benchmark-hmac-secret-of-forty-bytes!!";

    final String alg;
    /** What signs: an {@link HmacKey} or a private key. */
    final Key signingKey;
    /** What verifies: the same {@link HmacKey} or the public key. */
    final Key verificationKey;
    /** {@code jwt.public-key}'s value (PEM), or {@code null} for HS256. */
    final String publicKeyPem;
    /** Another key of the same kind: what an attacker signs with. */
    final Key foreignKey;
    private final long now = System.currentTimeMillis() / 1000;

    BenchTokens(String alg) throws Exception {
        this.alg = alg;
        switch (alg) {
            case AlgorithmIdentifiers.HMAC_SHA256 -> {
                signingKey = new HmacKey(SECRET.getBytes(StandardCharsets.US_ASCII));
                verificationKey = signingKey;
                publicKeyPem = null;
                foreignKey = new HmacKey("another-hmac-secret-of-at-least-32-bytes".getBytes(StandardCharsets.US_ASCII));
            }
            case AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                    AlgorithmIdentifiers.EDDSA -> {
                KeyPair pair = pair(alg);
                signingKey = pair.getPrivate();
                verificationKey = pair.getPublic();
                publicKeyPem = "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n";
                foreignKey = pair(alg).getPrivate();
            }
            default -> throw new IllegalArgumentException("alg must be HS256, RS256, ES256 or EdDSA, not " + alg);
        }
    }

    private static KeyPair pair(String alg) throws Exception {
        switch (alg) {
            case AlgorithmIdentifiers.RSA_USING_SHA256 -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                return g.generateKeyPair();
            }
            case AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256 -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                return g.generateKeyPair();
            }
            default -> {
                return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            }
        }
    }

    /** The claims of token number {@code n}: ten claims, all valid for the next hour. */
    String claims(int n) {
        return String.format(Locale.ROOT, "{\"iss\":\"%s\",\"aud\":\"%s\",\"sub\":\"f81d4fae-7dec-11d0-a765-%012d\","
                + "\"exp\":%d,\"iat\":%d,\"nbf\":%d,\"jti\":\"b-%08x\",\"scope\":\"openid profile orders:read\","
                + "\"roles\":[\"user\",\"reader\"],\"name\":\"Alice Example\"}",
                ISSUER, AUDIENCE, n, now + 3600, now, now, n);
    }

    /** Token number {@code n}, signed with the real key. */
    String token(int n) {
        return sign(alg, signingKey, KEY_ID, claims(n));
    }

    /** {@code count} distinct valid tokens, numbered from {@code first}, signed on every core. */
    String[] tokens(int first, int count) {
        return IntStream.range(first, first + count).parallel().mapToObj(this::token).toArray(String[]::new);
    }

    static String sign(String alg, Key key, String kid, String payload) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(alg);
        if (kid != null) {
            jws.setKeyIdHeaderValue(kid);
        }
        jws.setHeader("typ", "JWT");
        jws.setPayload(payload);
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("could not sign a " + alg + " benchmark token", e);
        }
    }

    /** A refused token of {@code kind} (see {@link FilterBenchmark.Garbage#kind}). */
    String garbage(String kind) {
        String valid = token(999_999);
        String[] parts = valid.split("\\.");
        return switch (kind) {
            // A payload segment with characters outside base64url: its own bytes are never decoded.
            case "badBase64" -> parts[0] + "." + parts[1].substring(0, 40) + "!!!!" + parts[1].substring(44) + "." + parts[2];
            // Header and payload only: two segments.
            case "wrongSegments" -> parts[0] + "." + parts[1];
            // A header segment that is valid base64url but not JSON.
            case "badHeader" -> b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",") + "." + parts[1] + "." + parts[2];
            // Well formed, correctly signed, but by another key with a kid nobody published.
            case "unknownKid" -> sign(alg, foreignKey, "unknown-kid", claims(999_998));
            // Well formed, an algorithm outside jwt.algorithms (HS256 "signed" with a public key's
            // bytes, the classic confusion; RS256 with the HS256 configuration).
            case "badAlg" -> AlgorithmIdentifiers.HMAC_SHA256.equals(alg)
                    ? b64("{\"alg\":\"RS256\",\"kid\":\"" + KEY_ID + "\",\"typ\":\"JWT\"}")
                            + "." + parts[1] + "." + parts[2]
                    : sign(AlgorithmIdentifiers.HMAC_SHA256, new HmacKey(publicKeyPem.getBytes(StandardCharsets.US_ASCII)),
                            KEY_ID, claims(999_997));
            // Correctly signed by the real key, but longer than any token the filter accepts.
            case "oversize" -> sign(alg, signingKey, KEY_ID, claims(999_996).replace("\"name\":\"Alice Example\"",
                    "\"name\":\"Alice Example\",\"pad\":\"" + "x".repeat(TokenValidator.MAX_TOKEN_LENGTH * 3 / 4) + "\""));
            default -> throw new IllegalArgumentException("unknown garbage kind " + kind);
        };
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
