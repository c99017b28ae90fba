package io.github.sessiongate;

import io.github.sessiongate.engine.SettingsChecks;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Client-token settings: immutable, checked by {@link Builder#build()} with the init-params'
 * bounds and messages; whether the secret is used elsewhere is checked when the filter's whole
 * configuration is built. {@link #toString()} hides the secret.
 */
public final class ClientTokenSettings {
    /** HS256 key, at least {@link #MIN_SECRET_BYTES} bytes; UTF-8 text or {@code base64:...}. Enables client tokens. */
    public static final String PARAM_SECRET = "client-token-secret";
    public static final int MIN_SECRET_BYTES = 32;

    /** Lifetime of a client token. */
    public static final String PARAM_TTL = "client-token-ttl";
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    public static final Duration MIN_TTL = Duration.ofSeconds(30);
    public static final Duration MAX_TTL = Duration.ofHours(1);

    /** The {@code aud} of client tokens. */
    public static final String PARAM_AUDIENCE = "client-token-audience";
    public static final String DEFAULT_AUDIENCE = "sessiongate-client";

    /** The {@code iss} of client tokens. */
    public static final String PARAM_ISSUER = "client-token-issuer";
    public static final String DEFAULT_ISSUER = "sessiongate";

    private final String secret;
    private final Duration ttl;
    private final String issuer;
    private final String audience;

    private ClientTokenSettings(Builder b) {
        if (b.secret == null) {
            for (String dependent : DEPENDENTS) {
                if (dependent.equals(PARAM_TTL) ? b.ttl != null : dependent.equals(PARAM_AUDIENCE) ? b.audience != null
                        : b.issuer != null) {
                    throw new ConfigException(dependent, "applies only with " + PARAM_SECRET + ", which is not set");
                }
            }
        } else {
            byte[] bytes = SettingsChecks.secretBytes(PARAM_SECRET, b.secret);
            Arrays.fill(bytes, (byte) 0);
            if (bytes.length < MIN_SECRET_BYTES) {
                throw new ConfigException(PARAM_SECRET, "is " + bytes.length + " bytes, but HS256 needs at least "
                        + MIN_SECRET_BYTES + " random bytes; use e.g. base64: with 32 random bytes");
            }
        }
        this.secret = b.secret;
        this.ttl = SettingsChecks.duration(PARAM_TTL, b.ttl != null ? b.ttl : DEFAULT_TTL, MIN_TTL, MAX_TTL);
        this.issuer = name(PARAM_ISSUER, b.issuer != null ? b.issuer : DEFAULT_ISSUER);
        this.audience = name(PARAM_AUDIENCE, b.audience != null ? b.audience : DEFAULT_AUDIENCE);
    }

    private static final List<String> DEPENDENTS = List.of(PARAM_TTL, PARAM_AUDIENCE, PARAM_ISSUER);

    private static String name(String parameter, String value) {
        if (value.isEmpty() || value.length() > 256 || !value.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new ConfigException(parameter, "must be 1 to 256 visible ASCII characters without spaces");
        }
        return value;
    }

    /** Whether client tokens are on (a secret is set). */
    public boolean enabled() {
        return secret != null;
    }

    /** The secret as configured, for the filter's check that no key serves two purposes; never log it. */
    public Optional<String> secret() {
        return Optional.ofNullable(secret);
    }

    /** Lifetime of a client token. */
    public Duration ttl() {
        return ttl;
    }

    /** The {@code iss} of client tokens. */
    public String issuer() {
        return issuer;
    }

    /** The {@code aud} of client tokens. */
    public String audience() {
        return audience;
    }

    /** Starts the settings in code. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientTokenSettings other && Objects.equals(secret, other.secret) && ttl.equals(other.ttl)
                && issuer.equals(other.issuer) && audience.equals(other.audience);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ttl, issuer, audience);
    }

    @Override
    public String toString() {
        return "ClientTokenSettings[" + (secret == null ? "off" : "secret=[PROTECTED]") + ", ttl=" + ttl
                + ", iss=" + issuer + ", aud=" + audience + "]";
    }

    /** Client-token settings in code; off until {@link #secret} is set. Not thread-safe. */
    public static final class Builder {
        private String secret;
        private Duration ttl;
        private String issuer;
        private String audience;

        private Builder() {
        }

        /** HS256 key ({@value ClientTokenSettings#PARAM_SECRET}): at least 32 bytes, {@code base64:} allowed; turns client tokens on. */
        public Builder secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** Lifetime ({@value ClientTokenSettings#PARAM_TTL}); default 5 minutes, 30 seconds to 1 hour. */
        public Builder ttl(Duration ttl) {
            this.ttl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** {@code iss} ({@value ClientTokenSettings#PARAM_ISSUER}); default {@value ClientTokenSettings#DEFAULT_ISSUER}. */
        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /** {@code aud} ({@value ClientTokenSettings#PARAM_AUDIENCE}); default {@value ClientTokenSettings#DEFAULT_AUDIENCE}. */
        public Builder audience(String audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /** Checks the settings; {@link ConfigException} names the init-param at fault. */
        public ClientTokenSettings build() {
            return new ClientTokenSettings(this);
        }
    }
}
