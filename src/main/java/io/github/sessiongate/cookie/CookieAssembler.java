package io.github.sessiongate.cookie;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.ValidationResult;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reading half of {@link CookieCodec}: picks the cookies of the configured kinds out of a parsed
 * {@code Cookie} header and reassembles their values into a {@link SessionCookies}. Only the canonical
 * name form of a configured kind, with a chunk suffix within range (none for an unchunked kind),
 * carries a value; a name that arrived twice carries none; every other session-shaped name is
 * ignored and only reported. Never throws for what a request carries. Immutable.
 */
final class CookieAssembler {
    /** Logs under the codec's name: reading and writing are one component to whoever reads the log. */
    private static final Logger LOG = LoggerFactory.getLogger(CookieCodec.class);

    private final CookieSettings settings;
    private final List<CookieKind> kinds;
    private final List<CookieKind> known;
    private final int maxChunkIndex;
    /**
     * Every name of ours a request can carry and this assembler reads (a configured kind, either
     * prefix form, no chunk suffix or one within range for a chunked kind), with what
     * {@link CookieNames#classify} says of it: computed once, so reading the usual Cookie header
     * costs a map lookup per cookie instead of substrings and name lists. Any other name takes the
     * general path, which gives the same answers.
     */
    private final Map<String, Known> ours;
    /**
     * The names of {@link #ours} in an open-addressing table (linear probing, at most half full),
     * looked up on a pair's characters so a name of ours is never copied out of the header.
     */
    private final String[] ourNames;
    private final Known[] ourKnown;

    /** A name of ours, its classification and its slot (made once, not per request). */
    private record Known(CookieNames.Parsed parsed, CookieNames.Slot at) {
    }
    /** The canonical name of each slot, for a request with Secure off [0] and on [1]. */
    private final List<Map<CookieNames.Slot, String>> canonical;

    /**
     * @param kinds the configured kinds: read
     * @param known those and the built-in kinds: a name of a known kind that is not configured is reported
     * @param maxChunkIndex the highest chunk suffix read
     */
    CookieAssembler(CookieSettings settings, List<CookieKind> kinds, List<CookieKind> known, int maxChunkIndex) {
        this.settings = settings;
        this.kinds = kinds;
        this.known = known;
        this.maxChunkIndex = maxChunkIndex;
        Map<String, Known> names = new HashMap<>();
        Map<CookieNames.Slot, String> plain = new HashMap<>();
        Map<CookieNames.Slot, String> secure = new HashMap<>();
        for (CookieKind kind : kinds) {
            List<String> bases = kind.names(settings);
            for (int slot = 0; slot < bases.size(); slot++) {
                CookieNames.Slot at = new CookieNames.Slot(kind, slot);
                plain.put(at, settings.cookieName(bases.get(slot), false));
                secure.put(at, settings.cookieName(bases.get(slot), true));
                for (String stem : List.of(bases.get(slot), CookieSettings.HOST_PREFIX + bases.get(slot))) {
                    remember(names, stem);
                    for (int chunk = 0; kind.chunked() && chunk <= maxChunkIndex; chunk++) {
                        remember(names, CookieNames.chunkName(stem, chunk));
                    }
                }
            }
        }
        this.ours = Map.copyOf(names);
        int size = Integer.highestOneBit(Math.max(1, names.size()) * 4 - 1); // a power of two, over twice the names
        this.ourNames = new String[size];
        this.ourKnown = new Known[size];
        names.forEach((name, k) -> {
            int i = slotOf(name.hashCode());
            while (ourNames[i] != null) {
                i = (i + 1) & (size - 1);
            }
            ourNames[i] = name;
            ourKnown[i] = k;
        });
        this.canonical = List.of(Map.copyOf(plain), Map.copyOf(secure));
    }

    /** Adds {@code name} to the fast lookup when the general path would read it (same kind, within range). */
    private void remember(Map<String, Known> names, String name) {
        CookieKind shaped = CookieNames.shapedKind(settings, known, name);
        CookieNames.Parsed parsed = CookieNames.classify(settings, known, name);
        if (shaped != null && kinds.contains(shaped) && parsed != null && parsed.kind() == shaped
                && parsed.chunk() <= maxChunkIndex && (parsed.chunk() < 0 || parsed.kind().chunked())) {
            names.put(name, new Known(parsed, parsed.at()));
        }
    }

    private int slotOf(int hash) {
        return (hash ^ (hash >>> 16)) & (ourNames.length - 1);
    }

