package io.github.sessiongate.it;

import io.github.sessiongate.it.RawHttp.Response;
import java.util.regex.Pattern;

/** A response as a failure message shows it: session cookie values reduced to their fingerprints. */
final class ResponseText {
    /** A session cookie value in a header dump (plain, {@code __Host-} or a chunk). */
    private static final Pattern SESSION_COOKIE_VALUE =
            Pattern.compile("((?:__Host-)?(?:sg_access|sg_refresh|sg_guest|sg_meta)(?:\\.\\d+)?=)([^;,\\]\\s]+)");

    private ResponseText() {
    }

    /** Status, headers and the start of the body, each session cookie value shown as its fingerprint. */
    static String describe(Response response) {
        return SESSION_COOKIE_VALUE.matcher(response.toString())
                .replaceAll(m -> m.group(1) + "<" + Tokens.fingerprint(m.group(2)) + ">");
    }
}
