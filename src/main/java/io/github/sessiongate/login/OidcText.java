package io.github.sessiongate.login;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/** The small text conversions the OpenID sign-in needs: base64url, query strings, log-safe provider text. */
final class OidcText {
    /** A provider's {@code error} code that may be logged and shown: a plain token, at most 64 characters. */
    static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private OidcText() {
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    static String unb64(String s) {
        return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    }

    /** {@code base} with {@code params} appended to its query, form-encoded, in order. */
    static String withQuery(URI base, Map<String, String> params) {
        StringBuilder b = new StringBuilder(base.toString());
        char sep = base.getRawQuery() == null ? '?' : '&';
        for (Map.Entry<String, String> e : params.entrySet()) {
            b.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return b.toString();
    }

    /** Longest {@code login_hint} passed on, in UTF-8 bytes (a long e-mail address fits). */
    static final int MAX_LOGIN_HINT_BYTES = 256;

    /**
     * Whether a browser's {@code login_hint} may go to the provider: not empty, at most
     * {@link #MAX_LOGIN_HINT_BYTES} UTF-8 bytes, no control, format (bidi) or line-separator
     * characters, no lone surrogate.
     */
    static boolean isLoginHint(String s) {
        if (s.isEmpty() || s.getBytes(StandardCharsets.UTF_8).length > MAX_LOGIN_HINT_BYTES) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            switch (Character.getType(c)) {
                case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                        Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> {
                    return false;
                }
                default -> {
                }
            }
        }
        return true;
    }

    /** A provider's text for a log line: printable ASCII, at most 200 characters. */
    static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 200 ? p.substring(0, 200) + "..." : p;
    }
}
