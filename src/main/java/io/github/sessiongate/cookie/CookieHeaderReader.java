package io.github.sessiongate.cookie;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * A lenient reader of raw {@code Cookie} request headers (RFC 6265 section 5.4 syntax), identical on
 * every container: containers' own parsers differ (Jetty 12's {@code getCookies()} throws on a TAB
 * anywhere in the header; Tomcat drops only the bad cookie), and one stray cookie from another
 * application must neither log a user out nor cause a 500.
 *
 * <p>Rules: split every header on {@code ;}; trim spaces and TABs around names and values; strip one
 * pair of surrounding double quotes from a value; skip a pair that has no {@code =}, an empty name, a
 * name that is not an RFC 7230 token, or a value with anything but RFC 6265 cookie-octets (control
 * characters, spaces, {@code " , ; \}, non-ASCII). Never throws.
 */
public final class CookieHeaderReader {

    /**
     * A well-formed name and value; {@link #toString()} hides the value. A pair read from a header
     * points into it and makes its strings only when asked: a name the assembler knows is its
     * constant ({@link #adoptName}), and a value equal to a token this process holds is that string
     * ({@link #adoptHeld}), so the usual request copies neither out of the header. Confined
     * to the request's thread.
     */
    static final class Pair {
        private final String header;
        private final int nameFrom;
        private final int nameTo;
        private final int valueFrom;
        private final int valueTo;
        private String name;
        private String value;
        /** Whether {@link #adoptHeld} has looked: a miss is not looked up twice. */
        private boolean heldLooked;
        /**
         * Whether the value's characters are still to be checked ({@link #hasCookieOctets}): only a
         * pair read by {@link #loneAtSight}, whose value the assembler may hand to a validator's look
         * first.
         */
        private boolean octetsUnchecked;
        /** Whether {@link #refusal} asked a look that refused nothing. */
        private boolean passedSight;

        /** A pair made from strings (cookies to write, tests). */
        Pair(String name, String value) {
            this(null, 0, name.length(), 0, value.length());
            this.name = name;
            this.value = value;
        }

        private Pair(String header, int nameFrom, int nameTo, int valueFrom, int valueTo) {
            this.header = header;
            this.nameFrom = nameFrom;
            this.nameTo = nameTo;
            this.valueFrom = valueFrom;
            this.valueTo = valueTo;
        }

        String name() {
            if (name == null) {
                name = header.substring(nameFrom, nameTo);
            }
            return name;
        }

        String value() {
            if (value == null) {
                value = valueTo - valueFrom > io.github.sessiongate.TokenValidator.MAX_TOKEN_LENGTH ? OVERSIZE_VALUE
                        : header.substring(valueFrom, valueTo);
            }
            return value;
        }

        /**
         * Takes as the value the string {@code held} has equal to it (every character compared), if it
         * has one; copies nothing.
         */
        void adoptHeld(HeldTokens held) {
            if (value == null && !heldLooked && held != null
                    && valueTo - valueFrom <= io.github.sessiongate.TokenValidator.MAX_TOKEN_LENGTH) {
                heldLooked = true;
                value = held.equalTo(header, valueFrom, valueTo);
            }
        }

        /**
         * Why {@code sight} refuses the value, looked at in the header without copying it; {@code null}
         * for none, and for a value already made (a held token goes the usual way). An oversize value
         * is looked at as what it reads as, {@link #OVERSIZE_VALUE}.
         */
        io.github.sessiongate.ValidationResult.Reason refusal(TokenSight sight) {
            if (value != null || sight == TokenSight.NONE) {
                return null;
            }
            if (valueTo - valueFrom > io.github.sessiongate.TokenValidator.MAX_TOKEN_LENGTH) {
                return sight.refusal(OVERSIZE_VALUE, 0, OVERSIZE_VALUE.length());
            }
            io.github.sessiongate.ValidationResult.Reason reason = sight.refusal(header, valueFrom, valueTo);
            passedSight = reason == null;
            return reason;
        }

        /** Whether a look ({@link #refusal}) saw the value and refused nothing: the validation need not look again. */
        boolean passedSight() {
            return passedSight;
        }

        /**
         * Whether the value is cookie-octets only; checked here, once, for a pair read by
         * {@link #loneAtSight} (every other pair was checked when read). A value that is not is no
         * cookie at all: the caller drops the pair, as {@link #parse} would have.
         */
        boolean hasCookieOctets() {
            if (octetsUnchecked) {
                if (!cookieOctets(header, valueFrom, valueTo)) {
                    return false; // stays unchecked: asked again, answered again
                }
                octetsUnchecked = false;
            }
            return true;
        }

        int valueLength() {
            return value != null ? value.length() : Math.min(valueTo - valueFrom, OVERSIZE_VALUE.length());
        }

        int nameLength() {
            return nameTo - nameFrom;
        }

        /** The name's {@link String#hashCode()}, computed without making the string. */
        int nameHash() {
            if (name != null) {
                return name.hashCode();
            }
            int h = 0;
            for (int i = nameFrom; i < nameTo; i++) {
                h = 31 * h + header.charAt(i);
            }
            return h;
        }

        /** Whether the name is exactly {@code candidate}, compared without making the string. */
        boolean nameIs(String candidate) {
            return name != null ? name.equals(candidate)
                    : candidate.length() == nameTo - nameFrom && header.regionMatches(nameFrom, candidate, 0, nameTo - nameFrom);
        }

        /** Takes {@code known}, a constant equal to the name ({@link #nameIs}), as the name: no copy is made. */
        void adoptName(String known) {
            name = known;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pair p && p.name().equals(name()) && p.value().equals(value());
        }

        @Override
        public int hashCode() {
            return 31 * name().hashCode() + value().hashCode();
        }

        @Override
        public String toString() {
            return name() + "=[" + valueLength() + " chars]";
        }
    }

    /**
     * Stands for a value longer than {@link io.github.sessiongate.TokenValidator#MAX_TOKEN_LENGTH}
     * (no cookie the codec writes comes near it), which is not copied out of the header: as long
     * as the longest token refused, so a validator, a seal and the byte counts treat it as they
     * would the value itself. Made once.
     */
    static final String OVERSIZE_VALUE = "x".repeat(io.github.sessiongate.TokenValidator.MAX_TOKEN_LENGTH + 1);

    private CookieHeaderReader() {
    }

    /**
     * Every well-formed pair of every header, in order; {@code null} reads as none. Read-only. A lone
     * header holding one cookie (the usual request) makes no list to grow.
     */
    static List<Pair> parse(Enumeration<String> headers) {
        return parse(headers, HeldTokens.NONE);
    }

    /**
     * As {@link #parse(Enumeration)}; a value of {@value #HELD_MIN_LENGTH} characters or more equal to
     * a token {@code held} has is that string and skips the character check: the token was read and
     * validated before, and comparing it (one vectorised pass) costs less than checking each of its
     * characters again.
     */
    static List<Pair> parse(Enumeration<String> headers, HeldTokens held) {
        if (headers == null || !headers.hasMoreElements()) {
            return List.of();
        }
        String first = headers.nextElement();
        if (holdsOne(first) && !headers.hasMoreElements()) {
            Pair only = lone(first, held);
            return only == null ? List.of() : List.of(only);
        }
        return parse(first, headers, held);
    }

    /**
     * Whether {@code header} holds at most one pair (no {@code ;}): then, when it is the request's
     * only {@code Cookie} header, {@link #lone} reads it without a list.
     */
    static boolean holdsOne(String header) {
        return header != null && header.indexOf(';') < 0;
    }

    /** The one pair of a header that {@link #holdsOne}, as {@link #parse(Enumeration, HeldTokens)} reads it; {@code null} when malformed. */
    static Pair lone(String header, HeldTokens held) {
        return pair(header, 0, header.length(), held, false);
    }

    /**
     * As {@link #lone}, except that a value of {@value #HELD_MIN_LENGTH} characters or more that
     * {@code held} does not have is not yet checked for cookie-octets: the assembler first lets the
     * validator look at it in the header ({@link Pair#refusal}), and only a value the look does not
     * refuse is checked ({@link Pair#hasCookieOctets}) before anyone reads it. Junk refused on sight
     * (a flood of it costs the filter most) is then read once, by the look, not twice; what it
     * changes is that a junk value with, say, a quote in it is refused as a token (its cookie
     * cleared) rather than dropped as a malformed cookie: either way it is no session.
     */
    static Pair loneAtSight(String header, HeldTokens held) {
        return pair(header, 0, header.length(), held, true);
    }

    /**
     * As {@link #parse(Enumeration, HeldTokens)}, for the headers {@code first} (already taken from
     * {@code rest}, possibly {@code null}) and the rest of {@code rest}.
     */
    static List<Pair> parse(String first, Enumeration<String> rest, HeldTokens held) {
        List<Pair> pairs = new ArrayList<>(4); // a request carries a few cookies: not the default 10 slots
        if (first != null) {
            parse(first, pairs, held);
        }
        while (rest.hasMoreElements()) {
            String header = rest.nextElement();
            if (header != null) {
                parse(header, pairs, held);
            }
        }
        return pairs;
    }

    /** Adds the well-formed pairs of one header to {@code out}. */
    static void parse(String header, List<Pair> out) {
        parse(header, out, HeldTokens.NONE);
    }

    private static void parse(String header, List<Pair> out, HeldTokens held) {
        int start = 0;
        int length = header.length();
        while (start <= length) {
            int end = header.indexOf(';', start);
            if (end < 0) {
                end = length;
            }
            Pair pair = pair(header, start, end, held, false);
            if (pair != null) {
                out.add(pair);
            }
            start = end + 1;
        }
    }

    /** Values shorter than this are never looked up among the held tokens: no token is that short. */
    static final int HELD_MIN_LENGTH = 32;

    private static Pair pair(String header, int start, int end, HeldTokens held, boolean deferOctets) {
        int eq = header.indexOf('=', start);
        if (eq < 0 || eq >= end) {
            return null;
        }
        int nameFrom = skipBlanks(header, start, eq);
        int nameTo = dropBlanks(header, nameFrom, eq);
        if (nameFrom == nameTo) {
            return null;
        }
        for (int i = nameFrom; i < nameTo; i++) {
            if (!isTokenChar(header.charAt(i))) {
                return null;
            }
        }
        int valueFrom = skipBlanks(header, eq + 1, end);
        int valueTo = dropBlanks(header, valueFrom, end);
        if (valueTo - valueFrom >= 2 && header.charAt(valueFrom) == '"' && header.charAt(valueTo - 1) == '"') {
            valueFrom++;
            valueTo--;
        }
        if (valueTo - valueFrom > io.github.sessiongate.TokenValidator.MAX_TOKEN_LENGTH) {
            // Nothing of ours is that long: neither scanned nor copied, it reads as OVERSIZE_VALUE, refused as junk.
            return new Pair(header, nameFrom, nameTo, valueFrom, valueTo);
        }
        Pair pair = null;
        if (valueTo - valueFrom >= HELD_MIN_LENGTH && held != HeldTokens.NONE) {
            pair = new Pair(header, nameFrom, nameTo, valueFrom, valueTo);
            pair.adoptHeld(held);
            if (pair.value != null) {
                return pair; // equal to a token read and validated before: its characters were checked then
            }
        }
        if (deferOctets && valueTo - valueFrom >= HELD_MIN_LENGTH) {
            if (pair == null) {
                pair = new Pair(header, nameFrom, nameTo, valueFrom, valueTo);
            }
            pair.octetsUnchecked = true; // long enough to be a token: the assembler decides when
            return pair;
        }
        if (!cookieOctets(header, valueFrom, valueTo)) {
            return null;
        }
        return pair != null ? pair : new Pair(header, nameFrom, nameTo, valueFrom, valueTo);
    }

    private static boolean cookieOctets(String header, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isCookieOctet(header.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The first index in {@code [from, to)} that is not a space or TAB, else {@code to}. */
    private static int skipBlanks(String s, int from, int to) {
        while (from < to && isBlank(s.charAt(from))) {
            from++;
        }
        return from;
    }

    /** The end of {@code [from, to)} without its trailing spaces and TABs. */
    private static int dropBlanks(String s, int from, int to) {
        while (to > from && isBlank(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** RFC 7230 {@code tchar}: what a cookie name may contain. */
    public static boolean isTokenChar(char c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** RFC 6265 {@code cookie-octet}: printable ASCII except space, {@code " , ; \}. */
    static boolean isCookieOctet(char c) {
        return c < COOKIE_OCTETS.length && COOKIE_OCTETS[c];
    }

    /**
     * {@link #isCookieOctet} as a table of the ASCII characters: one load per character of a
     * 750-character token, where the six comparisons were the larger part of reading a warm request.
     */
    private static final boolean[] COOKIE_OCTETS = new boolean[128];

    static {
        for (char c = 0x21; c <= 0x7e; c++) {
            COOKIE_OCTETS[c] = c != '"' && c != ',' && c != ';' && c != '\\';
        }
    }
}
