package io.github.sessiongate.store;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.keys.AesKey;
import org.jose4j.lang.JoseException;

/**
 * Seals values that carry a token before they leave the JVM: a compact JWE
 * (<a href="https://www.rfc-editor.org/rfc/rfc7516">RFC 7516</a>, {@code alg: dir},
 * {@code enc: A256GCM}) under the state key all nodes share ({@code state-store-key}). The storage
 * key is bound into the protected header (and so into the GCM tag), so a sealed value copied under
 * another key does not open. A dump of a shared store thus shows no usable token.
 */
public final class StateSeal {
    /** The protected header naming the storage key the value was sealed for. */
    private static final String KEY_HEADER = "sgk";
    private static final AlgorithmConstraints ALG = new AlgorithmConstraints(ConstraintType.PERMIT,
            KeyManagementAlgorithmIdentifiers.DIRECT);
    private static final AlgorithmConstraints ENC = new AlgorithmConstraints(ConstraintType.PERMIT,
            ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);

    private final AesKey key;

    /** @param key 32 bytes of AES key */
    public StateSeal(SecretKey key) {
        byte[] raw = Objects.requireNonNull(key, "key").getEncoded();
        if (raw == null || raw.length != 32) {
            throw new IllegalArgumentException("the state key must be 32 bytes");
        }
        this.key = new AesKey(raw);
    }

    /** The sealed form of {@code plain}, for {@code storageKey} only. */
    public byte[] seal(String storageKey, byte[] plain) {
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.DIRECT);
        jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
        jwe.setHeader(KEY_HEADER, storageKey);
        jwe.setKey(key);
        jwe.setPlaintext(plain);
        try {
            return jwe.getCompactSerialization().getBytes(StandardCharsets.US_ASCII);
        } catch (JoseException e) {
            throw new IllegalStateException("sealing failed: " + e.getClass().getSimpleName());
        }
    }

    /** The plain bytes, or empty when the value was not sealed under this key for {@code storageKey}. */
    public Optional<byte[]> open(String storageKey, byte[] sealed) {
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setAlgorithmConstraints(ALG);
            jwe.setContentEncryptionAlgorithmConstraints(ENC);
            jwe.setCompactSerialization(new String(sealed, StandardCharsets.US_ASCII));
            jwe.setKey(key);
            byte[] plain = jwe.getPlaintextBytes();
            return storageKey.equals(jwe.getHeader(KEY_HEADER)) ? Optional.of(plain) : Optional.empty();
        } catch (JoseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "StateSeal[key=[PROTECTED]]";
    }
}
