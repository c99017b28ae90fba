package io.github.sessiongate.loadtest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * The signing key and the tokens of a run, kept in a data directory between runs (signing 60,000
 * RS256 tokens takes a minute or two on two cores). The key is an RSA-2048 private key
 * ({@code rsa-key.p8}, PKCS#8) with its public half as PEM ({@code rsa-public.pem}, what SessionGate's
 * {@code jwt.public-key=file:…} reads); the tokens file is named after the key file's SHA-256 and the
 * count, one token a line: the first is the warm token, the others the cold ones. A tokens file is
 * reused while its tokens stay valid for at least {@link #MIN_REMAINING_SECONDS}; each token lives
 * {@link #LIFETIME_SECONDS} (under SessionGate's default {@code jwt.max-lifetime} of 24 h).
 *
 * <p>Each token is RS256 with header {@code alg}, {@code typ}, {@code kid} and ten claims ({@code iss},
 * {@code sub}, {@code aud}, {@code exp}, {@code iat}, {@code nbf}, {@code jti}, {@code scope},
 * {@code roles}, {@code email}), about 750 characters, every one distinct ({@code sub} and {@code jti}).
 */
final class TokenFile {
    static final String ISSUER = "https://idp.example.com";
    static final String AUDIENCE = "sessiongate-loadtest";
    static final String KEY_ID = "loadtest-rsa-1";
    static final long LIFETIME_SECONDS = 23 * 3600;
    static final long MIN_REMAINING_SECONDS = 3 * 3600;

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;
    private final Path publicPem;
    private final Path tokens;

    private TokenFile(RSAPrivateCrtKey privateKey, RSAPublicKey publicKey, Path publicPem, Path tokens) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.publicPem = publicPem;
        this.tokens = tokens;
    }

    /** The key (made once) and a tokens file of {@code 1 + cold} valid tokens, made when missing or stale. */
    static TokenFile prepare(Path dir, int cold) throws IOException, GeneralSecurityException, JoseException {
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("rsa-key.p8");
        if (!Files.exists(keyFile)) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Path tmp = dir.resolve("rsa-key.p8.tmp");
            Files.write(tmp, pair.getPrivate().getEncoded());
            Files.move(tmp, keyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        byte[] keyBytes = Files.readAllBytes(keyFile);
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(keyBytes));
        RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(
                new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        Path pem = dir.resolve("rsa-public.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(publicKey.getEncoded())
                + "\n-----END PUBLIC KEY-----\n", StandardCharsets.US_ASCII);
        String keyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(keyBytes)).substring(0, 12);
        Path tokens = dir.resolve("tokens-" + keyHash + "-" + cold + ".txt");
        TokenFile file = new TokenFile(privateKey, publicKey, pem, tokens);
        if (!file.fresh()) {
            file.generate(cold);
        }
        return file;
    }

    RSAPublicKey publicKey() {
        return publicKey;
    }

    /** The public key as a PEM file, for SessionGate's {@code jwt.public-key=file:…}. */
    Path publicPem() {
        return publicPem;
    }

    /** The tokens file: the warm token first, then the cold ones. */
    Path path() {
        return tokens;
    }

    /** The warm token (the file's first line). */
    String warmToken() throws IOException {
        try (var lines = Files.lines(tokens)) {
            return lines.findFirst().orElseThrow();
        }
    }

    /** Tokens at the given 0-based lines of the file, for the pre-flight checks. */
    List<String> tokensAt(int... lines) throws IOException {
        List<String> all = Files.readAllLines(tokens);
        return IntStream.of(lines).mapToObj(all::get).toList();
    }

    /** A token signed by the right key that expired an hour ago (the pre-flight's must-refuse case). */
    String expiredToken() throws JoseException {
        long now = System.currentTimeMillis() / 1000;
        return sign(999_999_999, now - 7200, now - 3600);
    }

    private boolean fresh() throws IOException {
        if (!Files.exists(tokens)) {
            return false;
        }
        String first = warmToken();
        String payload = new String(Base64.getUrlDecoder().decode(first.split("\\.")[1]), StandardCharsets.UTF_8);
        java.util.regex.Matcher exp = java.util.regex.Pattern.compile("\"exp\":(\\d+)").matcher(payload);
        return exp.find() && Long.parseLong(exp.group(1)) > System.currentTimeMillis() / 1000 + MIN_REMAINING_SECONDS;
    }

    private void generate(int cold) throws IOException {
        long started = System.nanoTime();
        System.out.printf("loadtest: signing %,d RS256 tokens into %s (kept for later runs) ...%n", cold + 1, tokens);
        long now = System.currentTimeMillis() / 1000;
        String[] all = new String[cold + 1];
        IntStream.rangeClosed(0, cold).parallel().forEach(i -> {
            try {
                all[i] = sign(i, now, now + LIFETIME_SECONDS);
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        });
        Path tmp = tokens.resolveSibling(tokens.getFileName() + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
            for (String token : all) {
                out.write(token);
                out.write('\n');
            }
        }
        Files.move(tmp, tokens, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("loadtest: signed in %.1f s; token length %d characters%n",
                (System.nanoTime() - started) / 1e9, all[0].length());
    }

    private String sign(int user, long iat, long exp) throws JoseException {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(String.format("u%09d", user));
        claims.setAudience(AUDIENCE);
        claims.setExpirationTime(NumericDate.fromSeconds(exp));
        claims.setIssuedAt(NumericDate.fromSeconds(iat));
        claims.setNotBefore(NumericDate.fromSeconds(iat - 5));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("scope", "openid profile");
        claims.setStringListClaim("roles", "user", "reader");
        claims.setClaim("email", String.format("u%09d@example.com", user));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        jws.setKeyIdHeaderValue(KEY_ID);
        jws.setPayload(claims.toJson());
        jws.setKey(privateKey);
        return jws.getCompactSerialization();
    }
}
