package io.github.sessiongate.rotation;

import io.github.sessiongate.store.BatchRead;
import io.github.sessiongate.store.ExpiringStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The access tokens signed out on this node: each kept, by {@link TokenIdentity}, until its
 * {@code exp} plus the validator's clock skew (a token lapsed within the skew may still serve),
 * so a signed-out access token is refused here at once. A security store: when full,
 * {@link #revoke} returns {@code false} and the caller fails closed.
 *
 * <p>Per node on the in-memory default: a copied access token presented to a node that never saw
 * the logout stays valid until {@code exp} plus the skew. With a shared store every node sees the
 * revocation in the request's one lookup ({@link Validations}).
 */
public final class Revocations {
    /** How long a revocation lasts when the token names no expiry. */
    public static final Duration WITHOUT_EXPIRY = Duration.ofHours(1);
    /** The longest a revocation lasts, whatever expiry a token claims. */
    public static final Duration MAX_HOLD = Duration.ofHours(24);

    private final ExpiringStore<Boolean> store;
    /** This node's own memory of what it revoked, when {@code store} is networked; else {@code null}. */
    private final ExpiringStore<Boolean> here;
    private final Duration skew;
    private final Clock clock;

    /**
     * @param store a security store (never evicting)
     * @param skew how long after {@code exp} the validator may still serve a lapsed token
     * @param clock the time source
     */
    public Revocations(ExpiringStore<Boolean> store, Duration skew, Clock clock) {
        this(store, null, skew, clock);
    }

    /**
     * @param here this node's own memory of the revocations it writes (bounded, best effort), so a
     *     validation that ran while this node signed the token out is voided without a store round
     *     trip; {@code null} when {@code store} is itself this node's memory
     */
    public Revocations(ExpiringStore<Boolean> store, ExpiringStore<Boolean> here, Duration skew, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.here = here;
        this.skew = Objects.requireNonNull(skew, "skew");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Refuses the access token from now until its expiry plus the skew.
     *
     * @param expiresAt its verified expiry, or {@code null} to use the expiry it claims
     * @return {@code false} when the store is full and the revocation was not recorded
     */
    public boolean revoke(String accessToken, Instant expiresAt) {
        return revokeIdentity(TokenIdentity.of(accessToken), expiresAt != null ? expiresAt
                : TokenIdentity.claimedExpiry(accessToken).orElse(null));
    }

    /**
     * Lifts the revocation of an access token a sign-in has just been handed by the backend, when
     * the token has no {@code jti}: its identity is then its header and payload, and a backend that
     * mints tokens without one issues the very same string for one user twice within a second (RS256
     * and HS256 sign deterministically). A logout here and a sign-in in that second would otherwise
     * start the new session on a token refused on sight. The backend has just issued it to a user who
     * proved their credentials, so it is that session's token; a copy kept from before the logout is
     * the same bearer string, which the backend accepts too. A token with a {@code jti} keeps its
     * revocation: another token may share its {@code (iss, jti)} without its claims.
     *
     * <p>Only on a node's own memory (the in-memory default): with a shared store, the node that
     * signed the token out also keeps it in its own memory, which a lift here cannot reach, so it
     * would end the new session on every request it serves. There the revocation stands and the
     * sign-in answers 503 as before; one a second later gets a token of its own.
     *
     * @return whether a revocation was lifted; if the token then does not validate, the caller
     *     restores it with {@link #revoke}
     */
    public boolean liftReissued(String accessToken) {
        if (here != null || !isRevoked(accessToken)) {
            return false;
        }
        String identity = TokenIdentity.of(accessToken);
        if (!TokenIdentity.isSigningInput(identity)) {
            return false;
        }
        store.remove(identity);
        return true;
    }

    /** As {@link #revoke}, by identity (see {@link TokenIdentity#of}). */
    boolean revokeIdentity(String identity, Instant expiresAt) {
        Instant until = holdUntil(expiresAt);
        if (!until.isAfter(clock.instant())) {
            return true; // past exp plus skew: refused by the validator anyway
        }
        return record(identity, until);
    }

    private boolean record(String identity, Instant until) {
        if (here != null) {
            here.put(identity, Boolean.TRUE, until); // best effort: the store's entry is what counts
        }
        return store.put(identity, Boolean.TRUE, until);
    }

    /** As {@link #revoke}, by identity, until an instant already including the skew. */
    boolean revokeIdentityUntil(String identity, Instant until) {
        Instant now = clock.instant();
        Instant capped = until.isAfter(now.plus(MAX_HOLD)) ? now.plus(MAX_HOLD) : until;
        return !capped.isAfter(now) || record(identity, capped);
    }

    /** When a revocation of a token expiring at {@code expiresAt} would end. */
    Instant holdUntil(Instant expiresAt) {
        return holdUntil(expiresAt, skew, clock.instant());
    }

    /**
     * Until when a token expiring at {@code expiresAt} may serve, and so must stay revoked:
     * {@code exp} (or {@link #WITHOUT_EXPIRY} from now) plus the skew, at most {@link #MAX_HOLD} from now.
     */
    static Instant holdUntil(Instant expiresAt, Duration skew, Instant now) {
        Instant until = (expiresAt != null ? expiresAt : now.plus(WITHOUT_EXPIRY)).plus(skew);
        return until.isAfter(now.plus(MAX_HOLD)) ? now.plus(MAX_HOLD) : until;
    }

    /** No revocation list at all, for callers built without one: nothing is ever refused. */
    static Revocations none() {
        return new Revocations(nothing(), Duration.ZERO, Clock.systemUTC());
    }

    /** A store that holds nothing and takes everything: for callers built without one. */
    static <V> ExpiringStore<V> nothing() {
        return new ExpiringStore<>() {
            @Override
            public java.util.Optional<V> get(String key) {
                return java.util.Optional.empty();
            }

            @Override
            public boolean put(String key, V value, Instant expiresAt) {
                return true;
            }

            @Override
            public void remove(String key) {
            }

            @Override
            public int size() {
                return 0;
            }
        };
    }

    /** Adds the identity's entry to a batched read; {@code null} when nothing can be revoked (cheap on an empty local store). */
    BatchRead.Lookup<Boolean> lookup(BatchRead batch, String identity) {
        return store.size() > 0 ? batch.add(store, identity) : null;
    }

    /** Whether any revocation may exist: the store is networked, or this node's holds some. */
    boolean mayHoldAny() {
        return store.size() > 0;
    }

    /** Whether this node revoked the identity (its own memory; no network). */
    boolean revokedHere(java.util.function.Supplier<String> identity) {
        ExpiringStore<Boolean> mine = here != null ? here : store;
        return mine.size() > 0 && mine.get(identity.get()).isPresent();
    }

    /** Whether the token was signed out on this node. Cheap when nothing is revoked. */
    public boolean isRevoked(String token) {
        return isRevokedIdentity(() -> TokenIdentity.of(token));
    }

    /** As {@link #isRevoked}, by an identity computed only when anything is revoked at all. */
    boolean isRevokedIdentity(java.util.function.Supplier<String> identity) {
        return store.size() > 0 && store.get(identity.get()).isPresent();
    }

    /** Whether {@code count} more revocations would be taken now. */
    public boolean hasRoom(int count) {
        return store.hasRoom(count);
    }

    /** The skew added to every expiry. */
    public Duration skew() {
        return skew;
    }
}
