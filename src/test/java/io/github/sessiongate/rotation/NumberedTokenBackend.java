package io.github.sessiongate.rotation;

import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend for the rotation tests: any {@code access-...} token is alice's session until a fixed
 * instant, anything else is malformed; every refresh is counted, and what it answers is up to the
 * test's {@link #rotate}, typically the pair {@code access-N} / {@code refresh-N}.
 */
abstract class NumberedTokenBackend extends TokenValidator {
    final AtomicInteger refreshes = new AtomicInteger();
    private final Instant expiresAt;

    /** @param expiresAt when every access token (and every pair handed out) expires */
    NumberedTokenBackend(Instant expiresAt) {
        this.expiresAt = expiresAt;
    }

    @Override
    protected final ValidationResult doValidate(String token) {
        if (!token.startsWith("access-")) {
            return ValidationResult.invalid(ValidationResult.Reason.MALFORMED);
        }
        return ValidationResult.valid(Session.builder("alice", token).expiresAt(expiresAt).build());
    }

    @Override
    protected final RefreshResult doRefresh(String refreshToken) throws Exception {
        refreshes.incrementAndGet();
        return rotate(refreshToken);
    }

    /** The answer to a refresh of {@code refreshToken}, already counted. */
    abstract RefreshResult rotate(String refreshToken) throws Exception;

    /** The pair {@code access-n} / {@code refresh-n}, expiring with the access tokens. */
    final RefreshResult refreshed(int n) {
        return RefreshResult.refreshed(new TokenPair("access-" + n, "refresh-" + n, expiresAt));
    }
}
