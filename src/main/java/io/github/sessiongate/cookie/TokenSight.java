package io.github.sessiongate.cookie;

import io.github.sessiongate.ValidationResult;

/**
 * A look at an access token still inside its {@code Cookie} header: what the validator refuses on
 * sight ({@link io.github.sessiongate.TokenValidator#refusalOnSight(String, int, int)}) is read
 * without being copied out, so junk costs no copy of itself. A verdict, given once: the caller
 * answers with it instead of validating the token. Must be thread-safe and must not allocate.
 */
@FunctionalInterface
public interface TokenSight {
    /** Refuses nothing: every value is read and validated as usual. */
    TokenSight NONE = (source, from, to) -> null;

    /** Why {@code source[from, to)} cannot be a valid token, or {@code null} when it takes a validation. */
    ValidationResult.Reason refusal(String source, int from, int to);
}
