package io.github.sessiongate.rotation;

import io.github.sessiongate.TokenPair;
import io.github.sessiongate.store.ExpiringStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Remembers, for a short grace window (default 30 s), which new token pair a refresh token was
 * just exchanged for. A request that still carries the old refresh token (parallel tabs, XHRs in
 * flight while the browser had not yet stored the new cookie) receives the same new pair instead
 * of making a second refresh, which a backend with reuse detection would treat as theft.
 *
 * <p>Keyed by the SHA-256 of the old token; bounded by its store. {@link #forget} removes a
 * token's entry and those of every token it was rotated from, so a signed-out or refused session
 * cannot be brought back through an older token during the window.
 */
public final class GraceMemo {
    /** How far back {@link #forget} follows a rotation chain. */
    private static final int MAX_CHAIN = 32;

    /** How long a forgotten token stays refused, at least: longer than any refresh in flight. */
    private static final Duration MIN_TOMBSTONE = Duration.ofMinutes(1);

    private final ExpiringStore<TokenPair> pairs;
    private final ExpiringStore<String> predecessors;
    private final ExpiringStore<Boolean> forgotten;
    private final Duration grace;
    private final Clock clock;

    /**
     * @param pairs old-token digest to the pair it was exchanged for
     * @param predecessors new-refresh-token digest to the old token's digest
     * @param grace how long to remember; zero disables the memo
     * @param clock the time source
     */
    public GraceMemo(ExpiringStore<TokenPair> pairs, ExpiringStore<String> predecessors, Duration grace, Clock clock) {
        this(pairs, predecessors, new io.github.sessiongate.store.InMemoryExpiringStore<>(10_000, clock), grace, clock);
    }

    /**
     * @param forgotten digests of tokens forgotten at logout or refusal, so a refresh that was
     *     already in flight cannot bring the session back
     */
    public GraceMemo(ExpiringStore<TokenPair> pairs, ExpiringStore<String> predecessors, ExpiringStore<Boolean> forgotten,
            Duration grace, Clock clock) {
        this.pairs = Objects.requireNonNull(pairs, "pairs");
        this.predecessors = Objects.requireNonNull(predecessors, "predecessors");
        this.forgotten = Objects.requireNonNull(forgotten, "forgotten");
        this.grace = Objects.requireNonNull(grace, "grace");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records that {@code oldRefreshToken} was exchanged for {@code pair}. */
    public void remember(String oldRefreshToken, TokenPair pair) {
        if (grace.isZero()) {
            return;
        }
        String oldKey = TokenKey.of(oldRefreshToken);
        if (forgotten.get(oldKey).isPresent()) {
            return; // signed out while this refresh was in flight
        }
        var until = clock.instant().plus(grace);
        pairs.put(oldKey, pair, until);
        pair.rotatedRefreshToken().ifPresent(next -> predecessors.put(TokenKey.of(next), oldKey, until));
    }

    /** The pair the token was recently exchanged for, if within the grace window. */
    public Optional<TokenPair> recall(String refreshToken) {
        return grace.isZero() ? Optional.empty() : pairs.get(TokenKey.of(refreshToken));
    }

    /** Whether the token was forgotten (logout, refusal) recently. */
    public boolean isForgotten(String refreshToken) {
        return forgotten.get(TokenKey.of(refreshToken)).isPresent();
    }

    /**
     * Forgets the token's entry and those of the tokens it descends from, and remembers for a
     * while that it was forgotten, so a refresh of it already in flight is not honoured.
     */
    public void forget(String refreshToken) {
        String key = TokenKey.of(refreshToken);
        forgotten.put(key, Boolean.TRUE, clock.instant().plus(grace.compareTo(MIN_TOMBSTONE) > 0 ? grace : MIN_TOMBSTONE));
        for (int i = 0; i < MAX_CHAIN && key != null; i++) {
            pairs.remove(key);
            Optional<String> previous = predecessors.get(key);
            predecessors.remove(key);
            key = previous.orElse(null);
        }
    }
}
