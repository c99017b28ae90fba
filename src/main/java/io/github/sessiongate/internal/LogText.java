package io.github.sessiongate.internal;

import java.util.Collection;

/**
 * A value from a token, a backend or the configuration made fit for a refusal's detail in a log
 * line: at most {@link #MAX} characters of it (then {@code ...}), each character outside printable
 * ASCII, and the quote, backslash and {@code =}, written as {@code \}{@code uNNNN}, so the value can
 * neither break the line nor its quotes nor pass for one more {@code key=value} field of an audit
 * line (the audit's {@code reason=} is not quoted). Never give it a token, signature or secret. Internal.
 */
public final class LogText {
    /** Characters of a value kept; the rest is cut and marked {@code ...}. */
    public static final int MAX = 100;

    private LogText() {
    }

    /** The value, cut and escaped, in double quotes; {@code (none)} for {@code null}; a list as {@code ["a", "b"]}. */
    public static String quoted(Object value) {
        if (value == null) {
            return "(none)";
        }
        if (value instanceof Collection<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (Object item : list) {
                if (b.length() > 1) {
                    b.append(", ");
                }
                b.append(quoted(item));
                if (b.length() > 4 * MAX) {
                    return b.append(", ...]").toString();
                }
            }
            return b.append(']').toString();
        }
        return '"' + escaped(String.valueOf(value)) + '"';
    }

    /** The text, cut at {@link #MAX} characters and escaped, without quotes. */
    public static String escaped(String text) {
        int end = Math.min(text.length(), MAX);
        StringBuilder b = new StringBuilder(end + 8);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '=') {
                b.append(c);
            } else {
                b.append("\\u").append(String.format("%04x", (int) c));
            }
        }
        return end < text.length() ? b.append("...").toString() : b.toString();
    }
}