    /** The pair's name among {@link #ours}, found on its characters; the pair then takes the name's constant. */
    private Known known(CookieHeaderReader.Pair pair) {
        for (int i = slotOf(pair.nameHash()); ourNames[i] != null; i = (i + 1) & (ourNames.length - 1)) {
            if (pair.nameIs(ourNames[i])) {
                pair.adoptName(ourNames[i]);
                return ourKnown[i];
            }
        }
        return null;
    }

    /** What {@link CookieNames#classify} says of a name of a configured kind, from the table when it is one of ours. */
    CookieNames.Parsed classify(String name) {
        Known k = ours.get(name);
        return k != null ? k.parsed() : CookieNames.classify(settings, known, name);
    }

    /** Picks our cookies out of the parsed pairs and reassembles the values. */
    SessionCookies assemble(List<CookieHeaderReader.Pair> pairs, boolean secure) {
        return assemble(pairs, secure, HeldTokens.NONE);
    }

    /** As {@link #assemble(List, boolean)}, a lone access cookie's value read as the token {@code held} has. */
    SessionCookies assemble(List<CookieHeaderReader.Pair> pairs, boolean secure, HeldTokens held) {
        return assemble(pairs, secure, held, TokenSight.NONE);
    }

    /**
     * As {@link #assemble(List, boolean, HeldTokens)}; a lone access cookie that {@code held} does not
     * have and {@code sight} refuses is read with that refusal and without copying its value.
     */
    SessionCookies assemble(List<CookieHeaderReader.Pair> pairs, boolean secure, HeldTokens held, TokenSight sight) {
        SessionCookies simple = simple(pairs, secure, held, sight);
        return simple != null ? simple : general(pairs, secure);
    }

    /**
     * As {@link #assemble(List, boolean, HeldTokens, TokenSight)}, for a request whose lone
     * {@code Cookie} header held one pair ({@code null} when it was malformed): the usual request,
     * read without a list.
     */
    SessionCookies assembleOne(CookieHeaderReader.Pair pair, boolean secure, HeldTokens held, TokenSight sight) {
        if (pair == null) {
            return SessionCookies.none();
        }
        Known k = known(pair);
        if (k != null && k.parsed().chunk() < 0 && k.parsed().stem().equals(canonical.get(secure ? 1 : 0).get(k.at()))
                && pair.valueLength() > 0) {
            return single(pair, k.at(), held, sight); // what simple() gives for it, without the list
        }
        if (!pair.hasCookieOctets()) {
            return SessionCookies.none(); // a malformed cookie, as the reader drops it
        }
        return assemble(List.of(pair), secure, held, sight);
    }

    /**
     * One cookie of ours under its canonical name, with a value: read as {@link SessionCookies#single}.
     * A pair whose characters are still unchecked ({@link CookieHeaderReader#loneAtSight}) is checked
     * before its value is read, unless the validator refuses the value on sight first.
     */
    private static SessionCookies single(CookieHeaderReader.Pair pair, CookieNames.Slot slot, HeldTokens held,
            TokenSight sight) {
        if (slot.kind() != CookieKind.ACCESS) {
            if (!pair.hasCookieOctets()) {
                return SessionCookies.none();
            }
            pair.value();
            return SessionCookies.single(pair, slot, null);
        }
        // A token held is the string held; any other is looked at in the header before it is copied.
        pair.adoptHeld(held);
        ValidationResult.Reason refusal = pair.refusal(sight);
        if (refusal == null && !pair.hasCookieOctets()) {
            return SessionCookies.none();
        }
        return SessionCookies.single(pair, slot, refusal);
    }

