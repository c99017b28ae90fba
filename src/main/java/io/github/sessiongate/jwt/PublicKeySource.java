package io.github.sessiongate.jwt;

import io.github.sessiongate.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.EdDsaKeyUtil;
import org.jose4j.keys.EllipticCurves;

/**
 * One RSA (2048 bits or more), EC (P-256, P-384, P-521) or Ed25519 public key
 * ({@code jwt.public-key}): PEM text inline, or {@code file:/path} to a PEM file. Accepts
 * {@code BEGIN PUBLIC KEY} (SubjectPublicKeyInfo) and {@code BEGIN CERTIFICATE} (the certificate's
 * key is used; its validity dates and chain are not checked). Refuses private keys.
 *
 * <p><b>Ed25519</b> fits only {@code EdDSA}, which no default list holds: such a key needs
 * {@code jwt.algorithms=EdDSA}, so moving to EdDSA is always a visible choice. An Ed448 key is
 * refused at start-up (jose4j's {@code EdDSA} would verify with it too, but only Ed25519 is
 * supported and tested here).
 *
 * <p><b>Key id</b> ({@code jwt.public-key-id}, optional): when set, a token whose {@code kid}
 * header is missing or different is refused as {@code UNKNOWN_KEY} before the signature is
 * looked at ({@link SingleKey}); without it any {@code kid} is ignored and every well-formed
 * token with an allowed {@code alg} costs one signature check.
 */
final class PublicKeySource implements KeySource {
    static final String FILE_PREFIX = "file:";
    static final int MIN_RSA_BITS = 2048;
    private static final long MAX_FILE_BYTES = 1024 * 1024;
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final Set<String> RSA_ALGORITHMS = Set.of(
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512);

    private final PublicKey key;
    /** The key under its {@code jwt.public-key-id}, if any. */
    private final SingleKey single;
    /** RS* and PS* for RSA; exactly the one ES* matching the curve for EC; EdDSA for Ed25519. */
    private final Set<String> fitting;
    /** {@code null} for Ed25519: EdDSA must be listed in {@code jwt.algorithms}. */
    private final String defaultAlgorithm;
    private final String description;

    private PublicKeySource(PublicKey key, Set<String> fitting, String defaultAlgorithm, String description,
            String keyId) {
        this.key = key;
        this.single = new SingleKey(this, key, keyId);
        this.fitting = fitting;
        this.defaultAlgorithm = defaultAlgorithm;
        this.description = description;
    }

    /**
     * @param parameter the init-param name, for error messages
     * @param value PEM text or {@code file:/absolute/path}
     */
    static PublicKeySource parse(String parameter, String value) {
        String pem;
        String origin;
        if (value.regionMatches(true, 0, FILE_PREFIX, 0, FILE_PREFIX.length())) {
            Path path = filePath(parameter, value);
            pem = read(parameter, path);
            origin = FILE_PREFIX + path;
        } else {
            pem = value;
            origin = "inline";
        }
        return of(parameter, decode(parameter, pem), origin);
    }

