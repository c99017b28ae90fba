package io.github.sessiongate.cookie;

import io.github.sessiongate.Session;
import io.github.sessiongate.ValidationResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The session cookies one request carried (access, refresh, guest and meta), as {@link CookieCodec#read}
 * found them. Immutable, apart from the record of which cookies this request's response already
 * cleared (see {@link CookieCodec#MAX_CLEARING_BYTES}): use one instance per request.
 *
 * <p>A token is present only when its cookie (or its complete, consecutive set of chunks) arrived
 * exactly once under the name that writing would use. A name of ours that arrived twice (cookie
 * tossing from a sibling path or subdomain), or an unchunked cookie next to chunks, makes that token
 * absent, neither the first nor the last: two cookies with our name are an error, not a choice.
 *
 * <p>Session-shaped names that the filter never writes under its settings are <em>ignored</em>:
 * neither read, nor cleared, nor counted toward {@code cookie-max-total-bytes}; only their names are
 * kept, for an audit line ({@link #ignoredSummary()}). Those are names of a cookie kind that is not
 * configured (the guest cookie without guest sessions, the meta cookie without a session lifetime)
 * and chunk suffixes a token of the configured budget cannot have. The other prefix form of a
 * configured name ({@code sg_access} where {@code __Host-sg_access} is read, or the reverse) is not
 * read either and is reported the same way, but it is cleared, so a form left by a previous setting
 * goes away. {@link #toString()} never shows a value.
 */
public final class SessionCookies {

    /** One cookie of ours as the request carried it: its name and the length of its value. */
    record Seen(String name, int valueLength) {
        int bytes() {
            return name.length() + 1 + valueLength;
        }
    }

    /** Why a session-shaped name was not read; the phrase says which name form it was. */
    enum Ignored {
        /**
         * A configured name with {@code __Host-} where the settings read it without (cookie-secure
         * false, or auto on plain HTTP to loopback; cookie-host-prefix false; a Path or Domain). Still cleared.
         */
        HOST_PREFIX_FORM("__Host- form, not read here"),
        /** A configured name without {@code __Host-} where the settings read it with the prefix. Still cleared. */
        UNPREFIXED_FORM("unprefixed form, not read here"),
        /** A chunk suffix that no token within cookie-max-total-bytes has, or not a chunk suffix at all. */
        CHUNK_OUT_OF_RANGE("chunk suffix out of range"),
        /** A cookie kind that is not configured: guest cookie without guests, meta cookie without a lifetime. */
        UNCONFIGURED_KIND("kind not configured");

        private final String phrase;

        Ignored(String phrase) {
            this.phrase = phrase;
        }
    }

    /** At most this many ignored names are kept per reason, for the audit line, each cut to {@link #MAX_EXAMPLE_LENGTH}. */
    static final int MAX_IGNORED_EXAMPLES = 2;
    static final int MAX_EXAMPLE_LENGTH = 80;

    /**
     * What a read of any other request found (none, several cookies, or what only the general path
     * reads): the value of each slot read, in the order the request first carried it (a family's
     * oldest first), and the names and counts kept for clearing, budgets and audit lines. A one-cookie
     * read ({@link #single}) has none: it answers from its one cookie, in fewer bytes per request.
     */
    private record Several(Map<CookieNames.Slot, String> values, Set<String> duplicateNames, Set<String> presentNames,
            List<Seen> seen, Map<Ignored, Integer> ignoredCounts, Map<Ignored, List<String>> ignoredExamples,
            List<String> presentedRefreshTokens) {
    }

    /** {@code null} for a one-cookie read. */
    private final Several several;
    /**
     * The one slot read and its value when the request carried exactly one (the usual request,
     * {@link #single}); else {@code null}. {@link #value(CookieKind)} then walks no map.
     */
    private final CookieNames.Slot soleSlot;
    /** The one cookie of a one-cookie read, pointing into the header: its value is copied only when asked. */
    private final CookieHeaderReader.Pair sole;
    /** Why the validator refused the one access cookie on sight, its value never copied; else {@code null}. */
    private final ValidationResult.Reason soleRefusal;
    private Optional<String> soleFound;
    /**
     * The first name the response to this request cleared ({@code null} for none), then the others: a
     * refused token's one clearing allocates no set.
     */
    private String firstCleared;
    private Set<String> moreCleared = Set.of(); // a HashSet from the second clearing on
    private int clearingBytes;
    /** All the Set-Cookie header bytes the response to this request got from the codec, clearing included. */
    private int setCookieBytes;

    /**
     * Takes the collections as given, without copies (one read per request; a copy of each was most
     * of a warm request's allocation): the caller ({@link CookieAssembler}) made them for this
     * instance and never touches them again. Read-only views are handed out.
     */
    SessionCookies(Map<CookieNames.Slot, String> values, Set<String> duplicateNames, Set<String> presentNames,
            List<Seen> seen, Map<Ignored, Integer> ignoredCounts, Map<Ignored, List<String>> ignoredExamples,
            List<String> presentedRefreshTokens) {
        this.several = new Several(values.isEmpty() ? Map.of() : Collections.unmodifiableMap(values),
                duplicateNames.isEmpty() ? Set.of() : Collections.unmodifiableSet(duplicateNames),
                presentNames.isEmpty() ? Set.of() : Collections.unmodifiableSet(presentNames),
                seen.isEmpty() ? List.of() : Collections.unmodifiableList(seen),
                ignoredCounts.isEmpty() ? Map.of() : Collections.unmodifiableMap(ignoredCounts),
                ignoredExamples.isEmpty() ? Map.of() : Collections.unmodifiableMap(ignoredExamples),
                presentedRefreshTokens.isEmpty() ? List.of() : Collections.unmodifiableList(presentedRefreshTokens));
        this.soleSlot = null;
        this.sole = null;
        this.soleRefusal = null;
    }

    /**
     * The usual request: one cookie of ours, read under {@code slot} (its value not empty). Its
     * collections are made when asked, as the immutable one-element kinds.
     */
    private SessionCookies(CookieHeaderReader.Pair pair, CookieNames.Slot slot, ValidationResult.Reason refusal) {
        this.soleSlot = slot;
        this.sole = pair;
        this.soleRefusal = refusal;
        this.several = null;
        if (slot.kind() == CookieKind.REFRESH) {
            pair.value(); // read now, as the general path reads every value
        }
    }

    /** A request that carried one cookie of ours, {@code name}, read as {@code slot} with a value that is not empty. */
    static SessionCookies single(String name, CookieNames.Slot slot, String value) {
        return single(new CookieHeaderReader.Pair(name, value), slot, null);
    }

    /**
     * As {@link #single(String, CookieNames.Slot, String)}, the cookie as read ({@code pair}, its value
     * made when first asked); {@code refusal}, when not {@code null}, is why the validator refused
     * the access token on sight, so nothing needs its value copied.
     */
    static SessionCookies single(CookieHeaderReader.Pair pair, CookieNames.Slot slot, ValidationResult.Reason refusal) {
        if (pair.valueLength() == 0) {
            throw new IllegalArgumentException("an empty value is not read");
        }
        if (refusal != null && (slot.kind() != CookieKind.ACCESS || slot.index() != 0)) {
            throw new IllegalArgumentException("only the access token is refused on sight");
        }
        return new SessionCookies(pair, slot, refusal);
    }

    /**
     * Why the validator refused the access token on sight while reading it (its value still in the
     * header), or {@code null}: then nothing was decided here.
     */
    public ValidationResult.Reason accessRefusedOnSight() {
        return soleRefusal;
    }

    /**
     * Whether the validator looked at the access token while it was read and refused nothing: its
     * validation need not ask again ({@link io.github.sessiongate.TokenValidator#refusalOnSight}).
     */
    public boolean accessPassedSight() {
        return soleSlot != null && soleSlot.kind() == CookieKind.ACCESS && soleSlot.index() == 0 && sole.passedSight();
    }

    /** Whether {@link #value(CookieKind)} is present, without making the value. */
    public boolean carries(CookieKind kind) {
        if (soleSlot != null) {
            return soleSlot.index() == 0 && soleSlot.kind() == kind;
        }
        return value(kind).isPresent();
    }

    private Map<CookieNames.Slot, String> values() {
        return several != null ? several.values() : Map.of(soleSlot, sole.value());
    }

    private List<Seen> seen() {
        return several != null ? several.seen() : List.of(new Seen(sole.name(), sole.valueLength()));
    }

    /** No session cookie at all. */
    public static SessionCookies none() {
        return new SessionCookies(Map.of(), Set.of(), Set.of(), List.of(), Map.of(), Map.of(), List.of());
    }

    /**
     * As {@link #value(CookieKind)}, {@code null} for empty: what a request's hot path reads, with no
     * {@link Optional} to make.
     */
    public String valueOrNull(CookieKind kind) {
        if (soleSlot != null) {
            return soleSlot.index() == 0 && soleSlot.kind() == kind ? sole.value() : null;
        }
        return value(kind).orElse(null);
    }

    /**
     * The value of a single kind, reassembled from chunks if need be, as it is on the wire (sealed when
     * the kind is; {@link CookieCodec#open} unseals); empty when absent, malformed or duplicated.
     */
    public Optional<String> value(CookieKind kind) {
        if (soleSlot != null) {
            if (soleSlot.index() != 0 || soleSlot.kind() != kind) {
                return Optional.empty();
            }
            Optional<String> found = soleFound;
            if (found == null) {
                found = Optional.of(sole.value()); // asked several times per request: made once
                soleFound = found;
            }
            return found;
        }
        for (Map.Entry<CookieNames.Slot, String> e : values().entrySet()) { // a handful at most: no Slot per call
            if (e.getKey().index() == 0 && e.getKey().kind() == kind) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** A member of a family: its slot and its value as on the wire. */
    public record Member(int slot, String value) {
        @Override
        public String toString() {
            return "Member[" + slot + ", " + value.length() + " chars]";
        }
    }

    /** The members of a family the request carried, oldest first (the order the browser sent them). */
    public List<Member> members(CookieKind kind) {
        List<Member> members = new ArrayList<>();
        values().forEach((slot, value) -> {
            if (slot.kind() == kind) {
                members.add(new Member(slot.index(), value));
            }
        });
        return members;
    }

    /** The value of one slot, or null. */
    String value(CookieNames.Slot slot) {
        return soleSlot != null ? (soleSlot.equals(slot) ? sole.value() : null) : several.values().get(slot);
    }

    /** The access token, reassembled from chunks if need be; empty when absent, malformed or duplicated. */
    public Optional<String> accessToken() {
        return value(CookieKind.ACCESS);
    }

    /** The refresh token; empty when absent, malformed or duplicated. */
    public Optional<String> refreshToken() {
        return value(CookieKind.REFRESH);
    }

    /**
     * Every refresh-token value the request presented, even when the name arrived more than once
     * (then {@link #refreshToken()} is empty): each whole cookie, and the chunks assembled from the
     * first value of each index. Never to refresh with; only for a logout, which must end each one.
     */
    public List<String> presentedRefreshTokens() {
        if (several != null) {
            return several.presentedRefreshTokens();
        }
        return soleSlot.kind() == CookieKind.REFRESH && soleSlot.index() == 0 ? List.of(sole.value()) : List.of();
    }

    /**
     * The guest token; empty when absent, malformed or duplicated. Which cookie carried a token says
     * nothing about what it is: only its verified claims make a session a guest.
     */
    public Optional<String> guestToken() {
        return value(CookieKind.GUEST);
    }

    /** The session-lifetime record's value ({@code sg_meta}), unverified; empty when absent, malformed or duplicated. */
    public Optional<String> lifetimeRecord() {
        return value(CookieKind.LIFETIME_RECORD);
    }

    /** As {@link #lifetimeRecord()}: the engine's name for it. */
    public Optional<String> meta() {
        return lifetimeRecord();
    }

    /** Whether a session-cookie name arrived more than once (or unchunked next to chunks). */
    public boolean hasDuplicates() {
        return several != null && !several.duplicateNames().isEmpty();
    }

    /** The names that arrived more than once; names only, for an audit log. */
    public Set<String> duplicateNames() {
        return several != null ? several.duplicateNames() : Set.of();
    }

    /**
     * Every session-cookie name the request carried that may be cleared, in order: the names of
     * configured kinds with a chunk suffix within range, in both prefix forms. Ignored names are not here.
     */
    public Set<String> presentNames() {
        return several != null ? several.presentNames() : Set.of(sole.name());
    }

    /** The name of the one cookie of a one-cookie read ({@link #single}), else {@code null}. */
    String soleName() {
        return sole == null ? null : sole.name();
    }

    /** Whether the request carried no session cookie at all. */
    public boolean isEmpty() {
        return sole == null && several.presentNames().isEmpty();
    }

    /** Whether the request carried session-shaped names that were not read (see the class comment). */
    public boolean hasIgnored() {
        return !ignoredCounts().isEmpty();
    }

    /**
     * What was ignored, for an audit line: per name form, how many and up to two example names;
     * never a value. Empty when nothing was. Example:
     * {@code ignored session-shaped cookie names: chunk suffix out of range 78 (__Host-sg_access.2, __Host-sg_access.3);
     * kind not configured 2 (sg_meta.0, sg_meta.1)}.
     */
    public String ignoredSummary() {
        Map<Ignored, Integer> ignoredCounts = ignoredCounts();
        if (ignoredCounts.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("ignored session-shaped cookie names:");
        String separator = " ";
        for (Map.Entry<Ignored, Integer> e : ignoredCounts.entrySet()) {
            sb.append(separator).append(e.getKey().phrase).append(' ').append(e.getValue())
                    .append(" (").append(String.join(", ", several.ignoredExamples().getOrDefault(e.getKey(), List.of())))
                    .append(')');
            separator = "; ";
        }
        return sb.toString();
    }

    /**
     * The ignored names that are the other prefix form of a configured name ({@code sg_access} where
     * {@code __Host-sg_access} is read, or the reverse), at most {@link #MAX_IGNORED_EXAMPLES} per form;
     * names only, for a hint beside {@link #ignoredSummary()}.
     */
    public List<String> otherPrefixForms() {
        if (several == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        names.addAll(several.ignoredExamples().getOrDefault(Ignored.UNPREFIXED_FORM, List.of()));
        names.addAll(several.ignoredExamples().getOrDefault(Ignored.HOST_PREFIX_FORM, List.of()));
        return names;
    }

    /** How many names were ignored for this reason. */
    int ignoredCount(Ignored reason) {
        return ignoredCounts().getOrDefault(reason, 0);
    }

    private Map<Ignored, Integer> ignoredCounts() {
        return several != null ? several.ignoredCounts() : Map.of();
    }

    /**
     * Reserves {@code bytes} of the response's clearing budget for clearing {@code name}: false when
     * this response already cleared the name, or when it would exceed {@code limit}.
     */
    synchronized Reservation reserveClearing(String name, int bytes, int limit) {
        return reserveClearing(name, bytes, limit, Integer.MAX_VALUE);
    }

    /**
     * As {@link #reserveClearing(String, int, int)}, and also false when all the {@code Set-Cookie}
     * bytes of the response, this header included, would exceed {@code responseLimit}.
     */
    synchronized Reservation reserveClearing(String name, int bytes, int limit, int responseLimit) {
        if (cleared(name)) {
            return Reservation.ALREADY_CLEARED;
        }
        if (clearingBytes + bytes > limit || setCookieBytes + bytes > responseLimit) {
            return Reservation.OVER_BUDGET;
        }
        if (firstCleared == null) {
            firstCleared = name;
        } else {
            if (moreCleared.isEmpty()) {
                moreCleared = new HashSet<>();
            }
            moreCleared.add(name);
        }
        clearingBytes += bytes;
        setCookieBytes += bytes;
        return Reservation.RESERVED;
    }

    /** Whether the response to this request already cleared {@code name}; the caller holds the lock. */
    private boolean cleared(String name) {
        return name.equals(firstCleared) || moreCleared.contains(name);
    }

    /** Records {@code bytes} of {@code Set-Cookie} headers (cookies written, not cleared) added to the response. */
    synchronized void wroteSetCookies(int bytes) {
        setCookieBytes += bytes;
    }

    /**
     * An upper bound of the bytes of every {@code Set-Cookie} header the codec added to the response to
     * this request so far, clearing ones included, each counted as {@code Set-Cookie: name=value;
     * attributes} plus CRLF: what the rest of the response's header budget is measured from.
     */
    public synchronized int setCookieBytes() {
        return setCookieBytes;
    }

    /** The outcome of {@link #reserveClearing}. */
    enum Reservation { RESERVED, ALREADY_CLEARED, OVER_BUDGET }

    /** Bytes that the matching cookies took in the Cookie header, {@code name=value} each, separators excluded. */
    int bytes(Predicate<String> names) {
        int sum = 0;
        for (Seen s : seen()) {
            if (names.test(s.name())) {
                sum += s.bytes();
            }
        }
        return sum;
    }

    /**
     * Whether the response to this request already cleared every matching cookie the request carried
     * (at least one): the browser no longer keeps them, so they take no room in the budget.
     */
    synchronized boolean allCleared(Predicate<String> names) {
        boolean any = false;
        for (Seen s : seen()) {
            if (names.test(s.name())) {
                if (!cleared(s.name())) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** How many matching cookies the request carried, duplicates counted. */
    int count(Predicate<String> names) {
        int n = 0;
        for (Seen s : seen()) {
            if (names.test(s.name())) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SessionCookies[");
        String[] labels = {"access", "refresh", "guest", "meta"}; // the lifetime record is sg_meta on the wire
        for (int i = 0; i < labels.length; i++) {
            sb.append(labels[i]).append('=').append(value(CookieKind.BUILT_IN.get(i)).isPresent() ? "present" : "absent")
                    .append(", ");
        }
        values().keySet().stream().filter(slot -> !CookieKind.BUILT_IN.contains(slot.kind()))
                .forEach(slot -> sb.append(slot.kind().description()).append('-').append(slot.index())
                        .append("=present, "));
        return sb.append("names=").append(presentNames()).append(", duplicates=").append(duplicateNames())
                .append(hasIgnored() ? ", ignored=" + ignoredCounts() : "").append(']').toString();
    }
}
