package io.github.sessiongate.store;

import io.github.sessiongate.internal.Hmac;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Storage-key names that only holders of the state key can link to what they name: HMAC-SHA256
 * under a subkey derived for one purpose from {@code state-store-key} (HMAC(stateKey, purpose), an
 * HKDF-expand of one block). A dump of a shared store then cannot be matched against digests of
 * common usernames or of the address space, as plain SHA-256 names could be.
 */
public final class KeyedNames {
    /** The purpose of the names of token-derived state (validations, revocations, grace memo, tombstones, leases). */
    public static final String STATE_KEYS = "sessiongate/state-keys/v1";
    /** The purpose of the login limiter's failure counters. */
    public static final String LOGIN_LIMITER = "sessiongate/login-limiter/v1";
    /** The purpose of the names of provider-session ({@code sid}) revocation markers. */
    public static final String SID_MARKERS = "sessiongate/sid-markers/v1";
    /** The purpose of the names of subject ({@code sub}) revocation markers. */
    public static final String SUBJECT_MARKERS = "sessiongate/sub-markers/v1";
    /** The purpose of the back-channel logout tokens' {@code jti} ledger. */
    public static final String LOGOUT_JTI = "sessiongate/logout-jti/v1";

    private static final String HMAC = "HmacSHA256";
    private final SecretKeySpec subkey;

    /**
     * @param stateKey the state key all nodes share
     * @param purpose a fixed label naming what the names are for; another purpose gives unrelated names
     */
    public KeyedNames(SecretKey stateKey, String purpose) {
        byte[] raw = Objects.requireNonNull(stateKey, "stateKey").getEncoded();
        if (raw == null || raw.length == 0) {
            throw new IllegalArgumentException("the state key has no encoded form");
        }
        this.subkey = new SecretKeySpec(Hmac.sha256(new SecretKeySpec(raw, HMAC), Objects.requireNonNull(purpose, "purpose")), HMAC);
    }

    /** The keyed name of {@code plain}: base64url, unpadded, 43 characters. */
    public String name(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Hmac.sha256(subkey, plain));
    }


    @Override
    public String toString() {
        return "KeyedNames[key=[PROTECTED]]";
    }
}