    /**
     * @param parameter the init-param name, for error messages
     * @param key an RSA key of {@link #MIN_RSA_BITS} or more, or an EC key on P-256, P-384 or P-521
     * @param origin where it came from, for the start-up summary
     */
    static PublicKeySource of(String parameter, PublicKey key, String origin) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new ConfigException(parameter, "is a " + bits + "-bit RSA key; at least "
                        + MIN_RSA_BITS + " bits are required");
            }
            return new PublicKeySource(key, RSA_ALGORITHMS, AlgorithmIdentifiers.RSA_USING_SHA256,
                    "public-key=RSA-" + bits + " (" + origin + ")", null);
        }
        if (key instanceof ECPublicKey ec) {
            String curve = EllipticCurves.getName(ec.getParams().getCurve());
            String algorithm;
            if (EllipticCurves.P_256.equals(curve)) {
                algorithm = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
            } else if (EllipticCurves.P_384.equals(curve)) {
                algorithm = AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384;
            } else if (EllipticCurves.P_521.equals(curve)) {
                algorithm = AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512;
            } else {
                throw new ConfigException(parameter, "is an EC key on an unsupported curve; use P-256, P-384 or P-521");
            }
            return new PublicKeySource(key, Set.of(algorithm), algorithm,
                    "public-key=EC " + curve + " (" + origin + ")", null);
        }
        if (key instanceof EdECPublicKey ed) {
            String curve = ed.getParams().getName();
            if (!EdDsaKeyUtil.ED25519.equalsIgnoreCase(curve)) {
                throw new ConfigException(parameter, "is an " + curve + " key; of the EdDSA curves only Ed25519 "
                        + "is supported (with " + JwtTokenValidator.PARAM_ALGORITHMS + "=EdDSA)");
            }
            return new PublicKeySource(key, Set.of(AlgorithmIdentifiers.EDDSA), null,
                    "public-key=Ed25519 (" + origin + ")", null);
        }
        throw new ConfigException(parameter, "is a " + key.getAlgorithm()
                + " key; only RSA, EC and Ed25519 keys are supported");
    }

    /**
     * This key with a key id ({@code jwt.public-key-id}): tokens must name it in their {@code kid}.
     *
     * @param parameter the init-param name, for error messages
     * @throws ConfigException naming {@code parameter} when the id is empty, too long or holds
     *         control characters
     */
    PublicKeySource withKeyId(String parameter, String id) {
        return new PublicKeySource(key, fitting, defaultAlgorithm, description, SingleKey.checkKeyId(parameter, id));
    }

    /** Whether a token with this {@code kid} may be checked against this key ({@link SingleKey#acceptsKid}). */
    boolean acceptsKid(String kid) {
        return single.acceptsKid(kid);
    }

    /** The configured {@code jwt.public-key-id}: {@link #resolve} finds no key for any other {@code kid}. */
    @Override
    public String requiredKeyId() {
        return single.keyId();
    }

    /** The key itself, for a caller that verifies signatures directly. */
    PublicKey key() {
        return key;
    }

    private static Path filePath(String parameter, String value) {
        String rest = value.substring(FILE_PREFIX.length());
        Path path;
        try {
            path = rest.startsWith("//") ? Path.of(java.net.URI.create(FILE_PREFIX + rest)) : Path.of(rest);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) { // incl. InvalidPathException
            throw new ConfigException(parameter, "is not a usable file: URL; write file:/absolute/path/key.pem");
        }
        if (!path.isAbsolute()) {
            throw new ConfigException(parameter, "must name an absolute path: file:/absolute/path/key.pem");
        }
        return path;
    }

    private static String read(String parameter, Path path) {
        try {
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new ConfigException(parameter, "names " + path + ", which is larger than a public key file can be");
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(parameter, "names " + path + ", which cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static PublicKey decode(String parameter, String pem) {
        if (pem.contains("PRIVATE KEY-----")) {
            throw new ConfigException(parameter, "contains a private key; configure only the public key "
                    + "(openssl pkey -in key.pem -pubout), and rotate the private key if it was shared");
        }
        Matcher m = PEM.matcher(pem);
        List<String[]> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(new String[] {m.group(1), m.group(2)});
        }
        if (blocks.size() != 1) {
            throw new ConfigException(parameter, blocks.isEmpty()
                    ? "must be a PEM public key (-----BEGIN PUBLIC KEY-----) or file:/path to one"
                    : "holds " + blocks.size() + " PEM blocks; give exactly one public key or certificate");
        }
        String label = blocks.get(0)[0];
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(blocks.get(0)[1]);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(parameter, "holds a PEM block that is not valid base64");
        }
        try {
            switch (label) {
                case "PUBLIC KEY":
                    return keyFromSpki(der);
                case "CERTIFICATE":
                    return CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
                case "RSA PUBLIC KEY":
                    throw new ConfigException(parameter, "is a PKCS#1 RSA key; convert it to "
                            + "-----BEGIN PUBLIC KEY----- with: openssl rsa -RSAPublicKey_in -in key.pem -pubout");
                default:
                    throw new ConfigException(parameter, "holds a PEM block of type '"
                            + label.toLowerCase(Locale.ROOT) + "'; expected PUBLIC KEY or CERTIFICATE");
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException(parameter, "holds a PEM block that is not a valid RSA, EC or Ed25519 public key");
        }
    }

    private static PublicKey keyFromSpki(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException first = null;
        // "EdDSA" reads Ed25519 and Ed448 keys; of() refuses Ed448.
        for (String type : new String[] {"RSA", "EC", "EdDSA"}) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    /**
     * RS256, or the ES algorithm of the curve.
     *
     * @throws ConfigException naming {@code jwt.algorithms} for an Ed25519 key, which has no default
     */
    @Override
    public List<String> defaultAlgorithms() {
        if (defaultAlgorithm == null) {
            throw new ConfigException(JwtTokenValidator.PARAM_ALGORITHMS, "is required with the " + description
                    + " of " + JwtTokenValidator.PARAM_PUBLIC_KEY + ": set it to EdDSA (never allowed by default)");
        }
        return List.of(defaultAlgorithm);
    }

    @Override
    public void checkAlgorithm(String algorithm) {
        if (!fitting.contains(algorithm)) {
            throw new ConfigException(JwtTokenValidator.PARAM_ALGORITHMS, algorithm + " does not fit the "
                    + description + " of " + JwtTokenValidator.PARAM_PUBLIC_KEY + "; allowed with this key: "
                    + new java.util.TreeSet<>(fitting));
        }
    }

    /**
     * The one key (configuration made sure it fits every allowed algorithm); none, so the token is
     * refused as an unknown key before any signature work, when a {@code jwt.public-key-id} is set
     * and the token's {@code kid} is missing or another.
     */
    @Override
    public KeyMatch resolve(String algorithm, String kid) {
        return single.resolve(kid);
    }

    @Override
    public String describe() {
        return single.describe(description);
    }

    @Override
    public String toString() {
        return "PublicKeySource[" + description + "]";
    }
}
