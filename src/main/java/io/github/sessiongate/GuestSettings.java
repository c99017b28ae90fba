package io.github.sessiongate;

import io.github.sessiongate.engine.SettingsChecks;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Guest tokens for visitors without a session ({@code guest-*} init-params): off by default; on,
 * minted here with {@code guest-secret} or fetched from {@code guest-url}. Immutable, checked as a set by {@link Builder#build()} with the init-params'
 * bounds and messages; whether the secret is used elsewhere is checked when the filter's whole
 * configuration is built. {@link #toString()} hides the secret.
 */
public final class GuestSettings {
    /** Whether guest tokens are issued at all. */
    public static final String PARAM_ENABLED = "guest-tokens";
    public static final boolean DEFAULT_ENABLED = false;
    /**
     * HS256 key for minting and verifying guest tokens, at least 32 bytes, {@code base64:} allowed;
     * required when guest tokens are minted locally, refused with {@link #PARAM_URL}.
     */
    public static final String PARAM_SECRET = "guest-secret";
    /** Lifetime of a minted guest token; with {@link #PARAM_URL}, the cap on {@code expires_in}. */
    public static final String PARAM_TTL = "guest-ttl";
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final Duration MIN_TTL = Duration.ofMinutes(1);
    public static final Duration MAX_TTL = Duration.ofDays(30);
    /** Optional backend endpoint that issues guest tokens (https, or http to loopback). */
    public static final String PARAM_URL = "guest-url";
    /** Timeout of one request to {@link #PARAM_URL} (connect and response); there are no retries. */
    public static final String PARAM_URL_TIMEOUT = "guest-url-timeout";
    public static final Duration DEFAULT_URL_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration MIN_URL_TIMEOUT = Duration.ofMillis(100);
    public static final Duration MAX_URL_TIMEOUT = Duration.ofSeconds(30);

    private final boolean enabled;
    private final String secret;
    private final Duration ttl;
    private final URI url;
    private final Duration urlTimeout;

    private GuestSettings(Builder b) {
        if (!b.enabled) {
            if (b.secret != null || b.ttl != null || b.url != null || b.urlTimeout != null) {
                String param = b.secret != null ? PARAM_SECRET : b.ttl != null ? PARAM_TTL : b.url != null ? PARAM_URL
                        : PARAM_URL_TIMEOUT;
                throw new ConfigException(param, "applies only when " + PARAM_ENABLED + " is true");
            }
            this.enabled = false;
            this.secret = null;
            this.ttl = DEFAULT_TTL;
            this.url = null;
            this.urlTimeout = null;
            return;
        }
        Duration checkedTtl = SettingsChecks.duration(PARAM_TTL, b.ttl != null ? b.ttl : DEFAULT_TTL, MIN_TTL, MAX_TTL);
        if (checkedTtl.getNano() != 0) {
            throw new ConfigException(PARAM_TTL, "must be whole seconds, not " + checkedTtl);
        }
        if (b.url != null) {
            if (b.secret != null) {
                throw new ConfigException(PARAM_SECRET, "applies only to guest tokens minted here; with " + PARAM_URL
                        + " the backend signs them and the filter's validator checks them");
            }
            this.urlTimeout = SettingsChecks.duration(PARAM_URL_TIMEOUT, b.urlTimeout != null ? b.urlTimeout : DEFAULT_URL_TIMEOUT,
                    MIN_URL_TIMEOUT, MAX_URL_TIMEOUT);
            this.url = SettingsChecks.backendUrl(PARAM_URL, b.url, "tokens fetched over plain http can be read and replaced in transit");
        } else {
            if (b.urlTimeout != null) {
                throw new ConfigException(PARAM_URL_TIMEOUT, "applies only with " + PARAM_URL);
            }
            if (b.secret == null) {
                throw new ConfigException(PARAM_SECRET, "is required when " + PARAM_ENABLED + " is true (or set "
                        + PARAM_URL + "): at least " + SettingsChecks.MIN_HMAC_KEY_BYTES
                        + " random bytes, e.g. base64: and 32 random bytes, used for nothing else");
            }
            SettingsChecks.hmacKey(PARAM_SECRET, b.secret); // form and length now
            this.urlTimeout = null;
            this.url = null;
        }
        this.enabled = true;
        this.secret = b.secret;
        this.ttl = checkedTtl;
    }

    /** Whether guest tokens are on. */
    public boolean enabled() {
        return enabled;
    }

    /** The secret as configured, for the filter's check that no key serves two purposes; never log it. */
    public Optional<String> secret() {
        return Optional.ofNullable(secret);
    }

    /** Lifetime of a minted token, and cap on a fetched one's {@code expires_in}. */
    public Duration ttl() {
        return ttl;
    }

    /** The backend that issues guest tokens, if they are fetched rather than minted here. */
    public Optional<URI> url() {
        return Optional.ofNullable(url);
    }

    /** Bound on one fetch from {@link #url()}; present with it. */
    public Optional<Duration> urlTimeout() {
        return Optional.ofNullable(urlTimeout);
    }

    /** Starts guest settings in code. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestSettings other && enabled == other.enabled && Objects.equals(secret, other.secret)
                && ttl.equals(other.ttl) && Objects.equals(url, other.url) && Objects.equals(urlTimeout, other.urlTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, ttl, url, urlTimeout);
    }

    @Override
    public String toString() {
        return "GuestSettings[" + (!enabled ? "off" : (url != null ? "url=" + url + ", timeout=" + urlTimeout
                : "secret=[PROTECTED]") + ", ttl=" + ttl) + "]";
    }

    /**
     * Guest settings in code; off by default. On, tokens are minted here with {@link #secret},
     * or fetched from {@link #url}. Not thread-safe.
     */
    public static final class Builder {
        private boolean enabled = DEFAULT_ENABLED;
        private String secret;
        private Duration ttl;
        private String url;
        private Duration urlTimeout;

        private Builder() {
        }

        /** Turns guest tokens on or off ({@value GuestSettings#PARAM_ENABLED}); default off. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** HS256 key for minting ({@value GuestSettings#PARAM_SECRET}): at least 32 bytes, {@code base64:} allowed. */
        public Builder secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** Token lifetime, and cap on a fetched {@code expires_in} ({@value GuestSettings#PARAM_TTL}); default 1 hour, whole seconds, 1 minute to 30 days. */
        public Builder ttl(Duration ttl) {
            this.ttl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** Backend that issues guest tokens ({@value GuestSettings#PARAM_URL}): https, or http to loopback. */
        public Builder url(String url) {
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        /** Bound on one fetch from {@link #url} ({@value GuestSettings#PARAM_URL_TIMEOUT}); default 2 seconds, 100 ms to 30 s. */
        public Builder urlTimeout(Duration timeout) {
            this.urlTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Checks the settings as a set; {@link ConfigException} names the init-param at fault. */
        public GuestSettings build() {
            return new GuestSettings(this);
        }
    }
}
