package io.github.sessiongate.cookie;

import io.github.sessiongate.CookieSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One kind of cookie the filter writes, as data: its canonical name (from the settings; the codec adds
 * {@code __Host-} when it applies), whether its value is sealed and whether it may be split into
 * chunks, its Max-Age policy, and its share of the response budget. {@link CookieCodec} reads, writes,
 * clears, chunks, seals and budgets any kind the same way, so a new kind is one declaration.
 *
 * <p>A kind may be a bounded <em>family</em> ({@link Builder#family(int)}): at most {@code N} cookies
 * named {@code base-0} to {@code base-(N-1)}, one per pending item (a login transaction); writing a
 * member when all {@code N} are taken replaces the oldest (the first the browser sent: browsers send
 * cookies of equal Path in creation order). A single kind has one name, slot 0.
 *
 * <p>Declare each kind once, as a constant, through {@link #named}: two declarations are two kinds
 * (their name functions differ). Immutable.
 *
 * @param description what the cookie is, for messages ("access", "lifetime record")
 * @param baseName the base name under the settings, without {@code __Host-} or suffix
 * @param sealed whether the value is sealed when the codec has a seal
 * @param chunked whether a value too long for one cookie is split into {@code name.0}, {@code name.1}, ...
 * @param maxAgeOf the configured Max-Age under the settings
 * @param maxAgePolicy how a write chooses the Max-Age
 * @param budget which writes the kind joins
 * @param family the bound of a family of names (1 to 9), or 0 for a single name
 * @param sameSiteLax whether the cookie is always {@code SameSite=Lax}, whatever {@code cookie-same-site} says
 *     (the login transactions: the provider's redirect back is a cross-site top-level navigation)
 */
public record CookieKind(String description, Function<CookieSettings, String> baseName, boolean sealed,
        boolean chunked, Function<CookieSettings, Duration> maxAgeOf, MaxAge maxAgePolicy, Budget budget,
        int family, boolean sameSiteLax) {

    /** How a write chooses the Max-Age. */
    public enum MaxAge {
        /** The configured Max-Age, or a shorter one the writer asks for (sliding expiry). */
        CONFIGURED_OR_SHORTER,
        /** The writer's Max-Age when it gives one (a token's lifetime), else the configured one. */
        WRITER_CHOOSES,
        /** Always the configured Max-Age. */
        FIXED
    }

    /** Which writes the kind joins, for the bound of the largest write ({@link CookieCodec#requireWithinResponseBudget()}). */
    public enum Budget {
        /** Written together with the session tokens (a login, a refresh): counts toward the largest write. */
        SESSION_WRITE,
        /** Written on a response of its own, next to nothing else of size. */
        OWN_WRITE
    }

    /** The access token: sealed when sealing is on, chunked, sliding Max-Age. */
    public static final CookieKind ACCESS = named("access", CookieSettings::accessCookieName)
            .sealed().chunked().maxAge(CookieSettings::accessMaxAge, MaxAge.CONFIGURED_OR_SHORTER)
            .budget(Budget.SESSION_WRITE).build();
    /** The refresh token: as the access token. */
    public static final CookieKind REFRESH = named("refresh", CookieSettings::refreshCookieName)
            .sealed().chunked().maxAge(CookieSettings::refreshMaxAge, MaxAge.CONFIGURED_OR_SHORTER)
            .budget(Budget.SESSION_WRITE).build();
    /** The guest token: chunked, Max-Age of the token's lifetime, written on its own. */
    public static final CookieKind GUEST = named("guest", CookieSettings::guestCookieName)
            .chunked().maxAge(CookieSettings::guestMaxAge, MaxAge.WRITER_CHOOSES).budget(Budget.OWN_WRITE).build();
    /** The session-lifetime record ({@code sg_meta} on the wire): signed by its writer, fixed Max-Age. */
    public static final CookieKind LIFETIME_RECORD = named("lifetime record", CookieSettings::metaCookieName)
            .chunked().maxAge(CookieSettings::metaMaxAge, MaxAge.FIXED).budget(Budget.SESSION_WRITE).build();

    /** Pending login transactions the login-transaction family holds at most. */
    public static final int LOGIN_TRANSACTIONS = 3;
    /** Base name of the login-transaction cookies: {@code sg_login-0} to {@code sg_login-2}. */
    public static final String LOGIN_TRANSACTION_NAME = "sg_login";
    /** How long a login transaction lives in the browser when its writer does not say (a flow's own; OIDC: {@code oidc.transaction-max-age}). */
    public static final Duration LOGIN_TRANSACTION_MAX_AGE = Duration.ofMinutes(10);
    /**
     * The short-lived cookie of a pending login at an OpenID provider ({@code state}, {@code nonce},
     * PKCE verifier): sealed, never chunked, one per pending login, at most {@value #LOGIN_TRANSACTIONS};
     * its Max-Age is the writer's ({@code oidc.transaction-max-age}), and it is always
     * {@code SameSite=Lax}, since the provider's redirect back is a cross-site top-level {@code GET}
     * that a {@code Strict} cookie would miss. Secure and {@code __Host-} as the session cookies.
     */
    public static final CookieKind LOGIN_TRANSACTION = named("login transaction", s -> LOGIN_TRANSACTION_NAME)
            .sealed().maxAge(s -> LOGIN_TRANSACTION_MAX_AGE, MaxAge.WRITER_CHOOSES).budget(Budget.OWN_WRITE)
            .family(LOGIN_TRANSACTIONS).sameSiteLax().build();

    /** Name of the provider-facts cookie. */
    public static final String PROVIDER_FACTS_NAME = "sg_idp";
    /**
     * What the OpenID provider said about the session ({@code iss}, {@code sub}, {@code sid} and the ID
     * token when it fits; {@link ProviderFactsValue}), for the provider logout: sealed by its writer
     * (as the engine seals the tokens), chunked, written with the session's tokens at login, left
     * alone by a refresh, cleared with the session cookies. Max-Age of the refresh cookie.
     */
    public static final CookieKind PROVIDER_FACTS = named("provider facts", s -> PROVIDER_FACTS_NAME)
            .chunked().maxAge(CookieSettings::refreshMaxAge, MaxAge.CONFIGURED_OR_SHORTER)
            .budget(Budget.SESSION_WRITE).build();

    /** The kinds whose names are always recognised (reported when planted but not configured). */
    static final List<CookieKind> BUILT_IN = List.of(ACCESS, REFRESH, GUEST, LIFETIME_RECORD);

    public CookieKind {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(baseName, "baseName");
        Objects.requireNonNull(maxAgeOf, "maxAgeOf");
        Objects.requireNonNull(maxAgePolicy, "maxAgePolicy");
        Objects.requireNonNull(budget, "budget");
        if (family < 0 || family > 9) {
            throw new IllegalArgumentException("a family has 1 to 9 names, not " + family);
        }
    }

    /** Starts a declaration: what the cookie is (for messages) and its base name under the settings. */
    public static Builder named(String description, Function<CookieSettings, String> baseName) {
        return new Builder(description, baseName);
    }

    /** The base name under these settings, without {@code __Host-} or suffix. */
    public String baseName(CookieSettings settings) {
        return baseName.apply(settings);
    }

    /**
     * The names without {@code __Host-}: the base name for a single kind; {@code base-0} to
     * {@code base-(N-1)} for a family. The index is the slot.
     */
    public List<String> names(CookieSettings settings) {
        String base = baseName(settings);
        if (family == 0) {
            return List.of(base);
        }
        List<String> names = new ArrayList<>(family);
        for (int i = 0; i < family; i++) {
            names.add(base + "-" + i);
        }
        return names;
    }

    /** The configured Max-Age under these settings. */
    public Duration configuredMaxAge(CookieSettings settings) {
        return maxAgeOf.apply(settings);
    }

    /** Whether this is a bounded family of names. */
    public boolean isFamily() {
        return family > 0;
    }

    /** How many names the kind has: 1, or the family's bound. */
    public int slots() {
        return Math.max(1, family);
    }

    @Override
    public String toString() {
        return "CookieKind[" + description + (family > 0 ? ", family of " + family : "") + (sealed ? ", sealed" : "")
                + (chunked ? ", chunked" : "") + ", " + maxAgePolicy + ", " + budget + "]";
    }

    /** A declaration in progress; defaults: not sealed, not chunked, {@link Budget#OWN_WRITE}, a single name. */
    public static final class Builder {
        private final String description;
        private final Function<CookieSettings, String> baseName;
        private boolean sealed;
        private boolean chunked;
        private Function<CookieSettings, Duration> configuredMaxAge;
        private MaxAge maxAge = MaxAge.FIXED;
        private Budget budget = Budget.OWN_WRITE;
        private int family;
        private boolean sameSiteLax;

        private Builder(String description, Function<CookieSettings, String> baseName) {
            this.description = Objects.requireNonNull(description, "description");
            this.baseName = Objects.requireNonNull(baseName, "baseName");
        }

        /** The value is sealed (when the codec has a seal). */
        public Builder sealed() {
            this.sealed = true;
            return this;
        }

        /** A long value is split into chunks. */
        public Builder chunked() {
            this.chunked = true;
            return this;
        }

        /** The configured Max-Age and how a write may change it. */
        public Builder maxAge(Function<CookieSettings, Duration> configured, MaxAge policy) {
            this.configuredMaxAge = Objects.requireNonNull(configured, "configured");
            this.maxAge = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Which writes the kind joins. */
        public Builder budget(Budget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** A bounded family of at most {@code size} names (1 to 9), one per pending item. */
        public Builder family(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("a family has 1 to 9 names, not " + size);
            }
            this.family = size;
            return this;
        }

        /** Always {@code SameSite=Lax}, whatever {@code cookie-same-site} says. */
        public Builder sameSiteLax() {
            this.sameSiteLax = true;
            return this;
        }

        public CookieKind build() {
            return new CookieKind(description, baseName, sealed, chunked, configuredMaxAge, maxAge, budget, family, sameSiteLax);
        }
    }
}
