package io.github.sessiongate.rotation;

import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import java.time.Duration;
import java.util.Objects;

/**
 * Validation as the filter uses it: the revocation list first (a token signed out on this node is
 * refused, whatever the cache or the validator would say), then the cache, then one call per token at a time (concurrent
 * requests with the same token share it), within the backend bulkhead when the validator calls a
 * backend. Thread-safe.
 */
public final class Validations {
    /** Where a result came from, for the counters. */
    public enum Source { CACHE, SHARED, CALLED, REVOKED }

    /** A result and its source. */
    public record Checked(ValidationResult result, Source source) {
    }

    private final TokenValidator validator;
    private final ValidationCache cache;
    private final Bulkhead bulkhead;
    private final Duration maxWait;
    private final Revocations revocations;
    private final SingleFlight<ValidationResult> flights = new SingleFlight<>();

    /**
     * @param validator the validator
     * @param cache the cache of valid results
     * @param bulkhead the bound on backend calls, used when the validator calls a backend
     * @param maxWait how long a request waits for another's validation of the same token
     */
    public Validations(TokenValidator validator, ValidationCache cache, Bulkhead bulkhead, Duration maxWait) {
        this(validator, cache, bulkhead, maxWait, Revocations.none());
    }

    /**
     * @param revocations the access tokens signed out on this node, consulted before the cache
     *     and the validator
     */
    public Validations(TokenValidator validator, ValidationCache cache, Bulkhead bulkhead, Duration maxWait,
            Revocations revocations) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.bulkhead = Objects.requireNonNull(bulkhead, "bulkhead");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
        this.revocations = Objects.requireNonNull(revocations, "revocations");
    }

    /** Validates a token. Never throws. */
    public Checked validate(String token) {
        String key = TokenKey.of(token); // once per request: cache and single flight share it
        var cached = cache.entryByKey(key);
        // The revocation list comes before any verdict is served; a hit reuses the identity it
        // computed once, so a warm request parses no claims even while revocations exist.
        if (cached.isPresent() ? revocations.isRevokedIdentity(() -> cached.get().identity(token))
                : revocations.isRevoked(token)) {
            return new Checked(ValidationResult.invalid(ValidationResult.Reason.REVOKED), Source.REVOKED);
        }
        if (cached.isPresent()) {
            return new Checked(ValidationResult.valid(cached.get().session()), Source.CACHE);
        }
        SingleFlight.Result<ValidationResult> r = flights.run(key, () -> call(token, key), maxWait,
                ValidationResult::unavailable);
        if (r.value().kind() != ValidationResult.Kind.INVALID && revocations.isRevoked(token)) {
            // Signed out while the validator ran: a verdict that started before the logout is void.
            cache.evict(token);
            return new Checked(ValidationResult.invalid(ValidationResult.Reason.REVOKED), Source.REVOKED);
        }
        return new Checked(r.value(), r.shared() ? Source.SHARED : Source.CALLED);
    }

    /** Whether an access token was signed out on this node (for paths that serve a lapsed token). */
    public boolean isRevoked(String token) {
        return revocations.isRevoked(token);
    }

    /** The access tokens signed out on this node. */
    public Revocations revocations() {
        return revocations;
    }

    /** Forgets a token's cached result. */
    public void evict(String token) {
        cache.evict(token);
    }

    private ValidationResult call(String token, String key) {
        boolean bounded = validator.callsBackendToValidate();
        if (bounded && !bulkhead.tryEnter()) {
            return ValidationResult.unavailable("backend bulkhead full");
        }
        try {
            ValidationResult result = validator.validate(token);
            if (result instanceof ValidationResult.Valid v) {
                cache.putByKey(key, v.session());
            }
            return result;
        } finally {
            if (bounded) {
                bulkhead.leave();
            }
        }
    }
}
