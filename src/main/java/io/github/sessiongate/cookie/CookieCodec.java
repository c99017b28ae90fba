package io.github.sessiongate.cookie;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.web.ResponseBudget;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the filter's cookies, whatever their {@link CookieKind}: the access token and the
 * refresh token, each in an {@code HttpOnly} cookie, split into numbered chunks ({@code name.0},
 * {@code name.1}, ...) when one cookie would exceed the browser's 4096-byte limit; and next to them
 * the guest cookie (a guest token, {@link #writeGuest}), the session-lifetime record ({@code sg_meta},
 * {@link #writeMeta}) and any other configured kind, a bounded family included ({@link #writeMember}),
 * with the same attributes and rules. The kind-specific methods are thin wrappers over the generic
 * ones ({@link #write(HttpServletResponse, SessionCookies, boolean, Map, Duration, Set)},
 * {@link #clear(HttpServletResponse, SessionCookies, boolean, Set)}), so a new kind is one declaration.
 * Thread-safe; holds nothing but its settings, kinds and seal.
 *
 * <p>A login ({@link #write} of an access token) clears a guest cookie the request carried;
 * {@link #clear} clears every configured kind. Every write uses the one {@link CookieSettings}, so a
 * refresh writes the same names with the same Path and Domain as the login did.
 *
 * <p>Reading is lenient: it parses the raw {@code Cookie} headers itself ({@link CookieHeaderReader}),
 * the same way on every container, and never throws. Writing is strict: it checks sizes before
 * writing anything and throws {@link CookieTooLargeException} when the cookies would not fit in
 * {@code cookie-max-total-bytes}; it must run before the response is committed.
 *
 * <p>Cookies are written through the Servlet 6 {@link jakarta.servlet.http.Cookie} API ({@link SetCookieAttributes}) with every
 * attribute set (a refusal's clearings, {@link #clearCarried}, as prebuilt header values with the same attributes):
 * HttpOnly, Secure, SameSite, Path, Domain, Max-Age and, when configured, Partitioned. Containers
 * disagree on how to ask for the valueless {@code Partitioned} attribute: Tomcat 11 (and the Servlet
 * 6.1 rule) emit it for the attribute value {@code ""}, Jetty 12 ee10 only for {@code "true"}; so the
 * codec uses {@code "true"} when the (unwrapped) response is Jetty's and {@code ""} otherwise, and
 * warns once if the Set-Cookie header it produced still lacks the attribute.
 *
 * <p><b>Cookies the codec did not write never drive what it writes.</b> A sibling subdomain can plant
 * cookies with our names (cookie tossing), and any request can carry any names; so only the kinds
 * that are configured are read ({@link #CookieCodec(CookieSettings, Collection, CookieSeal)}), only the
 * canonical name form (the one writing uses for this request's Secure flag) carries a token or counts
 * toward {@code cookie-max-total-bytes}, and a chunk suffix above {@link #maxChunkIndex()} (the most
 * chunks a token within that budget can take) is no name of ours. Such names are ignored: not read,
 * not cleared, not counted, only reported ({@link SessionCookies#ignoredSummary()}). Clearing
 * {@code Set-Cookie} headers go only to the canonical names of configured kinds, their chunks within
 * range, and the other prefix form when the request carried it; and all the clearing headers of one
 * response (all codec calls with the same {@link SessionCookies}) take at most
 * {@value #MAX_CLEARING_BYTES} bytes, counted as {@code Set-Cookie: name=; attributes CRLF}. Within that
 * budget the cookies the request carried under the canonical name go first, then canonical names not
 * carried, then the other prefix form. The cookies written take at most {@code cookie-max-total-bytes}
 * plus the attributes of each (about 130 bytes with a short Path and Domain).
 *
 * <p><b>One budget for the response.</b> Every {@code Set-Cookie} header the codec adds is counted on
 * the request's {@link SessionCookies} ({@link SessionCookies#setCookieBytes()}), the cookies written
 * as written. The clearing headers never take the response past what the {@link ResponseBudget}
 * leaves next to the cookies written (they yield first: what does not fit is left for a later
 * response), and the filter cuts a {@code Location} to what remains after all of them. Start-up
 * ({@link #requireWithinResponseBudget()}) refuses a budget whose largest write leaves no room.
 */
public final class CookieCodec {
    private static final Logger LOG = LoggerFactory.getLogger(CookieCodec.class);

    /** A browser keeps a cookie of at most this many bytes, name, value and attributes together. */
    static final int MAX_COOKIE_BYTES = 4096;
    /** Longest {@code Expires} date a container writes: {@code Thu, 01 Jan 1970 00:00:00 GMT}. */
    private static final int EXPIRES_DATE_LENGTH = 29;

    /**
     * The most bytes the clearing {@code Set-Cookie} headers of one response take, each counted as
     * {@code Set-Cookie: name=; attributes} plus CRLF with an upper bound of the attributes; a fixed
     * bound, whatever the request carried, and less when the cookies written on the same response leave
     * less of the {@link ResponseBudget}.
     */
    public static final int MAX_CLEARING_BYTES = 2048;
    private static final int SET_COOKIE_OVERHEAD = "Set-Cookie: ".length() + 2;

    private final CookieSettings settings;
    /** The kinds this codec reads, writes, clears and budgets. */
    private final List<CookieKind> kinds;
    /** The configured kinds and the built-in ones: names of a built-in kind that is not configured are reported. */
    private final List<CookieKind> known;
    /** Seals the values of sealed kinds written through {@link #write(HttpServletResponse, SessionCookies, boolean, Map, Duration, Set)}; may be null. */
    private final CookieSeal seal;
    private final int minChunkCapacity;
    private final int maxChunkIndex;
    private final CookieAssembler assembler;
    private final SetCookieAttributes attributes;
    /**
     * The name writing uses for each slot of each configured kind, without and with Secure
     * ({@link #cookieName(CookieKind, int, boolean)}, made once): a clearing compares against them
     * without building a name per refused token.
     */
    private final Map<CookieKind, String[]> plainNames = new HashMap<>();
    /** Clearing {@code Set-Cookie} values of a refusal by cookie name, without and with Secure ({@link #clearingHeader}). */
    private final Map<String, String> plainClearings = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> secureClearings = new java.util.concurrent.ConcurrentHashMap<>();
    /** Most clearing values kept per Secure flag: far more than the names of the configured kinds. */
    private static final int MAX_CLEARING_HEADERS = 1024;
    private static final String SET_COOKIE = "Set-Cookie";
    private final Map<CookieKind, String[]> secureNames = new HashMap<>();

    /** A codec for the four session kinds: access, refresh, guest and lifetime record. */
    public CookieCodec(CookieSettings settings) {
        this(settings, true, true);
    }

    /**
     * A codec for the access and refresh cookies and, when asked, the guest cookie and the lifetime
     * record. A kind that is not configured is neither read, nor counted toward the budget, nor
     * cleared: a planted cookie of that name changes nothing; writing it is a programming error.
     *
     * @param guestCookie whether guest sessions are on (the guest cookie is in use)
     * @param lifetimeRecord whether a session lifetime is on (the lifetime record, {@code sg_meta}, is in use)
     */
    public CookieCodec(CookieSettings settings, boolean guestCookie, boolean lifetimeRecord) {
        this(settings, sessionKinds(guestCookie, lifetimeRecord, false), null);
    }

    /**
     * A codec for exactly these kinds. With a seal, the kind-generic writes seal the values of sealed
     * kinds and {@link #open} unseals them; the kind-specific writes ({@link #write(HttpServletResponse,
     * SessionCookies, boolean, String, String)} and the like) take values as they go on the wire.
     *
     * @param seal the cookie seal, or {@code null} when sealing is off
     */
    public CookieCodec(CookieSettings settings, Collection<CookieKind> kinds, CookieSeal seal) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.kinds = List.copyOf(new LinkedHashSet<>(kinds));
        Set<CookieKind> all = new LinkedHashSet<>(CookieKind.BUILT_IN);
        all.addAll(this.kinds);
        this.known = List.copyOf(all);
        this.seal = seal;
        this.minChunkCapacity = minChunkCapacity(settings, known);
        int chunks = (settings.maxTotalBytes() + minChunkCapacity - 1) / minChunkCapacity;
        this.maxChunkIndex = Math.min(chunks - 1, 999);
        this.attributes = new SetCookieAttributes(settings);
        this.assembler = new CookieAssembler(settings, this.kinds, known, maxChunkIndex);
        for (CookieKind kind : this.kinds) {
            List<String> bases = kind.names(settings);
            String[] plain = new String[bases.size()];
            String[] secure = new String[bases.size()];
            for (int i = 0; i < plain.length; i++) {
                plain[i] = settings.cookieName(bases.get(i), false);
                secure[i] = settings.cookieName(bases.get(i), true);
            }
            plainNames.put(kind, plain);
            secureNames.put(kind, secure);
        }
    }

    /**
     * The kinds a filter uses: access and refresh, the guest cookie and the lifetime record when on,
     * and the login-transaction family and the provider facts for a login flow that keeps transactions.
     * One list for the start-up budget check and the codec that runs, so the two cannot disagree.
     */
    public static List<CookieKind> sessionKinds(boolean guestCookie, boolean lifetimeRecord, boolean loginFlowCookies) {
        List<CookieKind> k = new ArrayList<>(List.of(CookieKind.ACCESS, CookieKind.REFRESH));
        if (guestCookie) {
            k.add(CookieKind.GUEST);
        }
        if (lifetimeRecord) {
            k.add(CookieKind.LIFETIME_RECORD);
        }
        if (loginFlowCookies) {
            k.add(CookieKind.LOGIN_TRANSACTION);
            k.add(CookieKind.PROVIDER_FACTS);
        }
        return List.copyOf(k);
    }

    /**
     * The smallest value a chunk carries: 4096 less the longest chunk name (of any chunked kind),
     * Max-Age, Path and Domain. The highest chunk index read or cleared is the budget over it, less one.
     */
    private static int minChunkCapacity(CookieSettings settings, List<CookieKind> kinds) {
        int longestBase = 0;
        for (CookieKind kind : kinds) {
            if (kind.chunked()) {
                for (String base : kind.names(settings)) {
                    longestBase = Math.max(longestBase, base.length());
                }
            }
        }
        int chunkName = CookieSettings.HOST_PREFIX.length() + longestBase + 1 + CookieNames.MAX_CHUNK_DIGITS;
        int attributes = "; Max-Age=".length() + Long.toString(CookieSettings.MAX_MAX_AGE.getSeconds()).length()
                + "; Expires=".length() + EXPIRES_DATE_LENGTH + "; Path=".length() + settings.path().length()
                + "; Domain=".length() + settings.domain().map(String::length).orElse(0)
                + "; Secure; HttpOnly; SameSite=Strict; Partitioned".length();
        return Math.max(1, MAX_COOKIE_BYTES - attributes - chunkName - 1);
    }

    /**
     * An upper bound of the {@code Set-Cookie} bytes one write of a token budget of {@code maxTotalBytes}
     * adds (every configured kind of {@link CookieKind.Budget#SESSION_WRITE}: access, refresh and, when
     * configured, the lifetime record; a write of its own is smaller): the budget itself, which counts
     * every {@code name=value}, plus for each cookie it can take the header name, the attributes and
     * CRLF. A token split into {@code k} chunks is longer than {@code k - 1} chunk capacities, so all the
     * chunks past the first of each kind are at most the budget over that capacity.
     */
    int maxWriteBytes(int maxTotalBytes) {
        int longestMaxAge = (int) CookieSettings.MAX_MAX_AGE.getSeconds();
        int perCookie = SET_COOKIE_OVERHEAD + Math.max(attributeBytes(CookieSettings.HOST_PREFIX, longestMaxAge),
                attributeBytes("", longestMaxAge));
        int cookies = maxTotalBytes / minChunkCapacity;
        for (CookieKind kind : kinds) {
            if (kind.budget() == CookieKind.Budget.SESSION_WRITE) {
                cookies += kind.slots();
            }
        }
        return maxTotalBytes + cookies * perCookie;
    }

    /**
     * Refuses a {@code cookie-max-total-bytes} whose largest write would not leave the room
     * {@link ResponseBudget} keeps for a {@code Location} (the response would exceed the containers'
     * 8 kB header limit); the message names the largest value that fits with these names, Path and Domain.
     *
     * @throws ConfigException naming {@code cookie-max-total-bytes}
     */
    public void requireWithinResponseBudget() {
        int budget = settings.maxTotalBytes();
        if (maxWriteBytes(budget) <= ResponseBudget.maxWriteBytes()) {
            return;
        }
        int fits = budget;
        while (fits >= CookieSettings.MIN_MAX_TOTAL_BYTES && maxWriteBytes(fits) > ResponseBudget.maxWriteBytes()) {
            fits--;
        }
        throw new ConfigException(CookieSettings.PARAM_MAX_TOTAL_BYTES, budget + " bytes of session cookies take up to "
                + maxWriteBytes(budget) + " bytes of Set-Cookie headers with their attributes; with the filter's other "
                + "headers and " + ResponseBudget.RESERVE + " bytes kept for the container's and the application's own, "
                + "a response would exceed the containers' default " + ResponseBudget.CONTAINER_LIMIT
                + "-byte header limit. " + (fits >= CookieSettings.MIN_MAX_TOTAL_BYTES
                        ? "Set it to at most " + fits + " (or shorten cookie-path and cookie-domain)."
                        : "Shorten cookie-path and cookie-domain."));
    }

    /** The highest chunk suffix read or cleared; a higher one is ignored. */
    int maxChunkIndex() {
        return maxChunkIndex;
    }

    /** Whether this kind of cookie is configured. */
    public boolean configured(CookieKind kind) {
        return kinds.contains(kind);
    }

    /** The settings this codec applies. */
    public CookieSettings settings() {
        return settings;
    }

    /** The access cookie's name for this effective Secure flag, with {@code __Host-} when it applies. */
    public String accessCookieName(boolean secure) {
        return cookieName(CookieKind.ACCESS, 0, secure);
    }

    /** The refresh cookie's name for this effective Secure flag, with {@code __Host-} when it applies. */
    public String refreshCookieName(boolean secure) {
        return cookieName(CookieKind.REFRESH, 0, secure);
    }

    /** The guest cookie's name for this effective Secure flag, with {@code __Host-} when it applies. */
    public String guestCookieName(boolean secure) {
        return cookieName(CookieKind.GUEST, 0, secure);
    }

    /** The lifetime record's cookie name ({@code sg_meta}) for this effective Secure flag, with {@code __Host-} when it applies. */
    public String metaCookieName(boolean secure) {
        return cookieName(CookieKind.LIFETIME_RECORD, 0, secure);
    }

    /** The name writing uses for one slot of a kind (0 for a single kind) under this effective Secure flag. */
    public String cookieName(CookieKind kind, int slot, boolean secure) {
        return settings.cookieName(kind.names(settings).get(slot), secure);
    }

    private String cookieName(CookieNames.Slot slot, boolean secure) {
        return cookieName(slot.kind(), slot.index(), secure);
    }

    // ---------------------------------------------------------------- reading

    /**
     * Finds the session cookies in the request's raw {@code Cookie} header(s), never through
     * {@code getCookies()}. Never throws for anything the request contains: malformed input reads as
     * absent.
     *
     * @param secure the effective Secure flag for this request, as {@link CookieSettings#secure(boolean)} gives it
     */
    public SessionCookies read(HttpServletRequest request, boolean secure) {
        return read(request, secure, HeldTokens.NONE);
    }

    /**
     * As {@link #read(HttpServletRequest, boolean)}; a lone access cookie whose value equals a token
     * {@code held} has is read as that string, not copied out of the header (a warm request).
     */
    public SessionCookies read(HttpServletRequest request, boolean secure, HeldTokens held) {
        return read(request, secure, held, TokenSight.NONE);
    }

    /**
     * As {@link #read(HttpServletRequest, boolean, HeldTokens)}; a lone access cookie that
     * {@code held} does not have and {@code sight} refuses is not copied out of the header: the
     * result carries the refusal ({@link SessionCookies#accessRefusedOnSight()}).
     */
    public SessionCookies read(HttpServletRequest request, boolean secure, HeldTokens held, TokenSight sight) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(held, "held");
        Objects.requireNonNull(sight, "sight");
        try {
            Enumeration<String> headers = request.getHeaders("Cookie");
            if (headers == null || !headers.hasMoreElements()) {
                return SessionCookies.none();
            }
            String first = headers.nextElement();
            if (CookieHeaderReader.holdsOne(first) && !headers.hasMoreElements()) {
                // The usual request: one header with one cookie, read without a list.
                return assembler.assembleOne(sight == TokenSight.NONE ? CookieHeaderReader.lone(first, held)
                        : CookieHeaderReader.loneAtSight(first, held), secure, held, sight);
            }
            return assembler.assemble(CookieHeaderReader.parse(first, headers, held), secure, held, sight);
        } catch (RuntimeException e) {
            LOG.debug("reading the Cookie header failed with {}; no session cookies", e.getClass().getName());
            return SessionCookies.none();
        }
    }

    /** Picks our cookies out of the parsed pairs and reassembles the tokens. */
    SessionCookies assemble(List<CookieHeaderReader.Pair> pairs, boolean secure) {
        return assembler.assemble(pairs, secure);
    }

    // ---------------------------------------------------------------- writing, any kind

    /**
     * Writes values of any configured kinds in one size check, sealing the values of sealed kinds when
     * this codec has a seal, chunking those of chunked kinds; clears the stale chunks and prefix forms
     * of what it writes, and what {@code current} carried of the {@code cleared} kinds. A family is
     * written member by member ({@link #writeMember}), never here.
     *
     * @param maxAge the writer's Max-Age, applied as each kind's {@link CookieKind.MaxAge} policy says;
     *        {@code null} for the configured ones
     * @throws CookieTooLargeException when the cookies would exceed {@code cookie-max-total-bytes} (or an
     *         unchunked one 4096 bytes); nothing is written then
     * @throws IllegalArgumentException when a value is empty or holds a character a cookie value cannot
     * @throws IllegalStateException when a kind is not configured, or the response is already committed
     */
    public void write(HttpServletResponse response, SessionCookies current, boolean secure,
            Map<CookieKind, String> values, Duration maxAge, Set<CookieKind> cleared) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(current, "current");
        Map<CookieNames.Slot, Value> planned = new LinkedHashMap<>();
        for (Map.Entry<CookieKind, String> e : values.entrySet()) {
            CookieKind kind = e.getKey();
            if (kind.isFamily()) {
                throw new IllegalArgumentException("the " + kind.description() + " cookies are a family: use writeMember");
            }
            put(planned, new CookieNames.Slot(kind, 0), kind.description(), sealIfSealed(kind, e.getValue()), maxAge);
        }
        apply(response, current, secure, planned, slotsOf(cleared), false);
    }

    /**
     * Writes one member of a family into a free slot or, when all are taken, over the oldest the request
     * carried (the first the browser sent); the other members are left alone and count toward the size limit.
     *
     * @return the slot written, for {@link #clearMember}
     * @throws IllegalArgumentException also when {@code family} is not a family
     */
    public int writeMember(HttpServletResponse response, SessionCookies current, boolean secure, CookieKind family,
            String value) {
        return writeMember(response, current, secure, family, value, null);
    }

    /**
     * As {@link #writeMember(HttpServletResponse, SessionCookies, boolean, CookieKind, String)}, with the
     * writer's Max-Age applied as the family's {@link CookieKind.MaxAge} policy says (the login
     * transactions take it: {@code oidc.transaction-max-age}).
     *
     * @param maxAge the writer's Max-Age, or {@code null} for the configured one
     */
    public int writeMember(HttpServletResponse response, SessionCookies current, boolean secure, CookieKind family,
            String value, Duration maxAge) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(current, "current");
        if (!family.isFamily()) {
            throw new IllegalArgumentException("the " + family.description() + " cookie is not a family: use write");
        }
        Set<Integer> taken = new java.util.HashSet<>();
        for (String name : current.presentNames()) {
            CookieNames.Parsed parsed = CookieNames.classify(settings, known, name);
            if (parsed != null && parsed.kind() == family) {
                taken.add(parsed.slot());
            }
        }
        int slot = 0;
        while (slot < family.slots() && taken.contains(slot)) {
            slot++;
        }
        if (slot == family.slots()) {
            List<SessionCookies.Member> members = current.members(family);
            slot = members.isEmpty() ? 0 : members.get(0).slot(); // the oldest
        }
        Map<CookieNames.Slot, Value> planned = new LinkedHashMap<>();
        put(planned, new CookieNames.Slot(family, slot), family.description(), sealIfSealed(family, value), maxAge);
        apply(response, current, secure, planned, Set.of(), false);
        return slot;
    }

    /**
     * Clears these kinds (every slot of a family): what {@code current} carried of them (chunks within
     * range and the other prefix form included) plus their canonical names; kinds not configured are
     * left alone. Within the clearing budget.
     *
     * @throws IllegalStateException when the response is already committed
     */
    public void clear(HttpServletResponse response, SessionCookies current, boolean secure, Set<CookieKind> cleared) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(current, "current");
        apply(response, current, secure, Map.of(), slotsOf(cleared), true);
    }

    /** Clears one member of a family, e.g. when its login transaction completed or failed. */
    public void clearMember(HttpServletResponse response, SessionCookies current, boolean secure, CookieKind family,
            int slot) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(current, "current");
        if (slot < 0 || slot >= family.slots()) {
            throw new IllegalArgumentException("the " + family.description() + " cookies have no slot " + slot);
        }
        apply(response, current, secure, Map.of(), Set.of(new CookieNames.Slot(family, slot)), true);
    }

    /**
     * How many members of a family the browser keeps after this response so far: those the request
     * carried that no earlier call on the same response cleared.
     */
    public int keptMembers(SessionCookies current, CookieKind family) {
        int kept = 0;
        for (SessionCookies.Member member : current.members(family)) {
            CookieNames.Slot slot = new CookieNames.Slot(family, member.slot());
            if (!current.allCleared(n -> {
                CookieNames.Parsed p = CookieNames.classify(settings, known, n);
                return p != null && p.at().equals(slot);
            })) {
                kept++;
            }
        }
        return kept;
    }

    /**
     * The value of a single kind as written before sealing: unsealed when the kind is sealed and this
     * codec has a seal (empty when it does not open), else as carried.
     */
    public Optional<String> open(SessionCookies current, CookieKind kind) {
        return current.value(kind).flatMap(v -> open(kind, v));
    }

    /** A value of this kind as carried, unsealed when the kind is sealed and this codec has a seal. */
    public Optional<String> open(CookieKind kind, String carried) {
        return seal != null && kind.sealed() ? seal.open(carried) : Optional.of(carried);
    }

    private String sealIfSealed(CookieKind kind, String value) {
        Objects.requireNonNull(value, "value");
        return seal != null && kind.sealed() ? seal.seal(value) : value;
    }

    private Set<CookieNames.Slot> slotsOf(Set<CookieKind> kindSet) {
        Set<CookieNames.Slot> slots = new LinkedHashSet<>();
        for (CookieKind kind : kindSet) {
            for (int i = 0; i < kind.slots(); i++) {
                slots.add(new CookieNames.Slot(kind, i));
            }
        }
        return slots;
    }

    /** Checks a value and adds it with the Max-Age its kind's policy gives for the writer's {@code maxAge}. */
    private void put(Map<CookieNames.Slot, Value> values, CookieNames.Slot slot, String what, String value,
            Duration maxAge) {
        requireConfigured(slot.kind(), what);
        checkValue(what, value);
        values.put(slot, new Value(value, maxAgeOf(slot.kind(), maxAge)));
    }

    /** The Max-Age in seconds a write of this kind gets, as its policy says. */
    private int maxAgeOf(CookieKind kind, Duration requested) {
        Duration configured = kind.configuredMaxAge(settings);
        return switch (kind.maxAgePolicy()) {
            case CONFIGURED_OR_SHORTER -> seconds(configured, requested);
            case WRITER_CHOOSES -> requested == null ? seconds(configured, null) : seconds(requested, requested);
            case FIXED -> (int) configured.getSeconds();
        };
    }

    private void requireConfigured(CookieKind kind, String what) {
        if (!kinds.contains(kind)) {
            throw new IllegalStateException("this codec has no " + what + " cookie: it is not configured");
        }
    }

    // ---------------------------------------------------------------- writing, the session kinds

    /**
     * Writes the access cookie and, when {@code refreshToken != null}, the refresh cookie, chunked when
     * needed; clears the stale chunks and prefix forms of the cookies it writes that {@code current}
     * carried, and a guest cookie {@code current} carried (a login replaces the guest session). With
     * {@code refreshToken == null} the refresh cookies are left alone (and still count toward the size
     * limit); the lifetime record is always left alone. Values go on the wire as given (the engine seals them).
     *
     * @param current what {@link #read} found on this request, or {@link SessionCookies#none()}
     * @param secure the effective Secure flag for this request
     * @throws CookieTooLargeException when the cookies would exceed {@code cookie-max-total-bytes};
     *         nothing is written then
     * @throws IllegalArgumentException when a token is empty or holds a character a cookie value cannot
     * @throws IllegalStateException when the response is already committed
     */
    public void write(HttpServletResponse response, SessionCookies current, boolean secure, String accessToken,
            String refreshToken) {
        write(response, current, secure, accessToken, refreshToken, null);
    }

    /**
     * As {@link #write(HttpServletResponse, SessionCookies, boolean, String, String)}, with a sliding
     * Max-Age: the access and refresh cookies each get the smaller of {@code maxAge} and their
     * configured max age. Used to re-issue the cookies on activity when sliding expiry is on; the
     * names, Path and Domain are the same as for any other write.
     *
     * @param maxAge the sliding Max-Age, at least one second; {@code null} for the configured ones
     * @throws IllegalArgumentException also when {@code maxAge} is under one second
     */
    public void write(HttpServletResponse response, SessionCookies current, boolean secure, String accessToken,
            String refreshToken, Duration maxAge) {
        write(response, current, secure, accessToken, refreshToken, maxAge, null);
    }

    /**
     * As {@link #write(HttpServletResponse, SessionCookies, boolean, String, String, Duration)}, and
     * writes the lifetime record too when {@code lifetimeRecord != null}, all within one size check: what
     * a rotation writes is checked together, never against the cookies it replaces.
     *
     * @param lifetimeRecord the lifetime record's value (from {@code SessionLifetime}), or {@code null} to leave it alone
     * @throws IllegalStateException also when {@code lifetimeRecord} is given but this codec has no lifetime record
     */
    public void write(HttpServletResponse response, SessionCookies current, boolean secure, String accessToken,
            String refreshToken, Duration maxAge, String lifetimeRecord) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(accessToken, "accessToken");
        Map<CookieNames.Slot, Value> values = new LinkedHashMap<>();
        put(values, ACCESS, "accessToken", accessToken, maxAge);
        if (refreshToken != null) {
            put(values, REFRESH, "refreshToken", refreshToken, maxAge);
        }
        putLifetimeRecord(values, lifetimeRecord);
        apply(response, current, secure, values, Set.of(GUEST), false);
    }

    private static final CookieNames.Slot ACCESS = new CookieNames.Slot(CookieKind.ACCESS, 0);
    private static final CookieNames.Slot REFRESH = new CookieNames.Slot(CookieKind.REFRESH, 0);
    private static final CookieNames.Slot GUEST = new CookieNames.Slot(CookieKind.GUEST, 0);
    private static final CookieNames.Slot LIFETIME_RECORD = new CookieNames.Slot(CookieKind.LIFETIME_RECORD, 0);
    private static final CookieNames.Slot PROVIDER_FACTS = new CookieNames.Slot(CookieKind.PROVIDER_FACTS, 0);

    private void putLifetimeRecord(Map<CookieNames.Slot, Value> values, String lifetimeRecord) {
        if (lifetimeRecord != null) {
            put(values, LIFETIME_RECORD, "meta", lifetimeRecord, null);
        }
    }

    /**
     * Writes the cookies of a new session that replaces whatever the request carried (a login):
     * as {@link #write(HttpServletResponse, SessionCookies, boolean, String, String)}, and when
     * {@code refreshToken} is {@code null} the refresh cookie the request carried is cleared
     * rather than kept, so a previous user's refresh token can never outlive this login.
     */
    public void replace(HttpServletResponse response, SessionCookies current, boolean secure, String accessToken,
            String refreshToken) {
        replace(response, current, secure, accessToken, refreshToken, null);
    }

    /**
     * As {@link #replace(HttpServletResponse, SessionCookies, boolean, String, String)}, and writes the
     * lifetime record of the new session too when {@code lifetimeRecord != null}, within the same size check.
     *
     * @param lifetimeRecord the new session's lifetime record, or {@code null} to leave it alone
     * @throws IllegalStateException also when {@code lifetimeRecord} is given but this codec has no lifetime record
     */
    public void replace(HttpServletResponse response, SessionCookies current, boolean secure, String accessToken,
            String refreshToken, String lifetimeRecord) {
        replaceSession(response, current, secure, accessToken, refreshToken, lifetimeRecord, false, null, 0);
    }

    /**
     * Writes the cookies of a new session with the provider's facts (an OpenID login): as
     * {@link #replace(HttpServletResponse, SessionCookies, boolean, String, String, String)}, and the
     * provider-facts cookie ({@link CookieKind#PROVIDER_FACTS}, when configured) written, or cleared when
     * {@code providerFacts} is {@code null}, all within one size check that keeps {@code headroom}
     * bytes of {@code cookie-max-total-bytes} free (for sign-ins other tabs may start).
     *
     * @param providerFacts the sealed facts value ({@link ProviderFactsValue#seal}), or {@code null}
     * @param headroom bytes the cookies must leave free, at least 0
     * @throws CookieTooLargeException when the cookies and the headroom exceed {@code cookie-max-total-bytes}
     */
    public void replace(HttpServletResponse response, SessionCookies current, boolean secure, String accessToken,
            String refreshToken, String lifetimeRecord, String providerFacts, int headroom) {
        replaceSession(response, current, secure, accessToken, refreshToken, lifetimeRecord, true, providerFacts,
                Math.max(0, headroom));
    }

    /** The new session's cookies in one size check; the provider facts written or cleared only {@code withFacts}. */
    private void replaceSession(HttpServletResponse response, SessionCookies current, boolean secure, String accessToken,
            String refreshToken, String lifetimeRecord, boolean withFacts, String providerFacts, int headroom) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(accessToken, "accessToken");
        Map<CookieNames.Slot, Value> values = new LinkedHashMap<>();
        put(values, ACCESS, "accessToken", accessToken, null);
        Set<CookieNames.Slot> cleared = new LinkedHashSet<>(List.of(GUEST));
        if (refreshToken != null) {
            put(values, REFRESH, "refreshToken", refreshToken, null);
        } else {
            cleared.add(REFRESH);
        }
        putLifetimeRecord(values, lifetimeRecord);
        if (withFacts && providerFacts != null) {
            put(values, PROVIDER_FACTS, "providerFacts", providerFacts, null);
        } else if (withFacts) {
            cleared.add(PROVIDER_FACTS);
        }
        apply(response, current, secure, values, cleared, false, headroom);
    }

    /**
     * Writes the guest cookie with the guest cookie's configured Max-Age ({@code guest-cookie-max-age}),
     * clearing its stale chunks and prefix forms; the other cookies are left alone and count toward
     * the size limit.
     *
     * @param guestToken a guest token, e.g. from {@code GuestTokens.mint()}
     * @throws CookieTooLargeException when the cookies would exceed {@code cookie-max-total-bytes}
     * @throws IllegalArgumentException when the token is empty or holds a character a cookie value cannot
     * @throws IllegalStateException when the response is already committed
     */
    public void writeGuest(HttpServletResponse response, SessionCookies current, boolean secure, String guestToken) {
        writeGuest(response, current, secure, guestToken, settings.guestMaxAge());
    }

    /**
     * As {@link #writeGuest(HttpServletResponse, SessionCookies, boolean, String)} with this Max-Age,
     * normally the guest token's lifetime ({@code GuestTokens.ttl()}).
     *
     * @param maxAge at least one second, at most 400 days
     */
    public void writeGuest(HttpServletResponse response, SessionCookies current, boolean secure, String guestToken,
            Duration maxAge) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(guestToken, "guestToken");
        Objects.requireNonNull(maxAge, "maxAge");
        Map<CookieNames.Slot, Value> values = new LinkedHashMap<>();
        put(values, GUEST, "guestToken", guestToken, maxAge);
        apply(response, current, secure, values, Set.of(), false);
    }

    /**
     * Writes the lifetime record (a value from {@code SessionLifetime.start} or {@code touch}) with
     * its configured Max-Age ({@code meta-cookie-max-age}), clearing its stale prefix forms; the other
     * cookies are left alone and count toward the size limit.
     *
     * @throws CookieTooLargeException when the cookies would exceed {@code cookie-max-total-bytes}
     * @throws IllegalArgumentException when the value is empty or holds a character a cookie value cannot
     * @throws IllegalStateException when the response is already committed
     */
    public void writeMeta(HttpServletResponse response, SessionCookies current, boolean secure, String value) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(value, "value");
        Map<CookieNames.Slot, Value> values = new LinkedHashMap<>();
        putLifetimeRecord(values, value);
        apply(response, current, secure, values, Set.of(), false);
    }

    /**
     * Clears every session cookie {@code current} carried (chunks within range and the other prefix
     * form included) plus the canonical names of every configured kind, repeating Path, Domain, Secure,
     * SameSite and Partitioned, with {@code Max-Age=0}; within the clearing budget
     * ({@value #MAX_CLEARING_BYTES} bytes a response).
     *
     * @throws IllegalStateException when the response is already committed
     */
    public void clear(HttpServletResponse response, SessionCookies current, boolean secure) {
        clear(response, current, secure, new LinkedHashSet<>(kinds));
    }

    /**
     * Clears every session cookie {@code current} carried (chunks within range and the other prefix
     * form included), and nothing it did not carry: one clearing {@code Set-Cookie} per cookie carried,
     * for a definitive refusal of what the request presented (a name the request did not carry is no
     * cookie the browser sends here, so clearing it would only cost header bytes). Within the clearing
     * budget, as {@link #clear(HttpServletResponse, SessionCookies, boolean)}. Each clearing is added as
     * a {@code Set-Cookie} header value made once per name ({@link SetCookieAttributes#clearingHeader}:
     * the attributes a logout's clearing gives that name, {@code Partitioned} written as itself on every
     * container), not through a {@link jakarta.servlet.http.Cookie}: junk floods format nothing.
     *
     * @throws IllegalStateException when the response is already committed
     */
    public void clearCarried(HttpServletResponse response, SessionCookies current, boolean secure) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(current, "current");
        if (current.isEmpty()) {
            return;
        }
        if (response.isCommitted()) {
            throw new IllegalStateException("response is already committed; session cookies must be cleared before");
        }
        // What apply() does for a clearing of every configured kind without the canonical names, without
        // its plans and sets: this runs for every refused token, junk floods included. One cookie carried
        // (the usual case) allocates no arrays.
        boolean effectiveSecure = secure || settings.forcesSecure();
        String sole = current.soleName(); // the one-cookie read: its name without a set and an iterator
        Set<String> present = sole != null ? null : current.presentNames();
        boolean listCleared = LOG.isDebugEnabled();
        if (sole != null || present.size() == 1) {
            String name = sole != null ? sole : present.iterator().next();
            CookieNames.Parsed parsed = assembler.classify(name);
            if (parsed == null || !kinds.contains(parsed.kind())) {
                return;
            }
            switch (current.reserveClearing(name, clearingBytes(name), MAX_CLEARING_BYTES, ResponseBudget.maxWriteBytes())) {
                case RESERVED -> {
                    response.addHeader(SET_COOKIE, clearingHeader(name, effectiveSecure, parsed.kind().sameSiteLax()));
                    if (listCleared) {
                        LOG.debug("cleared session cookies {}", List.of(name));
                    }
                }
                case OVER_BUDGET -> LOG.debug("clearing budget of {} bytes spent; {} session cookie names not cleared"
                        + " on this response", MAX_CLEARING_BYTES, 1);
                case ALREADY_CLEARED -> { }
            }
            return;
        }
        int n = present.size();
        String[] names = new String[n];
        boolean[] lax = new boolean[n];
        boolean[] canonical = new boolean[n];
        int count = 0;
        for (String name : present) {
            CookieNames.Parsed parsed = assembler.classify(name);
            if (parsed != null && kinds.contains(parsed.kind())) {
                names[count] = name;
                lax[count] = parsed.kind().sameSiteLax();
                canonical[count++] = parsed.stem().equals(canonicalName(parsed.kind(), parsed.slot(), effectiveSecure));
            }
        }
        boolean[] chosen = new boolean[count];
        int dropped = 0;
        for (boolean canonicalFirst : new boolean[] {true, false}) { // carried canonical names, then the other form
            for (int i = 0; i < count; i++) {
                if (canonical[i] != canonicalFirst) {
                    continue;
                }
                switch (current.reserveClearing(names[i], clearingBytes(names[i]), MAX_CLEARING_BYTES,
                        ResponseBudget.maxWriteBytes())) {
                    case RESERVED -> chosen[i] = true;
                    case OVER_BUDGET -> dropped++;
                    case ALREADY_CLEARED -> { }
                }
            }
        }
        if (dropped > 0) {
            LOG.debug("clearing budget of {} bytes spent; {} session cookie names not cleared on this response",
                    MAX_CLEARING_BYTES, dropped);
        }
        List<String> cleared = listCleared ? new ArrayList<>(count) : null;
        for (int i = 0; i < count; i++) {
            if (chosen[i]) {
                response.addHeader(SET_COOKIE, clearingHeader(names[i], effectiveSecure, lax[i]));
                if (listCleared) {
                    cleared.add(names[i]);
                }
            }
        }
        if (listCleared) {
            LOG.debug("cleared session cookies {}", cleared);
        }
    }

    /**
     * The header value clearing {@code name} ({@link SetCookieAttributes#clearingHeader}), made on its
     * first refusal and kept: the names cleared this way are the configured kinds' few (the request's
     * names were classified as ours first), and the table stops growing at {@value #MAX_CLEARING_HEADERS}.
     */
    private String clearingHeader(String name, boolean secure, boolean lax) {
        Map<String, String> made = secure ? secureClearings : plainClearings;
        String header = made.get(name);
        if (header == null) {
            header = attributes.clearingHeader(name, secure, lax);
            if (made.size() < MAX_CLEARING_HEADERS) {
                made.putIfAbsent(name, header);
            }
        }
        return header;
    }

    /** {@link #cookieName(CookieKind, int, boolean)} from the names made at construction, for a configured kind. */
    private String canonicalName(CookieKind kind, int slot, boolean secure) {
        String[] names = (secure ? secureNames : plainNames).get(kind);
        return names != null && slot >= 0 && slot < names.length ? names[slot] : cookieName(kind, slot, secure);
    }

    /**
     * Clears the guest cookie only (what {@code current} carried of it, plus its canonical name), e.g.
     * after its token was refused; the other cookies are left alone. Does nothing when the guest
     * cookie is not configured.
     *
     * @throws IllegalStateException when the response is already committed
     */
    public void clearGuest(HttpServletResponse response, SessionCookies current, boolean secure) {
        clear(response, current, secure, Set.of(CookieKind.GUEST));
    }

    /** A value to write and its Max-Age in seconds. */
    private record Value(String value, int maxAge) {
        @Override
        public String toString() {
            return "Value[" + value.length() + " chars, max-age " + maxAge + "]";
        }
    }

    /** One cookie to add: a name, its value and its Max-Age ({@code 0} clears). */
    private record Planned(CookieNames.Slot slot, String name, String value, int maxAge) {
    }

    /**
     * The one write path: plans the chunks of every value, checks the total size against what the
     * browser keeps, then adds the clearing cookies (stale names of the written slots, present names of
     * the cleared slots, within the clearing budget) followed by the new ones. Nothing is added when a
     * check fails. Kinds that are not configured are never touched.
     *
     * @param clearCanonical whether the canonical names of the cleared slots are cleared even if absent
     */
    private void apply(HttpServletResponse response, SessionCookies current, boolean secure,
            Map<CookieNames.Slot, Value> values, Set<CookieNames.Slot> clearedSlots, boolean clearCanonical) {
        apply(response, current, secure, values, clearedSlots, clearCanonical, 0);
    }

    /** As above, keeping {@code headroom} bytes of the budget free. */
    private void apply(HttpServletResponse response, SessionCookies current, boolean secure,
            Map<CookieNames.Slot, Value> values, Set<CookieNames.Slot> clearedSlots, boolean clearCanonical,
            int headroom) {
        boolean effectiveSecure = secure || settings.forcesSecure();
        Set<CookieNames.Slot> cleared = new LinkedHashSet<>();
        clearedSlots.stream().filter(s -> kinds.contains(s.kind())).forEach(cleared::add);
        List<Planned> writes = new ArrayList<>();
        for (Map.Entry<CookieNames.Slot, Value> e : values.entrySet()) {
            String name = cookieName(e.getKey(), effectiveSecure);
            Value v = e.getValue();
            if (!e.getKey().kind().chunked()) {
                int bytes = name.length() + 1 + v.value().length();
                if (bytes + attributeBytes(name, v.maxAge()) > MAX_COOKIE_BYTES) {
                    throw new CookieTooLargeException(bytes, 0, 0, bytes, MAX_COOKIE_BYTES);
                }
                writes.add(new Planned(e.getKey(), name, v.value(), v.maxAge()));
                continue;
            }
            for (CookieHeaderReader.Pair p : plan(name, v.value(), v.maxAge())) {
                writes.add(new Planned(e.getKey(), p.name(), p.value(), v.maxAge()));
            }
        }
        if (!writes.isEmpty()) {
            checkTotal(writes, current, values.keySet(), cleared, headroom); // clearing never fails for size
        }
        if (response.isCommitted()) {
            throw new IllegalStateException("response is already committed; session cookies must be "
                    + (values.isEmpty() ? "cleared" : "written") + " before");
        }

        Set<String> written = new LinkedHashSet<>();
        writes.forEach(p -> written.add(p.name()));
        int writeBytes = 0;
        for (Planned p : writes) {
            writeBytes += headerBytes(p.name(), p.value(), p.maxAge());
        }
        Set<String> stale = staleNames(current, effectiveSecure, values.keySet(), cleared, clearCanonical, written,
                writeBytes);
        String partitionedValue = attributes.partitionedValue(response);
        for (String name : stale) {
            CookieNames.Parsed parsed = CookieNames.classify(settings, known, name);
            response.addCookie(attributes.cookie(name, "", 0, effectiveSecure, partitionedValue,
                    parsed != null && parsed.kind().sameSiteLax()));
        }
        for (Planned p : writes) {
            response.addCookie(attributes.cookie(p.name(), p.value(), p.maxAge(), effectiveSecure, partitionedValue,
                    p.slot().kind().sameSiteLax()));
        }
        current.wroteSetCookies(writeBytes);
        if (LOG.isDebugEnabled()) {
            if (written.isEmpty()) {
                LOG.debug("cleared session cookies {}", stale);
            } else {
                LOG.debug("wrote session cookies {}{}", written, stale.isEmpty() ? "" : "; cleared stale " + stale);
            }
        }
        Set<String> touched = new LinkedHashSet<>(stale);
        touched.addAll(written);
        attributes.verifyPartitioned(response, touched);
    }

    /**
     * The names to clear, in the order they are added: what the request carried of the written and
     * cleared slots (canonical name or the other prefix form, chunks within range), then the canonical
     * names of the cleared slots. Each is charged to the response's clearing budget, carried canonical
     * names first, then canonical names not carried, then the other prefix form; a name this response
     * already cleared is not cleared again, and what does not fit is left for a later response. The
     * budget is {@value #MAX_CLEARING_BYTES} bytes, and never more than the {@link ResponseBudget} leaves
     * next to the {@code Set-Cookie} headers already added and the {@code writeBytes} about to be.
     */
    private Set<String> staleNames(SessionCookies current, boolean effectiveSecure, Set<CookieNames.Slot> writtenSlots,
            Set<CookieNames.Slot> cleared, boolean clearCanonical, Set<String> written, int writeBytes) {
        Map<String, Integer> candidates = new LinkedHashMap<>(); // name -> priority, in emission order
        for (String name : current.presentNames()) {
            CookieNames.Parsed parsed = CookieNames.classify(settings, known, name);
            if (parsed != null && kinds.contains(parsed.kind()) && !written.contains(name)
                    && (writtenSlots.contains(parsed.at()) || cleared.contains(parsed.at()))) {
                candidates.put(name, parsed.stem().equals(cookieName(parsed.at(), effectiveSecure)) ? 0 : 2);
            }
        }
        if (clearCanonical) {
            for (CookieKind kind : known) {
                for (int i = 0; i < kind.slots(); i++) {
                    CookieNames.Slot slot = new CookieNames.Slot(kind, i);
                    if (cleared.contains(slot)) {
                        candidates.putIfAbsent(cookieName(slot, effectiveSecure), 1);
                    }
                }
            }
        }
        Set<String> chosen = new java.util.HashSet<>();
        int dropped = 0;
        for (int priority = 0; priority <= 2; priority++) {
            for (Map.Entry<String, Integer> e : candidates.entrySet()) {
                if (e.getValue() != priority) {
                    continue;
                }
                switch (current.reserveClearing(e.getKey(), clearingBytes(e.getKey()), MAX_CLEARING_BYTES,
                        ResponseBudget.maxWriteBytes() - writeBytes)) {
                    case RESERVED -> chosen.add(e.getKey());
                    case OVER_BUDGET -> dropped++;
                    case ALREADY_CLEARED -> { }
                }
            }
        }
        if (dropped > 0) {
            LOG.debug("clearing budget of {} bytes spent; {} session cookie names not cleared on this response",
                    MAX_CLEARING_BYTES, dropped);
        }
        Set<String> stale = new LinkedHashSet<>();
        for (String name : candidates.keySet()) {
            if (chosen.contains(name)) {
                stale.add(name);
            }
        }
        return stale;
    }

    /** An upper bound of the bytes a clearing {@code Set-Cookie} header for this name takes, CRLF included. */
    int clearingBytes(String name) {
        return headerBytes(name, "", 0);
    }

    /** An upper bound of the bytes of the {@code Set-Cookie} header for this cookie, CRLF included. */
    private int headerBytes(String name, String value, int maxAge) {
        return SET_COOKIE_OVERHEAD + name.length() + 1 + value.length() + attributeBytes(name, maxAge);
    }

    /** A configured Max-Age in whole seconds, capped by {@code cap} when given. */
    private static int seconds(Duration configured, Duration cap) {
        Duration d = configured;
        if (cap != null) {
            if (cap.compareTo(CookieSettings.MIN_MAX_AGE) < 0) {
                throw new IllegalArgumentException("maxAge must be at least one second, not " + cap);
            }
            if (cap.compareTo(d) < 0) {
                d = cap;
            }
        }
        if (d.compareTo(CookieSettings.MAX_MAX_AGE) > 0) {
            throw new IllegalArgumentException("maxAge must be at most " + CookieSettings.MAX_MAX_AGE + ", not " + d);
        }
        return (int) d.getSeconds();
    }

    /** Splits a token into the cookies that carry it: one, or chunks that each fit 4096 bytes. */
    List<CookieHeaderReader.Pair> plan(String name, String token, int maxAge) {
        int attributes = attributeBytes(name, maxAge);
        if (name.length() + 1 + token.length() + attributes <= MAX_COOKIE_BYTES
                || token.length() > settings.maxTotalBytes()) {
            // Fits; or so large that checkTotal refuses it anyway, so do not bother splitting.
            return List.of(new CookieHeaderReader.Pair(name, token));
        }
        int chunkNameLength = name.length() + 1 + CookieNames.MAX_CHUNK_DIGITS;
        int capacity = MAX_COOKIE_BYTES - attributes - chunkNameLength - 1;
        int count = (token.length() + capacity - 1) / capacity;
        int size = (token.length() + count - 1) / count;
        List<CookieHeaderReader.Pair> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = i * size;
            chunks.add(new CookieHeaderReader.Pair(CookieNames.chunkName(name, i),
                    token.substring(from, Math.min(token.length(), from + size))));
        }
        return chunks;
    }

    /**
     * An upper bound of the attribute bytes a container adds to {@code name=value}: Max-Age, Expires,
     * Domain, Path, Secure, HttpOnly, SameSite=Strict and Partitioned.
     */
    private int attributeBytes(String name, int maxAge) {
        boolean hostForm = name.startsWith(CookieSettings.HOST_PREFIX);
        int bytes = "; Max-Age=".length() + decimalLength(maxAge)
                + "; Expires=".length() + EXPIRES_DATE_LENGTH
                + "; Path=".length() + (hostForm ? 1 : settings.path().length())
                + "; Secure".length() + "; HttpOnly".length()
                + "; SameSite=".length() + "Strict".length() + "; Partitioned".length();
        if (!hostForm && settings.domain().isPresent()) {
            bytes += "; Domain=".length() + settings.domain().get().length();
        }
        return bytes;
    }

    /** {@code Integer.toString(value).length()}, without making the string (every clearing asks). */
    static int decimalLength(int value) {
        if (value == Integer.MIN_VALUE) {
            return 11;
        }
        int length = value < 0 ? 2 : 1;
        for (int v = Math.abs(value); v >= 10; v /= 10) {
            length++;
        }
        return length;
    }

    /**
     * Refuses cookies that would not fit the Cookie request header the browser sends back: the cookies
     * written, plus the values of the configured slots neither written nor cleared that {@code current}
     * carried under the canonical name and that read as a value (the browser keeps them). Ignored names,
     * the other prefix form, duplicated and incomplete values are not ours to budget.
     */
    private void checkTotal(List<Planned> writes, SessionCookies current, Set<CookieNames.Slot> writtenSlots,
            Set<CookieNames.Slot> cleared, int headroom) {
        Map<CookieKind, Integer> bytes = new java.util.HashMap<>();
        int cookies = 0;
        for (Planned p : writes) {
            bytes.merge(p.slot().kind(), p.name().length() + 1 + p.value().length(), Integer::sum);
            cookies++;
        }
        for (CookieKind kind : kinds) {
            for (int i = 0; i < kind.slots(); i++) {
                CookieNames.Slot slot = new CookieNames.Slot(kind, i);
                if (writtenSlots.contains(slot) || cleared.contains(slot) || current.value(slot) == null) {
                    continue; // only a value this codec could read is one the browser keeps for us
                }
                java.util.function.Predicate<String> ofSlot = n -> {
                    CookieNames.Parsed p = CookieNames.classify(settings, known, n);
                    return p != null && p.at().equals(slot);
                };
                if (current.allCleared(ofSlot)) {
                    continue; // this response already cleared it (a completed login transaction, say)
                }
                bytes.merge(kind, current.bytes(ofSlot), Integer::sum);
                cookies += current.count(ofSlot);
            }
        }
        int accessBytes = bytes.getOrDefault(CookieKind.ACCESS, 0);
        int refreshBytes = bytes.getOrDefault(CookieKind.REFRESH, 0);
        int otherBytes = 0;
        for (Map.Entry<CookieKind, Integer> e : bytes.entrySet()) {
            if (e.getKey() != CookieKind.ACCESS && e.getKey() != CookieKind.REFRESH) {
                otherBytes += e.getValue();
            }
        }
        int total = accessBytes + refreshBytes + otherBytes + 2 * Math.max(0, cookies - 1);
        if (total + headroom > settings.maxTotalBytes()) {
            throw new CookieTooLargeException(total, accessBytes, refreshBytes, otherBytes, settings.maxTotalBytes() - headroom);
        }
    }

    private static void checkValue(String what, String token) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < token.length(); i++) {
            if (!CookieHeaderReader.isCookieOctet(token.charAt(i))) {
                // Say where, never what: the token is a secret.
                throw new IllegalArgumentException(what + " holds a character at index " + i
                        + " that a cookie value cannot carry (RFC 6265 cookie-octet)");
            }
        }
    }

    /**
     * The attribute value that makes this container emit {@code Partitioned}; see
     * {@link SetCookieAttributes#partitionedAttributeValue}.
     */
    static String partitionedAttributeValue(ServletResponse response) {
        return SetCookieAttributes.partitionedAttributeValue(response);
    }
}
