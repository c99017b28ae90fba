package io.github.sessiongate.rotation;

import io.github.sessiongate.TokenPair;
import io.github.sessiongate.store.ExpiringStore;
import io.github.sessiongate.store.ValueCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
 * and end everything it produced ({@link #end}).
 *
 * <p>It also records each login's link (refresh token to the access token minted with it) and,
 * per access token, the refresh token it was issued with, so a logout walks the whole chain
 * (back to the login, then forward) whichever token it could read.
 *
 * <p>Tombstones, links and predecessors key on {@link TokenIdentity} (a re-spelt token is the same
 * token); the grace pairs, a cached verdict, key on the whole token's digest ({@link TokenKey}).
 * Security state (pairs, links, tombstones) lives in stores
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
     * One rotation's result, kept in the links store under the refresh token's identity: the digest
     * of the token exactly as issued ({@link TokenKey}, so another spelling of it is not "known"),
     * the access tokens minted and the new refresh token, if rotated. {@link #toString()} never
     * shows the token.
     */
    public record Link(String tokenKey, List<Minted> minted, String next) {
        @Override
        public String toString() {
            return "Link[" + minted.size() + " access tokens, next=" + (next == null ? "none" : "[PROTECTED]") + "]";
        }
    }

    /**
     * A whole chain around a refresh token: its descendants (raw, to revoke at the backend), its
     * ancestors (raw, tombstoned only: the backend rotated them already), and every access token
     * minted along the chain, from the login on.
     */
    public record Chain(List<String> refreshTokens, List<Minted> accessTokens, List<String> ancestors) {
        static final Chain EMPTY = new Chain(List.of(), List.of(), List.of());

        /** A chain with no ancestors. */
        public Chain(List<String> refreshTokens, List<Minted> accessTokens) {
            this(refreshTokens, accessTokens, List.of());
        }

        /** Merges two chains, each token once (by identity). */
        Chain plus(Chain other) {
            if (other.isEmpty()) {
                return this;
            }
            if (isEmpty()) {
                return other;
            }
            return new Chain(distinct(refreshTokens, other.refreshTokens), distinctMinted(accessTokens, other.accessTokens),
                    distinct(ancestors, other.ancestors));
        }

        boolean isEmpty() {
            return refreshTokens.isEmpty() && accessTokens.isEmpty() && ancestors.isEmpty();
        }

        private static List<String> distinct(List<String> a, List<String> b) {
            Set<String> seen = new HashSet<>();
            List<String> out = new ArrayList<>();
            for (List<String> l : List.of(a, b)) {
                for (String t : l) {
                    if (seen.add(TokenIdentity.of(t))) {
                        out.add(t);
                    }
                }
            }
            return List.copyOf(out);
        }

        private static List<Minted> distinctMinted(List<Minted> a, List<Minted> b) {
            Set<String> seen = new HashSet<>();
            List<Minted> out = new ArrayList<>();
            for (List<Minted> l : List.of(a, b)) {
                for (Minted m : l) {
                    if (seen.add(m.identity())) {
                        out.add(m);
                    }
                }
            }
            return List.copyOf(out);
        }

        /** Counts only: a chain holds raw refresh tokens, which must never reach a log line. */
        @Override
        public String toString() {
            return "Chain[" + refreshTokens.size() + " refresh tokens, " + accessTokens.size() + " access tokens, "
                    + ancestors.size() + " ancestors]";
        }
    }

    /** How a {@link Link} leaves the JVM: it holds a raw refresh token ({@code next}), so it is sealed. */
    public static final ValueCodec<Link> LINK_CODEC = ValueCodec.of(true, (link, out) -> {
        out.writeUTF(link.tokenKey());
        out.writeInt(link.minted().size());
        for (Minted m : link.minted()) {
            out.writeUTF(m.identity());
            ValueCodec.writeInstant(out, m.servesUntil());
        }
        ValueCodec.writeNullable(out, link.next());
    }, in -> {
        String tokenKey = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n > MAX_ACCESS_PER_LINK * MAX_CHAIN) {
            throw new java.io.IOException("bad count");
        }
        List<Minted> minted = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            minted.add(new Minted(in.readUTF(), ValueCodec.readInstant(in)));
        }
        return new Link(tokenKey, List.copyOf(minted), ValueCodec.readNullable(in));
    });

    private final ExpiringStore<TokenPair> pairs;
    private final ExpiringStore<String> predecessors;
    private final ExpiringStore<Boolean> forgotten;
    private final ExpiringStore<Boolean> refused;
    private final ExpiringStore<Link> links;
    private final ExpiringStore<String> issuedWith;
    private final Duration grace;
    private final Duration skew;
    /** The least a seen-valid refresh token's tombstone lasts; zero for the short default. */
    private final Duration tombstoneHold;
    private final Clock clock;

    /**
     * @param pairs old-token digest to the pair it was exchanged for
     * @param predecessors new refresh token's identity to the old refresh token
     * @param forgotten tombstones of tokens that were valid here (security: never evicting)
     * @param refused tombstones of tokens never seen valid here (a cache: may evict)
     * @param links login and rotation chains, kept until the minted access token stops serving (security)
     * @param issuedWith an access token's identity to the refresh token it was issued with, so a
     *     logout that can read only the access cookie still ends the refresh token (security)
     * @param grace how long to remember; zero disables the memo
     * @param skew how long after {@code exp} an access token may still serve (the validator's clock skew)
     * @param clock the time source
     */
    public GraceMemo(ExpiringStore<TokenPair> pairs, ExpiringStore<String> predecessors, ExpiringStore<Boolean> forgotten,
            ExpiringStore<Boolean> refused, ExpiringStore<Link> links, ExpiringStore<String> issuedWith, Duration grace,
            Duration skew, Clock clock) {
        this(pairs, predecessors, forgotten, refused, links, issuedWith, grace, skew, clock, Duration.ZERO);
    }

    /**
     * @param tombstoneHold how long the tombstone of a refresh token seen valid lasts at least: its
     *     remaining life (its claimed {@code exp} plus the skew when it is a JWT, else this long: the
     *     configured maximum session lifetime), so a copied refresh token stays refused everywhere
     *     even when the backend never heard of the logout; zero keeps the short default (a minute,
     *     the grace window, or as long as a minted access token serves)
     */
    public GraceMemo(ExpiringStore<TokenPair> pairs, ExpiringStore<String> predecessors, ExpiringStore<Boolean> forgotten,
            ExpiringStore<Boolean> refused, ExpiringStore<Link> links, ExpiringStore<String> issuedWith, Duration grace,
            Duration skew, Clock clock, Duration tombstoneHold) {
        this.tombstoneHold = Objects.requireNonNull(tombstoneHold, "tombstoneHold");
        this.pairs = Objects.requireNonNull(pairs, "pairs");
        this.predecessors = Objects.requireNonNull(predecessors, "predecessors");
        this.forgotten = Objects.requireNonNull(forgotten, "forgotten");
        this.refused = Objects.requireNonNull(refused, "refused");
        this.links = Objects.requireNonNull(links, "links");
        this.issuedWith = Objects.requireNonNull(issuedWith, "issuedWith");
        this.grace = Objects.requireNonNull(grace, "grace");
        this.skew = Objects.requireNonNull(skew, "skew");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Until when the tombstone of a refresh token seen valid lasts: {@code base}, or its remaining life when longer. */
    private Instant tombstoneUntil(String refreshToken, Instant base) {
        if (tombstoneHold.isZero()) {
            return base;
        }
        Instant longest = clock.instant().plus(tombstoneHold);
        Instant life = TokenIdentity.claimedExpiry(refreshToken).map(exp -> exp.plus(skew))
                .filter(e -> e.isBefore(longest)).orElse(longest);
        return later(base, life);
    }

    /**
     * Rotations remembered now for the grace period (live or not yet swept), for the metrics;
     * {@code -1} when they live in a shared store, whose size this node cannot know cheaply.
     */
    public int size() {
        int held = pairs.size();
        return held == Integer.MAX_VALUE ? -1 : held;
    }

    /** Whether a rotation can be remembered now; check before asking the backend to rotate. */
    public boolean hasRoom() {
        return links.hasRoom(1) && predecessors.hasRoom(1) && issuedWith.hasRoom(1) && (grace.isZero() || pairs.hasRoom(1));
    }

    /** Whether a logout or refusal of a chain of {@code tokens} refresh tokens can be recorded now. */
    public boolean hasRoomToEnd(int tokens) {
        return forgotten.hasRoom(tokens);
    }

    /**
     * Records a login's pair: the link from its refresh token to the access token minted with it
     * (a later rotation merges it), and the access token's link back to the refresh token.
     *
     * @return {@code false} when a security store was full and the login was not recorded
     */
    public boolean rememberLogin(TokenPair pair) {
        if (pair.refreshToken() == null) {
            return true; // nothing to refresh with: the access token alone is the session
        }
        Instant serves = servesUntil(pair);
        Instant linkUntil = later(serves, clock.instant().plus(MIN_TOMBSTONE));
        String id = TokenIdentity.of(pair.refreshToken());
        Link link = new Link(TokenKey.of(pair.refreshToken()), List.of(new Minted(TokenIdentity.of(pair.accessToken()), serves)), null);
        return links.put(id, link, linkUntil) & issuedWith.put(TokenIdentity.of(pair.accessToken()), pair.refreshToken(), linkUntil);
    }

    /**
     * Records that {@code oldRefreshToken} was exchanged for {@code pair}.
     *
     * @return {@code false} when a security store was full and the rotation was not fully recorded
     */
    public boolean remember(String oldRefreshToken, TokenPair pair) {
        String oldId = TokenIdentity.of(oldRefreshToken);
        if (isForgotten(oldRefreshToken)) {
            return true; // signed out while this refresh was in flight: the caller refuses it
        }
        Instant now = clock.instant();
        Instant serves = servesUntil(pair);
        Instant linkUntil = later(serves, now.plus(grace), now.plus(MIN_TOMBSTONE));
        List<Minted> minted = new ArrayList<>();
        Optional<Link> before = links.get(oldId);
        before.ifPresent(b -> minted.addAll(b.minted()));
        minted.add(new Minted(TokenIdentity.of(pair.accessToken()), serves));
        while (minted.size() > MAX_ACCESS_PER_LINK) {
            minted.remove(0);
        }
        String next = pair.rotatedRefreshToken()
                .filter(r -> !TokenIdentity.of(r).equals(oldId)).orElse(null);
        Instant keep = linkUntil; // as long as any access token it minted, the login's included
        for (Minted m : minted) {
            keep = later(keep, m.servesUntil());
        }
        boolean ok = links.put(oldId, new Link(TokenKey.of(oldRefreshToken), List.copyOf(minted), next), keep);
        if (next != null) {
            ok &= predecessors.put(TokenIdentity.of(next), oldRefreshToken, keep);
        }
        ok &= issuedWith.put(TokenIdentity.of(pair.accessToken()), next != null ? next : oldRefreshToken, linkUntil);
        if (!grace.isZero()) {
            ok &= pairs.put(TokenKey.of(oldRefreshToken), pair, now.plus(grace));
        }
        return ok;
    }

    /**
     * The pair the token was recently exchanged for, if within the grace window and not forgotten.
     * A cached verdict: keyed on the whole token, never on its identity alone (that would hand the
     * pair to a token with a forged signature).
     */
    public Optional<TokenPair> recall(String refreshToken) {
        if (grace.isZero() || isForgotten(refreshToken)) {
            return Optional.empty();
        }
        return pairs.get(TokenKey.of(refreshToken));
    }

    /**
     * Whether the token was ended recently: a logout or refusal of a token seen valid here, in any
     * spelling (by identity); or a refusal of this exact junk string (the negative cache keys on the
     * whole token, so junk sharing a real token's identity cannot end that token).
     */
    public boolean isForgotten(String refreshToken) {
        if (forgotten.get(TokenIdentity.of(refreshToken)).isPresent()) {
            return true;
        }
        return refused.get(exactKey(refreshToken)).isPresent();
    }

    /**
     * Tombstones presented refresh tokens this node never issued in the evictable negative cache,
     * under their exact spelling only, so a forged twin of another user's token (same identity)
     * ends nothing of theirs, and junk fills no security store.
     */
    public void endExactly(Collection<String> presented) {
        Instant until = clock.instant().plus(grace.compareTo(MIN_TOMBSTONE) > 0 ? grace : MIN_TOMBSTONE);
        for (String token : presented) {
            refused.put(exactKey(token), Boolean.TRUE, until);
            pairs.remove(TokenKey.of(token));
        }
    }

    /** The key of a tombstone on one exact spelling; never equal to a {@link TokenIdentity}. */
    private static String exactKey(String token) {
        return "exact:" + TokenKey.of(token);
    }

    /**
     * Whether this node saw this refresh token, exactly as spelt, valid: a login or rotation here
     * issued it, or it was rotated here. Only such tokens (and logouts of verified sessions) may
     * write security state; an unsigned twin with the same {@code (iss, jti)} is not known, so it
     * can neither end nor evict the real token's chain.
     */
    public boolean knows(String refreshToken) {
        String id = TokenIdentity.of(refreshToken);
        String key = TokenKey.of(refreshToken);
        if (links.get(id).map(l -> key.equals(l.tokenKey())).orElse(false)) {
            return true;
        }
        return predecessors.get(id).flatMap(old -> links.get(TokenIdentity.of(old)))
                .map(l -> refreshToken.equals(l.next())).orElse(false);
    }

    /** The refresh token an access token was issued with at a login or rotation here, if still known. */
    public Optional<String> issuedWith(String accessToken) {
        return issuedWith.get(TokenIdentity.of(accessToken));
    }

    /**
     * The whole chain {@code refreshToken} belongs to: first back to its root (the login's refresh
     * token, or the oldest still remembered), then forward to the newest, collecting every access
     * token minted along the way.
     */
    public Chain chain(String refreshToken) {
        String presentedId = TokenIdentity.of(refreshToken);
        Set<String> seen = new HashSet<>();
        seen.add(presentedId);
        List<String> ancestors = new ArrayList<>();
        String id = presentedId;
        for (int i = 0; i < MAX_CHAIN; i++) {
            Optional<String> previous = predecessors.get(id);
            if (previous.isEmpty() || !seen.add(TokenIdentity.of(previous.get()))) {
                break;
            }
            ancestors.add(previous.get());
            id = TokenIdentity.of(previous.get());
        }
        List<String> descendants = new ArrayList<>();
        List<Minted> access = new ArrayList<>();
        boolean pastPresented = ancestors.isEmpty();
        String current = ancestors.isEmpty() ? refreshToken : ancestors.get(ancestors.size() - 1);
        Set<String> walked = new HashSet<>();
        for (int i = 0; i < 2 * MAX_CHAIN && current != null; i++) {
            String key = TokenIdentity.of(current);
            if (!walked.add(key)) {
                break;
            }
            pastPresented |= key.equals(presentedId);
            Optional<Link> link = links.get(key);
            if (link.isEmpty()) {
                break;
            }
            access.addAll(link.get().minted());
            String next = link.get().next();
            if (next != null && pastPresented && !TokenIdentity.of(next).equals(presentedId)) {
                descendants.add(next);
            }
            current = next;
        }
        Chain chain = new Chain(List.copyOf(descendants), List.copyOf(access), List.copyOf(ancestors));
        return chain.isEmpty() ? Chain.EMPTY : chain;
    }

    /**
     * Forgets the token's entry and those of the tokens it descends from, and remembers for a
     * while that it was forgotten, so a refresh of it already in flight is not honoured. A token
     * this node never saw valid is remembered in the evictable negative cache only.
     *
     * @return {@code false} when a security store was full and the tombstone was not written
     */
    public boolean forget(String refreshToken) {
        return end(refreshToken, knows(refreshToken), Chain.EMPTY);
    }

    /** As {@link #end(Collection, boolean, Chain)} for one presented token. */
    public boolean end(String refreshToken, boolean seenValid, Chain chain) {
        return end(List.of(refreshToken), seenValid, chain);
    }

    /**
     * Ends a chain: tombstones the presented tokens, every ancestor and descendant in {@code chain}
     * (taken from {@link #chain} before), and drops their grace entries.
     *
     * @param seenValid whether the tokens belonged to a session valid here: their tombstones are
     *     then security state; otherwise they go to the negative cache
     * @return {@code false} when a security store was full and a tombstone was not written
     */
    public boolean end(Collection<String> presented, boolean seenValid, Chain chain) {
        Instant now = clock.instant();
        Instant until = now.plus(grace.compareTo(MIN_TOMBSTONE) > 0 ? grace : MIN_TOMBSTONE);
        for (Minted m : chain.accessTokens()) {
            until = later(until, m.servesUntil());
        }
        boolean ok = true;
        for (String token : presented) {
            if (!seenValid) {
                // Junk: a verdict on this exact string only. It touches no other spelling's state.
                refused.put(exactKey(token), Boolean.TRUE, until);
                continue;
            }
            ok &= forgotten.put(TokenIdentity.of(token), Boolean.TRUE, tombstoneUntil(token, until));
            String raw = token;
            for (int i = 0; i < MAX_CHAIN && raw != null; i++) {
                pairs.remove(TokenKey.of(raw));
                raw = predecessors.get(TokenIdentity.of(raw)).orElse(null);
            }
        }
        for (List<String> tokens : List.of(chain.ancestors(), chain.refreshTokens())) {
            for (String token : tokens) {
                ok &= forgotten.put(TokenIdentity.of(token), Boolean.TRUE, tombstoneUntil(token, until));
                pairs.remove(TokenKey.of(token));
            }
        }
        return ok;
    }

    /** Until when the pair's access token may serve: its verified (else claimed) expiry plus the skew. */
    private Instant servesUntil(TokenPair pair) {
        Instant exp = pair.accessExpiresAt() != null ? pair.accessExpiresAt()
                : TokenIdentity.claimedExpiry(pair.accessToken()).orElse(null);
        return Revocations.holdUntil(exp, skew, clock.instant());
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
