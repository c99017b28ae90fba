package io.github.sessiongate.internal;

import io.github.sessiongate.LoginSettings;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.TokenPair;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the tokens in a backend's 200 answer with the {@code field.access-token},
 * {@code field.refresh-token} and {@code field.expires-in} paths; shared by refresh and login so
 * both read answers the same way. Immutable and thread-safe.
 */
public final class TokenFields {
    /** Longest {@code expires_in} believed; a larger one is ignored. */
    public static final long MAX_EXPIRES_IN_SECONDS = java.time.Duration.ofDays(366).toSeconds();

    private final String accessField;
    private final String refreshField;
    private final String expiresInField;
    private final Clock clock;

    private TokenFields(String accessField, String refreshField, String expiresInField, Clock clock) {
        this.accessField = accessField;
        this.refreshField = refreshField;
        this.expiresInField = expiresInField;
        this.clock = clock;
    }

    /** Reads the three {@code field.*} parameters (defaults when absent). */
    public static TokenFields fromParams(InitParams params, Clock clock) {
        return of(params.get(LoginSettings.PARAM_FIELD_ACCESS_TOKEN).orElse(LoginSettings.DEFAULT_FIELD_ACCESS_TOKEN),
                params.get(LoginSettings.PARAM_FIELD_REFRESH_TOKEN).orElse(LoginSettings.DEFAULT_FIELD_REFRESH_TOKEN),
                params.get(LoginSettings.PARAM_FIELD_EXPIRES_IN).orElse(LoginSettings.DEFAULT_FIELD_EXPIRES_IN), clock);
    }

    /** The three paths, each checked as its {@code field.*} parameter is. */
    public static TokenFields of(String accessField, String refreshField, String expiresInField, Clock clock) {
        return new TokenFields(Json.fieldPath(LoginSettings.PARAM_FIELD_ACCESS_TOKEN, accessField),
                Json.fieldPath(LoginSettings.PARAM_FIELD_REFRESH_TOKEN, refreshField),
                Json.fieldPath(LoginSettings.PARAM_FIELD_EXPIRES_IN, expiresInField), clock);
    }

    /**
     * The tokens in an answer: the access token (required, usable as a cookie value), the refresh
     * token (absent or {@code null} gives none: at refresh the old one is kept; present but
     * unusable makes the answer incomplete) and {@code expires_in} (ignored when not a whole
     * positive number of seconds up to {@link #MAX_EXPIRES_IN_SECONDS}).
     *
     * @return empty when the answer is incomplete
     */
    public Optional<TokenPair> read(Map<String, Object> answer) {
        Object access = JsonValues.at(answer, accessField);
        if (!(access instanceof String a) || !Json.isCookieSafeToken(a)) {
            return Optional.empty();
        }
        Object refresh = JsonValues.at(answer, refreshField);
        String rotated = null;
        if (refresh != null) {
            if (!(refresh instanceof String r) || !Json.isCookieSafeToken(r)) {
                return Optional.empty();
            }
            rotated = r;
        }
        OptionalLong expiresIn = Json.seconds(JsonValues.at(answer, expiresInField));
        Instant expiresAt = expiresIn.isPresent() && expiresIn.getAsLong() > 0
                && expiresIn.getAsLong() <= MAX_EXPIRES_IN_SECONDS
                ? clock.instant().plusSeconds(expiresIn.getAsLong()) : null;
        return Optional.of(new TokenPair(a, rotated, expiresAt));
    }
}
