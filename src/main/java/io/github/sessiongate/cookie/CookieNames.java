package io.github.sessiongate.cookie;

import io.github.sessiongate.CookieSettings;
import java.util.Collection;
import java.util.List;

/**
 * Which session cookie a name belongs to. A session cookie's name is a configured base name, with or
 * without the {@code __Host-} prefix, optionally followed by a chunk suffix {@code .0}, {@code .1}, ...
 * (one to three digits, no leading zero). Both prefix forms are recognised, so a stale form left by a
 * different setting is seen and can be cleared; only the form that writing would use carries a token.
 */
public final class CookieNames {

    /**
     * A recognised name.
     *
     * @param kind which kind of cookie
     * @param slot which name of the kind: 0, or the member of a family
     * @param stem the name without chunk suffix, prefix included
     * @param chunk the chunk index, or -1 for an unchunked cookie
     */
    record Parsed(CookieKind kind, int slot, String stem, int chunk) {
        Slot at() {
            return new Slot(kind, slot);
        }
    }

    /** One name of a kind: slot 0 of a single kind, or one member of a family. */
    record Slot(CookieKind kind, int index) {
    }

    /** Longest chunk suffix read: three digits. */
    static final int MAX_CHUNK_DIGITS = 3;

    private CookieNames() {
    }

    /** The name of chunk {@code index} of cookie {@code stem}. */
    static String chunkName(String stem, int index) {
        return stem + "." + index;
    }

    /** Whether a name ends in '.' and one or more digits, the shape reserved for chunks. */
    public static boolean endsWithDotDigits(String name) {
        int i = name.length();
        while (i > 0 && Character.isDigit(name.charAt(i - 1)) && name.charAt(i - 1) < 0x80) {
            i--;
        }
        return i < name.length() && i > 0 && name.charAt(i - 1) == '.';
    }

    /** The chunk index a name ends with, or -1 when it has no valid chunk suffix. */
    static int chunkIndex(String name) {
        int dot = name.lastIndexOf('.');
        int digits = name.length() - dot - 1;
        if (dot <= 0 || digits < 1 || digits > MAX_CHUNK_DIGITS) {
            return -1;
        }
        int index = 0;
        for (int i = dot + 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            index = index * 10 + (c - '0');
        }
        if (digits > 1 && name.charAt(dot + 1) == '0') {
            return -1;
        }
        return index;
    }

    /**
     * The kind a <em>session-shaped</em> name belongs to, whatever its suffix: a configured base name,
     * with or without {@code __Host-}, followed by nothing or by {@code .} and any number of ASCII
     * digits. Broader than {@link #classify}: it also matches {@code sg_access.0001} or {@code sg_access.77},
     * names that look like ours but that writing never produces. {@code null} for a name of none of these kinds.
     */
    static CookieKind shapedKind(CookieSettings settings, Collection<CookieKind> kinds, String name) {
        int end = name.length();
        int i = end;
        while (i > 0 && name.charAt(i - 1) >= '0' && name.charAt(i - 1) <= '9') {
            i--;
        }
        if (i < end && i > 0 && name.charAt(i - 1) == '.') {
            end = i - 1;
        }
        int start = name.startsWith(CookieSettings.HOST_PREFIX) ? CookieSettings.HOST_PREFIX.length() : 0;
        String bare = name.substring(start, end);
        for (CookieKind kind : kinds) {
            if (kind.names(settings).contains(bare)) {
                return kind;
            }
        }
        return null;
    }

    /** Classifies a cookie name among these kinds; {@code null} when it is a name of none of them. */
    static Parsed classify(CookieSettings settings, Collection<CookieKind> kinds, String name) {
        int chunk = chunkIndex(name);
        String stem = chunk < 0 ? name : name.substring(0, name.lastIndexOf('.'));
        String bare = stem.startsWith(CookieSettings.HOST_PREFIX)
                ? stem.substring(CookieSettings.HOST_PREFIX.length()) : stem;
        for (CookieKind kind : kinds) {
            List<String> names = kind.names(settings);
            int slot = names.indexOf(bare);
            if (slot >= 0) {
                return new Parsed(kind, slot, stem, chunk);
            }
        }
        return null;
    }
}
