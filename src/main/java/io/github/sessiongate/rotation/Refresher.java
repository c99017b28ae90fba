package io.github.sessiongate.rotation;

import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Trades a refresh token for new tokens so that no user is ever logged out by a race.
 *
 * <ol>
 *   <li>Grace: a token exchanged moments ago gets the same new pair again, with no backend call.</li>
 *   <li>Single flight: concurrent requests with the same refresh token make one backend call and
 *       share its result. Keyed by the token's digest, never by user.</li>
 *   <li>Bulkhead: past the bound on backend calls in flight, the answer is "unavailable" at once.</li>
 *   <li>The new access token is validated like any other before it is used; if it fails, the
 *       refresh counts as unavailable (the pair is still remembered, so a retry within the grace
 *       window cannot trip the backend's reuse detection).</li>
 *   <li>A definitive refusal forgets the token's grace entries.</li>
 * </ol>
 * Thread-safe; starts no thread.
 */
public final class Refresher {
    private final TokenValidator validator;
    private final Validations validations;
    private final GraceMemo memo;
    private final Bulkhead bulkhead;
    private final Duration maxWait;
    private final SingleFlight<RefreshOutcome> flights = new SingleFlight<>();

    public Refresher(TokenValidator validator, Validations validations, GraceMemo memo, Bulkhead bulkhead,
            Duration maxWait) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.validations = Objects.requireNonNull(validations, "validations");
        this.memo = Objects.requireNonNull(memo, "memo");
        this.bulkhead = Objects.requireNonNull(bulkhead, "bulkhead");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    }

    /** Refreshes. Never throws. */
    public RefreshOutcome refresh(String refreshToken) {
        Optional<TokenPair> remembered = memo.recall(refreshToken);
        if (remembered.isPresent()) {
            return validated(remembered.get(), RefreshOutcome.Via.GRACE);
        }
        SingleFlight.Result<RefreshOutcome> r = flights.run(TokenKey.of(refreshToken), () -> lead(refreshToken), maxWait,
                cause -> RefreshOutcome.unavailable(cause, RefreshOutcome.Via.SHARED));
        return r.shared() ? r.value().shared() : r.value();
    }

    /** Forgets everything remembered about a refresh token (logout). */
    public void forget(String refreshToken) {
        memo.forget(refreshToken);
    }

    private RefreshOutcome lead(String refreshToken) {
        // A leader that finished between our recall and our flight has left its pair here.
        Optional<TokenPair> remembered = memo.recall(refreshToken);
        if (remembered.isPresent()) {
            return validated(remembered.get(), RefreshOutcome.Via.GRACE);
        }
        if (!bulkhead.tryEnter()) {
            return RefreshOutcome.unavailable("backend bulkhead full", RefreshOutcome.Via.CALLED);
        }
        RefreshResult result;
        try {
            result = validator.refresh(refreshToken);
        } finally {
            bulkhead.leave();
        }
        switch (result.kind()) {
            case REFRESHED -> {
                if (memo.isForgotten(refreshToken)) {
                    // Signed out (or refused) while this refresh was in flight: do not bring it back.
                    return RefreshOutcome.refused(RefreshOutcome.Via.CALLED);
                }
                TokenPair pair = ((RefreshResult.Refreshed) result).tokens();
                memo.remember(refreshToken, pair);
                return validated(pair, RefreshOutcome.Via.CALLED);
            }
            case REFUSED -> {
                memo.forget(refreshToken);
                return RefreshOutcome.refused(RefreshOutcome.Via.CALLED);
            }
            case UNAVAILABLE -> {
                return RefreshOutcome.unavailable(((RefreshResult.Unavailable) result).cause(), RefreshOutcome.Via.CALLED);
            }
            default -> {
                return RefreshOutcome.unsupported();
            }
        }
    }

    private RefreshOutcome validated(TokenPair pair, RefreshOutcome.Via via) {
        ValidationResult check = validations.validate(pair.accessToken()).result();
        if (check instanceof ValidationResult.Valid v) {
            return RefreshOutcome.rotated(pair, v.session(), via);
        }
        return RefreshOutcome.unavailable("the refreshed access token did not validate (" + check.kind() + ")", via);
    }
}