    /**
     * The usual request, read without the general path's bookkeeping: every session-shaped name is
     * one of {@link #ours} under its canonical form, unchunked, each slot at most once. Gives what
     * {@link #general} gives for such a request; {@code null} for any other (then the general path decides).
     */
    private SessionCookies simple(List<CookieHeaderReader.Pair> pairs, boolean secure, HeldTokens held, TokenSight sight) {
        Map<CookieNames.Slot, String> canonicalNames = canonical.get(secure ? 1 : 0);
        int n = pairs.size();
        CookieHeaderReader.Pair[] mine = null;
        CookieNames.Slot[] slots = null;
        CookieHeaderReader.Pair first = null;
        CookieNames.Slot firstSlot = null;
        int count = 0;
        for (int i = 0; i < n; i++) {
            CookieHeaderReader.Pair pair = pairs.get(i);
            Known k = known(pair);
            if (k == null) {
                if (CookieNames.shapedKind(settings, known, pair.name()) != null) {
                    return null; // ignored or reported: the general path's business
                }
                continue; // another application's cookie
            }
            CookieNames.Parsed parsed = k.parsed();
            CookieNames.Slot at = k.at();
            if (parsed.chunk() >= 0 || !parsed.stem().equals(canonicalNames.get(at))) {
                return null;
            }
            if (count == 0) {
                first = pair; // arrays only from a second cookie of ours on
                firstSlot = at;
                count = 1;
                continue;
            }
            if (mine == null) {
                mine = new CookieHeaderReader.Pair[n];
                slots = new CookieNames.Slot[n];
                mine[0] = first;
                slots[0] = firstSlot;
            }
            for (int j = 0; j < count; j++) {
                if (slots[j].equals(at)) {
                    return null; // a duplicate
                }
            }
            mine[count] = pair;
            slots[count++] = at;
        }
        if (count == 0) {
            return SessionCookies.none();
        }
        if (count == 1) {
            if (first.valueLength() > 0) {
                return single(first, firstSlot, held, sight);
            }
            mine = new CookieHeaderReader.Pair[] {first};
            slots = new CookieNames.Slot[] {firstSlot};
        }
        Set<String> present = count == 1 ? Set.of(mine[0].name()) : new LinkedHashSet<>();
        List<SessionCookies.Seen> seen = new ArrayList<>(count);
        Map<CookieNames.Slot, String> values = count == 1 ? new HashMap<>(2) : new LinkedHashMap<>();
        List<String> refreshes = List.of();
        for (int j = 0; j < count; j++) {
            String value = mine[j].value();
            if (count > 1) {
                present.add(mine[j].name());
            }
            seen.add(new SessionCookies.Seen(mine[j].name(), value.length()));
            if (!value.isEmpty()) {
                values.put(slots[j], value);
                if (slots[j].kind() == CookieKind.REFRESH && slots[j].index() == 0) {
                    refreshes = List.of(value);
                }
            }
        }
        return new SessionCookies(values, Set.of(), present, seen, Map.of(), Map.of(), refreshes);
    }

    /** Any request: ignored names, chunks, duplicates and all. Package-private for the differential test. */
    SessionCookies general(List<CookieHeaderReader.Pair> pairs, boolean secure) {
        Set<String> present = new LinkedHashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        List<SessionCookies.Seen> seen = new ArrayList<>();
        Map<CookieNames.Slot, Assembly> assemblies = new LinkedHashMap<>(); // in the order the request carried them
        Map<SessionCookies.Ignored, Integer> ignored = new EnumMap<>(SessionCookies.Ignored.class);
        Map<SessionCookies.Ignored, List<String>> examples = new EnumMap<>(SessionCookies.Ignored.class);
        Map<CookieNames.Slot, String> canonicalNames = canonical.get(secure ? 1 : 0);
        for (CookieHeaderReader.Pair pair : pairs) {
            Known our = ours.get(pair.name());
            CookieNames.Parsed parsed = our == null ? null : our.parsed();
            if (parsed == null) {
                CookieKind shaped = CookieNames.shapedKind(settings, known, pair.name());
                if (shaped == null) {
                    continue; // another application's cookie
                }
                parsed = CookieNames.classify(settings, known, pair.name());
                if (!kinds.contains(shaped)) {
                    ignore(ignored, examples, SessionCookies.Ignored.UNCONFIGURED_KIND, pair.name());
                    continue;
                }
                if (parsed == null || parsed.chunk() > maxChunkIndex || (parsed.chunk() >= 0 && !parsed.kind().chunked())) {
                    ignore(ignored, examples, SessionCookies.Ignored.CHUNK_OUT_OF_RANGE, pair.name());
                    continue;
                }
            }
            present.add(pair.name());
            String canonical = canonicalNames.get(parsed.at());
            if (parsed.stem().equals(canonical)) {
                seen.add(new SessionCookies.Seen(pair.name(), pair.value().length()));
                assemblies.computeIfAbsent(parsed.at(), k -> new Assembly(canonical)).add(parsed.chunk(), pair.value());
            } else {
                ignore(ignored, examples, parsed.stem().startsWith(CookieSettings.HOST_PREFIX)
                        ? SessionCookies.Ignored.HOST_PREFIX_FORM : SessionCookies.Ignored.UNPREFIXED_FORM, pair.name());
            }
        }
        Map<CookieNames.Slot, String> tokens = new HashMap<>();
        for (CookieKind kind : kinds) { // duplicates are recorded kind by kind, slot by slot
            for (int slot = 0; slot < kind.slots(); slot++) {
                CookieNames.Slot at = new CookieNames.Slot(kind, slot);
                String token = token(assemblies.get(at), duplicates);
                if (token != null) {
                    tokens.put(at, token);
                }
            }
        }
        Map<CookieNames.Slot, String> values = new LinkedHashMap<>();
        for (CookieNames.Slot at : assemblies.keySet()) {
            String token = tokens.get(at);
            if (token != null) {
                values.put(at, token);
            }
        }
        if (!duplicates.isEmpty()) {
            LOG.debug("session cookie names {} arrived more than once; those tokens are ignored", duplicates);
        }
        Assembly refreshes = assemblies.get(new CookieNames.Slot(CookieKind.REFRESH, 0));
        return new SessionCookies(values, duplicates, present, seen, ignored, examples,
                refreshes == null ? List.of() : refreshes.values());
    }

