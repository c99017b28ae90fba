package io.github.sessiongate.rotation;

import io.github.sessiongate.TokenPair;
import io.github.sessiongate.store.ExpiringStore;
import io.github.sessiongate.store.InMemoryExpiringStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Remembers, for a short grace window (default 30 s), which new token pair a refresh token was
 * just exchanged for. A request that still carries the old refresh token (parallel tabs, XHRs in
 * flight while the browser had not yet stored the new cookie) receives the same new pair instead
 * of making a second refresh, which a backend with reuse detection would treat as theft.
 *
 * <p>It also keeps each rotation's <em>link</em> (old refresh token to the new refresh token and
 * the new access token's identity) for as long as that access token may serve (its {@code exp}
 * plus the clock skew), whatever the grace window, so a logout or refusal can walk the chain
 * forward and end everything it produced ({@link #end}).
 *
 * <p>Keyed by the SHA-256 of the tokens. Security state (pairs, links, tombstones) lives in stores
 * that refuse rather than evict when full: {@link #hasRoom} lets a caller fail closed before
 * anything irreversible happens. Tombstones of tokens never seen valid here (junk) go to an
 * evictable negative cache instead, so junk can neither fill nor evict the security stores.
 */
public final class GraceMemo {
    /** How far a chain is followed, back or forward. */
    private static final int MAX_CHAIN = 32;
    /** Access tokens remembered per link (a backend that keeps the refresh token mints several). */
    private static final int MAX_ACCESS_PER_LINK = 8;

    /** How long a forgotten token stays refused, at least: longer than any refresh in flight. */
    private static final Duration MIN_TOMBSTONE = Duration.ofMinutes(1);

    /** An access token a rotation minted: its identity and until when it may serve. */
    public record Minted(String identity, Instant servesUntil) {
    }

    /**
     * One rotation's result, kept in the links store: the access tokens minted and the new refresh
     * token, if rotated. {@link #toString()} never shows the token.
     */
    public record Link(List<Minted> minted, String next) {
        @Override
        public String toString() {
            return "Link[" + minted.size() + " access tokens, next=" + (next == null ? "none" : "[PROTECTED]") + "]";
        }
    }

    /**
     * What a chain produced after a refresh token: the descendant refresh tokens (raw, to revoke
     * at the backend) and the access tokens minted along the chain.
     */
    public record Chain(List<String> refreshTokens, List<Minted> accessTokens) {
        static final Chain EMPTY = new Chain(List.of(), List.of());

        /** Counts only: a chain holds raw refresh tokens, which must never reach a log line. */
        @Override
        public String toString() {
            return "Chain[" + refreshTokens.size() + " refresh tokens, " + accessTokens.size() + " access tokens]";
        }
    }

    private final ExpiringStore<TokenPair> pairs;
    private final ExpiringStore<String> predecessors;
    private final ExpiringStore<Boolean> forgotten;
    private final ExpiringStore<Boolean> refused;
    private final ExpiringStore<Link> links;
    private final Duration grace;
    private final Duration skew;
    private final Clock clock;

    /**
     * @param pairs old-token digest to the pair it was exchanged for
     * @param predecessors new-refresh-token digest to the old token's digest
     * @param grace how long to remember; zero disables the memo
     * @param clock the time source
     */
    public GraceMemo(ExpiringStore<TokenPair> pairs, ExpiringStore<String> predecessors, Duration grace, Clock clock) {
        this(pairs, predecessors, new InMemoryExpiringStore<>(10_000, clock), grace, clock);
    }

    /**
     * @param forgotten digests of tokens forgotten at logout or refusal, so a refresh that was
     *     already in flight cannot bring the session back
     */
    public GraceMemo(ExpiringStore<TokenPair> pairs, ExpiringStore<String> predecessors, ExpiringStore<Boolean> forgotten,
            Duration grace, Clock clock) {
        this(pairs, predecessors, forgotten, InMemoryExpiringStore.evicting(10_000, clock),
                new InMemoryExpiringStore<>(10_000, clock), grace, Duration.ZERO, clock);
    }

    /**
     * @param forgotten tombstones of tokens that were valid here (security: never evicting)
     * @param refused tombstones of tokens never seen valid here (a cache: may evict)
     * @param links rotation chains, kept until the minted access token stops serving (security)
     * @param skew how long after {@code exp} an access token may still serve (the validator's clock skew)
     */
    public GraceMemo(ExpiringStore<TokenPair> pairs, ExpiringStore<String> predecessors, ExpiringStore<Boolean> forgotten,
            ExpiringStore<Boolean> refused, ExpiringStore<Link> links, Duration grace, Duration skew, Clock clock) {
        this.pairs = Objects.requireNonNull(pairs, "pairs");
        this.predecessors = Objects.requireNonNull(predecessors, "predecessors");
        this.forgotten = Objects.requireNonNull(forgotten, "forgotten");
        this.refused = Objects.requireNonNull(refused, "refused");
        this.links = Objects.requireNonNull(links, "links");
        this.grace = Objects.requireNonNull(grace, "grace");
        this.skew = Objects.requireNonNull(skew, "skew");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether a rotation can be remembered now; check before asking the backend to rotate. */
    public boolean hasRoom() {
        return links.hasRoom(1) && predecessors.hasRoom(1) && (grace.isZero() || pairs.hasRoom(1));
    }

    /** Whether a logout or refusal of a chain of {@code tokens} refresh tokens can be recorded now. */
    public boolean hasRoomToEnd(int tokens) {
        return forgotten.hasRoom(tokens);
    }

    /**
     * Records that {@code oldRefreshToken} was exchanged for {@code pair}.
     *
     * @return {@code false} when a security store was full and the rotation was not fully recorded
     */
    public boolean remember(String oldRefreshToken, TokenPair pair) {
        String oldKey = TokenKey.of(oldRefreshToken);
        if (isForgottenKey(oldKey)) {
            return true; // signed out while this refresh was in flight: the caller refuses it
        }
        Instant now = clock.instant();
        Instant accessExpiry = pair.accessExpiresAt() != null ? pair.accessExpiresAt()
                : TokenIdentity.claimedExpiry(pair.accessToken()).orElse(null);
        Instant serves = servesUntil(accessExpiry);
        Instant linkUntil = later(serves, now.plus(grace), now.plus(MIN_TOMBSTONE));
        List<Minted> minted = new ArrayList<>();
        Optional<Link> before = links.get(oldKey);
        before.ifPresent(b -> minted.addAll(b.minted()));
        minted.add(new Minted(TokenIdentity.of(pair.accessToken()), serves));
        while (minted.size() > MAX_ACCESS_PER_LINK) {
            minted.remove(0);
        }
        String next = pair.rotatedRefreshToken().filter(r -> !r.equals(oldRefreshToken)).orElse(null);
        boolean ok = links.put(oldKey, new Link(List.copyOf(minted), next), linkUntil);
        if (next != null) {
            ok &= predecessors.put(TokenKey.of(next), oldKey, linkUntil);
        }
        if (!grace.isZero()) {
            ok &= pairs.put(oldKey, pair, now.plus(grace));
        }
        return ok;
    }

    /** The pair the token was recently exchanged for, if within the grace window and not forgotten. */
    public Optional<TokenPair> recall(String refreshToken) {
        if (grace.isZero()) {
            return Optional.empty();
        }
        String key = TokenKey.of(refreshToken);
        return isForgottenKey(key) ? Optional.empty() : pairs.get(key);
    }

    /** Whether the token was forgotten (logout, refusal) recently. */
    public boolean isForgotten(String refreshToken) {
        return isForgottenKey(TokenKey.of(refreshToken));
    }

    /**
     * Whether this node saw the refresh token valid: it was rotated here, or a rotation here issued
     * it. Only such tokens (and logouts of live sessions) may write security state.
     */
    public boolean knows(String refreshToken) {
        String key = TokenKey.of(refreshToken);
        return links.get(key).isPresent() || predecessors.get(key).isPresent();
    }

    /** What the chain produced after {@code refreshToken}, walking forward (old to new). */
    public Chain chain(String refreshToken) {
        List<String> refreshTokens = new ArrayList<>();
        List<Minted> access = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String key = TokenKey.of(refreshToken);
        for (int i = 0; i < MAX_CHAIN && key != null && seen.add(key); i++) {
            Optional<Link> link = links.get(key);
            if (link.isEmpty()) {
                break;
            }
            access.addAll(link.get().minted());
            String next = link.get().next();
            if (next != null) {
                refreshTokens.add(next);
            }
            key = next == null ? null : TokenKey.of(next);
        }
        return refreshTokens.isEmpty() && access.isEmpty() ? Chain.EMPTY
                : new Chain(List.copyOf(refreshTokens), List.copyOf(access));
    }

    /**
     * Forgets the token's entry and those of the tokens it descends from, and remembers for a
     * while that it was forgotten, so a refresh of it already in flight is not honoured. A token
     * this node never saw valid is remembered in the evictable negative cache only.
     */
    public void forget(String refreshToken) {
        end(refreshToken, knows(refreshToken), Chain.EMPTY);
    }

    /**
     * Ends a chain: tombstones the token and every descendant in {@code chain} (taken from
     * {@link #chain} before), and drops their grace entries, back and forward.
     *
     * @param seenValid whether the token belonged to a session valid here: its tombstone is then
     *     security state; otherwise it goes to the negative cache
     * @return {@code false} when a security store was full and a tombstone was not written
     */
    public boolean end(String refreshToken, boolean seenValid, Chain chain) {
        Instant now = clock.instant();
        Instant until = now.plus(grace.compareTo(MIN_TOMBSTONE) > 0 ? grace : MIN_TOMBSTONE);
        for (Minted m : chain.accessTokens()) {
            until = later(until, m.servesUntil());
        }
        String key = TokenKey.of(refreshToken);
        boolean ok = (seenValid ? forgotten : refused).put(key, Boolean.TRUE, until);
        for (String descendant : chain.refreshTokens()) {
            String k = TokenKey.of(descendant);
            ok &= forgotten.put(k, Boolean.TRUE, until);
            pairs.remove(k);
        }
        for (int i = 0; i < MAX_CHAIN && key != null; i++) {
            pairs.remove(key);
            key = predecessors.get(key).orElse(null);
        }
        return ok;
    }

    /** Until when an access token expiring at {@code exp} may serve: {@code exp} plus the skew. */
    Instant servesUntil(Instant exp) {
        Instant now = clock.instant();
        Instant cap = now.plus(Revocations.MAX_HOLD);
        Instant until = (exp != null ? exp : now.plus(Revocations.WITHOUT_EXPIRY)).plus(skew);
        return until.isAfter(cap) ? cap : until;
    }

    private boolean isForgottenKey(String key) {
        return forgotten.get(key).isPresent() || refused.get(key).isPresent();
    }

    private static Instant later(Instant a, Instant... others) {
        Instant max = a;
        for (Instant o : others) {
            if (o.isAfter(max)) {
                max = o;
            }
        }
        return max;
    }
}
