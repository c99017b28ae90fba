package io.github.sessiongate.jwt;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.jwt.KeySource.KeyMatch;
import java.security.Key;
import java.util.List;

/**
 * The one key of a PEM or secret source, with its optional key id ({@code jwt.public-key-id},
 * {@code jwt.secret-key-id}): without an id every token finds the key, whatever its {@code kid};
 * with one, only a token whose {@code kid} equals it exactly (case-sensitive, RFC 7515 section
 * 4.1.4), so any other is refused as {@code UNKNOWN_KEY} before any signature work. Immutable.
 */
final class SingleKey {
    /** Longest key id; a {@code kid} is a short name. */
    static final int MAX_KEY_ID_LENGTH = 256;

    private final KeyMatch match;
    /** No key: a token whose {@code kid} is not {@link #acceptsKid accepted}. */
    private final KeyMatch none;
    /** The key id, or {@code null}: any {@code kid} (or none) is accepted. */
    private final String keyId;

    /**
     * @param owner the source answering with this key, the {@link KeySource#generation} of its matches
     * @param keyId a key id passed through {@link #checkKeyId}, or {@code null}
     */
    SingleKey(KeySource owner, Key key, String keyId) {
        this.match = new KeyMatch(owner, List.of(key));
        this.none = new KeyMatch(owner, List.of());
        this.keyId = keyId;
    }

    /**
     * A usable key id, as given.
     *
     * @param parameter the init-param name, for error messages
     * @throws ConfigException naming {@code parameter} when blank, longer than
     *         {@link #MAX_KEY_ID_LENGTH} or holding control characters
     */
    static String checkKeyId(String parameter, String id) {
        if (id.isBlank() || id.length() > MAX_KEY_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            throw new ConfigException(parameter, "must be the key's kid: 1 to " + MAX_KEY_ID_LENGTH
                    + " characters, no control characters");
        }
        return id;
    }

    /**
     * Whether a token with this {@code kid} header may be checked against the key: always without
     * a key id, otherwise only when {@code kid} equals it. Cheap; call it before any signature work.
     *
     * @param kid the token's {@code kid}, or {@code null} when it has none (or a non-string one)
     */
    boolean acceptsKid(String kid) {
        return keyId == null || keyId.equals(kid);
    }

    /** The key, or none when the token's {@code kid} is not {@link #acceptsKid accepted}. */
    KeyMatch resolve(String kid) {
        return acceptsKid(kid) ? match : none;
    }

    /** The key id, or {@code null}: {@link #resolve} finds no key for any other {@code kid}. */
    String keyId() {
        return keyId;
    }

    /** {@code description}, followed by the key id when there is one (printable ASCII, at most 64 characters). */
    String describe(String description) {
        if (keyId == null) {
            return description;
        }
        String shown = keyId.replaceAll("[^\\x20-\\x7e]", "?");
        return description + ", kid=" + (shown.length() > 64 ? shown.substring(0, 64) + "..." : shown);
    }
}
