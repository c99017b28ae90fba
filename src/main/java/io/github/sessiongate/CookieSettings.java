package io.github.sessiongate;

import io.github.sessiongate.engine.SettingsChecks;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How the session cookies are named and which attributes they carry: the access and refresh cookies,
 * the guest cookie and the lifetime meta cookie, all four with the same attributes (HttpOnly, Secure
 * and prefix, SameSite, Path, Domain, Partitioned) and each with its own Max-Age. Immutable and thread-safe;
 * built once at {@code init()} from the filter's init-params (by the engine's init-param mapping) or in
 * code ({@link #builder()}). Both paths run the same validation and fail with a
 * {@link ConfigException} naming the parameter.
 *
 * <p>Defaults are the strict ones: {@code HttpOnly} always, {@code Secure}, {@code SameSite=Lax},
 * {@code Path=/}, no {@code Domain} (host-only), and the {@code __Host-} name prefix, which makes the
 * browser refuse a cookie of that name set by a sibling subdomain or over plain HTTP. Every
 * relaxation is opt-in. See <a href="https://www.rfc-editor.org/rfc/rfc6265">RFC 6265</a> and
 * <a href="https://datatracker.ietf.org/doc/draft-ietf-httpbis-rfc6265bis/">RFC 6265bis</a> for
 * prefixes and {@code SameSite}; <a href="https://github.com/privacycg/CHIPS">CHIPS</a> for
 * {@code Partitioned}.
 */
public final class CookieSettings {

    /** When the {@code Secure} attribute is set; the init-param values are {@code true | false | auto}. */
    public enum SecureMode {
        /** Always {@code Secure} ({@code true}, the default). */
        ALWAYS,
        /** Never {@code Secure} ({@code false}); refused together with SameSite=None or Partitioned. */
        NEVER,
        /** {@code Secure} except on plain HTTP to a loopback address, for local development ({@code auto}). */
        AUTO
    }

    /** The {@code SameSite} attribute. */
    public enum SameSite {
        LAX("Lax"), STRICT("Strict"), NONE("None");

        private final String attributeValue;

        SameSite(String attributeValue) {
            this.attributeValue = attributeValue;
        }

        /** The value as written in {@code Set-Cookie}: {@code Lax}, {@code Strict} or {@code None}. */
        public String attributeValue() {
            return attributeValue;
        }
    }

    /** The {@code __Host-} prefix (RFC 6265bis): Secure, Path=/, no Domain. */
    public static final String HOST_PREFIX = "__Host-";
    /** The {@code __Secure-} prefix; configured names may not start with either prefix. */
    public static final String SECURE_PREFIX = "__Secure-";

    public static final String PARAM_ACCESS_COOKIE_NAME = "access-cookie-name";
    public static final String DEFAULT_ACCESS_COOKIE_NAME = "sg_access";
    public static final String PARAM_REFRESH_COOKIE_NAME = "refresh-cookie-name";
    public static final String DEFAULT_REFRESH_COOKIE_NAME = "sg_refresh";
    public static final String PARAM_SECURE = "cookie-secure";
    public static final SecureMode DEFAULT_SECURE = SecureMode.ALWAYS;
    public static final String PARAM_SAME_SITE = "cookie-same-site";
    public static final SameSite DEFAULT_SAME_SITE = SameSite.LAX;
    public static final String PARAM_PATH = "cookie-path";
    public static final String DEFAULT_PATH = "/";
    /** No default: without it the cookies are host-only. */
    public static final String PARAM_DOMAIN = "cookie-domain";
    public static final String PARAM_ACCESS_MAX_AGE = "access-cookie-max-age";
    public static final Duration DEFAULT_ACCESS_MAX_AGE = Duration.ofHours(1);
    public static final String PARAM_REFRESH_MAX_AGE = "refresh-cookie-max-age";
    public static final Duration DEFAULT_REFRESH_MAX_AGE = Duration.ofDays(14);
    public static final String PARAM_PARTITIONED = "cookie-partitioned";
    public static final boolean DEFAULT_PARTITIONED = false;
    public static final String PARAM_HOST_PREFIX = "cookie-host-prefix";
    public static final boolean DEFAULT_HOST_PREFIX = true;
    public static final String PARAM_MAX_TOTAL_BYTES = "cookie-max-total-bytes";
    public static final int DEFAULT_MAX_TOTAL_BYTES = 6144;
    /** The cookie carrying a guest token (see {@code io.github.sessiongate.guest.GuestTokens}). */
    public static final String PARAM_GUEST_COOKIE_NAME = "guest-cookie-name";
    public static final String DEFAULT_GUEST_COOKIE_NAME = "sg_guest";
    /** Max-Age of the guest cookie when the caller passes none (normally it passes the guest token's ttl). */
    public static final String PARAM_GUEST_MAX_AGE = "guest-cookie-max-age";
    public static final Duration DEFAULT_GUEST_MAX_AGE = Duration.ofHours(1);
    /** The signed cookie recording a session's first login and last activity (see {@code SessionLifetime}). */
    public static final String PARAM_META_COOKIE_NAME = "meta-cookie-name";
    public static final String DEFAULT_META_COOKIE_NAME = "sg_meta";
    /**
     * Max-Age of the meta cookie. Default: the refresh cookie's ({@link #PARAM_REFRESH_MAX_AGE}), or the
     * access cookie's if that is longer; never shorter than either, since a meta cookie that vanished
     * first would let the session start its lifetimes afresh.
     */
    public static final String PARAM_META_MAX_AGE = "meta-cookie-max-age";

    /** Bounds of {@link #PARAM_MAX_TOTAL_BYTES}: the upper one is both containers' default 8 kB header limit. */
    public static final int MIN_MAX_TOTAL_BYTES = 1024;
    public static final int MAX_MAX_TOTAL_BYTES = 8192;
    /** Bounds of the max-age parameters; browsers cap cookie lifetime at 400 days. */
    public static final Duration MIN_MAX_AGE = Duration.ofSeconds(1);
    public static final Duration MAX_MAX_AGE = Duration.ofDays(400);
    /** Longest configurable cookie name; keeps room for value and attributes within 4096 bytes. */
    public static final int MAX_NAME_LENGTH = 64;
    /** Longest Path: browsers ignore attribute values over 1024 bytes. */
    public static final int MAX_PATH_LENGTH = 1024;

    private final String accessCookieName;
    private final String refreshCookieName;
    private final SecureMode secureMode;
    private final SameSite sameSite;
    private final String path;
    private final String domain;
    private final Duration accessMaxAge;
    private final Duration refreshMaxAge;
    private final boolean partitioned;
    private final boolean hostPrefix;
    private final int maxTotalBytes;
    private final String guestCookieName;
    private final Duration guestMaxAge;
    private final String metaCookieName;
    private final Duration metaMaxAge;

    private CookieSettings(Builder b) {
        this.accessCookieName = b.accessCookieName;
        this.refreshCookieName = b.refreshCookieName;
        this.secureMode = b.secureMode;
        this.sameSite = b.sameSite;
        this.path = b.path;
        this.domain = b.domain == null ? null : b.domain.toLowerCase(Locale.ROOT);
        this.accessMaxAge = b.accessMaxAge;
        this.refreshMaxAge = b.refreshMaxAge;
        this.partitioned = b.partitioned;
        this.hostPrefix = b.hostPrefix;
        this.maxTotalBytes = SettingsChecks.number(PARAM_MAX_TOTAL_BYTES, b.maxTotalBytes, MIN_MAX_TOTAL_BYTES, MAX_MAX_TOTAL_BYTES);
        this.guestCookieName = b.guestCookieName;
        this.guestMaxAge = b.guestMaxAge;
        this.metaCookieName = b.metaCookieName;
        this.metaMaxAge = b.metaMaxAge != null ? b.metaMaxAge
                : b.refreshMaxAge.compareTo(b.accessMaxAge) >= 0 ? b.refreshMaxAge : b.accessMaxAge;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The default settings. */
    public static CookieSettings defaults() {
        return builder().build();
    }

    /**
     * Effective {@code Secure} attribute for one request: {@code ALWAYS -> true}, {@code NEVER -> false},
     * {@code AUTO -> !plainHttpToLoopback}; always {@code true} with SameSite=None or Partitioned.
     *
     * @param plainHttpToLoopback whether the request came over plain HTTP to a loopback address
     */
    public boolean secure(boolean plainHttpToLoopback) {
        if (forcesSecure()) {
            return true;
        }
        switch (secureMode) {
            case NEVER:
                return false;
            case AUTO:
                return !plainHttpToLoopback;
            default:
                return true;
        }
    }

    /** Whether SameSite=None or Partitioned make every cookie Secure whatever the mode says. */
    public boolean forcesSecure() {
        return sameSite == SameSite.NONE || partitioned;
    }

    /** Whether the {@code __Host-} prefix is used for a cookie with this effective Secure flag. */
    public boolean hostPrefixApplies(boolean secure) {
        return hostPrefix && (secure || forcesSecure()) && "/".equals(path) && domain == null;
    }

    /** The name written and read for a configured base name under this effective Secure flag. */
    public String cookieName(String baseName, boolean secure) {
        return hostPrefixApplies(secure) ? HOST_PREFIX + baseName : baseName;
    }

    /** One line for the start-up INFO log: names and attributes, nothing secret. */
    public String describe() {
        String access = cookieName(accessCookieName, true);
        String refresh = cookieName(refreshCookieName, true);
        StringBuilder sb = new StringBuilder("session cookies access=").append(access)
                .append(" refresh=").append(refresh)
                .append(" guest=").append(cookieName(guestCookieName, true))
                .append(" meta=").append(cookieName(metaCookieName, true));
        if (secureMode == SecureMode.AUTO && !forcesSecure() && hostPrefixApplies(true)) {
            sb.append(" (").append(accessCookieName).append('/').append(refreshCookieName)
                    .append(" without Secure on plain HTTP to loopback)");
        }
        sb.append("; HttpOnly; Secure=").append(secureMode == SecureMode.ALWAYS || forcesSecure() ? "always"
                : secureMode == SecureMode.AUTO ? "auto (not on plain HTTP to loopback)" : "never")
                .append("; SameSite=").append(sameSite.attributeValue())
                .append("; Path=").append(path)
                .append("; Domain=").append(domain == null ? "(host-only)" : domain)
                .append("; Max-Age access=").append(accessMaxAge.getSeconds())
                .append("s refresh=").append(refreshMaxAge.getSeconds())
                .append("s guest=").append(guestMaxAge.getSeconds())
                .append("s meta=").append(metaMaxAge.getSeconds()).append('s')
                .append("; Partitioned=").append(partitioned)
                .append("; __Host- prefix=").append(hostPrefix ? (hostPrefixApplies(true) ? "on" : "on but not applicable")
                        : "off")
                .append("; max total=").append(maxTotalBytes).append(" bytes");
        return sb.toString();
    }

    /** The configured access cookie name, without any prefix. */
    public String accessCookieName() {
        return accessCookieName;
    }

    /** The configured refresh cookie name, without any prefix. */
    public String refreshCookieName() {
        return refreshCookieName;
    }

    public SecureMode secureMode() {
        return secureMode;
    }

    public SameSite sameSite() {
        return sameSite;
    }

    public String path() {
        return path;
    }

    /** The Domain attribute (lower case); empty for host-only cookies. */
    public Optional<String> domain() {
        return Optional.ofNullable(domain);
    }

    public Duration accessMaxAge() {
        return accessMaxAge;
    }

    public Duration refreshMaxAge() {
        return refreshMaxAge;
    }

    public boolean partitioned() {
        return partitioned;
    }

    /** Whether the {@code __Host-} prefix is wanted (it applies only when Secure, Path=/ and no Domain). */
    public boolean hostPrefix() {
        return hostPrefix;
    }

    public int maxTotalBytes() {
        return maxTotalBytes;
    }

    /** The configured guest cookie name, without any prefix. */
    public String guestCookieName() {
        return guestCookieName;
    }

    /** Max-Age of the guest cookie when the caller passes none. */
    public Duration guestMaxAge() {
        return guestMaxAge;
    }

    /** The configured meta cookie name, without any prefix. */
    public String metaCookieName() {
        return metaCookieName;
    }

    /** Max-Age of the meta cookie: {@link #PARAM_META_MAX_AGE}, else the longer of the refresh and access cookie's. */
    public Duration metaMaxAge() {
        return metaMaxAge;
    }

    @Override
    public String toString() {
        return "CookieSettings[" + describe() + "]";
    }

    /**
     * Builds {@link CookieSettings}; starts from the defaults; not thread-safe. Setters only store;
     * {@link #build()} validates and names the init-param that corresponds to a bad property.
     */
    public static final class Builder {
        private String accessCookieName = DEFAULT_ACCESS_COOKIE_NAME;
        private String refreshCookieName = DEFAULT_REFRESH_COOKIE_NAME;
        private SecureMode secureMode = DEFAULT_SECURE;
        private SameSite sameSite = DEFAULT_SAME_SITE;
        private String path = DEFAULT_PATH;
        private String domain;
        private Duration accessMaxAge = DEFAULT_ACCESS_MAX_AGE;
        private Duration refreshMaxAge = DEFAULT_REFRESH_MAX_AGE;
        private boolean partitioned = DEFAULT_PARTITIONED;
        private boolean hostPrefix = DEFAULT_HOST_PREFIX;
        private int maxTotalBytes = DEFAULT_MAX_TOTAL_BYTES;
        private String guestCookieName = DEFAULT_GUEST_COOKIE_NAME;
        private Duration guestMaxAge = DEFAULT_GUEST_MAX_AGE;
        private String metaCookieName = DEFAULT_META_COOKIE_NAME;
        private Duration metaMaxAge;

        private Builder() {
        }

        public Builder accessCookieName(String name) {
            this.accessCookieName = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder refreshCookieName(String name) {
            this.refreshCookieName = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder secure(SecureMode mode) {
            this.secureMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder sameSite(SameSite sameSite) {
            this.sameSite = Objects.requireNonNull(sameSite, "sameSite");
            return this;
        }

        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /** The Domain attribute; {@code null} (the default) for host-only cookies. */
        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        public Builder accessMaxAge(Duration maxAge) {
            this.accessMaxAge = Objects.requireNonNull(maxAge, "maxAge");
            return this;
        }

        public Builder refreshMaxAge(Duration maxAge) {
            this.refreshMaxAge = Objects.requireNonNull(maxAge, "maxAge");
            return this;
        }

        public Builder partitioned(boolean partitioned) {
            this.partitioned = partitioned;
            return this;
        }

        public Builder hostPrefix(boolean hostPrefix) {
            this.hostPrefix = hostPrefix;
            return this;
        }

        public Builder maxTotalBytes(int maxTotalBytes) {
            this.maxTotalBytes = maxTotalBytes;
            return this;
        }

        public Builder guestCookieName(String name) {
            this.guestCookieName = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder guestMaxAge(Duration maxAge) {
            this.guestMaxAge = Objects.requireNonNull(maxAge, "maxAge");
            return this;
        }

        public Builder metaCookieName(String name) {
            this.metaCookieName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The meta cookie's Max-Age; {@code null} (the default) follows the refresh (or longer access) cookie's. */
        public Builder metaMaxAge(Duration maxAge) {
            this.metaMaxAge = maxAge;
            return this;
        }

        /**
         * Validates the settings as a set.
         *
         * @throws ConfigException naming the parameter at fault
         */
        public CookieSettings build() {
            checkName(PARAM_ACCESS_COOKIE_NAME, accessCookieName);
            checkName(PARAM_REFRESH_COOKIE_NAME, refreshCookieName);
            checkName(PARAM_GUEST_COOKIE_NAME, guestCookieName);
            checkName(PARAM_META_COOKIE_NAME, metaCookieName);
            String[][] named = {
                    {PARAM_ACCESS_COOKIE_NAME, accessCookieName}, {PARAM_REFRESH_COOKIE_NAME, refreshCookieName},
                    {PARAM_GUEST_COOKIE_NAME, guestCookieName}, {PARAM_META_COOKIE_NAME, metaCookieName}};
            for (int i = 1; i < named.length; i++) {
                for (int j = 0; j < i; j++) {
                    if (named[i][1].equalsIgnoreCase(named[j][1])) {
                        throw new ConfigException(named[i][0], "must differ from " + named[j][0] + " ('" + named[j][1]
                                + "'); cookie names are compared ignoring case");
                    }
                }
            }
            checkPath(path);
            if (domain != null) {
                checkDomain(domain);
            }
            checkMaxAge(PARAM_ACCESS_MAX_AGE, accessMaxAge);
            checkMaxAge(PARAM_REFRESH_MAX_AGE, refreshMaxAge);
            checkMaxAge(PARAM_GUEST_MAX_AGE, guestMaxAge);
            if (metaMaxAge != null) {
                checkMaxAge(PARAM_META_MAX_AGE, metaMaxAge);
                Duration longest = accessMaxAge.compareTo(refreshMaxAge) >= 0 ? accessMaxAge : refreshMaxAge;
                if (metaMaxAge.compareTo(longest) < 0) {
                    throw new ConfigException(PARAM_META_MAX_AGE, "must be at least the access and refresh cookies' "
                            + "max age (" + longest + "): a meta cookie that expires first would let the session "
                            + "start its lifetimes afresh");
                }
            }
            if (maxTotalBytes < MIN_MAX_TOTAL_BYTES || maxTotalBytes > MAX_MAX_TOTAL_BYTES) {
                throw new ConfigException(PARAM_MAX_TOTAL_BYTES, "must be between " + MIN_MAX_TOTAL_BYTES + " and "
                        + MAX_MAX_TOTAL_BYTES + " (the containers' default request-header limit is 8 kB), not "
                        + maxTotalBytes);
            }
            if (secureMode == SecureMode.NEVER && sameSite == SameSite.NONE) {
                throw new ConfigException(PARAM_SAME_SITE, "none requires Secure cookies, but " + PARAM_SECURE
                        + " is false; set " + PARAM_SECURE + " to true or auto, or use lax or strict");
            }
            if (secureMode == SecureMode.NEVER && partitioned) {
                throw new ConfigException(PARAM_PARTITIONED, "true requires Secure cookies, but " + PARAM_SECURE
                        + " is false; set " + PARAM_SECURE + " to true or auto, or " + PARAM_PARTITIONED + " to false");
            }
            return new CookieSettings(this);
        }

        private static void checkName(String param, String name) {
            if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
                throw new ConfigException(param, "must be 1 to " + MAX_NAME_LENGTH + " characters long");
            }
            if (!SettingsChecks.isCookieToken(name, MAX_NAME_LENGTH)) {
                throw new ConfigException(param, "must be an RFC 6265 token (letters, digits and "
                        + "!#$%&'*+-.^_`|~), not '" + printable(name) + "'");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(HOST_PREFIX.toLowerCase(Locale.ROOT))
                    || lower.startsWith(SECURE_PREFIX.toLowerCase(Locale.ROOT))) {
                throw new ConfigException(param, "must not start with " + HOST_PREFIX + " or " + SECURE_PREFIX
                        + "; the " + HOST_PREFIX + " prefix is added when it applies (see " + PARAM_HOST_PREFIX + ")");
            }
            if (name.charAt(0) == '$') {
                throw new ConfigException(param, "must not start with '$', which old cookie syntax reserves");
            }
            if (SettingsChecks.endsWithDotDigits(name)) {
                throw new ConfigException(param, "must not end in '.' and digits ('" + name
                        + "'), which is how chunks of a large cookie are named");
            }
            try {
                // The Servlet API's own name check (reserved names, container-specific rules).
                new jakarta.servlet.http.Cookie(name, "");
                new jakarta.servlet.http.Cookie(HOST_PREFIX + name + ".0", "");
            } catch (IllegalArgumentException e) {
                throw new ConfigException(param, "is refused by the Servlet API as a cookie name: '" + name + "'");
            }
        }

        private static void checkPath(String path) {
            if (path.isEmpty() || path.charAt(0) != '/' || path.length() > MAX_PATH_LENGTH) {
                throw new ConfigException(PARAM_PATH, "must start with '/' and be at most " + MAX_PATH_LENGTH
                        + " characters long");
            }
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                if (c <= 0x20 || c >= 0x7f || c == ';' || c == ',' || c == '"' || c == '\\') {
                    throw new ConfigException(PARAM_PATH, "must be printable ASCII without spaces, ';', ',', '\"' "
                            + "or '\\', not '" + printable(path) + "'");
                }
            }
        }

        private static void checkDomain(String domain) {
            String d = domain;
            if (d.startsWith(".")) {
                throw new ConfigException(PARAM_DOMAIN, "must not start with '.': '" + printable(d.substring(1))
                        + "' already covers its subdomains; drop the dot");
            }
            if (d.isEmpty() || d.length() > 253 || d.endsWith(".")) {
                throw new ConfigException(PARAM_DOMAIN, "must be a host name such as example.com (at most 253 "
                        + "characters, no trailing dot), not '" + printable(d) + "'");
            }
            for (String label : d.split("\\.", -1)) {
                boolean ok = !label.isEmpty() && label.length() <= 63
                        && label.charAt(0) != '-' && label.charAt(label.length() - 1) != '-';
                for (int i = 0; ok && i < label.length(); i++) {
                    char c = label.charAt(i);
                    ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                }
                if (!ok) {
                    throw new ConfigException(PARAM_DOMAIN, "must be a host name of letters, digits, '-' and '.' "
                            + "such as example.com, not '" + printable(d) + "'");
                }
            }
        }

        private static void checkMaxAge(String param, Duration maxAge) {
            if (maxAge.compareTo(MIN_MAX_AGE) < 0 || maxAge.compareTo(MAX_MAX_AGE) > 0) {
                throw new ConfigException(param, "must be between 1s and 400d (browsers cap cookie lifetime), not "
                        + maxAge);
            }
            if (maxAge.getNano() != 0) {
                throw new ConfigException(param, "must be whole seconds (Max-Age counts seconds), not " + maxAge);
            }
        }

        /** Shows a bad value with control and non-ASCII characters escaped, so the message stays one line. */
        private static String printable(String s) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < s.length() && i < 100; i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c >= 0x7f) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            return s.length() > 100 ? sb + "..." : sb.toString();
        }
    }
}
