package io.github.sessiongate.engine;

import io.github.sessiongate.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * A client's private signing key (for {@code private_key_jwt}, RFC 7523 3): PEM PKCS#8
 * ({@code BEGIN PRIVATE KEY}) or a private JWK (JSON with {@code d}), given inline (usually as
 * {@code ${env:NAME}}) or as {@code file:/absolute/path}. RSA of 2048 bits or more signs RS256; EC
 * on P-256, P-384 or P-521 signs ES256, ES384 or ES512. Internal: not for application code. No
 * message ever quotes the key.
 */
public final class ClientKeys {
    private static final String FILE_PREFIX = "file:";
    private static final long MAX_FILE_BYTES = 64 * 1024;
    private static final int MIN_RSA_BITS = 2048;
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    private ClientKeys() {
    }

    /**
     * A checked signing key.
     *
     * @param key the private key
     * @param algorithm the JWS algorithm that fits it
     * @param keyId the JWK's {@code kid}, if the key came as a JWK with one
     */
    public record SigningKey(PrivateKey key, String algorithm, Optional<String> keyId) {
        public SigningKey {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(keyId, "keyId");
        }

        @Override
        public String toString() {
            return "SigningKey[" + algorithm + keyId.map(k -> ", kid=" + k).orElse("") + ", [PROTECTED]]";
        }
    }

    /**
     * Reads and checks a key.
     *
     * @param parameter the init-param, named in every error
     * @param value PEM, JWK JSON, or {@code file:/absolute/path} to either
     * @throws ConfigException naming {@code parameter}
     */
    public static SigningKey read(String parameter, String value) {
        Objects.requireNonNull(parameter, "parameter");
        String text = Objects.requireNonNull(value, "value").strip();
        if (text.regionMatches(true, 0, FILE_PREFIX, 0, FILE_PREFIX.length())) {
            text = readFile(parameter, text.substring(FILE_PREFIX.length())).strip();
        }
        if (text.startsWith("{")) {
            return fromJwk(parameter, text);
        }
        return of(parameter, fromPem(parameter, text), Optional.empty());
    }

    /**
     * Checks a key given in code.
     *
     * @throws ConfigException naming {@code parameter} for a weak RSA key, another curve or type
     */
    public static SigningKey of(String parameter, PrivateKey key, Optional<String> keyId) {
        if (key instanceof RSAPrivateKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new ConfigException(parameter, "is a " + bits + "-bit RSA key; at least " + MIN_RSA_BITS + " bits are required");
            }
            return new SigningKey(key, AlgorithmIdentifiers.RSA_USING_SHA256, keyId);
        }
        if (key instanceof ECPrivateKey ec) {
            String curve = EllipticCurves.getName(ec.getParams().getCurve());
            String algorithm = EllipticCurves.P_256.equals(curve) ? AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256
                    : EllipticCurves.P_384.equals(curve) ? AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384
                    : EllipticCurves.P_521.equals(curve) ? AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512 : null;
            if (algorithm == null) {
                throw new ConfigException(parameter, "is an EC key on an unsupported curve; use P-256, P-384 or P-521");
            }
            return new SigningKey(key, algorithm, keyId);
        }
        throw new ConfigException(parameter, "is a " + key.getAlgorithm() + " key; only RSA and EC private keys can sign "
                + "a client assertion");
    }

    private static String readFile(String parameter, String rest) {
        Path path;
        try {
            path = rest.startsWith("//") ? Path.of(URI.create(FILE_PREFIX + rest)) : Path.of(rest);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new ConfigException(parameter, "is not a usable file: URL; write file:/absolute/path/client-key.pem");
        }
        if (!path.isAbsolute()) {
            throw new ConfigException(parameter, "must name an absolute path: file:/absolute/path/client-key.pem");
        }
        try {
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new ConfigException(parameter, "names " + path + ", which is larger than a key file can be");
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(parameter, "names " + path + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static PrivateKey fromPem(String parameter, String pem) {
        Matcher m = PEM.matcher(pem);
        if (!m.find()) {
            throw new ConfigException(parameter, "must be a PEM private key (-----BEGIN PRIVATE KEY-----), a private JWK, "
                    + "or file:/path to one; give it as ${env:NAME} or file:, not inline in web.xml");
        }
        String label = m.group(1);
        String body = m.group(2);
        if (m.find()) {
            throw new ConfigException(parameter, "holds several PEM blocks; give exactly one private key");
        }
        if (label.equals("RSA PRIVATE KEY") || label.equals("EC PRIVATE KEY")) {
            throw new ConfigException(parameter, "is a " + label.substring(0, label.indexOf(' ')) + " key in its legacy form; "
                    + "convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out client-key.pem");
        }
        if (!label.equals("PRIVATE KEY")) {
            throw new ConfigException(parameter, "holds a PEM block of type '" + label.toLowerCase(Locale.ROOT)
                    + "'; expected an unencrypted PRIVATE KEY (PKCS#8)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(parameter, "holds a PEM block that is not valid base64");
        }
        for (String type : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next type
            }
        }
        throw new ConfigException(parameter, "holds a PEM block that is not an RSA or EC private key");
    }

    private static SigningKey fromJwk(String parameter, String json) {
        JsonWebKey jwk;
        try {
            jwk = JsonWebKey.Factory.newJwk(json);
        } catch (JoseException | RuntimeException e) {
            throw new ConfigException(parameter, "is not a valid JWK (RSA or EC, with its private part d)");
        }
        if (!(jwk instanceof PublicJsonWebKey pair) || pair.getPrivateKey() == null) {
            throw new ConfigException(parameter, "is a JWK without a private key (d): the client signs with the private part");
        }
        return of(parameter, pair.getPrivateKey(), Optional.ofNullable(jwk.getKeyId()).filter(k -> !k.isBlank()));
    }
}
