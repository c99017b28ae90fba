package io.github.sessiongate.cookie;

import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.internal.Secrets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.keys.AesKey;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals token cookie values: each token is encrypted as a compact JWE
 * (<a href="https://www.rfc-editor.org/rfc/rfc7516">RFC 7516</a>) with {@code alg: dir} and
 * {@code enc: A256GCM} under a server-side key, so a leaked cookie jar, HAR file or proxy log shows
 * no claims, and a changed cookie is refused. The token is still what the validator checks: sealing
 * adds confidentiality and a second integrity check, not a new trust decision.
 *
 * <pre>{@code
 * <init-param><param-name>cookie-encryption-keys</param-name>
 *   <param-value>${env:SESSIONGATE_COOKIE_KEYS}</param-value></init-param>
 * <!-- e.g. SESSIONGATE_COOKIE_KEYS="2026-11:q83v...,2026-05:Zm9v..." -->
 * }</pre>
 *
 * <p><b>Rotation:</b> the first key seals, every key opens (chosen by the JWE {@code kid} header).
 * To rotate, put a new key first and keep the old one until every cookie sealed with it has
 * expired (the refresh cookie's lifetime); then remove it. Nobody is signed out. With random
 * 96-bit IVs one key should seal far fewer than 2<sup>32</sup> values; rotate well before.
 *
 * <p><b>Opening is lenient</b> ({@link #open} never throws): an unknown {@code kid}, any
 * algorithm other than {@code dir} + {@code A256GCM} (enforced with jose4j
 * {@link AlgorithmConstraints} of type {@link ConstraintType#PERMIT} for both the key management
 * and the content encryption algorithm), a compressed ({@code zip}) or {@code crit} JWE, anything
 * that is not a five-part compact JWE of cookie-safe characters, and any tampering yields empty.
 *
 * <p>Thread-safe and immutable. Never logs a token, a sealed value or a key.
 */
public final class CookieSeal {
    private static final Logger LOG = LoggerFactory.getLogger(CookieSeal.class);

    /** Longest value {@link #open} looks at; a cookie jar never holds more. */
    public static final int MAX_SEALED_LENGTH = 32 * 1024;

    /** RFC 6265 {@code token} (RFC 2616 token: no separators, no controls). */
    /** Five base64url parts: what a compact JWE is, and all a cookie value may need. */
    private static final Pattern COMPACT_JWE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+"
            + "\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private static final AlgorithmConstraints KEY_ALGORITHMS =
            new AlgorithmConstraints(ConstraintType.PERMIT, KeyManagementAlgorithmIdentifiers.DIRECT);
    private static final AlgorithmConstraints CONTENT_ALGORITHMS =
            new AlgorithmConstraints(ConstraintType.PERMIT, ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);

    private final String sealingKid;
    private final AesKey sealingKey;
    private final Map<String, AesKey> keys;

    private CookieSeal(Map<String, AesKey> keys) {
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        Map.Entry<String, AesKey> first = keys.entrySet().iterator().next();
        this.sealingKid = first.getKey();
        this.sealingKey = first.getValue();
    }

    /** The settings of {@value CookieSealSettings#CookieSealSettings.PARAM_KEYS} (marking it read); the builder checks. */
    public static CookieSealSettings settingsFrom(InitParams params) {
        CookieSealSettings.Builder b = CookieSealSettings.builder();
        Optional<String> value = params.get(CookieSealSettings.PARAM_KEYS);
        if (value.isEmpty()) {
            return b.build();
        }
        List<String> items = InitParams.split(value.get());
        if (items.isEmpty()) {
            throw new ConfigException(CookieSealSettings.PARAM_KEYS, "lists no key; use kid:base64key items, e.g. 2026-11:<32 random bytes in base64>");
        }
        int n = 0;
        for (String item : items) {
            n++;
            int colon = item.indexOf(':');
            if (colon < 0) {
                throw new ConfigException(CookieSealSettings.PARAM_KEYS, "each item must be kid:base64key; item " + n
                        + " has no colon");
            }
            b.key(item.substring(0, colon), item.substring(colon + 1));
        }
        return b.build();
    }

    /**
     * The seal these settings describe, each key checked against the filter's other secrets.
     *
     * @param otherSecrets the configured values of every other secret the filter uses ({@code null} skipped)
     * @return empty when no key is set
     * @throws ConfigException naming {@value CookieSealSettings#PARAM_KEYS} when a key is used elsewhere; the key is never echoed
     */
    public static Optional<CookieSeal> create(CookieSealSettings settings, Collection<String> otherSecrets) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(otherSecrets, "otherSecrets");
        if (!settings.enabled()) {
            return Optional.empty();
        }
        Map<String, AesKey> keys = new LinkedHashMap<>();
        settings.keys().forEach((kid, encoded) -> {
            byte[] bytes = Secrets.base64(CookieSealSettings.PARAM_KEYS, encoded);
            try {
                if (Secrets.reusedIn(bytes, encoded, otherSecrets)) {
                    throw new ConfigException(CookieSealSettings.PARAM_KEYS, "the key of kid '" + kid + "' is also used as another secret of "
                            + "the filter (such as jwt.secret or client-token-secret); generate a new random key");
                }
                keys.put(kid, new AesKey(bytes));
            } finally {
                Arrays.fill(bytes, (byte) 0); // the AesKey objects hold their own copies
            }
        });
        CookieSeal seal = new CookieSeal(keys);
        LOG.info("cookie sealing enabled: {}", seal.describe());
        return Optional.of(seal);
    }


    /**
     * Seals a token with the first key: a compact JWE of base64url parts and dots only, safe as a
     * cookie value without quoting. Each call uses a fresh random IV, so sealing the same token twice
     * gives different values. About {@code 4/3 * token length + 110} characters (more with a long kid).
     *
     * @throws IllegalArgumentException when the token is empty
     */
    public String seal(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isEmpty()) {
            throw new IllegalArgumentException("token must not be empty");
        }
        return sealPlaintext(jwe -> jwe.setPlaintext(token));
    }

    /**
     * Seals bytes as {@link #seal} seals text: for a value packed in binary (the provider facts), which
     * saves the base64 a text plaintext would be sealed in twice.
     *
     * @throws IllegalArgumentException when {@code plaintext} is empty
     */
    public String sealBytes(byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        if (plaintext.length == 0) {
            throw new IllegalArgumentException("plaintext must not be empty");
        }
        return sealPlaintext(jwe -> jwe.setPlaintext(plaintext.clone()));
    }

    /**
     * A random key of this process only, for cookies that must be sealed when no
     * {@code cookie-encryption-keys} is configured (the login transactions): what it seals opens on
     * this node until it stops, nowhere else. Its kid is random too, so a value from another node or
     * an earlier start is refused as an unknown kid.
     */
    public static CookieSeal perProcess() {
        byte[] key = new byte[32];
        java.security.SecureRandom random = new java.security.SecureRandom();
        random.nextBytes(key);
        byte[] kid = new byte[6];
        random.nextBytes(kid);
        try {
            return new CookieSeal(Map.of("process-" + java.util.HexFormat.of().formatHex(kid), new AesKey(key)));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private String sealPlaintext(java.util.function.Consumer<JsonWebEncryption> plaintext) {
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.DIRECT);
        jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
        jwe.setKeyIdHeaderValue(sealingKid);
        jwe.setAlgorithmConstraints(KEY_ALGORITHMS);
        jwe.setContentEncryptionAlgorithmConstraints(CONTENT_ALGORITHMS);
        jwe.setKey(sealingKey);
        plaintext.accept(jwe);
        String sealed;
        try {
            sealed = jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("A256GCM sealing failed", e); // jose4j's message holds no plaintext
        }
        if (!COMPACT_JWE.matcher(sealed).matches()) {
            throw new IllegalStateException("sealed value is not five base64url parts");
        }
        return sealed;
    }

    /**
     * Opens a sealed value with the key its {@code kid} names. Never throws: anything but a genuine
     * {@code dir} + {@code A256GCM} JWE from one of our keys, uncompressed and without {@code crit},
     * gives empty.
     *
     * @param sealed a cookie value as the browser sent it; may be {@code null} or hostile
     */
    public Optional<String> open(String sealed) {
        return openBytes(sealed).map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Opens a value {@link #sealBytes} sealed, as leniently as {@link #open}: empty for anything else. */
    public Optional<byte[]> openBytes(String sealed) {
        if (sealed == null || sealed.length() > MAX_SEALED_LENGTH || !COMPACT_JWE.matcher(sealed).matches()) {
            return refuse("not a compact JWE");
        }
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setCompactSerialization(sealed);
            jwe.setAlgorithmConstraints(KEY_ALGORITHMS);
            jwe.setContentEncryptionAlgorithmConstraints(CONTENT_ALGORITHMS);
            if (jwe.getHeaders().getObjectHeaderValue(HeaderParameterNames.ZIP) != null) {
                return refuse("compressed");
            }
            if (jwe.getHeaders().getObjectHeaderValue(HeaderParameterNames.CRITICAL) != null) {
                return refuse("critical header");
            }
            AesKey key = jwe.getHeaders().getObjectHeaderValue(HeaderParameterNames.KEY_ID) instanceof String kid
                    ? keys.get(kid) : null;
            if (key == null) {
                return refuse("unknown or missing kid");
            }
            jwe.setKey(key);
            byte[] plain = jwe.getPlaintextBytes();
            return plain == null || plain.length == 0 ? refuse("empty") : Optional.of(plain);
        } catch (JoseException | RuntimeException e) {
            // The exception may describe the input: log its type only.
            return refuse(e.getClass().getSimpleName());
        }
    }

    private static <T> Optional<T> refuse(String why) {
        LOG.debug("sealed cookie value refused: {}", why);
        return Optional.empty();
    }

    /** Algorithms and kids, sealing kid first; never a key. */
    public String describe() {
        return "CookieSeal[dir+A256GCM, seals with kid " + sealingKid + ", opens kids " + keys.keySet() + "]";
    }

    @Override
    public String toString() {
        return describe();
    }
}
