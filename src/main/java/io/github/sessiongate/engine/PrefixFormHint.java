package io.github.sessiongate.engine;

import io.github.sessiongate.CookieSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Which setting would read a session cookie that arrived under the other prefix form of one of our
 * names: {@code sg_access} where the filter reads {@code __Host-sg_access} (the default,
 * {@code cookie-secure=true}), or the reverse. For the ignored-cookie audit event, so a cookie set by
 * hand or by another app under the bare name is not ignored without a clue. Names only, never a value;
 * the parameter names come from their constants. Immutable.
 */
final class PrefixFormHint {
    /** The settings under which the bare form is read. */
    private final String readsBare;
    /** The settings under which the {@code __Host-} form is read, given these settings. */
    private final String readsPrefixed;

    PrefixFormHint(CookieSettings settings) {
        this.readsBare = CookieSettings.PARAM_SECURE + "=false or " + CookieSettings.PARAM_HOST_PREFIX + "=false";
        List<String> needed = new ArrayList<>();
        if (!settings.hostPrefix()) {
            needed.add(CookieSettings.PARAM_HOST_PREFIX + "=true");
        }
        if (settings.secureMode() == CookieSettings.SecureMode.NEVER && !settings.forcesSecure()) {
            needed.add(CookieSettings.PARAM_SECURE + "=true");
        }
        if (!"/".equals(settings.path())) {
            needed.add(CookieSettings.PARAM_PATH + "=/");
        }
        if (settings.domain().isPresent()) {
            needed.add("no " + CookieSettings.PARAM_DOMAIN);
        }
        if (needed.isEmpty()) { // every condition holds: cookie-secure=auto on plain HTTP to loopback
            needed.add(CookieSettings.PARAM_SECURE + "=true (auto reads it only over HTTPS or from another host)");
        }
        this.readsPrefixed = String.join(" and ", needed);
    }

    /**
     * The hints for these ignored names of the other prefix form, one per form, each starting with
     * {@code "; "}: e.g. {@code ; `sg_access` is read only with cookie-secure=false or
     * cookie-host-prefix=false; this filter expects `__Host-sg_access`}. Empty for no name.
     */
    String hints(List<String> names) {
        List<String> bare = names.stream().filter(n -> !n.startsWith(CookieSettings.HOST_PREFIX)).toList();
        List<String> prefixed = names.stream().filter(n -> n.startsWith(CookieSettings.HOST_PREFIX)).toList();
        return hint(bare, readsBare, n -> CookieSettings.HOST_PREFIX + n)
                + hint(prefixed, readsPrefixed, n -> n.substring(CookieSettings.HOST_PREFIX.length()));
    }

    private static String hint(List<String> names, String readsWith, UnaryOperator<String> expected) {
        if (names.isEmpty()) {
            return "";
        }
        return "; " + ticked(names, UnaryOperator.identity()) + (names.size() == 1 ? " is" : " are") + " read only with "
                + readsWith + "; this filter expects " + ticked(names, expected);
    }

    private static String ticked(List<String> names, UnaryOperator<String> form) {
        return String.join(", ", names.stream().map(n -> "`" + form.apply(n) + "`").toList());
    }
}
