package io.github.sessiongate;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The session cookies one request carried (access, refresh, guest and meta), as {@link CookieCodec#read}
 * found them. Immutable.
 *
 * <p>A token is present only when its cookie (or its complete, consecutive set of chunks) arrived
 * exactly once under the name that writing would use. A name of ours that arrived twice (cookie
 * tossing from a sibling path or subdomain), or an unchunked cookie next to chunks, makes that token
 * absent, neither the first nor the last: two cookies with our name are an error, not a choice.
 * {@link #toString()} never shows a value.
 */
public final class SessionCookies {
    private static final SessionCookies NONE = new SessionCookies(null, null, null, null, Set.of(), Set.of(), List.of());

    /** One cookie of ours as the request carried it: its name and the length of its value. */
    record Seen(String name, int valueLength) {
        int bytes() {
            return name.length() + 1 + valueLength;
        }
    }

    private final String accessToken;
    private final String refreshToken;
    private final String guestToken;
    private final String meta;
    private final Set<String> duplicateNames;
    private final Set<String> presentNames;
    private final List<Seen> seen;

    SessionCookies(String accessToken, String refreshToken, Set<String> duplicateNames, Set<String> presentNames,
            List<Seen> seen) {
        this(accessToken, refreshToken, null, null, duplicateNames, presentNames, seen);
    }

    SessionCookies(String accessToken, String refreshToken, String guestToken, String meta,
            Set<String> duplicateNames, Set<String> presentNames, List<Seen> seen) {
        this.accessToken = accessToken;
        this.refreshToken = refreshToken;
        this.guestToken = guestToken;
        this.meta = meta;
        this.duplicateNames = Collections.unmodifiableSet(new LinkedHashSet<>(duplicateNames));
        this.presentNames = Collections.unmodifiableSet(new LinkedHashSet<>(presentNames));
        this.seen = List.copyOf(seen);
    }

    /** No session cookie at all. */
    public static SessionCookies none() {
        return NONE;
    }

    /** The access token, reassembled from chunks if need be; empty when absent, malformed or duplicated. */
    public Optional<String> accessToken() {
        return Optional.ofNullable(accessToken);
    }

    /** The refresh token; empty when absent, malformed or duplicated. */
    public Optional<String> refreshToken() {
        return Optional.ofNullable(refreshToken);
    }

    /**
     * The guest token; empty when absent, malformed or duplicated. Which cookie carried a token says
     * nothing about what it is: only its verified claims make a session a guest.
     */
    public Optional<String> guestToken() {
        return Optional.ofNullable(guestToken);
    }

    /** The lifetime meta cookie's value, unverified; empty when absent, malformed or duplicated. */
    public Optional<String> meta() {
        return Optional.ofNullable(meta);
    }

    /** Whether a session-cookie name arrived more than once (or unchunked next to chunks). */
    public boolean hasDuplicates() {
        return !duplicateNames.isEmpty();
    }

    /** The names that arrived more than once; names only, for an audit log. */
    public Set<String> duplicateNames() {
        return duplicateNames;
    }

    /** Every session-cookie name (chunks and other prefix forms too) the request carried, in order. */
    public Set<String> presentNames() {
        return presentNames;
    }

    /** Whether the request carried no session cookie at all. */
    public boolean isEmpty() {
        return presentNames.isEmpty();
    }

    /** Bytes that the matching cookies took in the Cookie header, {@code name=value} each, separators excluded. */
    int bytes(Predicate<String> names) {
        int sum = 0;
        for (Seen s : seen) {
            if (names.test(s.name())) {
                sum += s.bytes();
            }
        }
        return sum;
    }

    /** How many matching cookies the request carried, duplicates counted. */
    int count(Predicate<String> names) {
        int n = 0;
        for (Seen s : seen) {
            if (names.test(s.name())) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "SessionCookies[access=" + (accessToken == null ? "absent" : "present")
                + ", refresh=" + (refreshToken == null ? "absent" : "present")
                + ", guest=" + (guestToken == null ? "absent" : "present")
                + ", meta=" + (meta == null ? "absent" : "present")
                + ", names=" + presentNames + ", duplicates=" + duplicateNames + "]";
    }
}
