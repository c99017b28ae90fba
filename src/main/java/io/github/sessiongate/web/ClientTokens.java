package io.github.sessiongate.web;

import io.github.sessiongate.internal.Hmac;
import io.github.sessiongate.ClientTokenSettings;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.internal.Secrets;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.internal.Bounds;
import io.github.sessiongate.internal.CompactJws;
import io.github.sessiongate.internal.JoseRefusals;
import io.github.sessiongate.internal.MintedJwt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.InvalidAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mints short-lived client tokens: HS256 JWTs (<a href="https://www.rfc-editor.org/rfc/rfc7519">RFC
 * 7519</a>) that a browser SDK may hold in script, while the session itself stays in HttpOnly
 * cookies. The signing key never leaves the server; a client token proves to a backend that trusts
 * {@code client-token-secret} that the browser held a session (or none) a few minutes ago, and
 * nothing more.
 *
 * <pre>{@code
 * <init-param><param-name>client-token-secret</param-name>
 *   <param-value>${env:SESSIONGATE_CLIENT_TOKEN_SECRET}</param-value></init-param>
 * <init-param><param-name>client-token-ttl</param-name>
 *   <param-value>5m</param-value></init-param>
 * }</pre>
 *
 * <p><b>Claims:</b> {@code iss}, {@code aud}, {@code iat}, {@code exp = iat + ttl}, a random
 * {@code jti}, {@code sub} (the session's subject, or {@code anon:<random>} without a session),
 * {@code sid} (the caller's session binding: a hash, never a token; see {@link #bindingOf}),
 * {@code roles} for a session and {@code guest: true} for a guest session. Header
 * {@code typ: sessiongate-client+jwt}, which {@link io.github.sessiongate.jwt.JwtTokenValidator}
 * refuses, so a client token is never accepted as an access token even under a shared key (and
 * this secret must differ from every other secret of the filter anyway).
 *
 * <p><b>Thread-safe</b> and immutable after {@link #fromParams}. Time comes from the injected
 * {@link Clock}; {@link #verify} keeps one jose4j consumer per clock second, as
 * {@code JwtTokenValidator} does, since a consumer's evaluation time is fixed when it is built.
 */
public final class ClientTokens {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTokens.class);

    /** The {@code typ} header of every client token. */
    public static final String TYPE = "sessiongate-client+jwt";
    /** Claim holding the session binding. */
    public static final String CLAIM_SESSION_BINDING = "sid";
    /** Claim holding the session's roles. */
    public static final String CLAIM_ROLES = "roles";
    /** Claim present (and {@code true}) only for a guest session. */
    public static final String CLAIM_GUEST = "guest";
    /** Prefix of the subject of a client token minted without a session. */
    public static final String ANONYMOUS_PREFIX = "anon:";

    /** A session binding is a hash: base64url without padding, or hex. */
    private static final Pattern BINDING = Pattern.compile("[A-Za-z0-9_-]{16,128}");
    /** Issuer and audience: visible ASCII, no whitespace. */
    private static final String BINDING_KEY_LABEL = "sessiongate client-token sid v1";
    private static final String HMAC_SHA256 = "HmacSHA256";

    /** When jose4j reports several problems, the first of these that applies is the reason. */
    private static final List<Reason> PRECEDENCE = List.of(
            Reason.DISALLOWED_ALGORITHM, Reason.BAD_SIGNATURE, Reason.MALFORMED, Reason.WRONG_TOKEN_TYPE,
            Reason.WRONG_ISSUER, Reason.WRONG_AUDIENCE, Reason.NO_SUBJECT, Reason.MISSING_CLAIM,
            Reason.NOT_YET_VALID, Reason.ISSUED_IN_FUTURE);

    private final MintedJwt jwt;
    private final SecretKeySpec bindingKey;
    private final Duration ttl;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    private ClientTokens(byte[] secret, Duration ttl, String issuer, String audience, Clock clock) {
        this.bindingKey = new SecretKeySpec(Hmac.sha256(new SecretKeySpec(secret, HMAC_SHA256), BINDING_KEY_LABEL), HMAC_SHA256);
        this.ttl = ttl;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
        this.jwt = new MintedJwt(secret, TYPE, issuer, audience, 0, true, "client token");
    }

    /** The settings of the {@code client-token-*} init-params (marking them read); the builder checks. */
    public static ClientTokenSettings settingsFrom(InitParams params) {
        ClientTokenSettings.Builder b = ClientTokenSettings.builder();
        Optional<String> secret = params.get(ClientTokenSettings.PARAM_SECRET);
        secret.ifPresent(b::secret);
        // Without a secret, the TTL is not parsed: the builder refuses its mere presence ("applies only with ...").
        (secret.isPresent() ? Bounds.duration(params, ClientTokenSettings.PARAM_TTL) : params.get(ClientTokenSettings.PARAM_TTL).map(v -> ClientTokenSettings.DEFAULT_TTL)).ifPresent(b::ttl);
        params.get(ClientTokenSettings.PARAM_AUDIENCE).ifPresent(b::audience);
        params.get(ClientTokenSettings.PARAM_ISSUER).ifPresent(b::issuer);
        return b.build();
    }

    /**
     * The client tokens these settings describe, the secret checked against the filter's others.
     *
     * @param otherSecrets the configured values of every other secret the filter uses ({@code null} skipped)
     * @return empty when no secret is set
     * @throws ConfigException naming {@value ClientTokenSettings#PARAM_SECRET} when the secret is used elsewhere
     */
    public static Optional<ClientTokens> create(ClientTokenSettings settings, Clock clock, Collection<String> otherSecrets) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(otherSecrets, "otherSecrets");
        if (settings.secret().isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = Secrets.decode(ClientTokenSettings.PARAM_SECRET, settings.secret().get());
        if (Secrets.reusedIn(bytes, settings.secret().get(), otherSecrets)) {
            throw new ConfigException(ClientTokenSettings.PARAM_SECRET, "must differ from every other secret of the filter "
                    + "(such as jwt.secret or cookie-encryption-keys); generate a new random one");
        }
        ClientTokens tokens = new ClientTokens(bytes, settings.ttl(), settings.issuer(), settings.audience(), clock);
        Arrays.fill(bytes, (byte) 0); // the key objects hold their own copies
        LOG.info("client tokens enabled: {}", tokens.describe());
        return Optional.of(tokens);
    }


    /** The parameters that need the secret, in the order they are reported. */
    /**
     * Mints a client token.
     *
     * @param sessionOrNull the verified session, or {@code null} for a visitor without one
     *        ({@code sub} is then {@code anon:<random>})
     * @param sessionBinding the {@code sid} claim: a hash that ties the client token to the session,
     *        as {@link #bindingOf} computes it from the refresh token (or the access token); 16 to 128
     *        characters of base64url or hex. Required with a session; with {@code null} and no session
     *        there is no {@code sid}. Never the token itself.
     * @throws IllegalArgumentException when the binding is missing for a session or does not look
     *         like a hash (the value is not echoed)
     */
    public String mint(Session sessionOrNull, String sessionBinding) {
        if (sessionOrNull != null && sessionBinding == null) {
            throw new IllegalArgumentException("sessionBinding is required with a session; use bindingOf(token)");
        }
        if (sessionBinding != null && (!BINDING.matcher(sessionBinding).matches()
                || (sessionOrNull != null && sessionBinding.equals(sessionOrNull.token())))) {
            throw new IllegalArgumentException("sessionBinding must be a hash of a token (16 to 128 base64url or hex "
                    + "characters), never the token itself; use bindingOf(token)");
        }
        long now = clock.instant().getEpochSecond();
        JwtClaims claims = jwt.claims(sessionOrNull != null ? sessionOrNull.subject()
                : ANONYMOUS_PREFIX + MintedJwt.randomId(), now, ttl.toSeconds());
        if (sessionBinding != null) {
            claims.setClaim(CLAIM_SESSION_BINDING, sessionBinding);
        }
        if (sessionOrNull != null) {
            claims.setStringListClaim(CLAIM_ROLES, new ArrayList<>(new TreeSet<>(sessionOrNull.roles())));
            if (sessionOrNull.isGuest()) {
                claims.setClaim(CLAIM_GUEST, true);
            }
        }
        return jwt.sign(claims);
    }

    /**
     * The recommended session binding for {@link #mint}: HMAC-SHA256 of the token under a key
     * derived from {@code client-token-secret}, base64url without padding (43 characters). Keyed, so
     * the browser cannot test a guessed token against it and it never matches a
     * {@link io.github.sessiongate.audit.Fingerprint} or any other plain hash in logs or stores; a
     * backend in this JVM recomputes it to check that a client token belongs to a session.
     *
     * @param token the refresh token (preferred: it is stable across access-token rotation) or the access token
     */
    public String bindingOf(String token) {
        Objects.requireNonNull(token, "token");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Hmac.sha256(bindingKey, token));
    }

    /**
     * Verifies a client token minted with this configuration: HS256 only, {@code typ}, {@code iss},
     * {@code aud}, {@code exp}, {@code iat}, {@code jti} and {@code sub} required, a lifetime of at
     * most {@link #ttl()}, no clock skew (same clock, same JVM). For backends in this JVM and tests;
     * never throws. A valid result's {@link Session} carries the client token as its token, its
     * claims and roles, and is a {@linkplain Session#isGuest() guest} when it was minted without a
     * session or for a guest.
     */
    public ValidationResult verify(String token) {
        if (token == null || token.isEmpty() || token.length() > TokenValidator.MAX_TOKEN_LENGTH
                || !CompactJws.isCanonical(token)) { // one spelling per token: sid and caches key on the string
            return refuse(Reason.MALFORMED);
        }
        try {
            long now = clock.instant().getEpochSecond();
            JwtContext context;
            try {
                context = jwt.consumerAt(now).process(token);
            } catch (InvalidJwtException e) {
                // Never log e: its message contains the whole token.
                ValidationResult verdict = classify(e);
                if (verdict != null) {
                    return verdict;
                }
                context = e.getJwtContext(); // only expired: signature and every other check passed
                if (context == null || context.getJwtClaims() == null) {
                    return refuse(Reason.MALFORMED);
                }
                return lifetimeOk(context.getJwtClaims()) ? ValidationResult.expired() : refuse(Reason.LIFETIME_TOO_LONG);
            }
            return decide(token, context.getJwtClaims());
        } catch (MalformedClaimException | RuntimeException e) {
            return refuse(Reason.MALFORMED);
        }
    }

    private ValidationResult decide(String token, JwtClaims claims) throws MalformedClaimException {
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            return refuse(Reason.NO_SUBJECT);
        }
        if (!lifetimeOk(claims)) {
            return refuse(Reason.LIFETIME_TOO_LONG);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        claims.getClaimsMap().forEach((name, value) -> copy.put(name, value instanceof List<?> list
                ? Collections.unmodifiableList(new ArrayList<>(list)) : value));
        Set<String> roles = new LinkedHashSet<>();
        if (copy.get(CLAIM_ROLES) instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(roles::add);
        }
        boolean guest = subject.startsWith(ANONYMOUS_PREFIX) || Boolean.TRUE.equals(copy.get(CLAIM_GUEST));
        Session session = Session.builder(subject, token)
                .roles(roles)
                .claims(copy)
                .expiresAt(Instant.ofEpochSecond(claims.getExpirationTime().getValue()))
                .guest(guest)
                .build();
        return ValidationResult.valid(session);
    }

    /** {@code exp - iat} within the configured lifetime, and {@code iat} not after {@code exp}. */
    private boolean lifetimeOk(JwtClaims claims) throws MalformedClaimException {
        NumericDate exp = claims.getExpirationTime();
        NumericDate iat = claims.getIssuedAt();
        return exp != null && iat != null && iat.getValue() <= exp.getValue()
                && exp.getValue() - iat.getValue() <= ttl.toSeconds();
    }

    /** The verdict for a jose4j failure, or {@code null} when the only problem is expiry. */
    private static ValidationResult classify(InvalidJwtException e) {
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 8; depth++, cause = cause.getCause()) {
            if (cause instanceof InvalidAlgorithmException) {
                return refuse(Reason.DISALLOWED_ALGORITHM);
            }
        }
        return JoseRefusals.reasonOf(e, PRECEDENCE).map(ClientTokens::refuse).orElse(null);
    }

    private static ValidationResult refuse(Reason reason) {
        LOG.debug("client token refused: {}", reason);
        return ValidationResult.invalid(reason);
    }

    /** How long a minted token lives. */
    public Duration ttl() {
        return ttl;
    }

    /** Issuer, audience and lifetime; never the secret. */
    public String describe() {
        return "ClientTokens[secret=[PROTECTED], issuer=" + issuer + ", audience=" + audience + ", ttl=" + ttl + "]";
    }

    @Override
    public String toString() {
        return describe();
    }

}
