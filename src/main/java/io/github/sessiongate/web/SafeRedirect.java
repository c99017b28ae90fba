package io.github.sessiongate.web;

import java.util.Optional;

/**
 * Decides whether a {@code from} value may be used as a redirect target: only a same-origin
 * relative path, so a login can never be turned into an open redirect.
 *
 * <p>Accepted: a value that starts with exactly one {@code /}, is printable ASCII, and contains no
 * backslash and no encoded slash or backslash (browsers treat {@code /\evil.example} and some
 * encodings of it as {@code //evil.example}). Refused: {@code //evil.example},
 * {@code /\evil.example}, {@code https://evil.example}, {@code javascript:alert(1)},
 * {@code /%2F%2Fevil.example}, anything with CR, LF or another control character, and anything
 * longer than {@value #MAX_LENGTH} characters.
 */
public final class SafeRedirect {
    /** Longest accepted target. */
    public static final int MAX_LENGTH = 2048;

    private SafeRedirect() {
    }

    /**
     * The target if it is a safe same-origin path (with optional query): no scheme or host, no
     * backslash, fragment, control or non-ASCII character, no character a URL must encode, no dot
     * segment and no encoded slash, dot or line break; else empty.
     */
    public static Optional<String> target(String from) {
        if (from == null || from.isEmpty() || from.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        if (from.charAt(0) != '/' || (from.length() > 1 && (from.charAt(1) == '/' || from.charAt(1) == '\\'))) {
            return Optional.empty();
        }
        for (int i = 0; i < from.length(); i++) {
            char c = from.charAt(i);
            // Besides controls, space and non-ASCII: what RFC 3986 never allows unencoded in a URL.
            if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '#' || "\"<>{}|^`".indexOf(c) >= 0) {
                return Optional.empty();
            }
        }
        String lower = from.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%0d") || lower.contains("%0a")
                || lower.contains("%00") || lower.contains("/..") || lower.contains("%2e")) {
            return Optional.empty();
        }
        // No dot segment ("/./", "/.", "/../"): whatever resolves them could turn "/.//evil" into "//evil".
        int query = from.indexOf('?');
        for (String segment : (query < 0 ? from : from.substring(0, query)).split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.empty();
            }
        }
        return Optional.of(from);
    }
}