    private static void ignore(Map<SessionCookies.Ignored, Integer> counts, Map<SessionCookies.Ignored, List<String>> examples,
            SessionCookies.Ignored reason, String name) {
        counts.merge(reason, 1, Integer::sum);
        List<String> names = examples.computeIfAbsent(reason, r -> new ArrayList<>(SessionCookies.MAX_IGNORED_EXAMPLES));
        String example = name.length() <= SessionCookies.MAX_EXAMPLE_LENGTH ? name
                : name.substring(0, SessionCookies.MAX_EXAMPLE_LENGTH) + "...";
        if (names.size() < SessionCookies.MAX_IGNORED_EXAMPLES && !names.contains(example)) {
            names.add(example);
        }
    }

    private static String token(Assembly assembly, Set<String> duplicates) {
        return assembly == null ? null : assembly.token(duplicates);
    }

    /** The occurrences of one token's canonical name and its chunks. */
    private static final class Assembly {
        private final String stem;
        private final List<String> whole = new ArrayList<>(1);
        private final Map<Integer, List<String>> chunks = new TreeMap<>();

        Assembly(String stem) {
            this.stem = stem;
        }

        void add(int chunk, String value) {
            if (chunk < 0) {
                whole.add(value);
            } else {
                chunks.computeIfAbsent(chunk, k -> new ArrayList<>(1)).add(value);
            }
        }

        /**
         * Every value presented, duplicates included: each whole value, and the chunks assembled from
         * the first value of each index. For a logout, which ends each; never to use. A duplicated
         * chunk index yields only its first assembly (not every combination): a chunked refresh
         * token hidden that way is still ended through the verified access token's link to it.
         */
        List<String> values() {
            List<String> out = new ArrayList<>();
            for (String w : whole) {
                if (!w.isEmpty() && !out.contains(w)) {
                    out.add(w);
                }
            }
            StringBuilder sb = new StringBuilder();
            int expected = 0;
            for (Map.Entry<Integer, List<String>> e : chunks.entrySet()) {
                if (e.getKey() != expected++ || e.getValue().get(0).isEmpty()) {
                    sb.setLength(0);
                    break;
                }
                sb.append(e.getValue().get(0));
            }
            if (sb.length() > 0 && !out.contains(sb.toString())) {
                out.add(sb.toString());
            }
            return out;
        }

        /** The token, or null when absent, incomplete or duplicated (then recording the names). */
        String token(Set<String> duplicates) {
            boolean duplicated = false;
            if (whole.size() > 1 || (!whole.isEmpty() && !chunks.isEmpty())) {
                duplicates.add(stem);
                duplicated = true;
            }
            for (Map.Entry<Integer, List<String>> e : chunks.entrySet()) {
                if (e.getValue().size() > 1) {
                    duplicates.add(CookieNames.chunkName(stem, e.getKey()));
                    duplicated = true;
                }
            }
            if (duplicated) {
                return null;
            }
            if (!whole.isEmpty()) {
                return whole.get(0).isEmpty() ? null : whole.get(0);
            }
            StringBuilder sb = new StringBuilder();
            int expected = 0;
            for (Map.Entry<Integer, List<String>> e : chunks.entrySet()) {
                String part = e.getValue().get(0);
                if (e.getKey() != expected++ || part.isEmpty()) {
                    return null; // a gap, a missing .0 or an empty chunk
                }
                sb.append(part);
            }
            return sb.length() == 0 ? null : sb.toString();
        }
    }

}
