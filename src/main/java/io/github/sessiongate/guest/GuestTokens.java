package io.github.sessiongate.guest;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GuestSettings;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.internal.BackendUrls;
import io.github.sessiongate.internal.Bounds;
import io.github.sessiongate.internal.CompactJws;
import io.github.sessiongate.internal.HttpTransport;
import io.github.sessiongate.internal.JoseRefusals;
import io.github.sessiongate.internal.JsonValues;
import io.github.sessiongate.internal.MintedJwt;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.secret.HmacSecret;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.Headers;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guest tokens: signed, short-lived tokens that give an anonymous visitor a stable identity
 * ({@code guest:<random>}) without an account. A guest session never satisfies a protected path
 * ({@link Session#isGuest()}), has no roles, and is replaced by a login.
 *
 * <pre>{@code
 * <init-param><param-name>guest-tokens</param-name><param-value>true</param-value></init-param>
 * <init-param><param-name>guest-secret</param-name><param-value>${env:SG_GUEST_SECRET}</param-value></init-param>
 * <init-param><param-name>guest-ttl</param-name><param-value>2h</param-value></init-param>
 * }</pre>
 *
 * <p><b>Minted locally</b> (the default): {@link #mint()} signs an HS256 JWT (<a
 * href="https://www.rfc-editor.org/rfc/rfc7519">RFC 7519</a>) with {@code guest-secret}, a key used for
 * nothing else (it must differ from {@code jwt.secret}, {@code session-signing-secret} and any key the
 * caller names): header {@code typ: sessiongate-guest+jwt}; claims {@code iss: sessiongate}, {@code aud:
 * sessiongate-guest}, {@code sub: guest:<128 random bits, base64url>}, {@code iat}, {@code exp = iat +
 * guest-ttl} and a random {@code jti}. {@link #verify(String)} accepts a token only if all of these
 * check out: HS256 (the only algorithm allowed), the signature, {@code typ}, {@code iss}, {@code aud},
 * the {@code guest:} subject, a lifetime of at most {@code guest-ttl}, and {@code exp}. Being a guest
 * comes from these verified claims, never from which cookie carried the token. Guest tokens cannot
 * pass as access tokens: another key, another audience, and {@link JwtTokenValidator} refuses the
 * guest {@code typ} even where keys and audience were misconfigured to match.
 *
 * <p><b>Fetched from a backend</b> ({@code guest-url} set): {@link #issue()} POSTs to that URL (no body,
 * redirects not followed) and expects {@code 200} with JSON {@code {"access_token": "...",
 * "expires_in": seconds}}. Such tokens are opaque to this class: the filter stores them in the guest
 * cookie and verifies them with its normal {@link TokenValidator}; they count as a guest only if the
 * validator's verified claims say so ({@link Session#isGuest()}), which the built-in
 * {@link JwtTokenValidator} never does (it refuses tokens typed as guest tokens and returns full
 * sessions otherwise). So {@code guest-url} needs a validator that recognises the backend's guest
 * tokens; and a token read from the guest cookie that verifies as a non-guest session should be
 * ignored by the caller. {@link #mint()} and {@link #verify(String)} are then unavailable; there is no
 * {@code guest-secret}.
 *
 * <p>Thread-safe. Time comes from the {@link Clock} given to {@link #fromParams}; the jose4j consumer
 * is built once per clock second and shared, as in {@link JwtTokenValidator}. Nothing here logs a token
 * or the secret.
 */
public final class GuestTokens implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuestTokens.class);

    /** The {@code typ} header of a guest token. */
    public static final String TYPE = "sessiongate-guest+jwt";
    /** The {@code iss} of a guest token. */
    public static final String ISSUER = "sessiongate";
    /** The {@code aud} of a guest token. */
    public static final String AUDIENCE = "sessiongate-guest";
    /** What every guest subject starts with. */
    public static final String SUBJECT_PREFIX = "guest:";

    /** Tolerance for an {@code iat} in the future (another node's clock); never applied to {@code exp}. */
    static final int CLOCK_SKEW_SECONDS = 30;
    /** When jose4j reports several problems, the first of these that applies is the reason. */
    private static final List<Reason> PRECEDENCE = List.of(
            Reason.DISALLOWED_ALGORITHM, Reason.BAD_SIGNATURE, Reason.MALFORMED, Reason.WRONG_ISSUER,
            Reason.WRONG_AUDIENCE, Reason.NO_SUBJECT, Reason.MISSING_CLAIM, Reason.NOT_YET_VALID,
            Reason.ISSUED_IN_FUTURE);
    /** Deepest JSON nesting accepted in a payload. */
    static final int MAX_JSON_DEPTH = 8;

    private final Clock clock;
    private final Duration ttl;
    /** Mints and checks the tokens made here; {@code null} when they come from {@code guest-url}. */
    private final MintedJwt jwt;
    private final GuestTokenClient endpoint;
    /** A transport built for standalone use (no filter transport in the parameters), closed by {@link #close()}. */
    private final HttpTransport ownTransport;

    /**
     * A guest token and how long its cookie should live.
     *
     * @param token the token to store in the guest cookie; never log it
     * @param maxAge the guest cookie's Max-Age: {@code guest-ttl}, or the backend's {@code expires_in} capped by it
     */
    public record Issued(String token, Duration maxAge) {
        public Issued {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(maxAge, "maxAge");
        }

        @Override
        public String toString() {
            return "Issued[token=[PROTECTED], maxAge=" + maxAge + "]";
        }
    }

    private GuestTokens(Clock clock, Duration ttl, HmacSecret secret, GuestTokenClient endpoint, HttpTransport ownTransport) {
        this.ownTransport = ownTransport;
        this.clock = clock;
        this.ttl = ttl;
        this.jwt = secret == null ? null
                : new MintedJwt(secret.bytes(), TYPE, ISSUER, AUDIENCE, CLOCK_SKEW_SECONDS, false, "guest token");
        this.endpoint = endpoint;
    }

    /** The settings of the {@code guest-*} init-params (marking them read); the builder checks. */
    public static GuestSettings settingsFrom(InitParams params) {
        boolean enabled = params.bool(GuestSettings.PARAM_ENABLED, GuestSettings.DEFAULT_ENABLED);
        GuestSettings.Builder b = GuestSettings.builder().enabled(enabled);
        params.get(GuestSettings.PARAM_SECRET).ifPresent(b::secret);
        // Off, a duration is not parsed: the builder refuses its mere presence ("applies only when ...").
        (enabled ? Bounds.duration(params, GuestSettings.PARAM_TTL) : params.get(GuestSettings.PARAM_TTL).map(v -> GuestSettings.DEFAULT_TTL)).ifPresent(b::ttl);
        params.get(GuestSettings.PARAM_URL).ifPresent(b::url);
        (enabled ? Bounds.duration(params, GuestSettings.PARAM_URL_TIMEOUT) : params.get(GuestSettings.PARAM_URL_TIMEOUT).map(v -> GuestSettings.DEFAULT_URL_TIMEOUT))
                .ifPresent(b::urlTimeout);
        return b.build();
    }


    /**
     * Checks the secret against the filter's other keys now; the function gives the guest tokens
     * at each filter start: with {@code guest-url}, fetching over the filter's transport, or, given
     * {@code null}, over one of their own that {@link #close()} stops (its connect timeout is
     * {@code guest-url-timeout}). With the filter's transport the connect timeout is
     * {@code backend-connect-timeout}; the whole fetch stays bounded by {@code guest-url-timeout}
     * either way. Not for application code.
     *
     * @param namedOthers other keys by init-param name ({@code null} values skipped): a match names it
     * @param unnamedOthers further keys ({@code null} entries skipped)
     * @return empty when guest tokens are off
     */
    public static Optional<Function<HttpTransport, GuestTokens>> plan(GuestSettings settings, Clock clock,
            Map<String, String> namedOthers, Collection<String> unnamedOthers) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(namedOthers, "namedOthers");
        Objects.requireNonNull(unnamedOthers, "unnamedOthers");
        if (!settings.enabled()) {
            return Optional.empty();
        }
        Duration ttl = settings.ttl();
        Function<HttpTransport, GuestTokens> tokens;
        if (settings.url().isPresent()) {
            Duration timeout = settings.urlTimeout().orElseThrow();
            URI uri = settings.url().orElseThrow();
            tokens = shared -> {
                HttpTransport transport = shared != null ? shared : HttpTransport.create(timeout);
                return new GuestTokens(clock, ttl, null, new GuestTokenClient(uri, timeout, ttl, clock, transport),
                        shared != null ? null : transport);
            };
        } else {
            HmacSecret key = HmacSecret.parse(GuestSettings.PARAM_SECRET, settings.secret().orElseThrow(), namedOthers, unnamedOthers);
            GuestTokens minted = new GuestTokens(clock, ttl, key, null, null); // holds no resource: one for every start
            tokens = shared -> minted;
        }
        return Optional.of(shared -> {
            GuestTokens started = tokens.apply(shared);
            LOG.info("{} ready", started.describe());
            return started;
        });
    }


    // ---------------------------------------------------------------- issuing

    /** Whether tokens are minted and verified here ({@code false}: fetched from {@code guest-url}). */
    public boolean mintsLocally() {
        return endpoint == null;
    }

    /** The guest token lifetime ({@code guest-ttl}); pass it as the guest cookie's Max-Age. */
    public Duration ttl() {
        return ttl;
    }

    /**
     * Mints a new guest token for a new visitor, valid for {@link #ttl()}.
     *
     * @throws IllegalStateException when tokens come from {@code guest-url} instead
     */
    public String mint() {
        requireLocal("mint");
        long now = clock.instant().getEpochSecond();
        return jwt.sign(jwt.claims(SUBJECT_PREFIX + MintedJwt.randomId(), now, ttl.getSeconds()));
    }

    /**
     * A guest token for a new visitor: minted here, or fetched from {@code guest-url}. Never throws
     * for a backend failure.
     *
     * @return empty when the backend failed or is busy (then the visitor goes without a guest token
     *         on this request; failures are logged, a WARN at most once a minute)
     */
    public Optional<Issued> issue() {
        if (endpoint == null) {
            return Optional.of(new Issued(mint(), ttl));
        }
        return endpoint.fetch();
    }

    // ---------------------------------------------------------------- verifying

    /**
     * Verifies a locally minted guest token. Never throws for any input.
     *
     * @return {@code Valid} with a guest {@link Session} (no roles, the verified claims) when every
     *         check passes; {@code Expired} when only {@code exp} has passed; else {@code Invalid}
     * @throws IllegalStateException when tokens come from {@code guest-url} (the filter's validator checks those)
     */
    public ValidationResult verify(String token) {
        requireLocal("verify");
        if (token == null || token.isEmpty() || token.length() > TokenValidator.MAX_TOKEN_LENGTH) {
            return refuse(Reason.MALFORMED);
        }
        long now = clock.instant().getEpochSecond();
        Reason early = precheck(token);
        if (early != null) {
            return refuse(early);
        }
        JwtContext context;
        try {
            context = jwt.consumerAt(now).process(token);
        } catch (InvalidJwtException e) {
            // Never log e or its message: it contains the whole token.
            Reason reason = classify(e);
            if (reason != null) {
                return refuse(reason);
            }
            context = e.getJwtContext(); // only expired: signature, issuer, audience and subject passed
            if (context == null || context.getJwtClaims() == null || context.getJoseObjects().isEmpty()) {
                return refuse(Reason.MALFORMED);
            }
        }
        return decide(token, context, now);
    }

    /**
     * Cheap checks on the unverified token: one canonical spelling ({@link CompactJws}), then the
     * algorithm, as the allow-list says, then the header and payload.
     */
    private static Reason precheck(String token) {
        if (!CompactJws.isCanonical(token)) {
            return Reason.MALFORMED; // padding, '+' or '/', non-zero pad bits, or not three segments
        }
        try {
            JsonWebStructure structure = JsonWebStructure.fromCompactSerialization(token);
            if (!(structure instanceof JsonWebSignature jws)) {
                return Reason.MALFORMED;
            }
            Headers headers = jws.getHeaders();
            if (!AlgorithmIdentifiers.HMAC_SHA256.equals(headers.getObjectHeaderValue("alg"))) {
                return Reason.DISALLOWED_ALGORITHM;
            }
            if (headers.getObjectHeaderValue("cty") != null || headers.getObjectHeaderValue("crit") != null) {
                return Reason.MALFORMED; // we mint neither
            }
            return JsonValues.nestingWithin(jws.getUnverifiedPayload(), MAX_JSON_DEPTH) ? null : Reason.MALFORMED;
        } catch (JoseException | RuntimeException e) {
            return Reason.MALFORMED;
        }
    }

    /** Our reason for a jose4j failure, or {@code null} when the only problem is expiry. */
    private static Reason classify(InvalidJwtException e) {
        return JoseRefusals.reasonOf(e, PRECEDENCE).orElse(null);
    }

    /** Our checks on verified claims and header, then expiry, then the session. */
    private ValidationResult decide(String token, JwtContext context, long now) {
        try {
            JwtClaims claims = context.getJwtClaims();
            Headers headers = context.getJoseObjects().get(0).getHeaders();
            if (!isGuestType(headers.getObjectHeaderValue("typ"))) {
                return refuse(Reason.WRONG_TOKEN_TYPE);
            }
            String subject = claims.getSubject();
            if (subject == null || !subject.startsWith(SUBJECT_PREFIX) || subject.length() == SUBJECT_PREFIX.length()) {
                return refuse(Reason.WRONG_TOKEN_TYPE); // signed with our key but not a guest: never ours
            }
            long exp = claims.getExpirationTime().getValue();
            long iat = claims.getIssuedAt().getValue();
            if (iat > exp) {
                return refuse(Reason.MALFORMED);
            }
            if (exp - iat > ttl.getSeconds()) {
                return refuse(Reason.LIFETIME_TOO_LONG);
            }
            if (now >= exp) {
                LOG.debug("guest token expired");
                return ValidationResult.expired();
            }
            Session session = Session.builder(subject, token)
                    .guest(true)
                    .roles(Set.of())
                    .claims(JsonValues.freeze(claims.getClaimsMap()))
                    .expiresAt(Instant.ofEpochSecond(exp))
                    .build();
            return ValidationResult.valid(session);
        } catch (MalformedClaimException | RuntimeException e) {
            return refuse(Reason.MALFORMED);
        }
    }

    /** {@code typ} must name a guest token: {@value #TYPE}, case-insensitive, with or without {@code application/}. */
    static boolean isGuestType(Object typ) {
        if (!(typ instanceof String s)) {
            return false;
        }
        String t = s.strip().toLowerCase(Locale.ROOT);
        return t.equals(TYPE) || t.equals("application/" + TYPE);
    }

    private void requireLocal(String what) {
        if (endpoint != null) {
            throw new IllegalStateException("guest tokens come from " + GuestSettings.PARAM_URL + "; " + what
                    + " is only for tokens minted here (the filter's validator checks fetched ones)");
        }
    }

    private static ValidationResult refuse(Reason reason) {
        LOG.debug("guest token refused: {}", reason);
        return ValidationResult.invalid(reason);
    }

    /** One line for the start-up log; never the secret. */
    public String describe() {
        return endpoint == null
                ? "GuestTokens[minted here, HS256, secret=[PROTECTED], ttl=" + ttl + "]"
                : "GuestTokens[fetched from " + endpoint.describe() + ", max ttl=" + ttl + "]";
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * Stops the HTTP threads of a transport built for standalone use; a transport handed in by the
     * filter ({@link InitParams#attached}) is the filter's to close. Idempotent.
     */
    @Override
    public void close() {
        if (ownTransport != null) {
            ownTransport.close();
        }
    }
}
