package io.github.sessiongate;

import io.github.sessiongate.engine.SettingsChecks;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sealing settings: the keys by kid, in order (the first seals, all open). Immutable, checked by
 * {@link Builder#build()} with the init-param's rules and messages; whether a key is used
 * elsewhere is checked when the filter's whole configuration is built. {@link #toString()}
 * shows kids only.
 */
public final class CookieSealSettings {
    /**
     * Comma- or space-separated {@code kid:base64key} items; each key exactly {@link #KEY_BYTES} bytes
     * (standard or URL-safe base64, padding optional), each kid unique and made of RFC 6265 token
     * characters. The first seals, all open.
     */
    public static final String PARAM_KEYS = "cookie-encryption-keys";
    /** Length of each key: A256GCM takes a 256-bit key. */
    public static final int KEY_BYTES = 32;
    /** Longest accepted {@code kid}. */
    public static final int MAX_KID_LENGTH = 64;

    /** kid to base64 key (without {@code base64:}), in order. */
    private final Map<String, String> keys;

    private CookieSealSettings(Builder b) {
        Map<String, String> checked = new LinkedHashMap<>();
        List<byte[]> seen = new ArrayList<>();
        try {
            for (Map.Entry<String, String> item : b.keys) {
                String kid = item.getKey();
                if (!SettingsChecks.isCookieToken(kid, MAX_KID_LENGTH)) {
                    throw new ConfigException(PARAM_KEYS, "item " + (checked.size() + 1) + " has a kid that is empty, longer than "
                            + MAX_KID_LENGTH + " characters or not made of RFC 6265 token characters (letters, digits, !#$%&'*+-.^_`|~)");
                }
                if (checked.containsKey(kid)) {
                    throw new ConfigException(PARAM_KEYS, "names kid '" + kid + "' twice; kids must be unique");
                }
                String encoded = item.getValue();
                if (encoded.regionMatches(true, 0, SettingsChecks.BASE64_PREFIX, 0, SettingsChecks.BASE64_PREFIX.length())) {
                    encoded = encoded.substring(SettingsChecks.BASE64_PREFIX.length());
                }
                byte[] bytes;
                try {
                    bytes = SettingsChecks.base64(PARAM_KEYS, encoded);
                } catch (ConfigException e) {
                    throw new ConfigException(PARAM_KEYS, "the key of kid '" + kid + "' is not valid base64");
                }
                seen.add(bytes);
                if (bytes.length != KEY_BYTES) {
                    throw new ConfigException(PARAM_KEYS, "the key of kid '" + kid + "' is " + bytes.length
                            + " bytes after base64 decoding; each key must be exactly " + KEY_BYTES + " random bytes");
                }
                for (byte[] other : seen.subList(0, seen.size() - 1)) {
                    if (MessageDigest.isEqual(other, bytes)) {
                        throw new ConfigException(PARAM_KEYS, "the key of kid '" + kid + "' is also the key of another kid; "
                                + "each kid needs its own random key");
                    }
                }
                checked.put(kid, encoded);
            }
        } finally {
            seen.forEach(bytes -> Arrays.fill(bytes, (byte) 0));
        }
        this.keys = Collections.unmodifiableMap(checked);
    }


    /** Whether cookies are sealed (a key is set). */
    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** The keys by kid (base64, without {@code base64:}), in order: the first seals; never log them. */
    public Map<String, String> keys() {
        return keys;
    }

    /** The keys as configured (base64), for the filter's check that no key serves two purposes; never log them. */
    public List<String> secrets() {
        return List.copyOf(keys.values());
    }

    /** Starts the settings in code. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CookieSealSettings other && List.copyOf(keys.entrySet()).equals(List.copyOf(other.keys.entrySet()));
    }

    @Override
    public int hashCode() {
        return keys.keySet().hashCode();
    }

    @Override
    public String toString() {
        return "CookieSealSettings[kids=" + keys.keySet() + "]";
    }

    /** Sealing settings in code; off until a {@link #key} is added. Not thread-safe. */
    public static final class Builder {
        private final List<Map.Entry<String, String>> keys = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a key ({@value CookieSealSettings#PARAM_KEYS} item {@code kid:base64key}): the first added
         * seals, all open. The kid is 1 to 64 RFC 6265 token characters, unique; the key exactly
         * 32 random bytes in base64 (standard or URL-safe, optional {@code base64:} prefix), unique.
         */
        public Builder key(String kid, String base64Key) {
            keys.add(Map.entry(Objects.requireNonNull(kid, "kid"), Objects.requireNonNull(base64Key, "base64Key")));
            return this;
        }

        /** Checks the keys; {@link ConfigException} names {@value CookieSealSettings#PARAM_KEYS}, never echoing a key. */
        public CookieSealSettings build() {
            return new CookieSealSettings(this);
        }
    }
}
