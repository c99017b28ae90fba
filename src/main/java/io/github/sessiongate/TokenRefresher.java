package io.github.sessiongate;

/**
 * Trades a refresh token for new tokens at whoever issued them: the collaborator a validator that
 * checks tokens locally (the JWT validator) hands its refreshes to, so validation and refresh are
 * configured, tested and replaced apart. The built-in one speaks {@code refresh-url} or the OAuth2
 * refresh grant ({@code oauth2.token-url}).
 *
 * <p>Only a definitive refusal of the token may be {@link RefreshResult.Refused}: a timeout, a 5xx
 * or an unreadable answer is {@link RefreshResult.Unavailable}, because a refusal signs the user
 * out. Must be thread-safe; must never log a token.
 */
public interface TokenRefresher extends AutoCloseable {

    /**
     * Trades the refresh token. Never returns {@code null}; should not throw (the validator turns
     * anything thrown into "unavailable").
     */
    RefreshResult refresh(String refreshToken);

    /** One line for the start-up summary, e.g. the endpoint's URL; never a secret. */
    /**
     * The secrets this refresher holds, by init-param ({@code oauth2.client-secret}), for the
     * filter's check that no key serves two purposes; never logged. Default: none.
     */
    default java.util.Map<String, String> heldSecrets() {
        return java.util.Map.of();
    }

    default String describe() {
        return getClass().getSimpleName();
    }

    /** Releases threads and clients; called when the validator holding it is closed. Default: nothing. */
    @Override
    default void close() {
    }
}
